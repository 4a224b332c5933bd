"""The dialogue agenda as it is read: signals of the same KPI are one point with a count and
the list inside, not ten near-identical "Wachttijd" lines."""

from datetime import date

import pytest

from monitoring.steering import dialogues
from tests.monitoring.test_dialogues import make_signal
from tests.monitoring.test_steering_pages import url

pytestmark = pytest.mark.django_db


def months(n):
    return [date(2026, m, 1) for m in range(1, n + 1)]


def test_signals_of_one_kpi_become_one_agenda_point(world_a):
    w = world_a
    for month in months(10):
        make_signal(w, topic="wait_time", period=month, level="amber" if month.month % 2 else "red")
    make_signal(w, topic="dropout", period=date(2026, 5, 1), level="amber", value="9", norm="5")
    entries = dialogues.group_agenda(dialogues.draft_agenda(w.provider))
    titles = [e["title"] for e in entries]
    assert titles[0] == "Opening" and titles[-1] == "Rondvraag"
    [wait] = [e for e in entries if e["grouped"]]
    assert wait["title"] == "Wachttijd (dagen): 10 signalen" and wait["count"] == 10
    assert wait["level"] == "red"
    assert len(wait["items"]) == 10
    assert all("Wachttijd" in item["title"] for item in wait["items"])
    # a KPI with one signal stays one item with its own title
    [dropout] = [e for e in entries if e["signal"] is not None and e["signal"].topic == "dropout"]
    assert not dropout["grouped"] and dropout["title"].startswith("Oranje: Uitval (%)")
    assert len(entries) == 4  # opening, wait time, dropout, closing


def test_the_dialogue_page_shows_one_point_with_the_signals_inside(client, world_a, users):
    w = world_a
    for month in months(10):
        make_signal(w, topic="wait_time", period=month)
    dialogue = dialogues.dialogue_create(provider=w.provider, scheduled_on=date(2026, 11, 2))
    assert dialogue.agenda.count() == 12  # every signal stays its own agenda item
    client.force_login(users.contract_manager)
    body = client.get(url("dialogue-detail", w, pk=dialogue.pk)).content.decode()
    agenda = body.split('id="agenda-title"', 1)[1].split("</ol>", 1)[0]
    assert agenda.count('class="agenda__title"') == 3
    assert "Wachttijd (dagen): 10 signalen" in agenda
    assert "Toon de 10 signalen" in agenda
    assert agenda.count("Rood: Wachttijd") == 10
