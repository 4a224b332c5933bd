"""Confirmation of the legal contract events and their correction by a recorded reversal.

The world's contract (C-regio-a-001) starts 01-01-2025 for 3 years with options 1 + 1; the first
option is exercised, so it runs until 31-12-2028. The date is pinned to 15 June 2026.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts import services
from contracts.models import ContractEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned_today(time_machine):
    time_machine.move_to(datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))


def url(name, w, **kw):
    return reverse(f"contracts:{name}", kwargs={"region": w.region.slug, **kw})


def text(response) -> str:
    return response.content.decode()


def reverse_url(w, event):
    return url("contract-event-reverse", w, pk=w.con.contract.pk, event=event.pk)


# ---------------------------------------------------------------- confirmation of each event


@pytest.mark.parametrize(
    ("action", "data", "summary"),
    [
        (
            "contract-extend",
            {"years": "1", "decided_on": "2026-06-15", "reason": "Positieve evaluatie"},
            "Contract C-regio-a-001 wordt verlengd met 1 jaar tot en met 31-12-2029; de "
            "einddatum was 31-12-2028.",
        ),
        (
            "contract-amend",
            {
                "effective_on": "2026-07-01",
                "reason": "Addendum 1",
                "acceptance_obligation": "on",
                "reporting_frequency": "monthly",
            },
            "Voor contract C-regio-a-001 wordt een wijziging vastgelegd per 01-07-2026.",
        ),
        (
            "contract-terminate",
            {"effective_on": "2026-06-30", "reason": "Kwaliteit onvoldoende"},
            "Contract C-regio-a-001 wordt beëindigd per 30-06-2026; de einddatum was 31-12-2028.",
        ),
    ],
)
def test_an_event_is_recorded_only_after_its_confirmation(
    client, world_a, users, action, data, summary
):
    client.force_login(users.contract_manager)
    contract = world_a.con.contract
    link = url(action, world_a, pk=contract.pk)
    assert client.get(link).status_code == 200
    events = ContractEvent.objects.filter(contract=contract)
    before = events.count()

    page = client.post(link, data)
    assert page.status_code == 200
    html = text(page)
    assert summary in html
    assert "Bevestigen" in html and "Terug" in html
    assert events.count() == before  # the confirmation page records nothing
    # the values travel in hidden fields (server-side, no JavaScript)
    assert f'type="hidden" name="reason" value="{data["reason"]}"' in html

    back = client.post(link, {**data, "_back": "1"})
    assert back.status_code == 200
    assert data["reason"] in text(back) and "Verder naar bevestigen" in text(back)
    assert events.count() == before

    done = client.post(link, {**data, "_confirm": "1"})
    assert done.status_code == 302
    assert events.count() == before + 1


def test_a_refusal_shows_on_the_form_before_the_confirmation(client, world_a, users):
    client.force_login(users.contract_manager)
    contract = world_a.con.contract
    link = url("contract-extend", world_a, pk=contract.pk)
    response = client.post(link, {"years": "2", "decided_on": "2026-06-15"})
    html = text(response)
    assert "De volgende verlengingsoptie is 1 jaar, niet 2." in html
    assert "Controleer wat wordt vastgelegd" not in html
    assert contract.events.count() == 2


def test_the_extend_form_is_not_prefilled(client, world_a, users):
    client.force_login(users.contract_manager)
    html = text(client.get(url("contract-extend", world_a, pk=world_a.con.contract.pk)))
    assert 'name="years" value=' not in html
    assert 'name="decided_on" value=' not in html
    response = client.post(url("contract-extend", world_a, pk=world_a.con.contract.pk), {})
    assert "Dit veld is vereist." in text(response) or "This field is required." in text(response)
    assert world_a.con.contract.events.count() == 2


# ---------------------------------------------------------------- reversal


def test_reversing_the_extension_restores_the_end_date_and_keeps_both_events(
    client, world_a, users
):
    client.force_login(users.contract_manager)
    contract, extension = world_a.con.contract, world_a.con.extension
    detail = text(client.get(contract.get_absolute_url()))
    assert reverse_url(world_a, extension) in detail  # the latest extension may be reversed

    link = reverse_url(world_a, extension)
    assert client.get(link).status_code == 200
    page = client.post(link, {"reason": "Besluit was voorbarig"})
    html = text(page)
    assert (
        "De verlenging van 01-01-2028 van contract C-regio-a-001 wordt teruggedraaid; de "
        "einddatum wordt 31-12-2027 (nu 31-12-2028)." in html
    )
    assert not ContractEvent.objects.filter(reverses=extension).exists()

    response = client.post(link, {"reason": "Besluit was voorbarig", "_confirm": "1"}, follow=True)
    html = text(response)
    assert "De verlenging is teruggedraaid; het contract loopt tot en met 31-12-2027." in html
    contract.refresh_from_db()
    assert contract.end_date == date(2027, 12, 31)
    assert contract.extensions_used == 0
    reversal = ContractEvent.objects.get(reverses=extension)
    assert reversal.kind == "reversal" and reversal.recorded_by == users.contract_manager
    assert ContractEvent.objects.filter(pk=extension.pk).exists()  # never deleted
    # both events in the history; the reversed one marked
    assert "Terugdraaiing" in html and "Besluit was voorbarig" in html
    assert "teruggedraaid op 15-06-2026" in html
    assert f'id="gebeurtenis-{extension.pk}" class="event--reversed"' in html
    assert reverse_url(world_a, extension) not in html
    # the audit log has the reversal
    assert LogEntry.objects.get_for_object(reversal).filter(action=LogEntry.Action.CREATE).exists()
    # the option can be taken again
    services.contract_extend(contract=contract, years=1, decided_on=date(2026, 7, 1))
    contract.refresh_from_db()
    assert contract.end_date == date(2028, 12, 31) and contract.extensions_used == 1


def test_a_reversal_needs_a_reason(client, world_a, users):
    client.force_login(users.officer)
    response = client.post(reverse_url(world_a, world_a.con.extension), {"reason": " "})
    assert response.status_code == 200
    assert 'id="id_reason_error"' in text(response)
    assert not ContractEvent.objects.filter(kind="reversal").exists()
    with pytest.raises(ValidationError):
        services.contract_event_reverse(event=world_a.con.extension, by=None, reason="")


def test_only_the_latest_extension_and_never_twice(client, world_a, users):
    contract, first = world_a.con.contract, world_a.con.extension
    second = services.contract_extend(contract=contract, years=1, decided_on=date(2026, 7, 1))
    client.force_login(users.officer)
    detail = text(client.get(contract.get_absolute_url()))
    assert reverse_url(world_a, second) in detail
    assert reverse_url(world_a, first) not in detail
    page = text(client.get(reverse_url(world_a, first)))
    assert "Dit kan nu niet: Alleen de laatste verlenging kan worden teruggedraaid" in page
    refused = client.post(reverse_url(world_a, first), {"reason": "Vergissing"})
    assert "Alleen de laatste verlenging kan worden teruggedraaid" in text(refused)
    assert not ContractEvent.objects.filter(kind="reversal").exists()

    services.contract_event_reverse(event=second, by=None, reason="Vergissing")
    with pytest.raises(ValidationError, match="al teruggedraaid"):
        services.contract_event_reverse(event=second, by=None, reason="Nogmaals")
    start = contract.events.get(kind="start")
    with pytest.raises(ValidationError, match="kan niet worden teruggedraaid"):
        services.contract_event_reverse(event=start, by=None, reason="Nee")
    contract.refresh_from_db()
    assert contract.end_date == date(2028, 12, 31)


def test_reversing_a_termination_reopens_the_contract(world_a):
    contract, extension = world_a.con.contract, world_a.con.extension
    termination = services.contract_terminate(
        contract=contract, effective_on=date(2026, 6, 30), reason="Vergissing: ander contract"
    )
    with pytest.raises(ValidationError, match="draai eerst de beëindiging terug"):
        services.contract_event_reverse(event=extension, by=None, reason="x")
    services.contract_event_reverse(event=termination, by=None, reason="Verkeerd contract")
    contract.refresh_from_db()
    assert contract.terminated_on is None and contract.end_date == date(2028, 12, 31)
    # a termination can be recorded again
    services.contract_terminate(contract=contract, effective_on=date(2026, 9, 30), reason="Echt")
    contract.refresh_from_db()
    assert contract.terminated_on == date(2026, 9, 30)


def test_reversing_an_amendment_restores_the_old_values(world_a):
    contract = world_a.con.contract
    amendment = services.contract_amend(
        contract=contract,
        effective_on=date(2026, 7, 1),
        reason="Addendum",
        changes={"acceptance_obligation": True, "reporting_frequency": "monthly"},
    )
    assert amendment.changes == {
        "acceptance_obligation": [False, True],
        "reporting_frequency": ["quarterly", "monthly"],
    }
    reversal = services.contract_event_reverse(event=amendment, by=None, reason="Verkeerd")
    contract.refresh_from_db()
    assert not contract.acceptance_obligation and contract.reporting_frequency == "quarterly"
    assert "acceptatieplicht: ja → nee" in reversal.reason


@pytest.mark.parametrize("role", ["viewer", "municipal"])
def test_read_only_roles_may_not_reverse(client, world_a, users, role):
    client.force_login(getattr(users, role))
    link = reverse_url(world_a, world_a.con.extension)
    assert link not in text(client.get(world_a.con.contract.get_absolute_url()))
    assert client.get(link).status_code == 403
    assert client.post(link, {"reason": "x", "_confirm": "1"}).status_code == 403
    assert not ContractEvent.objects.filter(kind="reversal").exists()
