"""Development assignments (ontwikkelopdrachten) with status and progress, on a strategy or on a
contract (seed 002: "Inspanningsverplichting op de ontwikkelopgaven"; the first are set before
the award, and worked out with the partners after it).

Imported at the bottom of ``contracts.models`` so that Django finds the models. The status
moves through ``contracts.development.TRANSITIONS``; only the services there write it.
"""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedModel
from core.ui.formatting import format_date
from procurement.models import NegotiatedAssignment, Strategy
from segments.models import Region

from .models import CONTRACT_EDITORS, Contract, _user


class AssignmentStatus(models.TextChoices):
    PLANNED = "planned", _("Gepland")
    RUNNING = "running", _("Lopend")
    DONE = "done", _("Afgerond")
    LAPSED = "lapsed", _("Vervallen")


class DevelopmentAssignment(ScopedModel):
    """One development assignment, on exactly one of a contract or a strategy."""

    scope_region_lookup = "region"
    scope_edit_roles = CONTRACT_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("regio")
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="development_items",
        verbose_name=_("contract"),
    )
    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="development_items",
        verbose_name=_("inkoopstrategie"),
    )
    negotiated = models.OneToOneField(
        NegotiatedAssignment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="development_assignment",
        verbose_name=_("uit onderhandelingsresultaat"),
    )
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    due_on = models.DateField(_("gereed op"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.PLANNED,
        editable=False,
    )
    progress_pct = models.PositiveSmallIntegerField(
        _("voortgang (%)"), default=0, validators=[MaxValueValidator(100)], editable=False
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    created_by = _user(_("vastgelegd door"))

    class Meta:
        ordering = [F("due_on").asc(nulls_last=True), "pk"]
        verbose_name = _("ontwikkelopdracht")
        verbose_name_plural = _("ontwikkelopdrachten")
        constraints = [
            models.CheckConstraint(
                condition=Q(contract__isnull=False, strategy__isnull=True)
                | Q(contract__isnull=True, strategy__isnull=False),
                name="development_assignment_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AssignmentStatus.values),
                name="development_assignment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(progress_pct__lte=100), name="development_assignment_pct_max"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="development_assignment_has_title"),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def scope_municipal_q(cls, scope):
        # a contract's as its contract; a strategy's to every municipality of the region
        return Q(contract__in=Contract.objects.filter(Contract.scope_municipal_q(scope))) | Q(
            strategy__region__in=scope.municipality_region_ids
        )

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(contract__provider__in=scope.provider_ids)

    @property
    def is_open(self) -> bool:
        return self.status in (AssignmentStatus.PLANNED, AssignmentStatus.RUNNING)


class DevelopmentUpdate(ScopedModel):
    """A dated progress update: the percentage reached and what was done."""

    scope_region_lookup = "assignment__region"
    scope_edit_roles = CONTRACT_EDITORS

    assignment = models.ForeignKey(
        DevelopmentAssignment,
        on_delete=models.CASCADE,
        related_name="updates",
        verbose_name=_("ontwikkelopdracht"),
    )
    on = models.DateField(_("datum"))
    percentage = models.PositiveSmallIntegerField(
        _("voortgang (%)"), validators=[MaxValueValidator(100)]
    )
    text = models.TextField(_("toelichting"))
    by = _user(_("door"))
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("voortgangsupdate")
        verbose_name_plural = _("voortgangsupdates")
        constraints = [
            models.CheckConstraint(
                condition=Q(percentage__lte=100), name="development_update_pct_max"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="development_update_has_text"),
        ]

    def __str__(self):
        return f"{format_date(self.on)}: {self.percentage}%"

    @classmethod
    def scope_municipal_q(cls, scope):
        return Q(
            assignment__in=DevelopmentAssignment.objects.filter(
                DevelopmentAssignment.scope_municipal_q(scope)
            )
        )

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(assignment__contract__provider__in=scope.provider_ids)
