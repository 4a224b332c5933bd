"""Periodic contract-management reports.

A :class:`Report` is one document's identity: kind + subject + period, unique per region. Each
generation is a :class:`ReportVersion` with its own status, PDF and the snapshot of the figures
it was made from, so a report can be reproduced and an earlier version is never lost.
``Report.current`` points at the newest version that is ready.

The schedule is a :class:`ReportSchedule` per region and kind, kept in step with a
django-celery-beat ``PeriodicTask`` that beat reads from the database. A
:class:`Subscription` says which reports a user wants to receive by e-mail; a
:class:`ReportNotification` records each mail, so none is sent twice. A municipality's share of
the regional budget (the verdeelsleutel) is a :class:`BudgetShare` per year.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import (
    ALL_REGION_ROLES,
    PROVIDER_EDITORS,
    REPORT_REQUESTERS,
    REPORT_SCHEDULERS,
)
from core.scoping import ScopedModel
from providers.models import Provider
from segments.models import Municipality, Region, Segment


class ReportKind(models.TextChoices):
    PROVIDER = "provider", _("Aanbiedersrapportage")
    SEGMENT = "segment", _("Segmentrapportage")
    MUNICIPALITY = "municipality", _("Gemeenterapportage")
    BOARD = "board", _("Bestuurlijke samenvatting")


class Cadence(models.TextChoices):
    MONTH = "month", _("maandelijks")
    QUARTER = "quarter", _("per kwartaal")
    YEAR = "year", _("jaarlijks")


#: the rhythm of each kind of report
CADENCE = {
    ReportKind.PROVIDER: Cadence.MONTH,
    ReportKind.SEGMENT: Cadence.QUARTER,
    ReportKind.MUNICIPALITY: Cadence.QUARTER,
    ReportKind.BOARD: Cadence.YEAR,
}

#: the subject field of each kind (the board summary is about the region itself)
SUBJECT_FIELD = {
    ReportKind.PROVIDER: "provider",
    ReportKind.SEGMENT: "segment",
    ReportKind.MUNICIPALITY: "municipality",
    ReportKind.BOARD: None,
}


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Wordt gemaakt")
    READY = "ready", _("Klaar")
    FAILED = "failed", _("Mislukt")


#: a version in one of these states is still on its way
PENDING_STATUSES = (ReportStatus.QUEUED, ReportStatus.RUNNING)


class Trigger(models.TextChoices):
    SCHEDULE = "schedule", _("volgens schema")
    DEMAND = "demand", _("op verzoek")
    REGENERATE = "regenerate", _("opnieuw gemaakt")


def subject_key(kind: str, obj) -> str:
    """The key of a report's subject: ``p12``, ``s3``, ``m7`` or ``r`` (the region)."""
    prefix = {"provider": "p", "segment": "s", "municipality": "m"}
    field = SUBJECT_FIELD[kind]
    return "r" if field is None else f"{prefix[field]}{obj.pk}"


def _municipal_reports_q(scope, prefix: str = "") -> Q:
    """A municipal user reads their own municipality's reports and the board summary."""
    return Q(
        **{
            f"{prefix}kind": ReportKind.MUNICIPALITY,
            f"{prefix}municipality__in": scope.municipality_ids,
        }
    ) | Q(
        **{
            f"{prefix}kind": ReportKind.BOARD,
            f"{prefix}region__in": scope.municipality_region_ids,
        }
    )


class Report(ScopedModel):
    scope_edit_roles = REPORT_REQUESTERS

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="reports", verbose_name=_("regio")
    )
    kind = models.CharField(_("soort"), max_length=12, choices=ReportKind.choices)
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("aanbieder"),
    )
    segment = models.ForeignKey(
        Segment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("segment"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("gemeente"),
    )
    subject_key = models.CharField(_("onderwerpsleutel"), max_length=20)
    subject_name = models.CharField(_("onderwerp"), max_length=200)
    period = models.CharField(_("periode"), max_length=7, help_text=_("2026-10, 2026-K3 of 2026"))
    period_start = models.DateField(_("eerste dag"))
    period_end = models.DateField(_("laatste dag"))
    status = models.CharField(
        _("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    current = models.ForeignKey(
        "ReportVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("huidige versie"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)

    class Meta:
        ordering = ["-period_start", "kind", "subject_name"]
        verbose_name = _("rapportage")
        verbose_name_plural = _("rapportages")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "subject_key", "period"], name="report_unique_identity"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReportKind.values), name="report_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="report_status_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=ReportKind.PROVIDER,
                        provider__isnull=False,
                        segment__isnull=True,
                        municipality__isnull=True,
                    )
                    | Q(
                        kind=ReportKind.SEGMENT,
                        provider__isnull=True,
                        segment__isnull=False,
                        municipality__isnull=True,
                    )
                    | Q(
                        kind=ReportKind.MUNICIPALITY,
                        provider__isnull=True,
                        segment__isnull=True,
                        municipality__isnull=False,
                    )
                    | Q(
                        kind=ReportKind.BOARD,
                        provider__isnull=True,
                        segment__isnull=True,
                        municipality__isnull=True,
                    )
                ),
                name="report_subject_fits_kind",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_period_ordered",
            ),
        ]
        indexes = [models.Index(fields=["region", "status"], name="report_region_status")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.subject_name} {self.period}"

    @classmethod
    def scope_municipal_q(cls, scope):
        return _municipal_reports_q(scope)

    @classmethod
    def scope_provider_q(cls, scope):
        # A provider's client reads the provider reports about itself.
        return Q(kind=ReportKind.PROVIDER, provider__in=scope.provider_ids)

    @property
    def subject(self):
        field = SUBJECT_FIELD[self.kind]
        return self.region if field is None else getattr(self, field)

    @property
    def cadence(self) -> str:
        return CADENCE[self.kind]

    def get_absolute_url(self):
        return reverse("reports:report-detail", kwargs={"region": self.region.slug, "pk": self.pk})


def report_file_path(version: ReportVersion, filename: str) -> str:
    report = version.report
    return (
        f"rapportages/{report.region.slug}/{report.kind}/{report.period}/"
        f"{report.subject_key}-v{version.number}.pdf"
    )


class ReportVersion(ScopedModel):
    scope_region_lookup = "report__region"
    scope_edit_roles = REPORT_REQUESTERS

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="versions", verbose_name=_("rapportage")
    )
    number = models.PositiveIntegerField(_("versie"))
    status = models.CharField(
        _("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    trigger = models.CharField(_("aanleiding"), max_length=10, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangevraagd door"),
    )
    requested_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    started_at = models.DateTimeField(_("gestart op"), null=True, blank=True)
    generated_at = models.DateTimeField(_("gemaakt op"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    error = models.TextField(_("reden van mislukken"), blank=True)
    # Who holds the version while it is made: a token per execution, valid until lease_until.
    claim = models.CharField(max_length=32, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    file = models.FileField(_("PDF"), upload_to=report_file_path, blank=True, max_length=300)
    size = models.PositiveIntegerField(_("grootte (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pages = models.PositiveSmallIntegerField(_("pagina's"), null=True, blank=True)
    snapshot = models.JSONField(
        _("momentopname van de cijfers"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )

    class Meta:
        ordering = ["report", "-number"]
        verbose_name = _("rapportageversie")
        verbose_name_plural = _("rapportageversies")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique"),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="report_version_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(trigger__in=Trigger.values), name="report_version_trigger_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.READY) | ~Q(file=""),
                name="report_version_ready_has_file",
            ),
        ]
        indexes = [models.Index(fields=["status", "lease_until"], name="report_version_lease")]

    def __str__(self):
        return f"{self.report} v{self.number}"

    @classmethod
    def scope_municipal_q(cls, scope):
        return _municipal_reports_q(scope, "report__")

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES

    @property
    def filename(self) -> str:
        r = self.report
        return f"{r.region.slug}-{r.kind}-{r.subject_key}-{r.period}-v{self.number}.pdf"


class ReportSchedule(ScopedModel):
    """When a region's reports of one kind are made. Kept in step with a django-celery-beat
    ``PeriodicTask`` (see ``reports.schedules``)."""

    scope_edit_roles = REPORT_SCHEDULERS

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="report_schedules", verbose_name=_("regio")
    )
    kind = models.CharField(_("soort"), max_length=12, choices=ReportKind.choices)
    enabled = models.BooleanField(_("actief"), default=True)
    minute = models.CharField(_("minuut"), max_length=60, default="0")
    hour = models.CharField(_("uur"), max_length=60, default="6")
    day_of_month = models.CharField(_("dag van de maand"), max_length=60, default="10")
    month_of_year = models.CharField(_("maand"), max_length=60, default="*")
    day_of_week = models.CharField(_("dag van de week"), max_length=60, default="*")
    periodic_task = models.OneToOneField(
        "django_celery_beat.PeriodicTask",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_schedule",
        editable=False,
    )
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bijgewerkt door"),
    )

    class Meta:
        ordering = ["region", "kind"]
        verbose_name = _("rapportageschema")
        verbose_name_plural = _("rapportageschema's")
        constraints = [
            models.UniqueConstraint(fields=["region", "kind"], name="report_schedule_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=ReportKind.values), name="report_schedule_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.region} – {self.get_kind_display()}"

    @property
    def crontab_text(self) -> str:
        return " ".join(
            [self.minute, self.hour, self.day_of_month, self.month_of_year, self.day_of_week]
        )


class Subscription(ScopedModel):
    """A user wants the reports of a kind by e-mail: of one subject, or (subject empty) of
    every subject of that kind they may read."""

    scope_edit_roles = ALL_REGION_ROLES

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_subscriptions",
        verbose_name=_("gebruiker"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        related_name="report_subscriptions",
        verbose_name=_("regio"),
    )
    kind = models.CharField(_("soort"), max_length=12, choices=ReportKind.choices)
    provider = models.ForeignKey(
        Provider,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aanbieder"),
    )
    segment = models.ForeignKey(
        Segment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("segment"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeente"),
    )
    # "" for every subject of the kind, else the report's subject_key
    subject_key = models.CharField(_("onderwerpsleutel"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        ordering = ["region", "kind", "subject_key"]
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnementen")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region", "kind", "subject_key"], name="subscription_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReportKind.values), name="subscription_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_kind_display()} {self.subject_key or '*'}"

    @classmethod
    def scope_municipal_q(cls, scope):
        return Q(region__in=scope.municipality_region_ids)

    @property
    def subject(self):
        return self.provider or self.segment or self.municipality


class ReportNotification(models.Model):
    """One e-mail about one ready version to one user. A worker claims it for a lease before
    sending and records ``sent_at`` after: two workers never send it at the same time, a sent
    mail is never sent again, and a worker killed between claim and send leaves a claim that
    runs out, after which the mail is sent by another (``reports.requeue_stale``)."""

    version = models.ForeignKey(
        ReportVersion, on_delete=models.CASCADE, related_name="notifications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_notifications"
    )
    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)
    #: when a worker took it to send (a lease of REPORT_LEASE_SECONDS)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("e-mailbericht")
        verbose_name_plural = _("e-mailberichten")
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="report_notification_unique"),
        ]

    def __str__(self):
        return f"{self.version} → {self.email}"


class BudgetShare(ScopedModel):
    """A municipality's share of the region's budget in a year (verdeelsleutel), in percent."""

    scope_edit_roles = PROVIDER_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="budget_shares", verbose_name=_("regio")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="budget_shares",
        verbose_name=_("gemeente"),
    )
    year = models.PositiveSmallIntegerField(
        _("jaar"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    percentage = models.DecimalField(
        _("aandeel (%)"),
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        ordering = ["-year", "municipality__name"]
        verbose_name = _("aandeel in het budget")
        verbose_name_plural = _("verdeelsleutel")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="budget_share_unique"),
            models.CheckConstraint(
                condition=Q(percentage__gte=0) & Q(percentage__lte=100),
                name="budget_share_percentage_range",
            ),
        ]

    def __str__(self):
        return f"{self.municipality.name} {self.year}: {self.percentage}%"

    @classmethod
    def scope_municipal_q(cls, scope):
        return Q(municipality__in=scope.municipality_ids)
