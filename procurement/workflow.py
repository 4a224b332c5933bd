"""The state machine of each procedure type, as data.

A workflow is a table of :class:`Transition` rows: which states it leaves, where it goes, the
milestone whose actual date it records and the guards that must hold. Guards are pure functions
of :class:`Facts` (a snapshot of the tender built by ``selectors.tender_facts``) that return the
reason a transition is not yet allowed, or ``None``. Nothing here touches the database, so every
allowed and every forbidden transition is tested without one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import Refused
from core.ui.formatting import format_date, format_moment

from .codes import TERMINAL_STATES, MilestoneKind, ProcedureType, TenderState

S = TenderState


@dataclass(frozen=True)
class Facts:
    """What the guards need to know about one tender, at one moment."""

    now: datetime
    lots: int = 0
    criteria: int = 0
    weights_total: Decimal = Decimal(0)
    requirements: int = 0
    submission_deadline: datetime | None = None
    live_submissions: int = 0
    unjudged_eligibility: int = 0  # live submissions whose checklist is incomplete
    unscored: int = 0  # eligible submissions without a consensus score on every criterion
    preselected: int = 0
    awarded: int = 0
    outcomes_without_reason: int = 0
    objection_started_on: date | None = None
    objection_days: int = 20
    #: why the letters cannot be signed (``signatory.signatory_problem``); empty: they can
    signatory_missing: str = ""
    # the award's safeguards (see ``award_rules``): one line per provider or objection
    inadmissible_winners: tuple[str, ...] = ()
    holding_objections: tuple[str, ...] = ()
    evidence_missing: tuple[str, ...] = ()

    @property
    def today(self) -> date:
        """The region's calendar day (the clock may hand out UTC)."""
        return timezone.localdate(self.now) if timezone.is_aware(self.now) else self.now.date()

    @property
    def objection_ends_on(self) -> date | None:
        """Last day of the objection period (standstill)."""
        if self.objection_started_on is None:
            return None
        return self.objection_started_on + timedelta(days=self.objection_days)


Guard = Callable[[Facts], str | None]


def has_lots(f: Facts):
    return None if f.lots else _("Voeg eerst minstens één perceel toe.")


def weights_sum_to_100(f: Facts):
    if not f.criteria:
        return _("Leg eerst de gunningscriteria met hun weging vast.")
    if f.weights_total != Decimal(100):
        return _("De weging van de gunningscriteria telt op tot %(total)s%%, niet tot 100%%.") % {
            "total": f"{Decimal(f.weights_total).normalize():f}"
        }
    return None


def has_requirements(f: Facts):
    return None if f.requirements else _("Leg eerst de eisen vast waaraan een inschrijver toetst.")


def deadline_in_future(f: Facts):
    if f.submission_deadline is None:
        return _("Stel eerst de sluitingstermijn voor inschrijving vast.")
    if f.submission_deadline <= f.now:
        return _("De sluitingstermijn ligt in het verleden; kies een latere termijn.")
    return None


def deadline_passed(f: Facts):
    if f.submission_deadline is None:
        return _("Er is geen sluitingstermijn voor inschrijving vastgelegd.")
    if f.now < f.submission_deadline:
        deadline = f.submission_deadline
        if timezone.is_aware(deadline):
            deadline = timezone.localtime(deadline)
        return _("De inschrijving sluit pas op %(deadline)s.") % {
            "deadline": format_moment(deadline)
        }
    return None


def has_submissions(f: Facts):
    return None if f.live_submissions else _("Er is geen inschrijving ontvangen.")


def eligibility_judged(f: Facts):
    if f.unjudged_eligibility:
        return _(
            "Van %(n)s inschrijving(en) is de toets op geschiktheid en uitsluiting nog niet af."
        ) % {"n": f.unjudged_eligibility}
    return None


def all_scored(f: Facts):
    if f.unscored:
        return _(
            "%(n)s inschrijving(en) hebben nog geen consensusscore op elk criterium; "
            "rangschikken kan pas als alles beoordeeld is."
        ) % {"n": f.unscored}
    return None


def has_preselected(f: Facts):
    return None if f.preselected else _("Er is geen inschrijver gepreselecteerd.")


def outcomes_reasoned(f: Facts):
    if f.outcomes_without_reason:
        return _("Bij %(n)s inschrijving(en) ontbreekt de motivering van de uitkomst.") % {
            "n": f.outcomes_without_reason
        }
    return None


def objection_period_over(f: Facts):
    if f.objection_started_on is None:
        return _("De bezwaartermijn is nog niet gestart.")
    if f.today <= f.objection_ends_on:
        return _("De bezwaartermijn loopt tot en met %(date)s.") % {
            "date": format_date(f.objection_ends_on)
        }
    return None


def has_awarded(f: Facts):
    return None if f.awarded else _("Er is aan niemand gegund.")


def signatory_known(f: Facts):
    """Letters go out after this step: not without the signing officer and the contracting
    authority (procurement.signatory)."""
    return f.signatory_missing or None


def winners_admissible(f: Facts):
    if f.inadmissible_winners:
        return _(
            "Niet toelaatbaar volgens de screening van de regio, en zonder vastgelegde "
            "uitzondering: %(list)s. Leg de screening vast of een gemotiveerde uitzondering."
        ) % {"list": " | ".join(f.inadmissible_winners)}
    return None


def no_open_objection(f: Facts):
    if f.holding_objections:
        return _(
            "De definitieve gunning is opgeschort zolang een bezwaar open is: %(list)s. Beslis "
            "eerst op het bezwaar."
        ) % {"list": " | ".join(f.holding_objections)}
    return None


def evidence_approved(f: Facts):
    if f.evidence_missing:
        return _(
            "Nog niet alle bewijsstukken van de voorlopige winnaars zijn goedgekeurd: %(list)s."
        ) % {"list": " | ".join(f.evidence_missing)}
    return None


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    label: str
    guards: tuple[Guard, ...] = ()
    milestone: str | None = None
    needs_reason: bool = False
    #: shown as a secondary (dangerous) action
    is_exit: bool = False

    def blockers(self, facts: Facts) -> list[str]:
        return [str(reason) for guard in self.guards if (reason := guard(facts))]


@dataclass(frozen=True)
class Workflow:
    procedure_type: str
    states: tuple[str, ...]  # the main path, in order (for the timeline and tests)
    transitions: tuple[Transition, ...] = field(default_factory=tuple)

    def transition(self, name: str) -> Transition | None:
        return next((t for t in self.transitions if t.name == name), None)

    def leaving(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]

    @property
    def all_states(self) -> tuple[str, ...]:
        return (*self.states, S.CANCELLED, S.UNSUCCESSFUL)


def T(name, sources, target, label, *guards, milestone=None):
    if isinstance(sources, str):
        sources = (sources,)
    return Transition(name, frozenset(sources), target, label, tuple(guards), milestone)


def _exits(states) -> tuple[Transition, ...]:
    open_states = frozenset(s for s in states if s not in TERMINAL_STATES)
    return (
        Transition(
            "cancel",
            open_states,
            S.CANCELLED,
            _("Procedure intrekken"),
            needs_reason=True,
            is_exit=True,
        ),
        Transition(
            "fail",
            open_states - {S.DRAFT},
            S.UNSUCCESSFUL,
            _("Zonder resultaat beëindigen"),
            needs_reason=True,
            is_exit=True,
        ),
    )


M = MilestoneKind
PUBLISH_SCORED = (has_lots, weights_sum_to_100, has_requirements, deadline_in_future)
PUBLISH_PLAIN = (has_lots, has_requirements, deadline_in_future)

_award_tail = (
    T(
        "start_objection",
        S.PROVISIONAL_AWARD,
        S.OBJECTION,
        _("Gunningsbeslissing versturen, bezwaartermijn start"),
        outcomes_reasoned,
        has_awarded,
        signatory_known,
    ),
    T(
        "award",
        S.OBJECTION,
        S.DEFINITIVE_AWARD,
        _("Definitief gunnen"),
        objection_period_over,
        signatory_known,
        no_open_objection,
        evidence_approved,
        winners_admissible,
        milestone=M.DEFINITIVE_AWARD,
    ),
    T(
        "implement",
        S.DEFINITIVE_AWARD,
        S.IMPLEMENTATION,
        _("Naar implementatie"),
        milestone=M.IMPLEMENTATION,
    ),
)

# The same opening steps for both scored procedure types.
_SCORED_OPENING = (
    T(
        "publish",
        S.DRAFT,
        S.PUBLISHED,
        _("Publiceren"),
        *PUBLISH_SCORED,
        milestone=M.PUBLICATION,
    ),
    T("open_qna", S.PUBLISHED, S.QNA, _("Vragenronde openen")),
    T(
        "close_submissions",
        (S.PUBLISHED, S.QNA),
        S.CLOSED,
        _("Inschrijving sluiten"),
        deadline_passed,
        milestone=M.SUBMISSION_DEADLINE,
    ),
    T(
        "start_eligibility",
        S.CLOSED,
        S.ELIGIBILITY,
        _("Toets geschiktheid starten"),
        has_submissions,
        milestone=M.ELIGIBILITY,
    ),
    T(
        "start_scoring",
        S.ELIGIBILITY,
        S.SCORING,
        _("Beoordeling starten"),
        eligibility_judged,
        milestone=M.SCORING,
    ),
)

_SAS_STATES = (
    S.DRAFT,
    S.PUBLISHED,
    S.QNA,
    S.CLOSED,
    S.ELIGIBILITY,
    S.SCORING,
    S.PRESELECTION,
    S.NEGOTIATION,
    S.PROVISIONAL_AWARD,
    S.OBJECTION,
    S.DEFINITIVE_AWARD,
    S.IMPLEMENTATION,
)
SAS = Workflow(
    ProcedureType.SAS,
    _SAS_STATES,
    (
        *_SCORED_OPENING,
        T(
            "preselect",
            S.SCORING,
            S.PRESELECTION,
            _("Rangschikken en preselecteren"),
            deadline_passed,
            eligibility_judged,
            all_scored,
            milestone=M.PRESELECTION,
        ),
        T(
            "start_negotiation",
            S.PRESELECTION,
            S.NEGOTIATION,
            _("Onderhandelingen starten"),
            has_preselected,
            milestone=M.NEGOTIATION,
        ),
        T(
            "provisional_award",
            S.NEGOTIATION,
            S.PROVISIONAL_AWARD,
            _("Voorlopig gunnen"),
            has_preselected,
            winners_admissible,
            milestone=M.PROVISIONAL_AWARD,
        ),
        *_award_tail,
        *_exits(_SAS_STATES),
    ),
)

_TENDER_STATES = (
    S.DRAFT,
    S.PUBLISHED,
    S.QNA,
    S.CLOSED,
    S.ELIGIBILITY,
    S.SCORING,
    S.PROVISIONAL_AWARD,
    S.OBJECTION,
    S.DEFINITIVE_AWARD,
    S.IMPLEMENTATION,
)
TENDER = Workflow(
    ProcedureType.TENDER,
    _TENDER_STATES,
    (
        *_SCORED_OPENING,
        T(
            "provisional_award",
            S.SCORING,
            S.PROVISIONAL_AWARD,
            _("Rangschikken en voorlopig gunnen"),
            deadline_passed,
            eligibility_judged,
            all_scored,
            winners_admissible,
            milestone=M.PROVISIONAL_AWARD,
        ),
        *_award_tail,
        *_exits(_TENDER_STATES),
    ),
)

_PARTNERSHIP_STATES = (
    S.DRAFT,
    S.PUBLISHED,
    S.CLOSED,
    S.ELIGIBILITY,
    S.NEGOTIATION,
    S.PROVISIONAL_AWARD,
    S.OBJECTION,
    S.DEFINITIVE_AWARD,
    S.IMPLEMENTATION,
)
PARTNERSHIP = Workflow(
    ProcedureType.PARTNERSHIP,
    _PARTNERSHIP_STATES,
    (
        T(
            "publish",
            S.DRAFT,
            S.PUBLISHED,
            _("Publiceren"),
            *PUBLISH_PLAIN,
            milestone=M.PUBLICATION,
        ),
        T(
            "close_submissions",
            S.PUBLISHED,
            S.CLOSED,
            _("Aanmelding sluiten"),
            deadline_passed,
            milestone=M.SUBMISSION_DEADLINE,
        ),
        T(
            "start_eligibility",
            S.CLOSED,
            S.ELIGIBILITY,
            _("Toets geschiktheid starten"),
            has_submissions,
            milestone=M.ELIGIBILITY,
        ),
        T(
            "start_negotiation",
            S.ELIGIBILITY,
            S.NEGOTIATION,
            _("Partnergesprekken starten"),
            eligibility_judged,
            milestone=M.NEGOTIATION,
        ),
        T(
            "provisional_award",
            S.NEGOTIATION,
            S.PROVISIONAL_AWARD,
            _("Voorlopig gunnen"),
            winners_admissible,
            milestone=M.PROVISIONAL_AWARD,
        ),
        *_award_tail,
        *_exits(_PARTNERSHIP_STATES),
    ),
)

_GRANT_STATES = (
    S.DRAFT,
    S.PUBLISHED,
    S.CLOSED,
    S.ELIGIBILITY,
    S.DEFINITIVE_AWARD,
    S.IMPLEMENTATION,
)
BUDGET_GRANT = Workflow(
    ProcedureType.BUDGET_GRANT,
    _GRANT_STATES,
    (
        T(
            "publish",
            S.DRAFT,
            S.PUBLISHED,
            _("Subsidieregeling openstellen"),
            *PUBLISH_PLAIN,
            milestone=M.PUBLICATION,
        ),
        T(
            "close_submissions",
            S.PUBLISHED,
            S.CLOSED,
            _("Aanvragen sluiten"),
            deadline_passed,
            milestone=M.SUBMISSION_DEADLINE,
        ),
        T(
            "start_eligibility",
            S.CLOSED,
            S.ELIGIBILITY,
            _("Aanvragen toetsen"),
            has_submissions,
            milestone=M.ELIGIBILITY,
        ),
        T(
            "award",
            S.ELIGIBILITY,
            S.DEFINITIVE_AWARD,
            _("Subsidie verlenen"),
            eligibility_judged,
            signatory_known,
            winners_admissible,
            milestone=M.DEFINITIVE_AWARD,
        ),
        T(
            "implement",
            S.DEFINITIVE_AWARD,
            S.IMPLEMENTATION,
            _("Naar uitvoering"),
            milestone=M.IMPLEMENTATION,
        ),
        *_exits(_GRANT_STATES),
    ),
)

_ADMISSION_STATES = (S.DRAFT, S.ADMISSION, S.ENDED)


def _admission_workflow(procedure_type):
    return Workflow(
        procedure_type,
        _ADMISSION_STATES,
        (
            T(
                "publish",
                S.DRAFT,
                S.ADMISSION,
                _("Publiceren"),
                has_lots,
                has_requirements,
                milestone=M.PUBLICATION,
            ),
            T("end", S.ADMISSION, S.ENDED, _("Procedure beëindigen")),
            *_exits(_ADMISSION_STATES),
        ),
    )


OPEN_HOUSE = _admission_workflow(ProcedureType.OPEN_HOUSE)
CONDITIONAL_ADMISSION = _admission_workflow(ProcedureType.CONDITIONAL_ADMISSION)

WORKFLOWS: dict[str, Workflow] = {
    w.procedure_type: w
    for w in (SAS, TENDER, PARTNERSHIP, BUDGET_GRANT, OPEN_HOUSE, CONDITIONAL_ADMISSION)
}


class TransitionNotAllowed(Refused):
    """A workflow step that is not allowed now; ``reasons`` say why."""


@dataclass(frozen=True)
class Option:
    transition: Transition
    blockers: list[str]

    @property
    def allowed(self) -> bool:
        return not self.blockers


def options(procedure_type: str, state: str, facts: Facts) -> list[Option]:
    """Every transition out of ``state``, each with the reasons it is not yet allowed."""
    return [Option(t, t.blockers(facts)) for t in WORKFLOWS[procedure_type].leaving(state)]


def check(procedure_type: str, state: str, name: str, facts: Facts) -> Transition:
    """The transition ``name`` from ``state`` if it is allowed now; else TransitionNotAllowed."""
    workflow = WORKFLOWS[procedure_type]
    transition = workflow.transition(name)
    if transition is None:
        raise TransitionNotAllowed(
            [
                _("Een %(type)s kent de stap '%(name)s' niet.")
                % {"type": ProcedureType(procedure_type).label, "name": name}
            ]
        )
    if state not in transition.sources:
        raise TransitionNotAllowed(
            [
                _("'%(label)s' kan niet vanuit de fase '%(state)s'.")
                % {"label": transition.label, "state": TenderState(state).label}
            ]
        )
    blockers = transition.blockers(facts)
    if blockers:
        raise TransitionNotAllowed(blockers)
    return transition
