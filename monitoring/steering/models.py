"""Steering: segment norms, risk weights, signals, escalation steps and performance dialogues
with their agenda and actions."""

import os

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contracts.codes import Direction
from contracts.models import CONTRACT_EDITORS, Contract
from core.files import get_private_storage, private_path
from core.roles import Role
from core.scoping import ScopedModel
from core.ui.formatting import format_date
from providers.models import Provider
from segments.models import Region, Segment


class KpiNorm(ScopedModel):
    """A segment's norm for a KPI; a contract's KPI agreement overrides it for that contract."""

    scope_region_lookup = "segment__region"
    scope_edit_roles = CONTRACT_EDITORS

    segment = models.ForeignKey(
        Segment, on_delete=models.CASCADE, related_name="kpi_norms", verbose_name=_("segment")
    )
    #: a built-in KPI (``contracts.codes.Kpi``) or a region KPI's topic (``rk<pk>``)
    kpi = models.CharField(_("KPI"), max_length=24)
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

    def get_kpi_display(self) -> str:
        from monitoring.kpis.definitions import label

        return label(self.kpi)


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
    #: the figures of the message, to write it in the reader's language (``steering.messages``)
    message_params = models.JSONField(_("gegevens van de melding"), default=dict, blank=True)
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

    @property
    def text(self) -> str:
        """The message in the active language (the stored Dutch one when it has no figures)."""
        from monitoring.steering.messages import render

        return render(self.message_params) or self.message

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(provider__in=scope.provider_ids)


# --- recalculations ------------------------------------------------------------------------------

#: who may start a recalculation by hand: the contract editors and the region administrator
RECALCULATORS = CONTRACT_EDITORS | frozenset({Role.ADMINISTRATOR})


class RecalculationKind(models.TextChoices):
    SIGNALS = "signals", _("Signalen")
    KPIS = "kpis", _("KPI's en signalen")
    #: the figures of one region-defined KPI over every month (a new or changed definition in a
    #: region too large to compute it during the request), then the signals
    REGION_KPI = "region_kpi", _("Eigen KPI en signalen")


#: kinds that first compute figures, then judge: each month counts twice in the progress
COMPUTING_KINDS = ("kpis", "region_kpi")


class RecalculationStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")


class SignalRecalculation(ScopedModel):
    """A re-judgement of every month of the region with contract rollups against the current
    norms (kind ``signals``), or first a recalculation of the monthly KPI rollups and then that
    (kind ``kpis``). Requested when a norm or KPI agreement changes, or by hand; run in the
    background with its progress in ``months_done`` of ``months_total`` (for ``kpis`` the
    rollups and the signals each count every month once)."""

    scope_edit_roles = RECALCULATORS

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("regio")
    )
    kind = models.CharField(
        _("soort"),
        max_length=12,
        choices=RecalculationKind.choices,
        default=RecalculationKind.SIGNALS,
    )
    region_kpi = models.ForeignKey(
        "monitoring.RegionKpi",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eigen KPI"),
    )
    reason = models.TextField(_("aanleiding"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangevraagd door"),
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=RecalculationStatus.choices,
        default=RecalculationStatus.QUEUED,
    )
    months_total = models.PositiveIntegerField(_("maanden totaal"), default=0)
    months_done = models.PositiveIntegerField(_("maanden klaar"), default=0)
    signals_amber_red = models.PositiveIntegerField(
        _("signalen rood of oranje"), null=True, blank=True
    )
    error = models.TextField(_("fout"), blank=True)
    created_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    started_at = models.DateTimeField(_("gestart op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("herberekening")
        verbose_name_plural = _("herberekeningen")
        constraints = [
            models.CheckConstraint(
                condition=Q(months_done__lte=models.F("months_total")),
                name="recalculation_done_within_total",
            ),
        ]
        indexes = [models.Index(fields=["region", "status"], name="recalculation_region_status")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.region} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (RecalculationStatus.DONE, RecalculationStatus.FAILED)

    @property
    def months(self) -> int:
        """The number of months judged (``months_total`` counts them twice when the figures are
        computed first)."""
        if self.kind in COMPUTING_KINDS:
            return self.months_total // 2
        return self.months_total


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
        return f"{self.get_step_display()} {self.provider} ({format_date(self.started_on)})"


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
        return f"{self.provider} {format_date(self.scheduled_on)}"

    @classmethod
    def scope_provider_q(cls, scope):
        """A provider reads its own dialogues, planned and held (there is no draft or internal
        state: a planned dialogue's agenda is what the provider is invited to)."""
        return Q(provider__in=scope.provider_ids)


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

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(dialogue__provider__in=scope.provider_ids)


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

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(dialogue__provider__in=scope.provider_ids)

    @property
    def is_closed(self) -> bool:
        return self.status != ActionStatus.OPEN


def progress_upload_to(instance, filename: str) -> str:
    return private_path("dialoogvoortgang", filename)


class DialogueActionProgress(ScopedModel):
    """Progress on an agreed action, posted by the provider in the portal (text and optionally
    a file, stored privately). Never edited; the contract manager reads it on the dialogue."""

    scope_region_lookup = "action__dialogue__region"
    scope_edit_roles = CONTRACT_EDITORS

    action = models.ForeignKey(
        DialogueAction,
        on_delete=models.CASCADE,
        related_name="progress",
        verbose_name=_("actiepunt"),
    )
    text = models.TextField(_("voortgang"))
    file = models.FileField(
        _("bestand"),
        storage=get_private_storage,
        upload_to=progress_upload_to,
        max_length=300,
        blank=True,
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeld door"),
    )
    posted_at = models.DateTimeField(_("gemeld op"), auto_now_add=True)

    class Meta:
        ordering = ["action", "posted_at", "pk"]
        verbose_name = _("voortgang op een actie")
        verbose_name_plural = _("voortgang op acties")

    def __str__(self):
        return f"{self.action_id}: {self.text[:60]}"

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(action__dialogue__provider__in=scope.provider_ids)

    @property
    def file_name(self) -> str:
        return os.path.basename(self.file.name) if self.file else ""
