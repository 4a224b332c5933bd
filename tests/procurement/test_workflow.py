"""The state machine of every procedure type, without a database.

The expected tables below are written out by hand from the issue, not derived from
``procurement.workflow``: a change in a workflow table has to be made here as well.
"""

from collections import deque
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from procurement import workflow
from procurement.codes import TERMINAL_STATES, MilestoneKind, ProcedureType, TenderState
from procurement.workflow import WORKFLOWS, Facts, TransitionNotAllowed

S = TenderState
P = ProcedureType
AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2025, 6, 16, 12, 0, tzinfo=AMS)

# ---------------------------------------------------------------- expected tables, by hand

#: The main path of each procedure type, in order.
MAIN_PATH = {
    P.SAS: [
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
    ],
    P.TENDER: [
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
    ],
    P.PARTNERSHIP: [
        S.DRAFT,
        S.PUBLISHED,
        S.CLOSED,
        S.ELIGIBILITY,
        S.NEGOTIATION,
        S.PROVISIONAL_AWARD,
        S.OBJECTION,
        S.DEFINITIVE_AWARD,
        S.IMPLEMENTATION,
    ],
    P.BUDGET_GRANT: [
        S.DRAFT,
        S.PUBLISHED,
        S.CLOSED,
        S.ELIGIBILITY,
        S.DEFINITIVE_AWARD,
        S.IMPLEMENTATION,
    ],
    P.OPEN_HOUSE: [S.DRAFT, S.ADMISSION, S.ENDED],
    P.CONDITIONAL_ADMISSION: [S.DRAFT, S.ADMISSION, S.ENDED],
}

_AWARD_TAIL = {
    "start_objection": ({S.PROVISIONAL_AWARD}, S.OBJECTION),
    "award": ({S.OBJECTION}, S.DEFINITIVE_AWARD),
    "implement": ({S.DEFINITIVE_AWARD}, S.IMPLEMENTATION),
}
_ADMISSION_EDGES = {
    "publish": ({S.DRAFT}, S.ADMISSION),
    "end": ({S.ADMISSION}, S.ENDED),
}

#: name -> (states it leaves, state it reaches); the exits (cancel, fail) are added below.
FORWARD = {
    P.SAS: {
        "publish": ({S.DRAFT}, S.PUBLISHED),
        "open_qna": ({S.PUBLISHED}, S.QNA),
        "close_submissions": ({S.PUBLISHED, S.QNA}, S.CLOSED),
        "start_eligibility": ({S.CLOSED}, S.ELIGIBILITY),
        "start_scoring": ({S.ELIGIBILITY}, S.SCORING),
        "preselect": ({S.SCORING}, S.PRESELECTION),
        "start_negotiation": ({S.PRESELECTION}, S.NEGOTIATION),
        "provisional_award": ({S.NEGOTIATION}, S.PROVISIONAL_AWARD),
        **_AWARD_TAIL,
    },
    P.TENDER: {
        "publish": ({S.DRAFT}, S.PUBLISHED),
        "open_qna": ({S.PUBLISHED}, S.QNA),
        "close_submissions": ({S.PUBLISHED, S.QNA}, S.CLOSED),
        "start_eligibility": ({S.CLOSED}, S.ELIGIBILITY),
        "start_scoring": ({S.ELIGIBILITY}, S.SCORING),
        "provisional_award": ({S.SCORING}, S.PROVISIONAL_AWARD),
        **_AWARD_TAIL,
    },
    P.PARTNERSHIP: {
        "publish": ({S.DRAFT}, S.PUBLISHED),
        "close_submissions": ({S.PUBLISHED}, S.CLOSED),
        "start_eligibility": ({S.CLOSED}, S.ELIGIBILITY),
        "start_negotiation": ({S.ELIGIBILITY}, S.NEGOTIATION),
        "provisional_award": ({S.NEGOTIATION}, S.PROVISIONAL_AWARD),
        **_AWARD_TAIL,
    },
    P.BUDGET_GRANT: {
        "publish": ({S.DRAFT}, S.PUBLISHED),
        "close_submissions": ({S.PUBLISHED}, S.CLOSED),
        "start_eligibility": ({S.CLOSED}, S.ELIGIBILITY),
        "award": ({S.ELIGIBILITY}, S.DEFINITIVE_AWARD),
        "implement": ({S.DEFINITIVE_AWARD}, S.IMPLEMENTATION),
    },
    P.OPEN_HOUSE: _ADMISSION_EDGES,
    P.CONDITIONAL_ADMISSION: _ADMISSION_EDGES,
}

#: Where a procedure ends for good: no step leaves these.
ENDS = {S.IMPLEMENTATION, S.ENDED, S.CANCELLED, S.UNSUCCESSFUL}


def expected_edges(procedure_type) -> dict[str, tuple[set, str]]:
    """Forward steps plus the exits: cancel from every open state, 'zonder resultaat' from
    every open state once published (a draft has nothing to end without result)."""
    open_states = set(MAIN_PATH[procedure_type]) - ENDS
    return {
        **FORWARD[procedure_type],
        "cancel": (open_states, S.CANCELLED),
        "fail": (open_states - {S.DRAFT}, S.UNSUCCESSFUL),
    }


EXPECTED_MILESTONE = {
    "publish": MilestoneKind.PUBLICATION,
    "open_qna": None,
    "close_submissions": MilestoneKind.SUBMISSION_DEADLINE,
    "start_eligibility": MilestoneKind.ELIGIBILITY,
    "start_scoring": MilestoneKind.SCORING,
    "preselect": MilestoneKind.PRESELECTION,
    "start_negotiation": MilestoneKind.NEGOTIATION,
    "provisional_award": MilestoneKind.PROVISIONAL_AWARD,
    "start_objection": None,
    "award": MilestoneKind.DEFINITIVE_AWARD,
    "implement": MilestoneKind.IMPLEMENTATION,
    "end": None,
    "cancel": None,
    "fail": None,
}

ALL_NAMES = sorted(EXPECTED_MILESTONE)
ALL_TYPES = list(ProcedureType)


def permissive(name: str) -> Facts:
    """Facts under which every guard of ``name`` holds."""
    deadline = NOW + timedelta(days=1) if name == "publish" else NOW - timedelta(days=1)
    return Facts(
        now=NOW,
        lots=1,
        criteria=2,
        weights_total=Decimal("100.00"),
        requirements=2,
        submission_deadline=deadline,
        live_submissions=3,
        unjudged_eligibility=0,
        unscored=0,
        preselected=2,
        awarded=2,
        outcomes_without_reason=0,
        objection_started_on=NOW.date() - timedelta(days=60),
        objection_days=20,
    )


def reasons(excinfo) -> str:
    return " | ".join(excinfo.value.reasons)


# ---------------------------------------------------------------- the tables themselves


def test_every_procedure_type_has_a_workflow():
    assert set(WORKFLOWS) == set(ProcedureType.values)
    assert set(MAIN_PATH) == set(ProcedureType)


@pytest.mark.parametrize("ptype", ALL_TYPES)
def test_states_are_the_main_path_plus_the_exits(ptype):
    wf = WORKFLOWS[ptype]
    assert list(wf.states) == MAIN_PATH[ptype]
    assert set(wf.all_states) == set(MAIN_PATH[ptype]) | {S.CANCELLED, S.UNSUCCESSFUL}


@pytest.mark.parametrize("ptype", ALL_TYPES)
def test_the_table_holds_exactly_the_expected_edges(ptype):
    actual = {t.name: (set(t.sources), t.target) for t in WORKFLOWS[ptype].transitions}
    assert actual == expected_edges(ptype)
    names = [t.name for t in WORKFLOWS[ptype].transitions]
    assert len(names) == len(set(names)), "a step name is used twice"


@pytest.mark.parametrize("ptype", ALL_TYPES)
def test_only_the_exits_need_a_reason_and_milestones_are_recorded(ptype):
    for t in WORKFLOWS[ptype].transitions:
        is_exit = t.name in ("cancel", "fail")
        assert t.needs_reason is is_exit, t.name
        assert t.is_exit is is_exit, t.name
        assert t.milestone == EXPECTED_MILESTONE[t.name], t.name


@pytest.mark.parametrize("ptype", ALL_TYPES)
def test_the_main_path_is_walkable(ptype):
    wf = WORKFLOWS[ptype]
    for here, there in zip(wf.states, wf.states[1:], strict=False):
        steps = [t for t in wf.leaving(here) if t.target == there and not t.is_exit]
        assert len(steps) == 1, f"{here} -> {there}"


# ---------------------------------------------------------------- check(): every cell


def _cells():
    for ptype in ALL_TYPES:
        for state in WORKFLOWS[ptype].all_states:
            for name in ALL_NAMES:
                yield ptype, state, name


@pytest.mark.parametrize(
    "ptype,state,name", list(_cells()), ids=lambda v: str(getattr(v, "value", v))
)
def test_check_allows_exactly_the_expected_transitions(ptype, state, name):
    edges = expected_edges(ptype)
    facts = permissive(name)
    if name in edges and state in edges[name][0]:
        step = workflow.check(ptype, state, name, facts)
        assert step.name == name
        assert step.target == edges[name][1]
        return
    with pytest.raises(TransitionNotAllowed) as excinfo:
        workflow.check(ptype, state, name, facts)
    if name not in edges:
        assert reasons(excinfo) == (f"Een {ProcedureType(ptype).label} kent de stap '{name}' niet.")
    else:
        label = WORKFLOWS[ptype].transition(name).label
        assert reasons(excinfo) == (
            f"'{label}' kan niet vanuit de fase '{TenderState(state).label}'."
        )


@pytest.mark.parametrize("ptype", ALL_TYPES)
def test_options_list_every_step_leaving_a_state(ptype):
    wf = WORKFLOWS[ptype]
    edges = expected_edges(ptype)
    for state in wf.all_states:
        expected = {n for n, (sources, _target) in edges.items() if state in sources}
        got = workflow.options(ptype, state, permissive("award"))
        assert {o.transition.name for o in got} == expected


# ---------------------------------------------------------------- reachability


def _reachable(wf, start):
    seen, todo = {start}, deque([start])
    while todo:
        state = todo.popleft()
        for t in wf.leaving(state):
            if t.target not in seen:
                seen.add(t.target)
                todo.append(t.target)
    return seen


@pytest.mark.parametrize("ptype", ALL_TYPES)
def test_every_state_is_reachable_from_draft(ptype):
    wf = WORKFLOWS[ptype]
    assert _reachable(wf, S.DRAFT) == set(wf.all_states)


@pytest.mark.parametrize("ptype", ALL_TYPES)
def test_every_open_state_can_reach_an_end_and_ends_are_final(ptype):
    wf = WORKFLOWS[ptype]
    for state in wf.all_states:
        if state in TERMINAL_STATES:
            assert wf.leaving(state) == [], state
        else:
            assert _reachable(wf, state) & TERMINAL_STATES, state
            # An open procedure can always be cancelled.
            assert "cancel" in {t.name for t in wf.leaving(state)}
    assert set(wf.all_states) & TERMINAL_STATES <= ENDS


# ---------------------------------------------------------------- guards


def blocked(ptype, state, name, facts) -> str:
    with pytest.raises(TransitionNotAllowed) as excinfo:
        workflow.check(ptype, state, name, facts)
    return reasons(excinfo)


@pytest.mark.parametrize("ptype", [P.SAS, P.TENDER])
def test_publishing_a_scored_procedure_needs_weights_of_exactly_100(ptype):
    base = permissive("publish")
    assert (
        blocked(ptype, S.DRAFT, "publish", replace(base, weights_total=Decimal("99.00")))
        == "De weging van de gunningscriteria telt op tot 99%, niet tot 100%."
    )
    assert "tot 100.5%," in blocked(
        ptype, S.DRAFT, "publish", replace(base, weights_total=Decimal("100.50"))
    )
    assert blocked(
        ptype, S.DRAFT, "publish", replace(base, criteria=0, weights_total=Decimal(0))
    ) == ("Leg eerst de gunningscriteria met hun weging vast.")
    assert workflow.check(ptype, S.DRAFT, "publish", base).target == S.PUBLISHED


@pytest.mark.parametrize("ptype", [P.PARTNERSHIP, P.BUDGET_GRANT])
def test_unscored_procedures_publish_without_criteria(ptype):
    facts = replace(permissive("publish"), criteria=0, weights_total=Decimal(0))
    assert workflow.check(ptype, S.DRAFT, "publish", facts).target == S.PUBLISHED


@pytest.mark.parametrize("ptype", [P.OPEN_HOUSE, P.CONDITIONAL_ADMISSION])
def test_admission_procedures_publish_without_criteria_or_deadline(ptype):
    facts = replace(
        permissive("publish"), criteria=0, weights_total=Decimal(0), submission_deadline=None
    )
    assert workflow.check(ptype, S.DRAFT, "publish", facts).target == S.ADMISSION
    assert blocked(ptype, S.DRAFT, "publish", replace(facts, lots=0)) == (
        "Voeg eerst minstens één perceel toe."
    )


@pytest.mark.parametrize("ptype", list(ProcedureType))
def test_publishing_needs_lots_requirements_and_a_future_deadline(ptype):
    base = permissive("publish")
    needs_deadline = ptype not in (P.OPEN_HOUSE, P.CONDITIONAL_ADMISSION)
    assert "Voeg eerst minstens één perceel toe." in blocked(
        ptype, S.DRAFT, "publish", replace(base, lots=0)
    )
    assert "Leg eerst de eisen vast waaraan een inschrijver toetst." in blocked(
        ptype, S.DRAFT, "publish", replace(base, requirements=0)
    )
    if needs_deadline:
        assert blocked(ptype, S.DRAFT, "publish", replace(base, submission_deadline=None)) == (
            "Stel eerst de sluitingstermijn voor inschrijving vast."
        )
        past = "De sluitingstermijn ligt in het verleden; kies een latere termijn."
        # A deadline at this very moment is already too late.
        assert blocked(ptype, S.DRAFT, "publish", replace(base, submission_deadline=NOW)) == past
        assert (
            blocked(
                ptype,
                S.DRAFT,
                "publish",
                replace(base, submission_deadline=NOW - timedelta(minutes=1)),
            )
            == past
        )


def test_every_blocker_is_reported_at_once():
    facts = replace(
        permissive("publish"),
        lots=0,
        criteria=0,
        weights_total=Decimal(0),
        requirements=0,
        submission_deadline=None,
    )
    with pytest.raises(TransitionNotAllowed) as excinfo:
        workflow.check(P.SAS, S.DRAFT, "publish", facts)
    assert excinfo.value.reasons == [
        "Voeg eerst minstens één perceel toe.",
        "Leg eerst de gunningscriteria met hun weging vast.",
        "Leg eerst de eisen vast waaraan een inschrijver toetst.",
        "Stel eerst de sluitingstermijn voor inschrijving vast.",
    ]


@pytest.mark.parametrize("ptype", [P.SAS, P.TENDER, P.PARTNERSHIP, P.BUDGET_GRANT])
def test_submissions_close_at_the_deadline_not_before(ptype):
    deadline = datetime(2025, 6, 10, 12, 0, tzinfo=AMS)
    facts = replace(permissive("close_submissions"), submission_deadline=deadline)
    early = replace(facts, now=deadline - timedelta(seconds=1))
    assert blocked(ptype, S.PUBLISHED, "close_submissions", early) == (
        "De inschrijving sluit pas op 10-06-2025 12:00."
    )
    assert blocked(
        ptype, S.PUBLISHED, "close_submissions", replace(facts, submission_deadline=None)
    ) == ("Er is geen sluitingstermijn voor inschrijving vastgelegd.")
    at = replace(facts, now=deadline)
    assert workflow.check(ptype, S.PUBLISHED, "close_submissions", at).target == S.CLOSED


def test_the_deadline_is_shown_in_dutch_time_whatever_the_clock_zone():
    """The database hands out UTC; the message names the local (Amsterdam) time."""
    deadline_utc = datetime(2025, 6, 10, 10, 0, tzinfo=UTC)  # 12:00 in Amsterdam (CEST)
    facts = replace(
        permissive("close_submissions"),
        now=datetime(2025, 6, 9, 8, 0, tzinfo=UTC),
        submission_deadline=deadline_utc,
    )
    assert blocked(P.SAS, S.QNA, "close_submissions", facts) == (
        "De inschrijving sluit pas op 10-06-2025 12:00."
    )


@pytest.mark.parametrize("ptype", [P.SAS, P.TENDER, P.PARTNERSHIP, P.BUDGET_GRANT])
def test_eligibility_starts_only_with_submissions(ptype):
    facts = replace(permissive("start_eligibility"), live_submissions=0)
    assert blocked(ptype, S.CLOSED, "start_eligibility", facts) == (
        "Er is geen inschrijving ontvangen."
    )


@pytest.mark.parametrize(
    "ptype,state,name",
    [
        (P.SAS, S.ELIGIBILITY, "start_scoring"),
        (P.TENDER, S.ELIGIBILITY, "start_scoring"),
        (P.PARTNERSHIP, S.ELIGIBILITY, "start_negotiation"),
        (P.BUDGET_GRANT, S.ELIGIBILITY, "award"),
        (P.SAS, S.SCORING, "preselect"),
        (P.TENDER, S.SCORING, "provisional_award"),
    ],
)
def test_no_next_phase_while_a_submission_is_unjudged(ptype, state, name):
    facts = replace(permissive(name), unjudged_eligibility=2)
    assert blocked(ptype, state, name, facts) == (
        "Van 2 inschrijving(en) is de toets op geschiktheid en uitsluiting nog niet af."
    )


@pytest.mark.parametrize("ptype,name", [(P.SAS, "preselect"), (P.TENDER, "provisional_award")])
def test_no_ranking_while_a_submission_is_unscored(ptype, name):
    facts = replace(permissive(name), unscored=1)
    assert blocked(ptype, S.SCORING, name, facts) == (
        "1 inschrijving(en) hebben nog geen consensusscore op elk criterium; "
        "rangschikken kan pas als alles beoordeeld is."
    )


@pytest.mark.parametrize("ptype,name", [(P.SAS, "preselect"), (P.TENDER, "provisional_award")])
def test_no_preselection_or_ranking_before_the_submission_deadline(ptype, name):
    deadline = NOW + timedelta(hours=1)
    facts = replace(permissive(name), submission_deadline=deadline)
    assert blocked(ptype, S.SCORING, name, facts) == (
        f"De inschrijving sluit pas op {deadline:%d-%m-%Y %H:%M}."
    )


@pytest.mark.parametrize(
    "state,name", [(S.PRESELECTION, "start_negotiation"), (S.NEGOTIATION, "provisional_award")]
)
def test_sas_negotiates_and_awards_only_with_preselected(state, name):
    facts = replace(permissive(name), preselected=0)
    assert blocked(P.SAS, state, name, facts) == "Er is geen inschrijver gepreselecteerd."


@pytest.mark.parametrize("ptype", [P.SAS, P.TENDER, P.PARTNERSHIP])
def test_the_award_decision_needs_reasons_and_an_award(ptype):
    facts = permissive("start_objection")
    assert blocked(
        ptype, S.PROVISIONAL_AWARD, "start_objection", replace(facts, outcomes_without_reason=3)
    ) == ("Bij 3 inschrijving(en) ontbreekt de motivering van de uitkomst.")
    assert blocked(ptype, S.PROVISIONAL_AWARD, "start_objection", replace(facts, awarded=0)) == (
        "Er is aan niemand gegund."
    )


@pytest.mark.parametrize("ptype", [P.SAS, P.TENDER, P.PARTNERSHIP])
def test_no_definitive_award_before_the_objection_period_ends(ptype):
    started = date(2025, 9, 1)
    facts = replace(permissive("award"), objection_started_on=started, objection_days=20)

    def at(day):
        return replace(facts, now=datetime.combine(day, datetime.min.time(), AMS))

    assert blocked(ptype, S.OBJECTION, "award", replace(facts, objection_started_on=None)) == (
        "De bezwaartermijn is nog niet gestart."
    )
    message = "De bezwaartermijn loopt tot en met 21-09-2025."
    assert blocked(ptype, S.OBJECTION, "award", at(started)) == message
    assert blocked(ptype, S.OBJECTION, "award", at(started + timedelta(days=20))) == message
    late_on_day_20 = replace(
        at(started + timedelta(days=20)), now=datetime(2025, 9, 21, 23, 59, 59, tzinfo=AMS)
    )
    assert blocked(ptype, S.OBJECTION, "award", late_on_day_20) == message
    step = workflow.check(ptype, S.OBJECTION, "award", at(started + timedelta(days=21)))
    assert step.target == S.DEFINITIVE_AWARD


def test_the_objection_period_is_configurable():
    started = date(2025, 9, 1)
    facts = replace(permissive("award"), objection_started_on=started, objection_days=10)
    day10 = replace(facts, now=datetime(2025, 9, 11, 9, 0, tzinfo=AMS))
    day11 = replace(facts, now=datetime(2025, 9, 12, 9, 0, tzinfo=AMS))
    assert blocked(P.SAS, S.OBJECTION, "award", day10) == (
        "De bezwaartermijn loopt tot en met 11-09-2025."
    )
    assert workflow.check(P.SAS, S.OBJECTION, "award", day11).target == S.DEFINITIVE_AWARD


def test_the_objection_period_counts_dutch_days_not_utc_days():
    """Just after midnight in Amsterdam it is still the previous day in UTC: day 21 has begun
    where the region is, so the award is allowed."""
    started = date(2025, 9, 1)
    facts = replace(permissive("award"), objection_started_on=started, objection_days=20)
    just_after_midnight = datetime(2025, 9, 22, 0, 30, tzinfo=AMS).astimezone(UTC)
    assert just_after_midnight.date() == date(2025, 9, 21)
    step = workflow.check(P.SAS, S.OBJECTION, "award", replace(facts, now=just_after_midnight))
    assert step.target == S.DEFINITIVE_AWARD
    # And the last minute of day 20 in Amsterdam stays refused, whatever the clock's zone.
    last_minute = datetime(2025, 9, 21, 23, 59, tzinfo=AMS).astimezone(UTC)
    blocked(P.SAS, S.OBJECTION, "award", replace(facts, now=last_minute))


def test_facts_end_of_objection_period():
    facts = Facts(now=NOW, objection_started_on=date(2025, 12, 20), objection_days=20)
    assert facts.objection_ends_on == date(2026, 1, 9)
    assert Facts(now=NOW).objection_ends_on is None


@pytest.mark.parametrize("name", ["cancel", "fail"])
def test_exits_have_no_guards_in_the_workflow(name):
    """The reason they need is asked by the service (see test_services_rules)."""
    empty = Facts(now=NOW)
    for ptype in ALL_TYPES:
        wf = WORKFLOWS[ptype]
        for state in expected_edges(ptype)[name][0]:
            assert workflow.check(ptype, state, name, empty).target in (
                S.CANCELLED,
                S.UNSUCCESSFUL,
            )
        assert wf.transition(name).guards == ()
