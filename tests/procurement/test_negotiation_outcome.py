"""The structured negotiation outcome per partner (issue 21, item 5): the task, the budget per
year and the agreements; refused outside the contract's term; on the definitive award it becomes
the contract's budgets and development assignments, once."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from contracts.codes import BudgetKind
from contracts.models import Budget, Contract, DevelopmentAssignment
from procurement import services
from procurement.codes import Outcome, TenderState
from procurement.models import (
    NegotiatedAssignment,
    NegotiatedBudget,
    NegotiationOutcome,
    Submission,
    Tender,
)
from procurement.models_negotiation import NegotiatedBudgetKind
from procurement.negotiation import contract_term_for, negotiation_outcome_record
from procurement.signals import award_made

AMS = ZoneInfo("Europe/Amsterdam")
BUDGETS = [
    {"year": 2027, "kind": "lumpsum", "amount": Decimal("1250000.00")},
    {"year": 2028, "kind": "lumpsum", "amount": Decimal("1225000.00")},
    {"year": 2027, "kind": "ceiling", "amount": Decimal("1400000.00")},
]
AGREEMENTS = [
    {"title": "Zo thuis mogelijk", "description": "Minder verblijf", "due_on": date(2028, 6, 30)},
    {"title": "Ervaringsdeskundigheid", "description": "", "due_on": None},
]


def negotiating(world, state=TenderState.NEGOTIATION) -> Submission:
    """The world's SAS procedure back in negotiation, contracts from 1-1-2027 (5 + 1 + 1)."""
    tender = world.proc.tender
    Tender.objects.filter(pk=tender.pk).update(
        state=state, contract_start=date(2027, 1, 1), objection_started_on=None
    )
    Submission.objects.filter(pk=world.proc.submission.pk).update(
        outcome=Outcome.PENDING, outcome_on=None, outcome_reason=""
    )
    return Submission.objects.get(pk=world.proc.submission.pk)


def rows() -> dict:
    return {
        m.__name__: list(m.objects.order_by("pk").values())
        for m in (NegotiationOutcome, NegotiatedBudget, NegotiatedAssignment)
    }


def refused(sub, *needles, field=None, **kwargs):
    before = rows()
    args = {"task": "Ambulante jeugdhulp", "budgets": BUDGETS, "assignments": AGREEMENTS}
    args.update(kwargs)
    with pytest.raises(ValidationError) as info:
        negotiation_outcome_record(submission=sub, **args)
    error = info.value
    text = " ".join(error.message_dict[field]) if field else " ".join(error.messages)
    for needle in needles:
        assert needle in text, text
    assert rows() == before
    return error


def test_kinds_are_the_contract_budget_kinds():
    assert NegotiatedBudgetKind.values == BudgetKind.values


def test_the_term_is_the_one_the_award_gives(world_a):
    sub = negotiating(world_a)
    term = contract_term_for(sub.tender, sub)
    # 1-1-2027, 5 years + two options of 1: to 31-12-2033.
    assert (term.start, term.initial_years, term.extension_options) == (
        date(2027, 1, 1),
        5,
        (1, 1),
    )
    assert (term.first_year, term.last_year, term.last_day) == (2027, 2033, date(2033, 12, 31))
    # A start in the middle of a year: the last year is the one of the day before it.
    Tender.objects.filter(pk=sub.tender_id).update(contract_start=date(2027, 4, 1))
    sub.tender.refresh_from_db()
    term = contract_term_for(sub.tender, sub)
    assert (term.first_year, term.last_year, term.last_day) == (2027, 2034, date(2034, 3, 31))


def test_record_and_replace(world_a, users):
    sub = negotiating(world_a)
    outcome = negotiation_outcome_record(
        submission=sub,
        task="  Ambulante jeugdhulp in Gemeente A1  ",
        budgets=BUDGETS,
        assignments=AGREEMENTS,
        user=users.officer,
    )
    assert outcome.task == "Ambulante jeugdhulp in Gemeente A1"
    assert outcome.recorded_by == users.officer
    assert list(outcome.budgets.values_list("year", "kind", "amount")) == [
        (2027, "ceiling", Decimal("1400000.00")),
        (2027, "lumpsum", Decimal("1250000.00")),
        (2028, "lumpsum", Decimal("1225000.00")),
    ]
    assert list(outcome.assignments.values_list("order", "title", "due_on")) == [
        (1, "Zo thuis mogelijk", date(2028, 6, 30)),
        (2, "Ervaringsdeskundigheid", None),
    ]
    # Every row is in the audit log.
    assert LogEntry.objects.get_for_object(outcome).count() == 1
    # Again: the rows are replaced as a whole; the free-text report is left alone.
    Submission.objects.filter(pk=sub.pk).update(negotiation_notes="Verslag")
    again = negotiation_outcome_record(
        submission=sub,
        task="Alleen 2028",
        budgets=[{"year": 2028, "kind": "lumpsum", "amount": "990000"}],
        assignments=[],
    )
    assert again.pk == outcome.pk
    assert NegotiationOutcome.objects.get().task == "Alleen 2028"
    assert list(NegotiatedBudget.objects.values_list("year", "amount")) == [
        (2028, Decimal("990000.00"))
    ]
    assert not NegotiatedAssignment.objects.exists()
    assert Submission.objects.get(pk=sub.pk).negotiation_notes == "Verslag"


def test_also_in_the_provisional_award(world_a):
    sub = negotiating(world_a, TenderState.PROVISIONAL_AWARD)
    negotiation_outcome_record(submission=sub, task="Taak", budgets=BUDGETS[:1])
    assert NegotiatedBudget.objects.count() == 1


def test_a_year_outside_the_term_names_the_year_and_the_range(world_a):
    sub = negotiating(world_a)
    budgets = [*BUDGETS, {"year": 2034, "kind": "lumpsum", "amount": Decimal("1")}]
    refused(
        sub,
        "Budget, regel 4",
        "van 2027 tot en met 2033",
        "een budget voor 2034 valt daarbuiten",
        field="budgets",
        budgets=budgets,
    )
    refused(
        sub,
        "2026 valt daarbuiten",
        field="budgets",
        budgets=[{"year": 2026, "kind": "lumpsum", "amount": Decimal("1")}],
    )


def test_negative_duplicate_and_missing_are_refused_all_at_once(world_a):
    sub = negotiating(world_a)
    error = refused(
        sub,
        budgets=[
            {"year": 2027, "kind": "lumpsum", "amount": Decimal("-5")},
            {"year": 2028, "kind": "lumpsum", "amount": Decimal("5")},
            {"year": 2028, "kind": "lumpsum", "amount": Decimal("6")},
            {"year": 2029, "kind": "reserve", "amount": Decimal("6")},
        ],
        assignments=[{"title": "  "}, {"title": "Te laat", "due_on": date(2034, 1, 1)}],
        task=" ",
    )
    messages = error.message_dict
    assert messages["task"] == ["Beschrijf de taak die met de partner is afgesproken."]
    assert messages["budgets"] == [
        "Budget, regel 1 (2027): een budget kan niet negatief zijn.",
        "Budget, regel 3: Taakgericht budget (lumpsum) 2028 staat er al; één bedrag per jaar "
        "en soort.",
        "Budget, regel 4 (2029): kies lumpsum of plafond.",
    ]
    assert messages["assignments"] == [
        "Afspraak, regel 1: geef de ontwikkelopdracht een titel.",
        "Afspraak, regel 2 (Te laat): de datum 01-01-2034 valt buiten het contract "
        "(01-01-2027 tot en met 31-12-2033).",
    ]


def test_refused_outside_the_negotiation_and_for_a_non_preselected_sas_bid(world_a):
    sub = negotiating(world_a, TenderState.OBJECTION)
    refused(sub, "Onderhandelingsverslagen horen bij de onderhandelingsfase.")
    sub = negotiating(world_a)
    Submission.objects.filter(pk=sub.pk).update(preselected=False)
    sub.refresh_from_db()
    refused(sub, "Alleen met gepreselecteerde inschrijvers wordt onderhandeld.")


def _award(world, sub):
    """Provisional award, objection period, definitive award (on 1 June 2026)."""
    tender = Tender.objects.get(pk=world.proc.tender.pk)
    tender = services.tender_transition(
        tender=tender, name="provisional_award", now=datetime(2026, 5, 1, 10, tzinfo=AMS)
    )
    tender = services.tender_transition(
        tender=tender, name="start_objection", now=datetime(2026, 5, 1, 11, tzinfo=AMS)
    )
    return services.tender_transition(
        tender=tender, name="award", now=datetime(2026, 6, 1, 10, tzinfo=AMS)
    )


def test_on_award_the_outcome_becomes_the_contract(world_a):
    sub = negotiating(world_a)
    negotiation_outcome_record(submission=sub, task="Taak", budgets=BUDGETS, assignments=AGREEMENTS)
    _award(world_a, sub)
    contract = Contract.objects.get(submission=sub)
    assert contract.start_date == date(2027, 1, 1)
    assert contract.final_end_date == date(2033, 12, 31)
    # By hand: the three negotiated rows, each noted as coming from the negotiation.
    assert list(
        Budget.objects.filter(contract=contract)
        .order_by("year", "kind")
        .values_list("year", "kind", "amount", "note")
    ) == [
        (2027, "ceiling", Decimal("1400000.00"), "uit onderhandelingsresultaat"),
        (2027, "lumpsum", Decimal("1250000.00"), "uit onderhandelingsresultaat"),
        (2028, "lumpsum", Decimal("1225000.00"), "uit onderhandelingsresultaat"),
    ]
    for budget in contract.budgets.all():
        assert LogEntry.objects.get_for_object(budget).count() == 1
    assert list(
        DevelopmentAssignment.objects.filter(contract=contract).values_list(
            "title", "due_on", "status", "progress_pct", "negotiated__title"
        )
    ) == [
        ("Zo thuis mogelijk", date(2028, 6, 30), "planned", 0, "Zo thuis mogelijk"),
        ("Ervaringsdeskundigheid", None, "planned", 0, "Ervaringsdeskundigheid"),
    ]
    # The award again (the signal as a repeated award sends it): nothing is added.
    counts = (
        Contract.objects.count(),
        Budget.objects.count(),
        DevelopmentAssignment.objects.count(),
    )
    award_made.send(sender=Tender, tender=Tender.objects.get(pk=sub.tender_id), submissions=[sub])
    assert counts == (
        Contract.objects.count(),
        Budget.objects.count(),
        DevelopmentAssignment.objects.count(),
    )


def test_an_award_that_moves_the_start_past_a_budget_year_is_refused_whole(world_a):
    sub = negotiating(world_a)
    negotiation_outcome_record(submission=sub, task="Taak", budgets=BUDGETS)
    # The definitive award comes only in 2028: the contract would start then, so 2027 no
    # longer fits; the award is refused with the reason and leaves nothing.
    Tender.objects.filter(pk=sub.tender_id).update(contract_start=date(2026, 7, 1))
    Submission.objects.filter(pk=sub.pk).update(
        outcome=Outcome.AWARDED, outcome_on=date(2028, 2, 1)
    )
    sub.refresh_from_db()
    before = (Contract.objects.count(), Budget.objects.count())
    tender = Tender.objects.get(pk=sub.tender_id)
    with pytest.raises(ValidationError) as info, transaction.atomic():  # as the award does
        award_made.send(sender=Tender, tender=tender, submissions=[sub])
    text = " ".join(info.value.messages)
    assert "Onderhandelingsresultaat van Zorg A Dichtbij" in text
    assert "een budget voor 2027 valt daarbuiten" in text
    assert (Contract.objects.count(), Budget.objects.count()) == before


# ---------------------------------------------------------------- the page


def _form_data(budgets, assignments, task="Ambulante jeugdhulp"):
    data = {
        "task": task,
        "budget-TOTAL_FORMS": str(len(budgets)),
        "budget-INITIAL_FORMS": "0",
        "afspraak-TOTAL_FORMS": str(len(assignments)),
        "afspraak-INITIAL_FORMS": "0",
    }
    for i, (year, kind, amount) in enumerate(budgets):
        data.update(
            {f"budget-{i}-year": year, f"budget-{i}-kind": kind, f"budget-{i}-amount": amount}
        )
    for i, (title, due_on) in enumerate(assignments):
        data.update({f"afspraak-{i}-title": title, f"afspraak-{i}-due_on": due_on})
    return data


def test_the_page_records_the_outcome_and_the_submission_shows_it(client, world_a, users):
    sub = negotiating(world_a)
    client.force_login(users.officer)
    page = reverse(
        "procurement:submission-negotiation-outcome",
        kwargs={"region": world_a.region.slug, "tender": sub.tender_id, "pk": sub.pk},
    )
    html = client.get(page).content.decode()
    assert "tot en met 2033" in html and "01-01-2027" in html
    response = client.post(
        page,
        _form_data(
            [("2027", "lumpsum", "1250000.00"), ("", "", "")],
            [("Zo thuis mogelijk", "2028-06-30"), ("", "")],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(NegotiatedBudget.objects.values_list("year", "amount")) == [
        (2027, Decimal("1250000.00"))
    ]
    detail = client.get(sub.get_absolute_url()).content.decode()
    assert "Onderhandelingsresultaat" in detail and "Zo thuis mogelijk" in detail
    assert "1.250.000,00" in detail
    # a year outside the term: the reason on the page, nothing changed
    before = rows()
    response = client.post(page, _form_data([("2035", "lumpsum", "1")], [], task="Andere taak"))
    assert response.status_code == 200
    assert "een budget voor 2035 valt daarbuiten" in response.content.decode()
    assert rows() == before


def test_the_page_is_the_officers(client, world_a, users):
    sub = negotiating(world_a)
    page = reverse(
        "procurement:submission-negotiation-outcome",
        kwargs={"region": world_a.region.slug, "tender": sub.tender_id, "pk": sub.pk},
    )
    for role in ("contract_manager", "viewer"):
        client.force_login(getattr(users, role))
        response = client.post(page, _form_data([("2027", "lumpsum", "1")], []))
        assert response.status_code == 403, role
    client.force_login(users.municipal)
    assert client.post(page, _form_data([("2027", "lumpsum", "1")], [])).status_code == 404
    assert not NegotiationOutcome.objects.exists()
