"""The recalculation at HTTP level: saving a norm on the norms page shows the status box (done
at once without a broker), the JSON status the box polls, and the buttons and list of
recalculations.

World A's contract (segment 1) gets contract rollups for Jan–Aug 2025 and the segment norm
drop-out 10 / amber from 15 / red from 20 %: Jan 2 of 8 ended = 25.0 red; Feb 1 of 10 = 10.0
green (closes January); Jun 3 of 18 = 16.7 amber, open; other months have no ended
trajectories (not judged). 8 months, 1 signal amber or red."""

import json
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from core.ui.formatting import month_range
from monitoring.models import Signal, SignalRecalculation
from tests.monitoring.test_alerts import rollup
from tests.monitoring.test_steering_pages import norm_data, text, url

pytestmark = pytest.mark.django_db

ENDED = {date(2025, 1, 1): (2, 8), date(2025, 2, 1): (1, 10), date(2025, 6, 1): (3, 18)}


@pytest.fixture
def past(world_a):
    contract = world_a.con.contract
    for month in month_range(date(2025, 1, 1), date(2025, 8, 1)):
        dropouts, ended = ENDED.get(month, (0, 0))
        rollup(world_a, contract, month, dropouts=dropouts, trajectories_ended=ended)
    return contract


def test_saving_a_norm_shows_the_past_signals_after_the_recalculation(
    client, world_a, users, past, django_capture_on_commit_callbacks
):
    client.force_login(users.contract_manager)
    assert not Signal.objects.exists()
    # without a broker the task runs when the request's transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("norms", world_a), norm_data(world_a))
    assert response.status_code == 302
    response = client.get(response.url)
    assert any("worden herberekend" in str(m) for m in response.context["messages"])
    page = text(response)
    assert "Klaar: 1 signaal rood of oranje over 8 maanden" in page
    assert f"Norm Uitval (%) voor segment {world_a.segment.code} ingesteld" in page
    body = response.content.decode()
    assert 'aria-live="polite"' in body and "<progress" in body
    assert 'max="8" value="8"' in body
    assert 'http-equiv="refresh"' not in body
    assert reverse("monitoring:signals", args=[world_a.region.slug]) in body
    signals = {
        s.period: (s.level, s.status) for s in Signal.objects.filter(contract=past, topic="dropout")
    }
    assert signals == {
        date(2025, 1, 1): ("red", "closed"),
        date(2025, 6, 1): ("amber", "open"),
    }
    # the signals list shows the past month's signal
    listing = text(client.get(url("signals", world_a)))
    assert "06-2025" in listing and "01-2025" in listing


def test_the_status_box_polls_while_running(client, world_a, users):
    r = SignalRecalculation.objects.create(
        region=world_a.region,
        reason="Norm X",
        status="running",
        months_total=36,
        months_done=12,
    )
    client.force_login(users.viewer)
    body = client.get(url("norms", world_a)).content.decode()
    status_url = url("recalculation-status", world_a, pk=r.pk)
    # the polling is static/js/app.js's (the CSP allows no inline script): it polls a box whose
    # data-finished is "0" every 2 seconds
    assert f'data-status-url="{status_url}"' in body and 'data-finished="0"' in body
    assert "/static/js/app.js" in body
    script = (settings.BASE_DIR / "static" / "js" / "app.js").read_text()
    assert 'box.getAttribute("data-finished") === "1"' in script
    assert "window.setTimeout(poll, 2000)" in script
    assert "Signalen worden herberekend: 12 van 36 maanden" in body
    data = json.loads(client.get(status_url).content)
    assert data == {
        "id": r.pk,
        "status": "running",
        "statusLabel": "Bezig",
        "finished": False,
        "monthsDone": 12,
        "monthsTotal": 36,
        "signalsAmberRed": None,
        "text": "Signalen worden herberekend: 12 van 36 maanden",
        "signalsUrl": url("signals", world_a),
    }
    SignalRecalculation.objects.filter(pk=r.pk).update(
        status="done", months_done=36, signals_amber_red=5
    )
    data = json.loads(client.get(status_url).content)
    assert data["finished"] and data["text"] == "Klaar: 5 signalen rood of oranje over 36 maanden"
    body = client.get(url("norms", world_a)).content.decode()
    assert 'data-finished="1"' in body  # finished: no polling


def test_kpis_progress_and_failure_texts(client, world_a, users):
    r = SignalRecalculation.objects.create(
        region=world_a.region, reason="x", kind="kpis", status="running", months_total=20
    )
    status_url = url("recalculation-status", world_a, pk=r.pk)
    client.force_login(users.officer)
    SignalRecalculation.objects.filter(pk=r.pk).update(months_done=4)
    assert json.loads(client.get(status_url).content)["text"] == (
        "KPI's worden herberekend: 4 van 10 maanden"
    )
    SignalRecalculation.objects.filter(pk=r.pk).update(months_done=16)
    assert json.loads(client.get(status_url).content)["text"] == (
        "Signalen worden herberekend: 6 van 10 maanden"
    )
    SignalRecalculation.objects.filter(pk=r.pk).update(status="failed", error="Kapot.")
    assert json.loads(client.get(status_url).content)["text"] == "Mislukt: Kapot."


def test_status_is_scoped(client, world_a, world_b, users):
    mine = SignalRecalculation.objects.create(region=world_a.region, reason="A")
    theirs = SignalRecalculation.objects.create(region=world_b.region, reason="B")
    client.force_login(users.officer)
    assert client.get(url("recalculation-status", world_a, pk=theirs.pk)).status_code == 404
    assert client.get(url("recalculation-status", world_a, pk=mine.pk)).status_code == 200
    client.force_login(users.municipal)
    assert client.get(url("recalculation-status", world_a, pk=mine.pk)).status_code == 403
    client.force_login(users.other_region_officer)
    assert client.get(url("recalculation-status", world_a, pk=mine.pk)).status_code == 404


def test_the_buttons_start_a_recalculation(
    client, world_a, users, past, django_capture_on_commit_callbacks
):
    target = url("recalculations", world_a)
    client.force_login(users.viewer)
    page = text(client.get(target))
    assert "Signalen herberekenen" not in page and "Nog geen herberekeningen." in page
    assert "Signalen herberekenen" not in text(client.get(url("norms", world_a)))
    assert client.post(target, {"form": "start", "start-kind": "signals"}).status_code == 403
    client.force_login(users.municipal)
    assert client.post(target, {"form": "start", "start-kind": "signals"}).status_code == 403
    assert not SignalRecalculation.objects.exists()

    client.force_login(users.administrator)
    assert "KPI's herberekenen" in text(client.get(target))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(target, {"form": "start", "start-kind": "signals"})
    response = client.get(response.url)
    r = SignalRecalculation.objects.get()
    assert (r.kind, r.status, r.requested_by, r.reason) == (
        "signals",
        "done",
        users.administrator,
        "Handmatig gestart",
    )
    page = text(response)
    assert "De herberekening van de signalen is aangevraagd." in page
    # the contract has its own wait-time agreement only: no drop-out norm, nothing amber or red
    assert "Klaar: 0 signalen rood of oranje over 8 maanden" in page
    assert "Handmatig gestart" in page and "Signalen" in page

    client.force_login(users.contract_manager)
    assert "Signalen herberekenen" in text(client.get(url("norms", world_a)))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(target, {"form": "start", "start-kind": "kpis"})
    assert SignalRecalculation.objects.first().kind == "kpis"
    response = client.post(target, {"form": "start", "start-kind": "alles"})
    assert response.status_code == 200 and SignalRecalculation.objects.count() == 2


def test_a_kpi_agreement_saved_on_the_contract_page_recalculates(
    client, world_a, users, past, django_capture_on_commit_callbacks
):
    """Drop-out agreement 5 / amber from 8 / red from 10 %: January 25.0 red, February 10.0 red,
    June 16.7 red; nothing green after them: 3 open."""
    from tests.contracts.test_contract_pages import kpi_data

    client.force_login(users.contract_manager)
    target = reverse("contracts:kpi-create", kwargs={"region": world_a.region.slug, "pk": past.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(target, kpi_data())
    response = client.get(response.url)
    assert any("worden herberekend" in str(m) for m in response.context["messages"])
    r = SignalRecalculation.objects.get()
    assert (r.requested_by, r.status, r.signals_amber_red) == (users.contract_manager, "done", 3)
    assert r.reason == f"KPI-afspraak Uitval (%) in contract {past.reference} ingesteld"
    assert "Klaar: 3 signalen rood of oranje over 8 maanden" in text(
        client.get(url("norms", world_a))
    )
