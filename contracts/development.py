"""Development assignments (ontwikkelopdrachten) on a strategy or a contract, their status and
progress, and the negotiation outcome that becomes the contract's budgets and assignments.

The status is a transition table (as ``procurement.workflow``): planned → running → done, and
planned or running → lapsed. Progress is kept as dated updates; the assignment shows the last.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.ui.formatting import format_date as _d
from procurement.models import NegotiationOutcome, Strategy, Submission

from .models import Contract
from .models_development import AssignmentStatus, DevelopmentAssignment, DevelopmentUpdate

A = AssignmentStatus
#: status → the statuses it may move to
TRANSITIONS: dict[str, tuple[str, ...]] = {
    A.PLANNED: (A.RUNNING, A.LAPSED),
    A.RUNNING: (A.DONE, A.LAPSED),
    A.DONE: (),
    A.LAPSED: (),
}


def transition_refusal(assignment: DevelopmentAssignment, to: str) -> str | None:
    """Why ``assignment`` cannot move to ``to`` (or ``None``)."""
    if to not in A.values:
        return _("Onbekende status %(to)s.") % {"to": to}
    if to not in TRANSITIONS[assignment.status]:
        allowed = [A(s).label for s in TRANSITIONS[assignment.status]]
        return _("Een ontwikkelopdracht met status %(now)s kan niet naar %(to)s; %(allowed)s.") % {
            "now": assignment.get_status_display(),
            "to": A(to).label,
            "allowed": _("wel naar: %(list)s") % {"list": ", ".join(str(a) for a in allowed)}
            if allowed
            else _("de status staat vast"),
        }
    return None


def allowed_transitions(assignment: DevelopmentAssignment) -> list[tuple[str, str]]:
    return [(s, A(s).label) for s in TRANSITIONS[assignment.status]]


@transaction.atomic
def development_assignment_create(
    *,
    contract: Contract | None = None,
    strategy: Strategy | None = None,
    title: str,
    description: str = "",
    due_on: date | None = None,
    negotiated=None,
    user=None,
) -> DevelopmentAssignment:
    """A new assignment (status planned, 0%) on exactly one of a contract or a strategy."""
    if (contract is None) == (strategy is None):
        raise ValidationError(_("Een ontwikkelopdracht hoort bij een contract óf een strategie."))
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Geef de ontwikkelopdracht een titel.")
    owner = contract or strategy
    if contract is not None and due_on is not None:
        last = contract.terminated_on or contract.final_end_date or contract.end_date
        if due_on < contract.start_date or (last is not None and due_on > last):
            errors["due_on"] = _(
                "De datum valt buiten het contract (%(start)s tot en met %(end)s)."
            ) % {"start": _d(contract.start_date), "end": _d(last) if last else "—"}
    if errors:
        raise ValidationError(errors)
    return DevelopmentAssignment.objects.create(
        region_id=owner.region_id,
        contract=contract,
        strategy=strategy,
        negotiated=negotiated,
        title=title.strip(),
        description=(description or "").strip(),
        due_on=due_on,
        created_by=user,
    )


def _locked(assignment: DevelopmentAssignment) -> DevelopmentAssignment:
    return DevelopmentAssignment.objects.select_for_update().get(pk=assignment.pk)


@transaction.atomic
def development_assignment_update_progress(
    *,
    assignment: DevelopmentAssignment,
    on: date,
    percentage: int,
    text: str,
    user=None,
) -> DevelopmentUpdate:
    """A dated progress update. A planned assignment starts running with its first update; a
    finished or lapsed one takes no more updates; an update is not dated before the last."""
    assignment = _locked(assignment)
    errors = {}
    if not assignment.is_open:
        raise ValidationError(
            _("Ontwikkelopdracht %(t)s is %(status)s; de voortgang staat vast.")
            % {"t": assignment.title, "status": assignment.get_status_display().lower()}
        )
    if percentage is None or not 0 <= percentage <= 100:
        errors["percentage"] = _("De voortgang is een percentage van 0 tot en met 100.")
    if not (text or "").strip():
        errors["text"] = _("Beschrijf wat er is gedaan.")
    last = assignment.updates.order_by("-on", "-pk").first()
    if on is None:
        errors["on"] = _("Vul de datum van de update in.")
    elif last is not None and on < last.on:
        errors["on"] = _("De vorige update is van %(day)s; een nieuwe is niet eerder.") % {
            "day": _d(last.on)
        }
    elif on > timezone.localdate():
        errors["on"] = _("Een update gaat over wat er is gebeurd; de datum ligt niet later.")
    if errors:
        raise ValidationError(errors)
    update = DevelopmentUpdate.objects.create(
        assignment=assignment, on=on, percentage=percentage, text=text.strip(), by=user
    )
    assignment.progress_pct = percentage
    if assignment.status == A.PLANNED:
        assignment.status = A.RUNNING
    assignment.save(update_fields=["progress_pct", "status"])
    return update


@transaction.atomic
def development_assignment_transition(
    *, assignment: DevelopmentAssignment, to: str, reason: str = "", user=None
) -> DevelopmentAssignment:
    """Move the status along the table; finishing sets the progress to 100%. A reason, when
    given (required to let an assignment lapse), is kept as a dated update."""
    assignment = _locked(assignment)
    refusal = transition_refusal(assignment, to)
    if refusal:
        raise ValidationError({"to": refusal})
    if to == A.LAPSED and not (reason or "").strip():
        raise ValidationError({"reason": _("Geef de reden waarom de opdracht vervalt.")})
    if to == A.DONE:
        assignment.progress_pct = 100
    assignment.status = to
    assignment.save(update_fields=["status", "progress_pct"])
    if (reason or "").strip():
        DevelopmentUpdate.objects.create(
            assignment=assignment,
            on=timezone.localdate(),
            percentage=assignment.progress_pct,
            text=f"{A(to).label}: {reason.strip()}",
            by=user,
        )
    return assignment


def contract_take_negotiation(*, contract: Contract, submission: Submission) -> None:
    """The negotiated budgets and agreements of ``submission`` become the contract's budgets
    (through ``budget_set``) and development assignments. Called by ``contracts_from_award``
    for a new contract only, inside the award's transaction: a repeated award adds nothing; a
    budget that no longer fits the contract refuses the award with the year and the range."""
    from .services import budget_set

    outcome = (
        NegotiationOutcome.objects.filter(submission=submission)
        .prefetch_related("budgets", "assignments")
        .first()
    )
    if outcome is None:
        return
    for row in outcome.budgets.all():
        if contract.budgets.filter(year=row.year, kind=row.kind, support_profile=None).exists():
            continue
        try:
            budget_set(
                contract=contract,
                year=row.year,
                kind=row.kind,
                amount=row.amount,
                note=_("uit onderhandelingsresultaat"),
            )
        except ValidationError as exc:
            raise ValidationError(
                _("Onderhandelingsresultaat van %(provider)s: %(why)s")
                % {"provider": submission.provider, "why": " ".join(exc.messages)}
            ) from exc
    for row in outcome.assignments.all():
        if DevelopmentAssignment.objects.filter(negotiated=row).exists():
            continue
        development_assignment_create(
            contract=contract,
            title=row.title,
            description=row.description,
            due_on=row.due_on,
            negotiated=row,
        )
