"""Imported production data: the import batches and the lines they bring (declarations,
trajectories, allocations, referrals, outcome measurements, occupancy).

Every imported line carries the provider's own ``reference`` (unique per contract, so importing
the same file twice adds nothing), the ``batch`` it came with, and ``active``: a correction line
names the reference it ``corrects`` and the corrected line becomes inactive. KPIs and settlement
read active lines only.

Clients appear only as a pseudonym (``client_key``: HMAC-SHA256 of the BSN with the
``PSEUDONYM_KEY``, made at the door); no BSN and no name is ever stored.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contracts.models import CONTRACT_EDITORS, Contract, FundingArrangement
from core.scoping import ScopedModel
from providers.models import Provider
from segments.codes import Unit
from segments.models import Municipality, Product, Region

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
    IJW = "ijw", _("iJw 3.2 (XML)")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    SUCCEEDED = "succeeded", _("Geïmporteerd")
    REJECTED = "rejected", _("Afgewezen")
    FAILED = "failed", _("Mislukt")


class ImportPhase(models.TextChoices):
    """Where a running import is: reading and checking the rows, writing the lines, refreshing
    the figures (the progress shown while it runs)."""

    WAITING = "", _("wacht")
    CHECKING = "check", _("regels lezen en controleren")
    WRITING = "write", _("regels wegschrijven")
    REFRESHING = "refresh", _("cijfers bijwerken")


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
    #: set when a provider delivers (through the API or its portal): only its own contracts may
    #: be named
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
    #: the progress while it runs: rows read from the file, rows checked (``rows_done``), lines
    #: written to the database, and the phase it is in
    rows_read = models.PositiveIntegerField(_("regels gelezen"), default=0)
    rows_done = models.PositiveIntegerField(_("regels verwerkt"), default=0)
    rows_written = models.PositiveIntegerField(_("regels weggeschreven"), default=0)
    phase = models.CharField(
        _("fase"), max_length=8, choices=ImportPhase.choices, default="", blank=True
    )
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

    @classmethod
    def scope_provider_q(cls, scope):
        """A provider (its portal users and API clients) sees the batches it delivered."""
        return Q(provider__in=scope.provider_ids)

    def __str__(self):
        return f"{self.get_kind_display()} {self.file_name}"

    def get_absolute_url(self):
        return reverse("monitoring:import-detail", args=[self.region.slug, self.pk])

    @property
    def progress(self) -> int:
        """Percentage done (0-100): reading and checking the rows is the first 90%, writing the
        lines the next 5, refreshing the figures the rest; 100 only when it has an outcome."""
        if self.is_finished:
            return 100
        if self.phase == ImportPhase.WRITING:
            return 90
        if self.phase == ImportPhase.REFRESHING:
            return 95
        if not self.rows_total:
            return 0
        return min(90, 90 * self.rows_done // self.rows_total)

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
    """Units of a product delivered in a month (iJw JW323 declaration line).

    The biggest table (tens of millions of lines), written only by the import's one
    ``INSERT … SELECT`` of lines whose region, contract, municipality and product were looked
    up in the region's own reference data: it keeps only the indexes its queries use and one
    foreign key in the database (the contract). Region, municipality, product and batch are
    foreign keys for the ORM only (joins, ``PROTECT`` — Django's collector still refuses to
    delete a referenced row), with no single-column index; see docs/import.md, "Indexes and
    keys of the line tables"."""

    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("regio"),
        db_index=False,  # (region, month) serves every query by region
        db_constraint=False,
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("contract"),
        db_index=False,  # (contract, month) and (contract, reference) start with it
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gemeente"),
        db_index=False,
        db_constraint=False,
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("product"),
        db_index=False,
        db_constraint=False,
    )
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import"),
        db_index=False,
        db_constraint=False,
    )
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
            # the drill-down's page: a region's active lines in the model's order (month, id),
            # so LIMIT 50 reads 50 index entries instead of sorting a month's lines
            models.Index(
                fields=["region", "month", "id"],
                condition=Q(active=True),
                name="declaration_drilldown",
            ),
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
            # Covering (PostgreSQL): settlement counts a contract's trajectories per product,
            # start day and end month with an index-only scan (monitoring/kpis/production.py).
            models.Index(
                fields=["contract", "started_on"],
                include=["product", "ended_on", "active"],
                name="trajectory_contract_start",
            ),
            models.Index(fields=["region", "client_key"], name="trajectory_region_client"),
            # the rollup of a month reads the trajectories running in it: open (NULL) or ended
            # on or after its first day (monitoring/kpis/rollups.py; ~0.13 s of an import's
            # refresh at 10M lines, docs/bench.md)
            models.Index(fields=["region", "ended_on"], name="trajectory_region_ended"),
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


class ValueType(models.TextChoices):
    NUMBER = "number", _("Getal")
    YES_NO = "yes_no", _("Ja/nee")


class MeasurementKind(ScopedModel):
    """A region's own outcome indicator (e.g. "Veiligheid thuis", 1-10, or "Terug naar
    school", ja/nee), imported with the outcome measurements in the columns ``meting`` (its
    code) and ``waarde``; a region-defined KPI can average it."""

    scope_edit_roles = CONTRACT_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="measurement_kinds", verbose_name=_("regio")
    )
    code = models.SlugField(
        _("code"),
        max_length=40,
        help_text=_("Zoals in de kolom meting van het importbestand, bijv. veiligheid."),
    )
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    value_type = models.CharField(
        _("soort waarde"), max_length=8, choices=ValueType.choices, default=ValueType.NUMBER
    )
    minimum = models.DecimalField(
        _("laagste waarde"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    maximum = models.DecimalField(
        _("hoogste waarde"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["region", "code"]
        verbose_name = _("soort meting")
        verbose_name_plural = _("soorten metingen")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="measurement_kind_unique"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        url = reverse("monitoring:regionkpi-list", args=[self.region.slug])
        return f"{url}#soorten-metingen"


class OutcomeMeasurement(ClientLine):
    """An outcome measurement (national outcome set, and/or one of the region's own
    measurement kinds) at a fixed moment."""

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
    measurement_kind = models.ForeignKey(
        MeasurementKind,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("soort meting"),
    )
    measurement_value = models.DecimalField(
        _("waarde"), max_digits=12, decimal_places=2, null=True, blank=True
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
                condition=Q(goal_realisation__isnull=False)
                | Q(client_experience__isnull=False)
                | Q(measurement_kind__isnull=False),
                name="outcome_has_a_score",
            ),
            models.CheckConstraint(
                condition=Q(measurement_kind__isnull=True, measurement_value__isnull=True)
                | Q(measurement_kind__isnull=False, measurement_value__isnull=False),
                name="outcome_kind_with_value",
            ),
        ]


class Occupancy(ImportedLine):
    """Places kept available and days occupied under an availability arrangement, per
    facility (the arrangement's ``facility``) and month."""

    #: the facility as the contract names it (the import resolves the file's ``voorziening``)
    facility = models.CharField(_("voorziening"), max_length=100, blank=True)
    arrangement = models.ForeignKey(
        FundingArrangement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bekostigingsafspraak"),
    )
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
                fields=["contract", "facility", "month"],
                condition=Q(active=True),
                name="occupancy_unique_active_facility_month",
            ),
            models.CheckConstraint(
                condition=Q(occupied_days__gte=0), name="occupancy_not_negative"
            ),
        ]


class IjwMessage(ScopedModel):
    """An iJw message read by a successful import: its natural key (sender, message type,
    ``BerichtIdentificatie``), so that the import page can say a repeat delivery was read
    before. The message itself is never kept (it holds BSNs)."""

    scope_edit_roles = CONTRACT_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("regio")
    )
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, related_name="ijw_messages", verbose_name=_("import")
    )
    message_type = models.CharField(_("berichttype"), max_length=5)
    sender = models.CharField(_("afzender"), max_length=8)
    identification = models.CharField(_("identificatie"), max_length=64)
    dated = models.DateField(_("dagtekening"))

    class Meta:
        ordering = ["-dated", "pk"]
        verbose_name = _("iJw-bericht")
        verbose_name_plural = _("iJw-berichten")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "message_type", "sender", "identification", "dated"],
                name="ijw_message_unique",
            ),
        ]

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(batch__provider__in=scope.provider_ids)

    def __str__(self):
        return f"{self.message_type.upper()} {self.sender} {self.identification}"


LINE_MODELS = {
    DatasetKind.DECLARATIONS: Declaration,
    DatasetKind.TRAJECTORIES: Trajectory,
    DatasetKind.ALLOCATIONS: Allocation,
    DatasetKind.REFERRALS: Referral,
    DatasetKind.OUTCOMES: OutcomeMeasurement,
    DatasetKind.OCCUPANCY: Occupancy,
}


# --- KPI rollups -------------------------------------------------------------------------------
