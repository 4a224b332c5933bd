"""The objection register: recorded in the objection period, decided or withdrawn through its
transition table, and an open objection holds the definitive award of its lot (a lot-less one:
of the whole procedure)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.models import Contract
from procurement import objections, services
from procurement.codes import Outcome, TenderState
from procurement.models import Lot, Objection
from procurement.workflow import TransitionNotAllowed
from tests.procurement.factories import sas_to_provisional_award
from tests.segments.factories import SegmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_objection(world_a, users):
    """An SAS procedure whose award decision went out: (tender, submissions, now, later) with
    ``later`` past the objection period."""
    t, subs, now = sas_to_provisional_award(world_a, users.officer)
    services.tender_transition(tender=t, name="start_objection", user=users.officer, now=now)
    t.refresh_from_db()
    return t, subs, now, now + timedelta(days=21)


def record(t, subs, now, **kw):
    loser = next(s for s in subs if s.outcome == Outcome.NOT_PRESELECTED)
    if "lot" not in kw:
        kw["lot"] = t.lots.get()
    return objections.objection_record(
        tender=t,
        kind=kw.pop("kind", "bezwaar"),
        provider=loser.provider,
        received_on=now.date(),
        grounds="De score op criterium 1 is onjuist.",
        today=now.date(),
        **kw,
    )


def award_refusal(t, later, user=None):
    with pytest.raises(TransitionNotAllowed) as info:
        services.tender_transition(tender=t, name="award", user=user, now=later)
    return " ".join(str(r) for r in info.value.reasons)


def test_an_objection_is_recorded_only_in_the_objection_period(world_a, users):
    t, subs, now = sas_to_provisional_award(world_a, users.officer)
    with pytest.raises(ValidationError) as info:
        record(t, subs, now)
    assert info.value.messages == [
        "Een bezwaar wordt vastgelegd in de bezwaartermijn, na het versturen van de "
        "gunningsbeslissing (fase nu: Voorlopige gunning)."
    ]
    assert not Objection.objects.exists()


def test_bad_input_is_named_per_field_and_nothing_is_saved(in_objection):
    t, _subs, now, _later = in_objection
    with pytest.raises(ValidationError) as info:
        objections.objection_record(
            tender=t,
            kind="klacht",
            received_on=now.date() + timedelta(days=2),
            grounds="  ",
            today=now.date(),
        )
    assert info.value.message_dict == {
        "kind": ["Kies bezwaar of kort geding."],
        "grounds": ["Neem de gronden van het bezwaar op."],
        "submitter_name": ["Noem wie het bezwaar indient: een aanbieder of een naam."],
        "received_on": ["De ontvangstdatum ligt in de toekomst."],
    }
    assert not Objection.objects.exists()


def test_an_open_objection_on_the_awarded_lot_holds_the_definitive_award(in_objection, users):
    t, subs, now, later = in_objection
    obj = record(t, subs, now)
    text = award_refusal(t, later, users.officer)
    loser = obj.provider
    assert (
        "De definitieve gunning is opgeschort zolang een bezwaar open is: Bezwaar nr. 1 van "
        f"{loser} over Perceel 1: " in text
    )
    assert f"ontvangen op {now.date():%d-%m-%Y}. Beslis eerst op het bezwaar." in text
    t.refresh_from_db()
    assert t.state == TenderState.OBJECTION
    assert not t.events.filter(transition="award").exists()
    assert not Contract.objects.filter(lot__tender=t).exists()
    objections.objection_decide(
        objection=obj,
        outcome="ongegrond",
        decision="De score is juist gemotiveerd.",
        decided_on=now.date() + timedelta(days=5),
        today=now.date() + timedelta(days=5),
    )
    services.tender_transition(tender=t, name="award", user=users.officer, now=later)
    t.refresh_from_db()
    assert t.state == TenderState.DEFINITIVE_AWARD
    awarded = [s for s in subs if s.outcome == Outcome.AWARDED]
    assert Contract.objects.filter(lot__tender=t).count() == len(awarded) == 2


def test_a_kort_geding_about_the_whole_procedure_holds_the_award(in_objection):
    t, subs, now, later = in_objection
    record(t, subs, now, lot=None, kind="kort_geding")
    assert "Kort geding nr. 1 van " in award_refusal(t, later)
    assert "over de hele procedure" in award_refusal(t, later)


def test_an_objection_on_a_lot_without_a_winner_does_not_hold_the_award(world_a, in_objection):
    t, subs, now, later = in_objection
    other = Lot.objects.create(
        tender=t, number=2, segment=SegmentFactory(region=world_a.region, code="X2")
    )
    record(t, subs, now, lot=other)
    services.tender_transition(tender=t, name="award", now=later)
    t.refresh_from_db()
    assert t.state == TenderState.DEFINITIVE_AWARD


def test_a_withdrawn_objection_no_longer_holds_and_cannot_be_decided(in_objection):
    t, subs, now, later = in_objection
    obj = record(t, subs, now)
    obj = objections.objection_withdraw(objection=obj, on=now.date(), today=now.date())
    assert (obj.status, obj.outcome, obj.decision) == (
        "withdrawn",
        "ingetrokken",
        "Ingetrokken door de indiener.",
    )
    with pytest.raises(ValidationError) as info:
        objections.objection_decide(
            objection=obj,
            outcome="gegrond",
            decision="Toch gegrond",
            decided_on=now.date(),
            today=now.date(),
        )
    assert info.value.messages == [f"Dit kan niet meer: {obj} is al ingetrokken."]
    obj.refresh_from_db()
    assert obj.outcome == "ingetrokken"
    services.tender_transition(tender=t, name="award", now=later)


def test_a_decision_needs_an_outcome_text_and_a_date_not_before_receipt(in_objection):
    t, subs, now, _later = in_objection
    obj = record(t, subs, now)
    with pytest.raises(ValidationError) as info:
        objections.objection_decide(
            objection=obj,
            outcome="ingetrokken",
            decision="",
            decided_on=now.date() - timedelta(days=1),
            today=now.date(),
        )
    assert info.value.message_dict == {
        "outcome": ["Kies gegrond, ongegrond of niet-ontvankelijk."],
        "decision": ["Neem de beslissing en haar motivering op."],
        "decided_on": [
            f"De beslisdatum ligt voor de ontvangst van het bezwaar ({now.date():%d-%m-%Y})."
        ],
    }
    obj.refresh_from_db()
    assert (obj.status, obj.outcome, obj.decided_on) == ("open", "", None)


def test_the_decision_document_is_served_only_to_region_roles(in_objection, users, client):
    t, subs, now, _later = in_objection
    obj = record(t, subs, now)
    objections.objection_decide(
        objection=obj,
        outcome="ongegrond",
        decision="Ongegrond",
        decided_on=now.date(),
        document=SimpleUploadedFile("beslissing.pdf", b"%PDF-1.4\n%%EOF\n"),
        today=now.date(),
    )
    obj.refresh_from_db()
    assert obj.decision_document_name == "beslissing.pdf"
    url = reverse(
        "procurement:objection-document",
        kwargs={"region": t.region.slug, "tender": t.pk, "pk": obj.pk},
    )
    client.force_login(users.viewer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(users.municipal)
    assert client.get(url).status_code == 404
    client.force_login(users.other_region_officer)
    assert client.get(url).status_code == 404


def test_the_officer_records_and_decides_on_the_register_page(in_objection, users, client):
    t, subs, now, _later = in_objection
    loser = next(s for s in subs if s.outcome == Outcome.NOT_PRESELECTED)
    url = reverse("procurement:objections", kwargs={"region": t.region.slug, "tender": t.pk})
    client.force_login(users.officer)
    response = client.post(
        url,
        {
            "action": "record",
            "target": "0",
            "record-kind": "bezwaar",
            "record-lot": t.lots.get().pk,
            "record-provider": loser.provider.pk,
            "record-received_on": "",
            "record-grounds": "Onjuist",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Niet opgeslagen: zie de melding bij het formulier." in page
    assert 'id="id_record-received_on_error"' in page  # the error next to the field
    assert not Objection.objects.exists()
    client.force_login(users.viewer)
    assert client.post(url, {"action": "record", "target": "0"}).status_code == 403


def test_the_tests_clock_gives_the_regions_day_at_any_hour():
    """CI ran at 23:13 UTC, when Amsterdam is a day further: the tests' ``now.date()`` must be the
    day the services see (``timezone.localdate(now)``), or a receipt lies 'before' the period."""
    from datetime import UTC, date, datetime
    from types import SimpleNamespace

    from django.utils import timezone

    from tests.procurement.factories import after_deadline

    late = SimpleNamespace(submission_deadline=datetime(2026, 12, 17, 23, 13, tzinfo=UTC))
    now = after_deadline(late)
    assert now.date() == timezone.localdate(now) == date(2026, 12, 19)
