"""Frameworks, strategies, tender procedures, submissions, scores and awards."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import get_private_storage, private_path
from core.roles import ASSESSORS, PROCUREMENT_EDITORS
from core.scoping import ScopedModel
from core.ui.formatting import format_date
from providers.models import Provider
from segments.models import CareForm, Municipality, Region, Segment, public_region_q

from .codes import (
    ADMISSION_TYPES,
    CLOSED_OUTCOMES,
    TERMINAL_STATES,
    AdmissionMode,
    FrameworkStatus,
    FundingModel,
    LetterKind,
    MilestoneKind,
    Outcome,
    ProcedureType,
    QuestionSource,
    RequirementKind,
    SubmissionChannel,
    TenderState,
)


def _region_q(scope, lookup="region"):
    return Q(**{f"{lookup}__in": scope.municipality_region_ids})


def _sealed_q(tender_lookup: str, now) -> Q:
    """Submissions of a procedure with a deadline still ahead: sealed until the deadline (an
    admission procedure has no deadline: its applications are read as they come)."""
    return Q(**{f"{tender_lookup}__submission_deadline__gt": now}) & ~Q(
        **{f"{tender_lookup}__procedure_type__in": list(ADMISSION_TYPES)}
    )


class ProcurementModel(ScopedModel):
    scope_edit_roles = PROCUREMENT_EDITORS

    class Meta:
        abstract = True


# ---------------------------------------------------------------- framework and strategy


class Framework(ProcurementModel):
    """Inkoopkader: the principles the region's procurement follows, adopted by the board after
    the municipal councils gave their views (zienswijzen)."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="frameworks", verbose_name=_("regio")
    )
    title = models.CharField(_("titel"), max_length=200)
    period = models.CharField(
        _("periode"), max_length=60, blank=True, help_text=_("Bijv. 2022 e.v.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT
    )
    consultation_started_on = models.DateField(_("zienswijzen gevraagd op"), null=True, blank=True)
    adopted_on = models.DateField(_("vastgesteld op"), null=True, blank=True)
    adopted_by = models.CharField(
        _("vastgesteld door"),
        max_length=200,
        blank=True,
        help_text=_("Bijv. het Algemeen Bestuur."),
    )
    principles = models.TextField(
        _("uitgangspunten"), blank=True, help_text=_("Eén uitgangspunt per regel.")
    )
    summary = models.TextField(_("kern van het besluit"), blank=True)

    class Meta:
        ordering = ["-adopted_on", "title"]
        verbose_name = _("inkoopkader")
        verbose_name_plural = _("inkoopkaders")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=FrameworkStatus.ADOPTED) | Q(adopted_on__isnull=False),
                name="framework_adopted_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status=FrameworkStatus.DRAFT)
                | Q(consultation_started_on__isnull=False)
                | Q(adopted_on__isnull=False),
                name="framework_consultation_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def scope_municipal_q(cls, scope):
        return _region_q(scope)

    def get_absolute_url(self):
        return reverse(
            "procurement:framework-detail", kwargs={"region": self.region.slug, "pk": self.pk}
        )

    @property
    def principle_list(self) -> list[str]:
        return [line.strip(" •-\t") for line in self.principles.splitlines() if line.strip(" •-\t")]


class MunicipalView(ProcurementModel):
    """Zienswijze of one municipality on a framework, with the region's response
    (together they make the nota van reactie)."""

    scope_region_lookup = "framework__region"

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="views", verbose_name=_("inkoopkader")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="framework_views",
        verbose_name=_("gemeente"),
    )
    received_on = models.DateField(_("ontvangen op"))
    view = models.TextField(_("zienswijze"))
    response = models.TextField(_("reactie van de regio"), blank=True)
    responded_on = models.DateField(_("gereageerd op"), null=True, blank=True)
    themes = models.ManyToManyField(
        "procurement.Theme", blank=True, related_name="views", verbose_name=_("thema's")
    )

    class Meta:
        ordering = ["municipality__name"]
        verbose_name = _("zienswijze")
        verbose_name_plural = _("zienswijzen")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "municipality"], name="view_once_per_municipality"
            ),
            models.CheckConstraint(
                condition=Q(responded_on__isnull=True) | ~Q(response=""),
                name="view_response_dated_has_text",
            ),
        ]

    def __str__(self):
        return _("Zienswijze %(municipality)s") % {"municipality": self.municipality}

    @classmethod
    def scope_municipal_q(cls, scope):
        return _region_q(scope, "framework__region")

    def clean(self):
        super().clean()
        if (
            self.framework_id
            and self.municipality_id
            and self.municipality.region_id != self.framework.region_id
        ):
            raise ValidationError({"municipality": _("Deze gemeente hoort bij een andere regio.")})


class Strategy(ProcurementModel):
    """Inkoopstrategie for one segment or sub-segment: the four steering instruments and the
    contract terms the procedure will use."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="strategies", verbose_name=_("regio")
    )
    framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="strategies",
        verbose_name=_("inkoopkader"),
    )
    segment = models.ForeignKey(
        Segment, on_delete=models.PROTECT, related_name="strategies", verbose_name=_("segment")
    )
    title = models.CharField(_("titel"), max_length=200)
    procedure_type = models.CharField(_("procedure"), max_length=12, choices=ProcedureType.choices)
    funding_models = models.JSONField(
        _("bekostiging"), default=list, help_text=_("Eén of meer bekostigingsvormen.")
    )
    access_notes = models.TextField(_("toegang"), blank=True)
    supplier_management_notes = models.TextField(_("leveranciersmanagement"), blank=True)
    contract_term_years = models.PositiveSmallIntegerField(
        _("initiële looptijd (jaren)"), validators=[MinValueValidator(1), MaxValueValidator(15)]
    )
    extension_options = models.JSONField(
        _("verlengingsopties (jaren)"),
        default=list,
        blank=True,
        help_text=_("Bijv. 1 + 1: twee opties van een jaar."),
    )
    max_providers = models.PositiveIntegerField(
        _("maximum aantal aanbieders"),
        null=True,
        blank=True,
        help_text=_("Leeg: geen maximum."),
    )
    care_forms = models.ManyToManyField(
        CareForm, blank=True, related_name="strategies", verbose_name=_("jeugdhulpvormen in scope")
    )
    coverage_min_care_forms = models.PositiveSmallIntegerField(
        _("dekkingseis: minimum aantal jeugdhulpvormen"),
        null=True,
        blank=True,
        help_text=_("Een inschrijving biedt minstens zoveel van de jeugdhulpvormen in scope."),
    )
    development_assignments = models.TextField(_("ontwikkelopdrachten"), blank=True)
    tactical_goals = models.TextField(_("tactische doelen"), blank=True)
    # "Was → wordt": what this strategy replaces, as every regional strategy document shows it.
    previous_procedure_type = models.CharField(
        _("vorige procedure"),
        max_length=12,
        choices=ProcedureType.choices,
        blank=True,
        help_text=_("Hoe dit (deel)segment tot nu toe werd ingekocht. Leeg: niet bekend."),
    )
    previous_funding_models = models.JSONField(
        _("vorige bekostiging"),
        default=list,
        blank=True,
        help_text=_("De bekostigingsvormen tot nu toe. Leeg: niet bekend."),
    )
    contract_start = models.DateField(_("geplande start contracten"), null=True, blank=True)
    change_reason = models.TextField(
        _("reden van de wijziging"),
        blank=True,
        help_text=_("Waarom de procedure of de bekostiging verandert (of blijft)."),
    )

    class Meta:
        ordering = ["segment__code", "title"]
        verbose_name = _("inkoopstrategie")
        verbose_name_plural = _("inkoopstrategieën")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "segment"], name="strategy_once_per_segment_and_framework"
            ),
            models.CheckConstraint(
                condition=Q(procedure_type__in=ProcedureType.values), name="strategy_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(previous_procedure_type="")
                | Q(previous_procedure_type__in=ProcedureType.values),
                name="strategy_previous_type_valid",
            ),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def scope_municipal_q(cls, scope):
        return _region_q(scope)

    def get_absolute_url(self):
        return reverse(
            "procurement:strategy-detail", kwargs={"region": self.region.slug, "pk": self.pk}
        )

    def funding_model_labels(self) -> list[str]:
        return [str(FundingModel(v).label) for v in self.funding_models if v in FundingModel.values]

    def previous_funding_model_labels(self) -> list[str]:
        return [
            str(FundingModel(v).label)
            for v in self.previous_funding_models or []
            if v in FundingModel.values
        ]

    @property
    def procedure_changes(self) -> bool | None:
        """Whether the procedure changes; ``None`` while the previous one is not recorded."""
        if not self.previous_procedure_type:
            return None
        return self.previous_procedure_type != self.procedure_type

    @property
    def funding_changes(self) -> bool | None:
        if not self.previous_funding_models:
            return None
        return set(self.previous_funding_models) != set(self.funding_models)

    @property
    def term_label(self) -> str:
        return " + ".join(str(n) for n in [self.contract_term_years, *self.extension_options])

    def clean(self):
        super().clean()
        errors = {}
        if self.segment_id and self.region_id and self.segment.region_id != self.region_id:
            errors["segment"] = _("Dit segment hoort bij een andere regio.")
        if self.framework_id and self.region_id and self.framework.region_id != self.region_id:
            errors["framework"] = _("Dit inkoopkader hoort bij een andere regio.")
        bad = [v for v in self.funding_models or [] if v not in FundingModel.values]
        if not self.funding_models:
            errors["funding_models"] = _("Kies minstens één bekostigingsvorm.")
        elif bad:
            errors["funding_models"] = _("Onbekende bekostigingsvorm: %(v)s.") % {
                "v": ", ".join(bad)
            }
        previous = self.previous_funding_models or []
        if not isinstance(previous, list):
            errors["previous_funding_models"] = _("Noem de vorige bekostiging als lijst.")
        elif bad := [v for v in previous if v not in FundingModel.values]:
            errors["previous_funding_models"] = _("Onbekende bekostigingsvorm: %(v)s.") % {
                "v": ", ".join(str(v) for v in bad)
            }
        options = self.extension_options or []
        if not isinstance(options, list) or any(
            not isinstance(n, int) or n < 1 or n > 5 for n in options
        ):
            errors["extension_options"] = _("Elke verlengingsoptie is 1 tot en met 5 jaar.")
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------- tender procedures


class Tender(ProcurementModel):
    """One procurement procedure; its behaviour follows its procedure type (see workflow.py)."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="tenders", verbose_name=_("regio")
    )
    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tenders",
        verbose_name=_("inkoopstrategie"),
    )
    title = models.CharField(_("titel"), max_length=200)
    reference = models.CharField(_("kenmerk"), max_length=40)
    procedure_type = models.CharField(_("procedure"), max_length=12, choices=ProcedureType.choices)
    state = models.CharField(
        _("fase"), max_length=16, choices=TenderState.choices, default=TenderState.DRAFT
    )
    description = models.TextField(_("omschrijving"), blank=True)
    tenderned_reference = models.CharField(_("TenderNed-kenmerk"), max_length=40, blank=True)
    submission_deadline = models.DateTimeField(
        _("sluitingstermijn inschrijving"), null=True, blank=True
    )
    score_scale_max = models.PositiveSmallIntegerField(
        _("schaal van de scores (maximum)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    preselection_count = models.PositiveIntegerField(
        _("aantal te preselecteren / maximum aantal aanbieders"),
        null=True,
        blank=True,
        help_text=_(
            "SAS: de beste N gaan door naar de onderhandeling (WBO: 20). Aanbesteding: "
            "hoogstens zoveel aanbieders. Leeg: geen maximum."
        ),
    )
    coverage_min_care_forms = models.PositiveSmallIntegerField(
        _("dekkingseis: minimum aantal jeugdhulpvormen"), null=True, blank=True
    )
    objection_days = models.PositiveSmallIntegerField(
        _("bezwaartermijn (dagen)"), default=20, validators=[MaxValueValidator(90)]
    )
    objection_started_on = models.DateField(_("bezwaartermijn gestart op"), null=True, blank=True)
    admission_mode = models.CharField(
        _("toelating"),
        max_length=10,
        choices=AdmissionMode.choices,
        default=AdmissionMode.CONTINUOUS,
    )
    admission_months = models.JSONField(
        _("toelatingsmomenten (maanden)"),
        default=list,
        blank=True,
        help_text=_("Bij vaste momenten: de maanden waarin de toelating opent, bijv. 1, 4, 7, 10."),
    )
    admission_window_days = models.PositiveSmallIntegerField(
        _("duur van een toelatingsmoment (dagen)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(92)],
    )
    reapply_bar_months = models.PositiveSmallIntegerField(
        _("wachttijd na afwijzing (maanden)"), default=12, validators=[MaxValueValidator(60)]
    )
    contract_start = models.DateField(_("beoogde startdatum contracten"), null=True, blank=True)
    closing_reason = models.TextField(_("reden van intrekken of beëindigen"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    # Who signs this procedure's letters, where it differs from the region's (empty: the
    # region's; procurement.signatory).
    letter_signatory_name = models.CharField(
        _("ondertekenaar van brieven"), max_length=150, blank=True, default="", db_default=""
    )
    letter_signatory_function = models.CharField(
        _("functie van de ondertekenaar"), max_length=150, blank=True, default="", db_default=""
    )
    letter_contracting_authority = models.CharField(
        _("aanbestedende dienst in brieven"), max_length=250, blank=True, default="", db_default=""
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("aanbesteding")
        verbose_name_plural = _("aanbestedingen")
        constraints = [
            models.UniqueConstraint(fields=["region", "reference"], name="tender_unique_reference"),
            models.CheckConstraint(
                condition=Q(procedure_type__in=ProcedureType.values), name="tender_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=TenderState.values), name="tender_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[TenderState.CANCELLED, TenderState.UNSUCCESSFUL])
                | ~Q(closing_reason=""),
                name="tender_closing_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @classmethod
    def scope_municipal_q(cls, scope):
        # The public part: every procedure of the region once published.
        return _region_q(scope) & ~Q(state=TenderState.DRAFT)

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(region__in=scope.provider_region_ids) & ~Q(state=TenderState.DRAFT)

    @classmethod
    def scope_public_q(cls, scope):
        # The public pages: every procedure once published, as in the OCDS package.
        return public_region_q(scope) & ~Q(state=TenderState.DRAFT)

    def get_absolute_url(self):
        return reverse(
            "procurement:tender-detail", kwargs={"region": self.region.slug, "pk": self.pk}
        )

    @property
    def is_open(self) -> bool:
        return self.state not in TERMINAL_STATES

    def is_sealed(self, now=None) -> bool:
        """Whether its submissions are sealed (see ``Submission.scope_sealed_q``)."""
        now = now or timezone.now()
        return (
            self.procedure_type not in ADMISSION_TYPES
            and self.submission_deadline is not None
            and self.submission_deadline > now
        )

    @property
    def objection_ends_on(self) -> date | None:
        if self.objection_started_on is None:
            return None
        return self.objection_started_on + timedelta(days=self.objection_days)

    def clean(self):
        super().clean()
        errors = {}
        if self.strategy_id and self.region_id and self.strategy.region_id != self.region_id:
            errors["strategy"] = _("Deze strategie hoort bij een andere regio.")
        months = self.admission_months or []
        if not isinstance(months, list) or any(
            not isinstance(m, int) or not 1 <= m <= 12 for m in months
        ):
            errors["admission_months"] = _("Noem maanden als getallen van 1 tot en met 12.")
        elif self.admission_mode == AdmissionMode.MOMENTS and not months:
            errors["admission_months"] = _("Noem de maanden waarin de toelating opent.")
        if errors:
            raise ValidationError(errors)


class TenderChild(ProcurementModel):
    scope_region_lookup = "tender__region"

    class Meta:
        abstract = True

    @classmethod
    def scope_municipal_q(cls, scope):
        return _region_q(scope, "tender__region") & ~Q(tender__state=TenderState.DRAFT)

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(tender__region__in=scope.provider_region_ids) & ~Q(tender__state=TenderState.DRAFT)


class PublicTenderPart:
    """A part of a published procedure that the public pages show (lots, milestones, its
    documents, admission windows); never submissions, scores or questions."""

    @classmethod
    def scope_public_q(cls, scope):
        return public_region_q(scope, "tender__region") & ~Q(tender__state=TenderState.DRAFT)


class Lot(PublicTenderPart, TenderChild):
    tender = models.ForeignKey(
        Tender, on_delete=models.CASCADE, related_name="lots", verbose_name=_("aanbesteding")
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    segment = models.ForeignKey(
        Segment, on_delete=models.PROTECT, related_name="lots", verbose_name=_("segment")
    )
    title = models.CharField(_("titel"), max_length=200, blank=True)

    class Meta:
        ordering = ["tender", "number"]
        verbose_name = _("perceel")
        verbose_name_plural = _("percelen")
        constraints = [
            models.UniqueConstraint(fields=["tender", "number"], name="lot_unique_number"),
            models.UniqueConstraint(fields=["tender", "segment"], name="lot_unique_segment"),
        ]

    def __str__(self):
        return _("Perceel %(n)s: %(title)s") % {
            "n": self.number,
            "title": self.title or self.segment,
        }

    def scope_care_forms(self):
        """Care forms in scope: the strategy's selection, else the segment's and its
        sub-segments'; never a form outside the segment's subtree (issue 21)."""
        from segments.selectors import segment_subtree_ids

        in_segment = CareForm.objects.filter(
            segments__in=segment_subtree_ids(self.segment)
        ).distinct()
        strategy = self.tender.strategy
        if strategy is not None and strategy.segment_id == self.segment_id:
            chosen = strategy.care_forms.filter(pk__in=in_segment.values("pk"))
            if chosen.exists():
                return chosen
        return in_segment

    def clean(self):
        super().clean()
        if self.tender_id and self.segment_id and self.segment.region_id != self.tender.region_id:
            raise ValidationError({"segment": _("Dit segment hoort bij een andere regio.")})


class Milestone(PublicTenderPart, TenderChild):
    tender = models.ForeignKey(
        Tender, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("aanbesteding")
    )
    kind = models.CharField(_("mijlpaal"), max_length=24, choices=MilestoneKind.choices)
    planned_on = models.DateField(_("gepland"), null=True, blank=True)
    actual_on = models.DateField(_("werkelijk"), null=True, blank=True)

    class Meta:
        ordering = ["planned_on", "actual_on"]
        verbose_name = _("mijlpaal")
        verbose_name_plural = _("mijlpalen")
        constraints = [
            models.UniqueConstraint(fields=["tender", "kind"], name="milestone_once_per_kind"),
        ]

    def __str__(self):
        return self.get_kind_display()

    @property
    def delay_days(self) -> int | None:
        if self.planned_on and self.actual_on:
            return (self.actual_on - self.planned_on).days
        return None


def tender_document_path(instance, filename):
    return f"aanbestedingen/{instance.tender_id}/{filename}"


class TenderDocument(PublicTenderPart, TenderChild):
    tender = models.ForeignKey(
        Tender, on_delete=models.CASCADE, related_name="documents", verbose_name=_("aanbesteding")
    )
    title = models.CharField(_("titel"), max_length=200)
    file = models.FileField(_("bestand"), upload_to=tender_document_path)
    uploaded_at = models.DateTimeField(_("toegevoegd op"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documenten")

    def __str__(self):
        return self.title


class TenderEvent(TenderChild):
    """Every transition, with who made it, when and why: the procedure's decision record."""

    tender = models.ForeignKey(
        Tender, on_delete=models.CASCADE, related_name="events", verbose_name=_("aanbesteding")
    )
    transition = models.CharField(_("stap"), max_length=40)
    from_state = models.CharField(_("van fase"), max_length=16, choices=TenderState.choices)
    to_state = models.CharField(_("naar fase"), max_length=16, choices=TenderState.choices)
    at = models.DateTimeField(_("moment"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )
    reason = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("besluit in de procedure")
        verbose_name_plural = _("besluiten in de procedure")

    def __str__(self):
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


class Requirement(TenderChild):
    tender = models.ForeignKey(
        Tender,
        on_delete=models.CASCADE,
        related_name="requirements",
        verbose_name=_("aanbesteding"),
    )
    kind = models.CharField(_("soort"), max_length=12, choices=RequirementKind.choices)
    text = models.TextField(_("eis"))
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("eis")
        verbose_name_plural = _("eisen")

    def __str__(self):
        return self.text[:80]


class AwardCriterion(TenderChild):
    tender = models.ForeignKey(
        Tender, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("aanbesteding")
    )
    name = models.CharField(_("criterium"), max_length=200)
    description = models.TextField(_("wat wordt beoordeeld"), blank=True)
    weight = models.DecimalField(
        _("weging (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("gunningscriterium")
        verbose_name_plural = _("gunningscriteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0) & Q(weight__lte=100), name="criterion_weight_range"
            ),
            models.UniqueConstraint(fields=["tender", "name"], name="criterion_unique_name"),
        ]

    def __str__(self):
        return f"{self.name} ({Decimal(self.weight).normalize():f}%)"


class DocumentRequest(TenderChild):
    """A document the procedure asks every provider to upload with its submission (e.g. the
    signed declaration, a quality plan); a required one makes a submission without it
    incomplete."""

    tender = models.ForeignKey(
        Tender,
        on_delete=models.CASCADE,
        related_name="document_requests",
        verbose_name=_("aanbesteding"),
    )
    title = models.CharField(_("gevraagd document"), max_length=200)
    description = models.TextField(_("toelichting"), blank=True)
    required = models.BooleanField(_("verplicht"), default=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("gevraagd document")
        verbose_name_plural = _("gevraagde documenten")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="document_request_has_title"),
        ]

    def __str__(self):
        return self.title


class AdmissionCondition(ProcurementModel):
    """A condition, agreed up front, under which a conditional admission may be opened: defined
    on a strategy (and so for each of its procedures) or on one procedure."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("regio")
    )
    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conditions",
        verbose_name=_("inkoopstrategie"),
    )
    tender = models.ForeignKey(
        Tender,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conditions",
        verbose_name=_("procedure"),
    )
    code = models.CharField(
        _("code"), max_length=20, help_text=_("Kort en uniek binnen de strategie of procedure.")
    )
    text = models.TextField(_("voorwaarde"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("voorwaarde voor openen")
        verbose_name_plural = _("voorwaarden voor openen")
        constraints = [
            models.CheckConstraint(
                condition=Q(strategy__isnull=False, tender__isnull=True)
                | Q(strategy__isnull=True, tender__isnull=False),
                name="condition_one_owner",
            ),
            models.UniqueConstraint(
                fields=["strategy", "code"],
                condition=Q(strategy__isnull=False),
                name="condition_code_unique_in_strategy",
            ),
            models.UniqueConstraint(
                fields=["tender", "code"],
                condition=Q(tender__isnull=False),
                name="condition_code_unique_in_tender",
            ),
            models.CheckConstraint(condition=~Q(code=""), name="condition_has_code"),
            models.CheckConstraint(condition=~Q(text=""), name="condition_has_text"),
        ]

    def __str__(self):
        return f"{self.code} – {self.text}"

    @classmethod
    def scope_municipal_q(cls, scope):
        # Public like the strategy; a procedure's own conditions once it is published.
        return _region_q(scope) & ~Q(tender__state=TenderState.DRAFT)

    @property
    def owner(self):
        return self.strategy if self.strategy_id else self.tender

    def get_absolute_url(self):
        owner = self.owner
        name = "strategy-conditions" if self.strategy_id else "tender-conditions"
        key = "strategy" if self.strategy_id else "tender"
        return reverse(f"procurement:{name}", kwargs={"region": owner.region.slug, key: owner.pk})

    def clean(self):
        super().clean()
        owner = self.strategy if self.strategy_id else (self.tender if self.tender_id else None)
        if owner is not None and self.region_id and owner.region_id != self.region_id:
            raise ValidationError(_("Deze voorwaarde hoort bij een andere regio."))


class AdmissionWindow(PublicTenderPart, TenderChild):
    """A recorded decision to open a conditional admission, naming the condition that holds."""

    tender = models.ForeignKey(
        Tender, on_delete=models.CASCADE, related_name="windows", verbose_name=_("aanbesteding")
    )
    condition = models.ForeignKey(
        AdmissionCondition,
        on_delete=models.PROTECT,
        related_name="windows",
        verbose_name=_("voorwaarde die zich voordoet"),
    )
    decision = models.TextField(_("besluit en onderbouwing"))
    opened_on = models.DateField(_("open vanaf"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("besloten door"),
    )
    closed_on = models.DateField(_("gesloten op"), null=True, blank=True)
    closing_note = models.TextField(_("toelichting bij sluiten"), blank=True)

    class Meta:
        ordering = ["-opened_on"]
        verbose_name = _("toelatingsvenster")
        verbose_name_plural = _("toelatingsvensters")
        constraints = [
            models.UniqueConstraint(
                fields=["tender"], condition=Q(closed_on__isnull=True), name="window_one_open"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="window_closes_after_opening",
            ),
        ]

    def __str__(self):
        return _("Venster vanaf %(date)s") % {"date": format_date(self.opened_on)}

    def get_absolute_url(self):
        return self.tender.get_absolute_url() + "#windows-title"


class Question(TenderChild):
    tender = models.ForeignKey(
        Tender, on_delete=models.CASCADE, related_name="questions", verbose_name=_("aanbesteding")
    )
    number = models.PositiveIntegerField(_("nummer"))
    source = models.CharField(_("herkomst"), max_length=10, choices=QuestionSource.choices)
    asked_by = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("gesteld door"),
    )
    received_at = models.DateTimeField(_("ontvangen op"))
    reference = models.CharField(
        _("verwijzing naar document"),
        max_length=120,
        blank=True,
        help_text=_("Bijv. Inkoopleidraad §3.2, p. 14."),
    )
    text = models.TextField(_("vraag"))
    answer = models.TextField(_("antwoord"), blank=True)
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    published_in = models.PositiveSmallIntegerField(
        _("gepubliceerd in nota van inlichtingen nr."), null=True, blank=True
    )
    published_on = models.DateField(_("gepubliceerd op"), null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")
        constraints = [
            models.UniqueConstraint(fields=["tender", "number"], name="question_unique_number"),
            models.CheckConstraint(
                condition=Q(published_in__isnull=True) | ~Q(answer=""),
                name="question_published_has_answer",
            ),
        ]

    def __str__(self):
        return _("Vraag %(n)s") % {"n": self.number}

    @classmethod
    def scope_municipal_q(cls, scope):
        return _region_q(scope, "tender__region") & Q(published_in__isnull=False)

    @classmethod
    def scope_provider_q(cls, scope):
        # the published ones of the region, and the provider's own questions from the start
        published = Q(tender__region__in=scope.provider_region_ids, published_in__isnull=False)
        return published | Q(asked_by__in=scope.provider_ids)


# ---------------------------------------------------------------- submissions and scores


class Submission(TenderChild):
    """An inschrijving (or, under open house and conditional admission, an application) by a
    provider or a consortium in one lot."""

    scope_edit_roles = PROCUREMENT_EDITORS

    tender = models.ForeignKey(
        Tender, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("aanbesteding")
    )
    lot = models.ForeignKey(
        Lot, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("perceel")
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("inschrijver"),
    )
    number = models.PositiveIntegerField(_("ontvangstnummer"))
    received_at = models.DateTimeField(_("ontvangen op"))
    care_forms = models.ManyToManyField(
        CareForm,
        blank=True,
        related_name="submissions",
        verbose_name=_("aangeboden jeugdhulpvormen"),
    )
    is_live = models.BooleanField(_("loopt"), default=True, editable=False)
    eligible = models.BooleanField(_("geschikt"), null=True, editable=False)
    total_score = models.DecimalField(
        _("totaalscore"), max_digits=6, decimal_places=2, null=True, editable=False
    )
    rank = models.PositiveIntegerField(_("rang"), null=True, editable=False)
    tie_note = models.CharField(
        _("beslissing bij gelijke stand"), max_length=200, blank=True, editable=False
    )
    preselected = models.BooleanField(_("gepreselecteerd"), default=False, editable=False)
    negotiation_notes = models.TextField(_("verslag onderhandeling"), blank=True)
    outcome = models.CharField(
        _("uitkomst"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_reason = models.TextField(_("motivering van de uitkomst"), blank=True)
    outcome_on = models.DateField(_("uitkomst op"), null=True, blank=True)
    channel = models.CharField(
        _("ontvangen via"),
        max_length=8,
        choices=SubmissionChannel.choices,
        default=SubmissionChannel.PAPER,
        editable=False,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("ingediend of ingevoerd door"),
    )
    entered_at = models.DateTimeField(_("ingevoerd op"), null=True, blank=True, editable=False)
    changed_at = models.DateTimeField(
        _("laatst gewijzigd op"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["tender", "number"]
        verbose_name = _("inschrijving")
        verbose_name_plural = _("inschrijvingen")
        constraints = [
            models.UniqueConstraint(fields=["tender", "number"], name="submission_unique_number"),
            models.UniqueConstraint(
                fields=["lot", "provider"],
                condition=Q(is_live=True),
                name="submission_one_live_per_lot",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="submission_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=SubmissionChannel.values),
                name="submission_channel_valid",
            ),
        ]

    def __str__(self):
        return _("Inschrijving %(n)s – %(provider)s") % {
            "n": self.number,
            "provider": self.provider,
        }

    def get_absolute_url(self):
        return reverse(
            "procurement:submission-detail",
            kwargs={"region": self.tender.region.slug, "tender": self.tender_id, "pk": self.pk},
        )

    @classmethod
    def scope_municipal_q(cls, scope):
        return None  # competition-sensitive: region roles only

    @classmethod
    def scope_provider_q(cls, scope):
        # competition-sensitive: a provider (portal user or API client) reads only its own
        return Q(provider__in=scope.provider_ids)

    @classmethod
    def scope_sealed_q(cls, now):
        return _sealed_q("tender", now)

    @property
    def is_paper(self) -> bool:
        return self.channel == SubmissionChannel.PAPER

    def sync_live(self):
        self.is_live = self.outcome not in CLOSED_OUTCOMES


class SubmissionChild(ProcurementModel):
    scope_region_lookup = "submission__tender__region"

    class Meta:
        abstract = True

    @classmethod
    def scope_sealed_q(cls, now):
        return _sealed_q("submission__tender", now)


def _own_submission_q(scope):
    return Q(submission__provider__in=scope.provider_ids)


class EligibilityCheck(SubmissionChild):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="checks", verbose_name=_("inschrijving")
    )
    requirement = models.ForeignKey(
        Requirement, on_delete=models.CASCADE, related_name="checks", verbose_name=_("eis")
    )
    passed = models.BooleanField(_("voldoet"), null=True)
    evidence = models.TextField(_("onderbouwing"), blank=True)
    # the provider's own self-declaration (the region's verdict is ``passed``)
    declared = models.BooleanField(_("verklaart te voldoen"), null=True, blank=True)
    declaration = models.TextField(_("toelichting van de inschrijver"), blank=True)

    class Meta:
        ordering = ["requirement__order", "requirement_id"]
        verbose_name = _("toets")
        verbose_name_plural = _("toetsen")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "requirement"], name="check_once_per_requirement"
            ),
            models.CheckConstraint(
                condition=~Q(passed=False) | ~Q(evidence=""), name="check_fail_has_evidence"
            ),
        ]

    def __str__(self):
        return f"{self.requirement}: {self.passed}"

    @classmethod
    def scope_provider_q(cls, scope):
        return _own_submission_q(scope)


def submission_file_path(instance, filename):
    return private_path(f"inschrijvingen/{instance.submission.tender_id}", filename)


class SubmissionFile(SubmissionChild):
    """A file a provider uploaded with its submission: evidence for one requirement, or the
    document one ``DocumentRequest`` asks for. Stored privately, served by scoped views."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="files", verbose_name=_("inschrijving")
    )
    requirement = models.ForeignKey(
        Requirement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bewijs bij eis"),
    )
    request = models.ForeignKey(
        DocumentRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("gevraagd document"),
    )
    file = models.FileField(
        _("bestand"), storage=get_private_storage, upload_to=submission_file_path, max_length=300
    )
    name = models.CharField(_("bestandsnaam"), max_length=200)
    size = models.PositiveIntegerField(_("grootte (bytes)"), default=0)
    uploaded_at = models.DateTimeField(_("geüpload op"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("geüpload door"),
    )

    class Meta:
        ordering = ["request__order", "requirement__order", "pk"]
        verbose_name = _("bestand bij inschrijving")
        verbose_name_plural = _("bestanden bij inschrijvingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(requirement__isnull=False, request__isnull=True)
                | Q(requirement__isnull=True, request__isnull=False),
                name="submission_file_one_purpose",
            ),
            models.UniqueConstraint(
                fields=["submission", "requirement"],
                condition=Q(requirement__isnull=False),
                name="submission_file_once_per_requirement",
            ),
            models.UniqueConstraint(
                fields=["submission", "request"],
                condition=Q(request__isnull=False),
                name="submission_file_once_per_request",
            ),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def scope_provider_q(cls, scope):
        return _own_submission_q(scope)


class Score(SubmissionChild):
    """One assessor's score on one criterion, with the reason."""

    scope_edit_roles = ASSESSORS

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="scores", verbose_name=_("inschrijving")
    )
    criterion = models.ForeignKey(
        AwardCriterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterium")
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("beoordelaar"),
    )
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    reason = models.TextField(_("motivering"))

    class Meta:
        ordering = ["criterion__order", "assessor__username"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "criterion", "assessor"], name="score_once_per_assessor"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="score_not_negative"),
            models.CheckConstraint(condition=~Q(reason=""), name="score_has_reason"),
        ]

    def __str__(self):
        return f"{self.criterion.name}: {self.value}"


class ConsensusScore(SubmissionChild):
    """The committee's agreed score on one criterion; the ranking uses only these."""

    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="consensus",
        verbose_name=_("inschrijving"),
    )
    criterion = models.ForeignKey(
        AwardCriterion,
        on_delete=models.CASCADE,
        related_name="consensus",
        verbose_name=_("criterium"),
    )
    value = models.DecimalField(_("consensusscore"), max_digits=5, decimal_places=1)
    reason = models.TextField(_("motivering"))

    class Meta:
        ordering = ["criterion__order"]
        verbose_name = _("consensusscore")
        verbose_name_plural = _("consensusscores")
        constraints = [
            models.UniqueConstraint(fields=["submission", "criterion"], name="consensus_once"),
            models.CheckConstraint(condition=Q(value__gte=0), name="consensus_not_negative"),
            models.CheckConstraint(condition=~Q(reason=""), name="consensus_has_reason"),
        ]

    def __str__(self):
        return f"{self.criterion.name}: {self.value}"


def decision_letter_path(instance, filename):
    return private_path(f"brieven/{instance.submission.tender_id}", filename)


class DecisionLetter(SubmissionChild):
    """A decision letter exactly as it went to the provider's inbox, kept on the region's side:
    one per submission and letter kind (``key`` is ``procurement.letters.letter_key``), so the
    officer can show what each bidder received. Written by ``letters.submission_letter_send``
    only; stored privately, served by a scoped view."""

    submission = models.ForeignKey(
        Submission,
        on_delete=models.PROTECT,
        related_name="decision_letters",
        verbose_name=_("inschrijving"),
    )
    kind = models.CharField(_("soort brief"), max_length=12, choices=LetterKind.choices)
    outcome = models.CharField(_("uitkomst in de brief"), max_length=16, choices=Outcome.choices)
    decision_on = models.DateField(_("datum van het besluit"))
    key = models.CharField(_("sleutel"), max_length=80, unique=True)
    file = models.FileField(
        _("brief"), storage=get_private_storage, upload_to=decision_letter_path, max_length=300
    )
    file_name = models.CharField(_("bestandsnaam"), max_length=150)
    sha256 = models.CharField(_("SHA-256 van de brief"), max_length=64)
    signatory_name = models.CharField(_("ondertekenaar"), max_length=150)
    signatory_function = models.CharField(_("functie van de ondertekenaar"), max_length=150)
    contracting_authority = models.CharField(_("aanbestedende dienst"), max_length=250)
    standstill_ends_on = models.DateField(
        _("einde van de opschortende termijn"), null=True, blank=True
    )
    message = models.ForeignKey(
        "providers.ProviderMessage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bericht in het postvak"),
    )
    sent_at = models.DateTimeField(_("verzonden op"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verzonden door"),
    )

    class Meta:
        ordering = ["submission", "sent_at"]
        verbose_name = _("besluitbrief")
        verbose_name_plural = _("besluitbrieven")
        constraints = [
            models.UniqueConstraint(fields=["submission", "kind"], name="decision_letter_once"),
            models.CheckConstraint(
                condition=Q(kind__in=LetterKind.values), name="decision_letter_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.submission}"


# Models of issue 21 in their own modules (imported so Django finds them): the structured
# negotiation outcome per partner; themes, the adoption decision and market consultations.
from .models_kader import (  # noqa: E402, F401
    AdoptionDecision,
    ConsultationKind,
    MarketConsultation,
    Theme,
)
from .models_negotiation import (  # noqa: E402, F401
    NegotiatedAssignment,
    NegotiatedBudget,
    NegotiationOutcome,
)

# The award's safeguards (exceptions, objections, evidence) live in their own module.
from .objection_models import (  # noqa: E402, F401
    AwardException,
    EvidenceItem,
    EvidenceRequest,
    Objection,
)
