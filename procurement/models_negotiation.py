"""The structured outcome of the negotiation with one partner (seed 002: "spreekt met de
aanbieder af wat de taak is en welk budget per strategisch partner zal gaan gelden"): the task,
a budget per year and the agreements (development assignments). On award it becomes the
contract's budgets and development assignments (``contracts.development``).

Imported at the bottom of ``procurement.models`` so that Django finds the models.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Submission, SubmissionChild, _sealed_q


class NegotiatedBudgetKind(models.TextChoices):
    """The same values as ``contracts.codes.BudgetKind`` (procurement cannot import contracts;
    a test keeps the two lists equal)."""

    LUMPSUM = "lumpsum", _("Taakgericht budget (lumpsum)")
    CEILING = "ceiling", _("Budgetplafond")


class NegotiationOutcome(SubmissionChild):
    """What was agreed with one partner: one per submission, replaced as a whole."""

    submission = models.OneToOneField(
        Submission,
        on_delete=models.CASCADE,
        related_name="negotiation_outcome",
        verbose_name=_("inschrijving"),
    )
    task = models.TextField(_("taak"))
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )

    class Meta:
        verbose_name = _("onderhandelingsresultaat")
        verbose_name_plural = _("onderhandelingsresultaten")
        constraints = [
            models.CheckConstraint(condition=~Q(task=""), name="negotiation_outcome_has_task"),
        ]

    def __str__(self):
        return _("Onderhandelingsresultaat %(sub)s") % {"sub": self.submission}


class NegotiationOutcomeChild(SubmissionChild):
    scope_region_lookup = "outcome__submission__tender__region"

    class Meta:
        abstract = True

    @classmethod
    def scope_sealed_q(cls, now):
        return _sealed_q("outcome__submission__tender", now)


class NegotiatedBudget(NegotiationOutcomeChild):
    outcome = models.ForeignKey(
        NegotiationOutcome,
        on_delete=models.CASCADE,
        related_name="budgets",
        verbose_name=_("onderhandelingsresultaat"),
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    kind = models.CharField(_("soort"), max_length=8, choices=NegotiatedBudgetKind.choices)
    amount = models.DecimalField(_("bedrag (€)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["year", "kind"]
        verbose_name = _("onderhandeld budget")
        verbose_name_plural = _("onderhandelde budgetten")
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "year", "kind"], name="negotiated_budget_once_per_year"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="negotiated_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NegotiatedBudgetKind.values),
                name="negotiated_budget_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}"


class NegotiatedAssignment(NegotiationOutcomeChild):
    """An agreement: a development assignment the partner takes on."""

    outcome = models.ForeignKey(
        NegotiationOutcome,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("onderhandelingsresultaat"),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    due_on = models.DateField(_("gereed op"), null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("afspraak (ontwikkelopdracht)")
        verbose_name_plural = _("afspraken (ontwikkelopdrachten)")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="negotiated_assignment_has_title"),
        ]

    def __str__(self):
        return self.title
