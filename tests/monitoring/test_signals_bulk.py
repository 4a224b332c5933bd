"""Handling several signals at once: chosen on the list, confirmed, one service call per
signal in one transaction; a refusal for one names it and saves nothing."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from monitoring.models import Signal, SignalStatus
from monitoring.steering import dialogues

from .test_dialogues import FEBRUARY, MARCH, make_signal

pytestmark = pytest.mark.django_db


def url(w, name="signals-bulk"):
    return reverse(f"monitoring:{name}", kwargs={"region": w.region.slug})


def test_the_list_offers_checkboxes_with_labels_and_a_select_all_to_editors(client, world_a, users):
    signal = make_signal(world_a)
    client.force_login(users.contract_manager)
    page = client.get(url(world_a, "signals")).content.decode()
    assert f'id="kies-signaal-{signal.pk}"' in page and f'for="kies-signaal-{signal.pk}"' in page
    assert "data-bulk-all" in page and 'for="signals-bulk-all"' in page
    assert 'aria-live="polite"' in page and "js/bulk.js" in page
    client.force_login(users.viewer)
    page = client.get(url(world_a, "signals")).content.decode()
    assert "kies-signaal-" not in page and "signals-bulk" not in page


def test_confirm_then_close_several_signals(client, world_a, users):
    one = make_signal(world_a)
    two = make_signal(world_a, period=FEBRUARY)
    other = make_signal(world_a, topic="outflow")
    client.force_login(users.contract_manager)
    confirm = client.get(url(world_a), {"signalen": [one.pk, two.pk]})
    assert confirm.status_code == 200
    assert [s.pk for s, _title in confirm.context["signals"]] == [one.pk, two.pk]
    assert "2 signalen afhandelen" in confirm.content.decode()
    # nothing happens on the GET: it only states what will be recorded
    assert Signal.objects.filter(status=SignalStatus.CLOSED).count() == 0
    response = client.post(
        url(world_a), {"signalen": [one.pk, two.pk], "action": "close", "note": "Besproken"}
    )
    assert response.status_code == 302
    one.refresh_from_db(), two.refresh_from_db(), other.refresh_from_db()
    assert (one.status, two.status, other.status) == ("closed", "closed", "open")
    assert one.handled_by == users.contract_manager
    notes = [e.additional_data["note"] for e in LogEntry.objects.get_for_object(one)]
    assert "Besproken" in notes


def test_a_note_is_needed(client, world_a, users):
    one = make_signal(world_a)
    client.force_login(users.contract_manager)
    response = client.post(url(world_a), {"signalen": [one.pk], "action": "close", "note": " "})
    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    one.refresh_from_db()
    assert one.status == SignalStatus.OPEN


def test_one_refusal_names_the_signal_and_saves_nothing(client, world_a, users):
    first = make_signal(world_a)
    closed = make_signal(world_a, period=FEBRUARY)
    dialogues.signal_close(signal=closed, note="eerder afgehandeld")
    client.force_login(users.contract_manager)
    response = client.post(
        url(world_a), {"signalen": [first.pk, closed.pk], "action": "close", "note": "Samen"}
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert dialogues.signal_title(closed) in errors and "Er is niets opgeslagen." in errors
    first.refresh_from_db()
    assert first.status == SignalStatus.OPEN and first.handled_at is None
    assert not [e for e in LogEntry.objects.get_for_object(first) if e.additional_data]


def test_the_service_is_all_or_nothing(world_a, users):
    first = make_signal(world_a)
    closed = make_signal(world_a, period=FEBRUARY)
    dialogues.signal_close(signal=closed, note="eerder")
    with pytest.raises(Exception, match="al afgehandeld"):
        dialogues.signals_close(signals=[first, closed], user=users.officer, note="x")
    first.refresh_from_db()
    assert first.status == SignalStatus.OPEN


def test_signals_of_another_region_cannot_be_chosen(client, world_a, world_b, users):
    theirs = make_signal(world_b)
    client.force_login(users.contract_manager)
    response = client.get(url(world_a), {"signalen": [theirs.pk]})
    assert response.context["signals"] == []
    client.post(url(world_a), {"signalen": [theirs.pk], "action": "close", "note": "x"})
    theirs.refresh_from_db()
    assert theirs.status == SignalStatus.OPEN
    assert MARCH  # the months of make_signal
