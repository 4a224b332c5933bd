"""The history (audit) page reads as Dutch sentences: actions in words, no primary key, no
"None" (issue 22: "ID: None → 3" and "create")."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from core.ui import history
from segments.models import Segment
from tests.pagetext import visible_text

pytestmark = pytest.mark.django_db


def test_history_page_has_no_none_no_id_and_dutch_actions(client, world_a, users):
    client.force_login(users.officer)
    r = world_a.region.slug
    client.post(
        reverse("segments:segment-create", kwargs={"region": r}),
        {
            "parent": world_a.segment.pk,
            "code": "1b",
            "name": "Nieuw deelsegment",
            "care_forms": [world_a.care_form.pk],
            "bought_regionally": "on",
        },
    )
    segment = Segment.objects.get(region=world_a.region, code="1b")
    client.post(
        reverse("segments:segment-update", kwargs={"region": r, "pk": segment.pk}),
        {
            "parent": world_a.segment.pk,
            "code": "1b",
            "name": "Hernoemd deelsegment",
            "care_forms": [world_a.care_form.pk],
            "bought_regionally": "on",
        },
    )
    page = reverse(
        "segments:history", kwargs={"region": r, "model": "segments.segment", "pk": segment.pk}
    )
    for language in ("nl", "en"):
        text = visible_text(client.get(page, HTTP_ACCEPT_LANGUAGE=language).content.decode())
        assert "None" not in text
        assert "ID:" not in text and "ID :" not in text
        assert "create" not in text.split()
    text = visible_text(client.get(page, HTTP_ACCEPT_LANGUAGE="nl").content.decode())
    assert "aangemaakt" in text and "gewijzigd" in text
    assert "Nieuw deelsegment → Hernoemd deelsegment" in text
    # a new object's fields show their value only, the parent by its name, not its id
    assert "Nieuw deelsegment → " not in text.replace("Nieuw deelsegment → Hernoemd", "")
    assert str(world_a.segment) in text


def test_shown_values():
    assert history.shown_value("None") == "—"
    assert history.shown_value(None) == "—"
    assert history.shown_value("True") == "ja"
    assert history.shown_value("False") == "nee"
    assert history.shown_value("3") == "3"
    assert history.shown_value("segments.Segment.None") == "—"
    assert history.action_label(LogEntry.Action.CREATE) == "aangemaakt"
    assert history.action_label(LogEntry.Action.DELETE) == "verwijderd"
