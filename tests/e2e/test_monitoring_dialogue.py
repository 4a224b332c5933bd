"""A contract manager plans a performance dialogue from a provider's signals, records it, agrees
an action and follows it up, in Chromium."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.roles import Role
from monitoring.models import ActionStatus, DialogueAction, PerformanceDialogue, Signal
from tests.accounts.factories import user_with_role
from tests.conftest import build_world
from tests.e2e.test_sas_procedure import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_plan_record_and_follow_up_a_performance_dialogue(live_server, page, shot):
    w = build_world("m")
    user_with_role(w.region, Role.CONTRACT_MANAGER, username="carla")
    contract = w.con.contract
    signal = Signal.objects.create(
        region=w.region,
        provider=w.provider,
        contract=contract,
        source="kpi",
        topic="wait_time",
        key=f"kpi:c{contract.pk}:wait_time:2026-03",
        period=date(2026, 3, 1),
        level="red",
        value=Decimal("48"),
        norm=Decimal("28"),
        message="Rood: wachttijd 48 dagen; norm 28.",
    )
    today = timezone.localdate()
    base = live_server.url
    monitoring = f"{base}/regios/{w.region.slug}/monitoring"
    login(page, base, "carla")

    # The region's signals, then the provider's: the red wait time, with text, not colour only.
    page.goto(f"{monitoring}/signalen/")
    page.get_by_role("heading", name="Signalen", level=1).wait_for()
    row = page.locator("tbody tr", has_text=w.provider.name)
    assert "Rood" in row.inner_text() and "48 dagen" in row.inner_text()
    page.goto(f"{monitoring}/aanbieders/{w.provider.pk}/signalen/")
    page.get_by_role("heading", name=w.provider.name, level=1).wait_for()
    title = f"Rood: Wachttijd (dagen), contract {contract.reference}, maart 2026: 48 dagen"
    assert title in page.locator("main").inner_text()
    shot("monitoring-01-provider-signals")

    # Plan a dialogue: the agenda is drafted from the signals.
    page.get_by_role("link", name="Prestatiedialoog plannen").click()
    page.get_by_role("heading", name="Prestatiedialoog plannen", level=1).wait_for()
    assert title in page.locator(".agenda").inner_text()
    page.get_by_label("Datum van het gesprek").fill(today.isoformat())
    page.get_by_label("Deelnemers").fill("Carla (contractmanager), Ahmed (aanbieder)")
    with page.expect_navigation():
        page.get_by_role("button", name="Gesprek plannen").click()
    page.locator(".message--success").wait_for()
    agenda = page.locator("ol.agenda").inner_text()
    assert agenda.index("Opening") < agenda.index(title) < agenda.index("Rondvraag")
    signal.refresh_from_db()
    assert signal.status == "agenda"
    dialogue = PerformanceDialogue.objects.get(provider=w.provider)
    shot("monitoring-02-dialogue-planned")

    # Record the notes: the dialogue is held.
    page.get_by_role("textbox", name="Verslag", exact=True).fill(
        "Wachttijd besproken: wachtlijst door personeelstekort."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Verslag vastleggen").click()
    page.locator(".message--success").wait_for()
    assert "Gevoerd" in page.locator(".lead").inner_text()

    # An action with an owner and a due date.
    due = today + timedelta(days=30)
    page.get_by_label("Afspraak").fill("Plan van aanpak wachttijd aanleveren")
    page.get_by_label("Eigenaar", exact=True).fill("Ahmed (aanbieder)")
    page.get_by_label("Uiterlijk").fill(due.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Actie toevoegen").click()
    page.locator(".message--success").wait_for()
    action_row = page.locator("tr", has_text="Plan van aanpak wachttijd aanleveren")
    assert due.strftime("%d-%m-%Y") in action_row.inner_text()
    assert "Open" in action_row.inner_text()

    # Mark it done: without a follow-up that is refused, with one it is done.
    action_row.locator("summary", has_text="Bijwerken").click()
    action_row.get_by_label("Status").select_option(label="Uitgevoerd")
    with page.expect_navigation():
        action_row.get_by_role("button", name="Actie bijwerken").click()
    assert "Beschrijf de opvolging" in page.locator("main").inner_text()
    action_row = page.locator("tr", has_text="Plan van aanpak wachttijd aanleveren")
    action_row.get_by_label("Opvolging").fill("Plan ontvangen; extra behandelaar per 1 mei.")
    with page.expect_navigation():
        action_row.get_by_role("button", name="Actie bijwerken").click()
    page.locator(".message--success").wait_for()
    action = DialogueAction.objects.get(dialogue=dialogue)
    assert action.status == ActionStatus.DONE and action.closed_on == today
    shot("monitoring-03-dialogue-detail")

    # The provider's dialogue history shows the dialogue, the notes and the followed-up action.
    page.get_by_role("navigation", name="Sturing op deze aanbieder").get_by_role(
        "link", name="Prestatiedialogen"
    ).click()
    page.get_by_role("heading", name=re.compile(r"Gesprekken \(1\)")).wait_for()
    history = page.locator("main").inner_text()
    assert f"Gesprek van {today:%d-%m-%Y}" in history
    assert "Wachttijd besproken" in history
    done = page.locator("article tr", has_text="Plan van aanpak wachttijd aanleveren")
    assert "Uitgevoerd" in done.inner_text()
    assert "Plan ontvangen; extra behandelaar per 1 mei." in done.inner_text()
    shot("monitoring-04-dialogue-history")
