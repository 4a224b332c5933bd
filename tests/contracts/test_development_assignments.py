"""Development assignments with status and progress, on a contract or a strategy (issue 21,
item 5): the services and their refusals, and the pages (who sees and who changes)."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contracts.development import (
    development_assignment_create,
    development_assignment_transition,
    development_assignment_update_progress,
)
from contracts.models import DevelopmentAssignment, DevelopmentUpdate

pytestmark = pytest.mark.django_db


def rows() -> dict:
    return {
        "assignments": list(DevelopmentAssignment.objects.order_by("pk").values()),
        "updates": list(DevelopmentUpdate.objects.order_by("pk").values()),
    }


def refused(call, *needles, field=None, **kwargs) -> ValidationError:
    before = rows()
    with pytest.raises(ValidationError) as info:
        call(**kwargs)
    error = info.value
    text = " ".join(error.message_dict[field]) if field else " ".join(error.messages)
    for needle in needles:
        assert needle in text, text
    assert rows() == before
    return error


def on_contract(world, **extra):
    return development_assignment_create(
        contract=world.con.contract, title="Zo thuis mogelijk", **extra
    )


# ---------------------------------------------------------------- services


def test_create_on_a_contract_and_on_a_strategy(world_a, users):
    contract, strategy = world_a.con.contract, world_a.proc.strategy
    a = development_assignment_create(
        contract=contract,
        title="  Zo thuis mogelijk ",
        description="Minder verblijf buiten het gezin",
        due_on=date(2026, 6, 30),
        user=users.contract_manager,
    )
    assert (a.region, a.contract, a.strategy, a.title) == (
        world_a.region,
        contract,
        None,
        "Zo thuis mogelijk",
    )
    assert (a.status, a.progress_pct, a.created_by) == ("planned", 0, users.contract_manager)
    assert LogEntry.objects.get_for_object(a).count() == 1
    b = development_assignment_create(strategy=strategy, title="Innovatiekracht")
    assert (b.region, b.contract, b.strategy) == (world_a.region, None, strategy)


def test_exactly_one_owner(world_a):
    refused(
        development_assignment_create,
        "contract óf een strategie",
        contract=world_a.con.contract,
        strategy=world_a.proc.strategy,
        title="Twee",
    )
    refused(development_assignment_create, "contract óf een strategie", title="Geen")
    # and the database holds it too
    with pytest.raises(IntegrityError), transaction.atomic():
        DevelopmentAssignment.objects.create(region=world_a.region, title="Los")


def test_create_refuses_no_title_and_a_date_outside_the_contract(world_a):
    contract = world_a.con.contract  # 2025-01-01, 3 + 1 + 1 years: to 31-12-2029
    assert (contract.start_date, contract.final_end_date) == (date(2025, 1, 1), date(2029, 12, 31))
    refused(
        development_assignment_create,
        "Geef de ontwikkelopdracht een titel.",
        field="title",
        contract=contract,
        title=" ",
    )
    refused(
        development_assignment_create,
        "De datum valt buiten het contract (01-01-2025 tot en met 31-12-2029).",
        field="due_on",
        contract=contract,
        title="Later",
        due_on=date(2030, 1, 1),
    )


def test_progress_starts_it_and_keeps_every_dated_update(world_a, users):
    a = on_contract(world_a)
    today = timezone.localdate()
    first = development_assignment_update_progress(
        assignment=a,
        on=today - timedelta(days=30),
        percentage=25,
        text="Pilot gestart in twee gemeenten",
        user=users.contract_manager,
    )
    a.refresh_from_db()
    assert (a.status, a.progress_pct) == ("running", 25)
    development_assignment_update_progress(
        assignment=a, on=today, percentage=40, text="Eerste evaluatie"
    )
    a.refresh_from_db()
    assert a.progress_pct == 40
    assert list(a.updates.values_list("percentage", "text")) == [
        (40, "Eerste evaluatie"),
        (25, "Pilot gestart in twee gemeenten"),
    ]
    assert first.by == users.contract_manager
    assert LogEntry.objects.get_for_object(first).count() == 1


def test_progress_refusals_leave_nothing(world_a):
    a = on_contract(world_a)
    today = timezone.localdate()
    development_assignment_update_progress(assignment=a, on=today, percentage=10, text="Start")
    error = refused(
        development_assignment_update_progress,
        assignment=a,
        on=today - timedelta(days=1),
        percentage=101,
        text=" ",
    )
    assert error.message_dict["percentage"] == [
        "De voortgang is een percentage van 0 tot en met 100."
    ]
    assert error.message_dict["text"] == ["Beschrijf wat er is gedaan."]
    assert "De vorige update is van" in error.message_dict["on"][0]
    refused(
        development_assignment_update_progress,
        "ligt niet later",
        field="on",
        assignment=a,
        on=today + timedelta(days=1),
        percentage=20,
        text="Vooruit",
    )


def test_transitions_follow_the_table(world_a):
    a = on_contract(world_a)
    refused(
        development_assignment_transition,
        "Een ontwikkelopdracht met status Gepland kan niet naar Afgerond; wel naar: Lopend, "
        "Vervallen.",
        field="to",
        assignment=a,
        to="done",
    )
    development_assignment_transition(assignment=a, to="running")
    a = development_assignment_transition(assignment=a, to="done")
    assert (a.status, a.progress_pct) == ("done", 100)
    refused(development_assignment_transition, "de status staat vast", assignment=a, to="running")
    refused(
        development_assignment_update_progress,
        "de voortgang staat vast",
        assignment=a,
        on=timezone.localdate(),
        percentage=50,
        text="Toch nog",
    )


def test_lapsing_needs_a_reason_kept_as_an_update(world_a, users):
    a = on_contract(world_a)
    refused(
        development_assignment_transition,
        "Geef de reden",
        field="reason",
        assignment=a,
        to="lapsed",
    )
    development_assignment_transition(
        assignment=a, to="lapsed", reason="Opgegaan in de regionale aanpak", user=users.officer
    )
    a.refresh_from_db()
    assert a.status == "lapsed"
    (update,) = a.updates.all()
    assert (update.text, update.percentage, update.by) == (
        "Vervallen: Opgegaan in de regionale aanpak",
        0,
        users.officer,
    )


# ---------------------------------------------------------------- pages


def url(world, name, **kwargs):
    return reverse(f"contracts:{name}", kwargs={"region": world.region.slug, **kwargs})


def test_contract_page_shows_the_assignments_and_their_progress(client, world_a, users):
    a = on_contract(world_a, due_on=date(2026, 6, 30))
    development_assignment_update_progress(
        assignment=a, on=timezone.localdate(), percentage=35, text="Pilot loopt"
    )
    page = url(world_a, "contract-detail", pk=world_a.con.contract.pk)
    client.force_login(users.contract_manager)
    html = client.get(page).content.decode()
    assert "Zo thuis mogelijk" in html and "35%" in html and "Pilot loopt" in html
    assert "30-06-2026" in html and "Lopend" in html
    assert url(world_a, "assignment-progress", pk=a.pk) in html
    # a viewer and a municipality read it, without the actions
    for role in ("viewer", "municipal"):
        client.force_login(getattr(users, role))
        html = client.get(page).content.decode()
        assert "Pilot loopt" in html
        assert url(world_a, "assignment-progress", pk=a.pk) not in html


def test_strategy_page_shows_its_assignments(client, world_a, users):
    development_assignment_create(strategy=world_a.proc.strategy, title="Innovatiekracht")
    page = reverse(
        "procurement:strategy-detail",
        kwargs={"region": world_a.region.slug, "pk": world_a.proc.strategy.pk},
    )
    client.force_login(users.contract_manager)
    html = client.get(page).content.decode()
    assert "Innovatiekracht" in html
    assert url(world_a, "strategy-assignment-create", pk=world_a.proc.strategy.pk) in html
    client.force_login(users.viewer)
    html = client.get(page).content.decode()
    assert "Innovatiekracht" in html
    assert url(world_a, "strategy-assignment-create", pk=world_a.proc.strategy.pk) not in html


def test_forms_create_update_and_move_an_assignment(client, world_a, users):
    client.force_login(users.contract_manager)
    contract = world_a.con.contract
    response = client.post(
        url(world_a, "contract-assignment-create", pk=contract.pk),
        {"title": "Onderwijs en jeugd", "description": "", "due_on": "2027-06-30"},
    )
    assert response.status_code == 302
    assert response.url.endswith("#ontwikkelopdrachten")
    a = DevelopmentAssignment.objects.get(title="Onderwijs en jeugd")
    assert (a.contract, a.due_on) == (contract, date(2027, 6, 30))
    today = timezone.localdate()
    response = client.post(
        url(world_a, "assignment-progress", pk=a.pk),
        {"on": today.isoformat(), "percentage": "20", "text": "Eerste school aangesloten"},
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.status, a.progress_pct) == ("running", 20)
    # a refusal is shown at the field and saves nothing
    response = client.post(
        url(world_a, "assignment-transition", pk=a.pk), {"to": "lapsed", "reason": ""}
    )
    assert response.status_code == 200
    assert "Geef de reden waarom de opdracht vervalt." in response.content.decode()
    a.refresh_from_db()
    assert a.status == "running"
    response = client.post(url(world_a, "assignment-transition", pk=a.pk), {"to": "done"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.status, a.progress_pct) == ("done", 100)


def test_only_officer_and_contract_manager_change_them(client, world_a, world_b, users):
    a = on_contract(world_a)
    for role, status in (("viewer", 403), ("municipal", 403), ("other_region_officer", 404)):
        client.force_login(getattr(users, role))
        response = client.post(
            url(world_a, "assignment-progress", pk=a.pk),
            {"on": timezone.localdate().isoformat(), "percentage": "90", "text": "Gekaapt"},
        )
        assert response.status_code == status, role
    assert not DevelopmentUpdate.objects.exists()
    # region B's officer cannot reach A's assignment under B's URL either
    client.force_login(users.other_region_officer)
    response = client.get(
        reverse(
            "contracts:assignment-progress",
            kwargs={"region": world_b.region.slug, "pk": a.pk},
        )
    )
    assert response.status_code == 404


def test_contract_page_queries_do_not_grow_with_assignments(client, world_a, users):
    client.force_login(users.contract_manager)
    page = url(world_a, "contract-detail", pk=world_a.con.contract.pk)
    today = timezone.localdate()

    def add(n):
        for i in range(n):
            a = on_contract(world_a)
            development_assignment_update_progress(
                assignment=a, on=today, percentage=10 + i, text=f"Update {i}"
            )

    add(1)
    with CaptureQueriesContext(connection) as few:
        client.get(page)
    add(5)
    with CaptureQueriesContext(connection) as many:
        assert "Update 4" in client.get(page).content.decode()
    assert len(many) == len(few)
