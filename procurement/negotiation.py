"""The structured negotiation outcome per partner, and the contract term it must fit in.

``contract_term_for`` is the one rule for the term a contract from an award gets (start,
initial years, extension options): ``contracts.services.contracts_from_award`` creates the
contract with it, and ``negotiation_outcome_record`` checks the negotiated budget years
against it, so a budget agreed in the negotiation always lands inside the contract.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.ui.formatting import add_months, format_date

from .codes import MilestoneKind, ProcedureType, TenderState
from .models import Submission, Tender
from .models_negotiation import (
    NegotiatedAssignment,
    NegotiatedBudget,
    NegotiatedBudgetKind,
    NegotiationOutcome,
)

#: The initial term of a contract from a procedure without a strategy.
DEFAULT_TERM_YEARS = 1
#: The phases in which a negotiation outcome is recorded (as the free-text report).
NEGOTIATION_STATES = (TenderState.NEGOTIATION, TenderState.PROVISIONAL_AWARD)


@dataclass(frozen=True)
class ContractTerm:
    """The term a contract from an award gets: start, initial years, extension options."""

    start: date
    initial_years: int
    extension_options: tuple[int, ...]

    @property
    def first_year(self) -> int:
        return self.start.year

    @property
    def last_day(self) -> date:
        """The last day after every extension option, as ``contracts.terms.term_end`` counts
        it: the day before the anniversary (12 months a year, the day clamped to the month)."""
        years = self.initial_years + sum(self.extension_options)
        return add_months(self.start - timedelta(days=1), 12 * years)

    @property
    def last_year(self) -> int:
        return self.last_day.year

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


def contract_term_for(
    tender: Tender, submission: Submission, *, today: date | None = None
) -> ContractTerm:
    """The term of the contract an award of ``submission`` gives: it starts on the tender's
    contract start (else the planned contract-start milestone, else today), but not before the
    submission's outcome date (an admission starts the day it is granted); it runs for the
    strategy's initial term with the strategy's extension options."""
    planned_start = (
        tender.milestones.filter(kind=MilestoneKind.CONTRACT_START)
        .values_list("planned_on", flat=True)
        .first()
    )
    start = tender.contract_start or planned_start or today or timezone.localdate()
    strategy = tender.strategy
    return ContractTerm(
        start=max(start, submission.outcome_on or start),
        initial_years=strategy.contract_term_years if strategy else DEFAULT_TERM_YEARS,
        extension_options=tuple(strategy.extension_options) if strategy else (),
    )


def negotiation_refusal(submission: Submission) -> str | None:
    """Why nothing about the negotiation can be recorded for ``submission`` now (or ``None``)."""
    tender = submission.tender
    if tender.state not in NEGOTIATION_STATES:
        return _("Onderhandelingsverslagen horen bij de onderhandelingsfase.")
    if not submission.preselected and tender.procedure_type == ProcedureType.SAS:
        return _("Alleen met gepreselecteerde inschrijvers wordt onderhandeld.")
    return None


def _amount(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None


def _clean_budgets(rows, term: ContractTerm) -> tuple[list[dict], list[str]]:
    errors, clean, seen = [], [], set()
    kinds = dict(NegotiatedBudgetKind.choices)
    for number, row in enumerate(rows, start=1):
        year, kind, amount = row.get("year"), row.get("kind"), _amount(row.get("amount"))
        where = _("Budget, regel %(n)s") % {"n": number}
        if not isinstance(year, int):
            errors.append(_("%(where)s: vul een jaar in.") % {"where": where})
            continue
        if kind not in kinds:
            errors.append(
                _("%(where)s (%(year)s): kies lumpsum of plafond.") % {"where": where, "year": year}
            )
            continue
        if amount is None:
            errors.append(
                _("%(where)s (%(year)s): vul een bedrag in euro's in.")
                % {"where": where, "year": year}
            )
            continue
        if amount < 0:
            errors.append(
                _("%(where)s (%(year)s): een budget kan niet negatief zijn.")
                % {"where": where, "year": year}
            )
        if year not in term.years:
            errors.append(
                _(
                    "%(where)s: het contract loopt van %(first)s tot en met %(last)s (looptijd "
                    "met alle verlengingsopties); een budget voor %(year)s valt daarbuiten."
                )
                % {
                    "where": where,
                    "first": term.first_year,
                    "last": term.last_year,
                    "year": year,
                }
            )
        if (year, kind) in seen:
            errors.append(
                _("%(where)s: %(kind)s %(year)s staat er al; één bedrag per jaar en soort.")
                % {"where": where, "kind": kinds[kind], "year": year}
            )
        seen.add((year, kind))
        clean.append({"year": year, "kind": kind, "amount": amount})
    return clean, errors


def _clean_assignments(rows, term: ContractTerm) -> tuple[list[dict], list[str]]:
    errors, clean = [], []
    for number, row in enumerate(rows, start=1):
        title = (row.get("title") or "").strip()
        if not title:
            errors.append(
                _("Afspraak, regel %(n)s: geef de ontwikkelopdracht een titel.") % {"n": number}
            )
            continue
        due_on = row.get("due_on")
        if due_on is not None and not term.start <= due_on <= term.last_day:
            errors.append(
                _(
                    "Afspraak, regel %(n)s (%(title)s): de datum %(day)s valt buiten het "
                    "contract (%(start)s tot en met %(last)s)."
                )
                % {
                    "n": number,
                    "title": title,
                    "day": format_date(due_on),
                    "start": format_date(term.start),
                    "last": format_date(term.last_day),
                }
            )
            continue
        clean.append(
            {
                "title": title,
                "description": (row.get("description") or "").strip(),
                "due_on": row.get("due_on"),
            }
        )
    return clean, errors


def negotiation_outcome_record(
    *,
    submission: Submission,
    task: str,
    budgets: Iterable[Mapping],
    assignments: Iterable[Mapping] = (),
    user=None,
    today: date | None = None,
) -> NegotiationOutcome:
    """Record (or replace as a whole) what was agreed with one partner: the task, the budget
    per year and kind, and the agreements (development assignments). Every budget year must
    fall inside the term the contract will get (``contract_term_for``); all refusals are
    reported at once and nothing is saved."""
    submission.tender = Tender.objects.select_related("strategy").get(pk=submission.tender_id)
    refusal = negotiation_refusal(submission)
    if refusal:
        raise ValidationError(refusal)
    term = contract_term_for(submission.tender, submission, today=today)
    errors: dict[str, list[str]] = {}
    if not (task or "").strip():
        errors["task"] = [_("Beschrijf de taak die met de partner is afgesproken.")]
    budget_rows, budget_errors = _clean_budgets(list(budgets), term)
    if budget_errors:
        errors["budgets"] = budget_errors
    assignment_rows, assignment_errors = _clean_assignments(list(assignments), term)
    if assignment_errors:
        errors["assignments"] = assignment_errors
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        outcome, _new = NegotiationOutcome.objects.select_for_update().get_or_create(
            submission=submission, defaults={"task": task.strip(), "recorded_by": user}
        )
        outcome.task = task.strip()
        outcome.recorded_by = user
        outcome.save()
        # replaced row by row through the ORM, so that the audit log has each removal
        for old in list(outcome.budgets.all()) + list(outcome.assignments.all()):
            old.delete()
        for row in budget_rows:
            NegotiatedBudget.objects.create(outcome=outcome, **row)
        for order, row in enumerate(assignment_rows, start=1):
            NegotiatedAssignment.objects.create(outcome=outcome, order=order, **row)
    return outcome
