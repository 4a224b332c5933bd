"""Production data, KPI rollups, norms, signals, escalations and performance dialogues.

Production lines (declarations, trajectories, allocations, referrals, outcome measurements,
occupancy) arrive by import (``monitoring.imports``). Every imported line carries the provider's
own ``reference`` (unique per contract, so importing the same file twice adds nothing), the
``batch`` it came with, and ``active``: a correction line names the reference it ``corrects``
and the corrected line becomes inactive. KPIs and settlement read active lines only.

Clients appear only as a pseudonym (``client_key``: HMAC-SHA256 of the BSN with the
``PSEUDONYM_KEY``, made at the door); no BSN and no name is ever stored.

``KpiRollup`` holds per month and per grain (region, segment, provider, contract,
municipality, ...) the additive measures the KPIs are computed from; every import refreshes the
months it touched, so dashboards read hundreds of rollup rows, never millions of lines.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contracts.codes import Direction, Kpi
from contracts.models import CONTRACT_EDITORS, Contract
from core.scoping import ScopedModel
from providers.models import Provider
from segments.codes import Unit
from segments.models import Municipality, Product, Region, Segment

MONEY = {"max_digits": 14, "decimal_places": 2}


class EndReason(models.TextChoices):
    """CBS Beleidsinformatie Jeugd: reason for ending (03 and 04 count as drop-out)."""

    AS_PLANNED = "01", _("01 Volgens plan")
    EARLY_AGREED = "02", _("02 Voortijdig, in overeenstemming")
    BY_CLIENT = "03", _("03 Eenzijdig door cliënt")
    BY_PROVIDER = "04", _("04 Eenzijdig door aanbieder")
    EXTERNAL = "05", _("05 Externe omstandigheden")


DROPOUT_REASONS = frozenset({EndReason.BY_CLIENT, EndReason.BY_PROVIDER})


class Referrer(models.TextChoices):
    """CBS Beleidsinformatie Jeugd: referrer (verwijzer)."""

    MUNICIPAL_ACCESS = "01", _("01 Gemeentelijke toegang")
    GP = "02", _("02 Huisarts")
    YOUTH_DOCTOR = "03", _("03 Jeugdarts")
    CERTIFIED_INSTITUTION = "04", _("04 Gecertificeerde instelling")
    MEDICAL_SPECIALIST = "05", _("05 Medisch specialist")
    NONE = "06", _("06 Geen verwijzer")
    JUDGE = "08", _("08 Rechter, Officier van Justitie of JJI")


class OutcomeMoment(models.TextChoices):
    """Fixed measuring moments of the outcome set (ROM practice)."""

    START = "start", _("Start")
    END = "einde", _("Einde")
    AFTER_6_MONTHS = "6m", _("6 maanden na einde")
    AFTER_2_YEARS = "2j", _("2 jaar na einde")


class DatasetKind(models.TextChoices):
    """What one import file holds (one kind per file)."""

    DECLARATIONS = "declaraties", _("Declaraties")
    TRAJECTORIES = "trajecten", _("Trajecten")
    ALLOCATIONS = "toewijzingen", _("Toewijzingen")
    REFERRALS = "verwijzingen", _("Verwijzingen")
    OUTCOMES = "uitkomsten", _("Uitkomstmetingen")
    OCCUPANCY = "bezetting", _("Capaciteit en bezetting")


class ImportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    JSON = "json", "JSON"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    SUCCEEDED = "succeeded", _("Geïmporteerd")
    REJECTED = "rejected", _("Afgewezen")
    FAILED = "failed", _("Mislukt")


class ImportBatch(ScopedModel):
    """One file offered for import: its progress, its outcome and, when refused, the errors
    per row and column. The file itself is never kept (it holds BSNs)."""

    scope_edit_roles = CONTRACT_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("regio")
    )
    kind = models.CharField(_("soort gegevens"), max_length=12, choices=DatasetKind.choices)
    file_format = models.CharField(_("formaat"), max_length=4, choices=ImportFormat.choices)
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    file_size = models.BigIntegerField(_("grootte (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256 van het bestand"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangeboden door"),
    )
    #: set when a provider delivers through the API: only its own contracts may be named
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("namens aanbieder"),
    )
    created_at = models.DateTimeField(_("aangeboden op"), auto_now_add=True)
    started_at = models.DateTimeField(_("gestart op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    rows_total = models.PositiveIntegerField(_("regels in het bestand"), default=0)
    rows_done = models.PositiveIntegerField(_("regels verwerkt"), default=0)
    rows_added = models.PositiveIntegerField(_("regels toegevoegd"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("regels al aanwezig"), default=0)
    rows_corrected = models.PositiveIntegerField(_("regels gecorrigeerd"), default=0)
    error_count = models.PositiveIntegerField(_("aantal fouten"), default=0)
    #: the first errors, each {"row": n, "column": "naam", "message": "..."}
    errors = models.JSONField(_("fouten"), default=list, blank=True)
    message = models.TextField(_("melding"), blank=True)
    #: first days of the months whose rollups this import refreshed
    months = models.JSONField(_("maanden"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.get_kind_display()} {self.file_name}"

    def get_absolute_url(self):
        return reverse("monitoring:import-detail", args=[self.region.slug, self.pk])

    @property
    def progress(self) -> int:
        """Percentage of rows processed (0-100)."""
        if not self.rows_total:
            return 100 if self.status in (ImportStatus.SUCCEEDED, ImportStatus.REJECTED) else 0
        return min(100, round(100 * self.rows_done / self.rows_total))

    @property
    def is_finished(self) -> bool:
        return self.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING)


class ImportedLine(ScopedModel):
    """What every imported line has: where it belongs, whose it is, and where it came from."""

    scope_edit_roles = CONTRACT_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("regio")
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="+", verbose_name=_("contract")
    )
    reference = models.CharField(_("referentie"), max_length=64)
    corrects = models.CharField(_("corrigeert referentie"), max_length=64, blank=True)
    active = models.BooleanField(_("geldend"), default=True)
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import"),
        db_index=False,
    )

    class Meta:
        abstract = True


class ClientLine(ImportedLine):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("gemeente")
    )
    client_key = models.CharField(_("cliënt (pseudoniem)"), max_length=64)

    class Meta:
        abstract = True

    @classmethod
    def scope_municipal_q(cls, scope):
        return Q(municipality__in=scope.municipality_ids)


class ProductionLine(ClientLine):
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )

    class Meta:
        abstract = True


def _line_constraints(name: str) -> list:
    return [
        models.UniqueConstraint(fields=["contract", "reference"], name=f"{name}_unique_reference"),
    ]


class Declaration(ProductionLine):
    """Units of a product delivered in a month (iJw JW323 declaration line)."""

    month = models.DateField(_("maand"))
    quantity = models.DecimalField(
        _("aantal"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("eenheid (iJw)"), max_length=2, choices=Unit.choices)
    amount = models.DecimalField(_("gedeclareerd bedrag (€)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["month", "pk"]
        verbose_name = _("declaratieregel")
        verbose_name_plural = _("declaratieregels")
        indexes = [
            models.Index(fields=["contract", "month"], name="declaration_contract_month"),
            models.Index(fields=["region", "month"], name="declaration_region_month"),
        ]
        constraints = [
            *_line_constraints("declaration"),
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="declaration_qty_not_negative"
            ),
        ]


class Trajectory(ProductionLine):
    """A trajectory of care: start, end and the CBS reason for ending."""

    started_on = models.DateField(_("start"))
    ended_on = models.DateField(_("einde"), null=True, blank=True)
    end_reason = models.CharField(
        _("reden einde (CBS)"), max_length=2, choices=EndReason.choices, blank=True
    )

    class Meta:
        ordering = ["started_on", "pk"]
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        indexes = [
            models.Index(fields=["contract", "started_on"], name="trajectory_contract_start"),
            models.Index(fields=["region", "client_key"], name="trajectory_region_client"),
        ]
        constraints = [
            *_line_constraints("trajectory"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="trajectory_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="")
                | Q(ended_on__isnull=False) & ~Q(end_reason=""),
                name="trajectory_end_has_reason",
            ),
        ]


class Allocation(ProductionLine):
    """An allocation (toewijzing, iJw JW301) of a product to a family or youth, for a period."""

    start = models.DateField(_("ingang"))
    end = models.DateField(_("einde"), null=True, blank=True)

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("toewijzing")
        verbose_name_plural = _("toewijzingen")
        indexes = [models.Index(fields=["contract", "start"], name="allocation_contract_start")]
        constraints = [
            *_line_constraints("allocation"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="allocation_end_after_start",
            ),
        ]


class Referral(ClientLine):
    """A referral (verwijzing) of a youth to the contracted provider, with the CBS referrer.

    Wait time = start of the trajectory − the latest referral to the same contract before it."""

    referred_on = models.DateField(_("verwezen op"))
    referrer = models.CharField(_("verwijzer (CBS)"), max_length=2, choices=Referrer.choices)

    class Meta:
        ordering = ["referred_on", "pk"]
        verbose_name = _("verwijzing")
        verbose_name_plural = _("verwijzingen")
        indexes = [
            models.Index(fields=["contract", "client_key"], name="referral_contract_client"),
        ]
        constraints = [*_line_constraints("referral")]


class OutcomeMeasurement(ClientLine):
    """An outcome measurement (national outcome set) at a fixed moment."""

    moment = models.CharField(_("meetmoment"), max_length=5, choices=OutcomeMoment.choices)
    measured_on = models.DateField(_("gemeten op"))
    goal_realisation = models.DecimalField(
        _("doelrealisatie (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Aandeel van de afgesproken doelen dat is bereikt, 0-100."),
    )
    client_experience = models.DecimalField(
        _("cliëntervaring (cijfer)"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Rapportcijfer 1-10 van jeugdige en ouders (bijv. MCJO)."),
    )

    class Meta:
        ordering = ["measured_on", "pk"]
        verbose_name = _("uitkomstmeting")
        verbose_name_plural = _("uitkomstmetingen")
        indexes = [
            models.Index(fields=["region", "measured_on"], name="outcome_region_measured"),
        ]
        constraints = [
            *_line_constraints("outcome"),
            models.CheckConstraint(
                condition=Q(goal_realisation__isnull=True)
                | Q(goal_realisation__gte=0, goal_realisation__lte=100),
                name="outcome_goal_percentage",
            ),
            models.CheckConstraint(
                condition=Q(client_experience__isnull=True)
                | Q(client_experience__gte=1, client_experience__lte=10),
                name="outcome_experience_grade",
            ),
            models.CheckConstraint(
                condition=Q(goal_realisation__isnull=False) | Q(client_experience__isnull=False),
                name="outcome_has_a_score",
            ),
        ]


class Occupancy(ImportedLine):
    """Places kept available and days occupied under an availability arrangement, per month."""

    month = models.DateField(_("maand"))
    places = models.PositiveIntegerField(_("plaatsen"))
    occupied_days = models.DecimalField(_("bezette dagen"), max_digits=10, decimal_places=1)

    class Meta:
        ordering = ["month"]
        verbose_name = _("bezetting")
        verbose_name_plural = _("bezetting")
        constraints = [
            *_line_constraints("occupancy"),
            models.UniqueConstraint(
                fields=["contract", "month"],
                condition=Q(active=True),
                name="occupancy_unique_active_month",
            ),
            models.CheckConstraint(
                condition=Q(occupied_days__gte=0), name="occupancy_not_negative"
            ),
        ]


LINE_MODELS = {
    DatasetKind.DECLARATIONS: Declaration,
    DatasetKind.TRAJECTORIES: Trajectory,
    DatasetKind.ALLOCATIONS: Allocation,
    DatasetKind.REFERRALS: Referral,
    DatasetKind.OUTCOMES: OutcomeMeasurement,
    DatasetKind.OCCUPANCY: Occupancy,
}


# --- KPI rollups -------------------------------------------------------------------------------


class Grain(models.TextChoices):
    """The level a rollup row adds up to. Unique youths are counted per grain (a youth with two
    providers is one youth of the segment), so coarser grains are never sums of finer ones."""

    REGION = "region", _("Regio")
    SEGMENT = "segment", _("Segment")
    PROVIDER = "provider", _("Aanbieder")
    CONTRACT = "contract", _("Contract")
    MUNICIPALITY = "municipality", _("Gemeente")
    SEGMENT_MUNICIPALITY = "segment_municipality", _("Segment × gemeente")
    PROVIDER_MUNICIPALITY = "provider_municipality", _("Aanbieder × gemeente")


class KpiRollup(ScopedModel):
    """Additive measures of one month at one grain; KPIs are ratios of them (monitoring.kpis).

    ``key`` names the grain's members ("p12", "s3-m7", ...) so (region, grain, key, month) is
    unique without nullable columns in the constraint."""

    scope_edit_roles = CONTRACT_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("regio")
    )
    month = models.DateField(_("maand"))
    grain = models.CharField(_("niveau"), max_length=24, choices=Grain.choices)
    key = models.CharField(_("sleutel"), max_length=40)
    segment = models.ForeignKey(
        Segment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # volume
    youths = models.PositiveIntegerField(_("unieke jeugdigen"), default=0)
    youths_residential = models.PositiveIntegerField(_("jeugdigen in verblijf"), default=0)
    trajectories_active = models.PositiveIntegerField(_("lopende trajecten"), default=0)
    trajectories_started = models.PositiveIntegerField(_("gestarte trajecten"), default=0)
    trajectories_ended = models.PositiveIntegerField(_("beëindigde trajecten"), default=0)
    # money
    amount = models.DecimalField(_("gedeclareerd (€)"), default=0, **MONEY)
    declaration_lines = models.PositiveIntegerField(_("declaratieregels"), default=0)
    # flow and outcome
    dropouts = models.PositiveIntegerField(_("uitval (reden 03/04)"), default=0)
    duration_days = models.BigIntegerField(_("som trajectduur (dagen)"), default=0)
    wait_days = models.BigIntegerField(_("som wachttijd (dagen)"), default=0)
    wait_count = models.PositiveIntegerField(_("starts met verwijzing"), default=0)
    step_ups = models.PositiveIntegerField(_("opschalingen"), default=0)
    step_downs = models.PositiveIntegerField(_("afschalingen"), default=0)
    reentries = models.PositiveIntegerField(_("herinstroom binnen 12 maanden"), default=0)
    goal_sum = models.DecimalField(
        _("som doelrealisatie"), default=0, max_digits=12, decimal_places=1
    )
    goal_count = models.PositiveIntegerField(_("metingen doelrealisatie"), default=0)
    experience_sum = models.DecimalField(
        _("som cliëntervaring"), default=0, max_digits=12, decimal_places=1
    )
    experience_count = models.PositiveIntegerField(_("metingen cliëntervaring"), default=0)
    # capacity
    occupied_days = models.DecimalField(
        _("bezette dagen"), default=0, max_digits=12, decimal_places=1
    )
    place_days = models.PositiveIntegerField(_("beschikbare plaatsdagen"), default=0)

    class Meta:
        ordering = ["month", "grain", "key"]
        verbose_name = _("KPI-maandtelling")
        verbose_name_plural = _("KPI-maandtellingen")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "grain", "key", "month"], name="kpi_rollup_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "grain", "month"], name="kpi_rollup_grain_month"),
            models.Index(fields=["provider", "grain", "month"], name="kpi_rollup_provider"),
        ]

    @classmethod
    def scope_municipal_q(cls, scope):
        return Q(municipality__in=scope.municipality_ids)

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(provider__in=scope.provider_ids)


# --- norms, signals, escalation -----------------------------------------------------------------


class KpiNorm(ScopedModel):
    """A segment's norm for a KPI; a contract's KPI agreement overrides it for that contract."""

    scope_region_lookup = "segment__region"
    scope_edit_roles = CONTRACT_EDITORS

    segment = models.ForeignKey(
        Segment, on_delete=models.CASCADE, related_name="kpi_norms", verbose_name=_("segment")
    )
    kpi = models.CharField(_("KPI"), max_length=24, choices=Kpi.choices)
    direction = models.CharField(_("richting"), max_length=6, choices=Direction.choices)
    norm = models.DecimalField(_("norm"), max_digits=12, decimal_places=2)
    amber_threshold = models.DecimalField(_("drempel oranje"), max_digits=12, decimal_places=2)
    red_threshold = models.DecimalField(_("drempel rood"), max_digits=12, decimal_places=2)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["segment", "kpi"]
        verbose_name = _("KPI-norm")
        verbose_name_plural = _("KPI-normen")
        constraints = [
            models.UniqueConstraint(fields=["segment", "kpi"], name="kpi_norm_unique"),
            models.CheckConstraint(
                condition=Q(
                    direction="higher",
                    norm__gte=models.F("amber_threshold"),
                    amber_threshold__gte=models.F("red_threshold"),
                )
                | Q(
                    direction="lower",
                    norm__lte=models.F("amber_threshold"),
                    amber_threshold__lte=models.F("red_threshold"),
                ),
                name="kpi_norm_thresholds_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.segment}: {self.get_kpi_display()} {self.norm}"


class SignalSource(models.TextChoices):
    KPI = "kpi", _("KPI")
    FINANCE = "finance", _("Jaarrekening")


class RiskWeight(ScopedModel):
    """Weight of one KPI (or of the finance checks) in a provider's risk score."""

    scope_edit_roles = CONTRACT_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("regio")
    )
    #: a Kpi value, or "finance_margin" / "finance_wnt"
    topic = models.CharField(_("onderwerp"), max_length=24)
    weight = models.DecimalField(
        _("weging"),
        max_digits=4,
        decimal_places=1,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )

    class Meta:
        ordering = ["topic"]
        verbose_name = _("risicoweging")
        verbose_name_plural = _("risicowegingen")
        constraints = [
            models.UniqueConstraint(fields=["region", "topic"], name="risk_weight_unique"),
        ]


class Level(models.TextChoices):
    GREEN = "green", _("Groen")
    AMBER = "amber", _("Oranje")
    RED = "red", _("Rood")


class SignalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ON_AGENDA = "agenda", _("Geagendeerd")
    CLOSED = "closed", _("Afgehandeld")


class Signal(ScopedModel):
    """A KPI outside its norm (amber or red) for a month, or a failed finance check.

    Made and updated by the KPI refresh and the finance checks; ``key`` makes that idempotent.
    A signal whose figure is back within the norm is closed by the refresh."""

    scope_edit_roles = CONTRACT_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("regio")
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="signals", verbose_name=_("aanbieder")
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contract"),
    )
    source = models.CharField(_("bron"), max_length=8, choices=SignalSource.choices)
    topic = models.CharField(_("onderwerp"), max_length=24)
    key = models.CharField(_("sleutel"), max_length=120)
    period = models.DateField(_("periode"), help_text=_("Maand (KPI) of 1 januari (jaarrekening)."))
    level = models.CharField(_("niveau"), max_length=6, choices=Level.choices)
    value = models.DecimalField(_("waarde"), max_digits=14, decimal_places=2, null=True)
    norm = models.DecimalField(_("norm"), max_digits=14, decimal_places=2, null=True)
    message = models.TextField(_("melding"))
    status = models.CharField(
        _("status"), max_length=8, choices=SignalStatus.choices, default=SignalStatus.OPEN
    )
    created_at = models.DateTimeField(_("ontstaan op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)
    #: set when a person closed the signal; the refresh reopens it only when the level worsens
    handled_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afgehandeld door"),
    )

    class Meta:
        ordering = ["-period", "provider", "topic"]
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        constraints = [
            models.UniqueConstraint(fields=["region", "key"], name="signal_unique_key"),
        ]
        indexes = [models.Index(fields=["provider", "status"], name="signal_provider_status")]

    def __str__(self):
        return self.message

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(provider__in=scope.provider_ids)


class EscalationStep(models.TextChoices):
    """The escalation framework (afwegingskader), in order."""

    DIALOGUE = "dialogue", _("Gesprek")
    IMPROVEMENT_PLAN = "improvement_plan", _("Verbeterplan")
    AUDIT = "audit", _("Audit")
    SANCTION = "sanction", _("Sanctie of uitsluiting")


ESCALATION_ORDER = list(EscalationStep.values)


class Escalation(ScopedModel):
    """One step of the escalation framework taken with a provider; never edited, only closed."""

    scope_edit_roles = CONTRACT_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("regio")
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="escalations", verbose_name=_("aanbieder")
    )
    step = models.CharField(_("stap"), max_length=16, choices=EscalationStep.choices)
    started_on = models.DateField(_("gestart op"))
    reason = models.TextField(_("aanleiding"))
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    outcome = models.TextField(_("uitkomst"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("escalatiestap")
        verbose_name_plural = _("escalatiestappen")
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("started_on")),
                name="escalation_closed_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_step_display()} {self.provider} ({self.started_on:%d-%m-%Y})"


# --- performance dialogues ----------------------------------------------------------------------


class DialogueStatus(models.TextChoices):
    PLANNED = "planned", _("Gepland")
    HELD = "held", _("Gevoerd")


class PerformanceDialogue(ScopedModel):
    """A performance dialogue (prestatiedialoog) with a provider."""

    scope_edit_roles = CONTRACT_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("regio")
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="dialogues", verbose_name=_("aanbieder")
    )
    scheduled_on = models.DateField(_("datum"))
    status = models.CharField(
        _("status"), max_length=8, choices=DialogueStatus.choices, default=DialogueStatus.PLANNED
    )
    participants = models.TextField(_("deelnemers"), blank=True)
    notes = models.TextField(_("verslag"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_on", "-pk"]
        verbose_name = _("prestatiedialoog")
        verbose_name_plural = _("prestatiedialogen")

    def __str__(self):
        return f"{self.provider} {self.scheduled_on:%d-%m-%Y}"


class AgendaItem(ScopedModel):
    """An agenda item: drafted from a signal or an open action, or added by hand."""

    scope_region_lookup = "dialogue__region"
    scope_edit_roles = CONTRACT_EDITORS

    dialogue = models.ForeignKey(
        PerformanceDialogue, on_delete=models.CASCADE, related_name="agenda"
    )
    position = models.PositiveSmallIntegerField(_("volgorde"))
    title = models.CharField(_("onderwerp"), max_length=300)
    signal = models.ForeignKey(
        Signal, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items"
    )
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["dialogue", "position"]
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Uitgevoerd")
    DROPPED = "dropped", _("Vervallen")


class DialogueAction(ScopedModel):
    """An action agreed in a dialogue, with an owner, a due date and its follow-up."""

    scope_region_lookup = "dialogue__region"
    scope_edit_roles = CONTRACT_EDITORS

    dialogue = models.ForeignKey(
        PerformanceDialogue, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.TextField(_("afspraak"))
    owner = models.CharField(_("eigenaar"), max_length=200)
    due_on = models.DateField(_("uiterlijk"))
    status = models.CharField(
        _("status"), max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    follow_up = models.TextField(_("opvolging"), blank=True)
    closed_on = models.DateField(_("afgerond op"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("actiepunt")
        verbose_name_plural = _("actiepunten")
