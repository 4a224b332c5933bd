"""Evidence (bewijsstukken) of the provisional winners: asked with a deadline and a list of
items, each approved or rejected (with a reason) by the officer; the definitive award waits
until every requested item of every provisional winner is approved."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from procurement import objections, services
from procurement.codes import Outcome, TenderState
from procurement.models import EvidenceItem, EvidenceRequest
from procurement.workflow import TransitionNotAllowed
from providers.models import MessageKind, ProviderMessage
from tests.procurement.factories import sas_to_provisional_award

pytestmark = pytest.mark.django_db

ITEMS = ["Uittreksel KvK", "Gedragsverklaring aanbesteden", "Verzekeringspolis"]


@pytest.fixture
def walk(world_a, users):
    t, subs, now = sas_to_provisional_award(world_a, users.officer)
    winners = [s for s in subs if s.outcome == Outcome.AWARDED]
    loser = next(s for s in subs if s.outcome != Outcome.AWARDED)
    return t, winners, loser, now


def ask(sub, now, items=ITEMS, **kw):
    return objections.evidence_request_create(
        submission=sub,
        items=items,
        due_on=now.date() + timedelta(days=7),
        today=now.date(),
        **kw,
    )


def test_a_request_lists_its_items_and_goes_to_the_inbox(walk, users):
    t, winners, _loser, now = walk
    request = ask(winners[0], now, text="Graag binnen een week.", user=users.officer)
    assert [i.title for i in request.items.all()] == ITEMS
    assert {i.status for i in request.items.all()} == {"pending"}
    message = request.message
    assert (message.kind, message.provider, message.submission_id) == (
        MessageKind.EVIDENCE_REQUEST,
        winners[0].provider,
        winners[0].pk,
    )
    assert message.due_on == now.date() + timedelta(days=7)
    assert message.body == (
        "Graag binnen een week.\n\nWij vragen u de volgende bewijsstukken aan te leveren:\n"
        "- Uittreksel KvK\n- Gedragsverklaring aanbesteden\n- Verzekeringspolis"
    )


def test_evidence_is_asked_only_of_a_provisional_winner(walk):
    t, _winners, loser, now = walk
    with pytest.raises(ValidationError) as info:
        ask(loser, now)
    assert info.value.messages == [
        "Bewijsstukken worden alleen opgevraagd bij een voorlopige winnaar."
    ]
    assert not EvidenceRequest.objects.exists()
    assert not ProviderMessage.objects.filter(kind=MessageKind.EVIDENCE_REQUEST).exists()


@pytest.mark.parametrize(
    ("items", "due", "errors"),
    [
        (["", "  "], 7, {"items": ["Noem minstens één bewijsstuk."]}),
        (["KvK", "kvk"], 7, {"items": ["'kvk' staat twee keer in de lijst."]}),
        (["KvK"], -1, {"due_on": ["De uiterste datum ligt in het verleden."]}),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_sent(walk, items, due, errors):
    _t, winners, _loser, now = walk
    with pytest.raises(ValidationError) as info:
        objections.evidence_request_create(
            submission=winners[0],
            items=items,
            due_on=now.date() + timedelta(days=due),
            today=now.date(),
        )
    assert info.value.message_dict == errors
    assert not EvidenceRequest.objects.exists()
    assert not EvidenceItem.objects.exists()
    assert not ProviderMessage.objects.filter(kind=MessageKind.EVIDENCE_REQUEST).exists()


def test_the_definitive_award_waits_for_every_item_to_be_approved(walk, users):
    t, winners, _loser, now = walk
    first = ask(winners[0], now)
    second = ask(winners[1], now, items=["Uittreksel KvK"])
    services.tender_transition(tender=t, name="start_objection", user=users.officer, now=now)
    later = now + timedelta(days=21)
    kvk, gva, polis = first.items.all()
    objections.evidence_item_check(item=kvk, approve=True, user=users.officer)
    with pytest.raises(ValidationError) as info:
        objections.evidence_item_check(item=gva, approve=False, reason=" ")
    assert info.value.message_dict == {"reason": ["Geef de reden van afkeuren."]}
    objections.evidence_item_check(item=gva, approve=False, reason="Ouder dan twee jaar")
    with pytest.raises(TransitionNotAllowed) as refused:
        services.tender_transition(tender=t, name="award", now=later)
    text = " ".join(str(r) for r in refused.value.reasons)
    p0, p1 = winners[0].provider, winners[1].provider
    assert (
        "Nog niet alle bewijsstukken van de voorlopige winnaars zijn goedgekeurd: "
        f"{p0} (Perceel 1: " in text
    )
    assert (
        "Gedragsverklaring aanbesteden (afgekeurd: Ouder dan twee jaar), "
        "Verzekeringspolis (nog niet goedgekeurd)" in text
    )
    assert f"{p1} (Perceel 1: " in text and "Uittreksel KvK (nog niet goedgekeurd)" in text
    assert "Uittreksel KvK (nog niet goedgekeurd), Gedragsverklaring" not in text  # approved
    t.refresh_from_db()
    assert t.state == TenderState.OBJECTION
    # a rejected item is approved once a better document came in; then all is approved
    for item in (gva, polis, *second.items.all()):
        objections.evidence_item_check(item=item, approve=True, user=users.officer)
    gva.refresh_from_db()
    assert (gva.status, gva.reason, gva.checked_by) == ("approved", "", users.officer)
    services.tender_transition(tender=t, name="award", now=later)
    t.refresh_from_db()
    assert t.state == TenderState.DEFINITIVE_AWARD


def test_an_approved_item_is_not_judged_again_and_nothing_after_the_award(walk):
    t, winners, _loser, now = walk
    request = ask(winners[0], now)
    item = request.items.first()
    objections.evidence_item_check(item=item, approve=True)
    with pytest.raises(ValidationError) as info:
        objections.evidence_item_check(item=item, approve=False, reason="Toch niet")
    assert info.value.messages == ["Dit kan niet meer: Uittreksel KvK is al goedgekeurd."]
    item.refresh_from_db()
    assert (item.status, item.reason) == ("approved", "")
    for other in request.items.exclude(pk=item.pk):
        objections.evidence_item_check(item=other, approve=True)
    services.tender_transition(tender=t, name="start_objection", now=now)
    services.tender_transition(tender=t, name="award", now=now + timedelta(days=21))
    with pytest.raises(ValidationError) as info:
        ask(winners[1], now)
    assert info.value.messages == [
        "Bewijsstukken worden opgevraagd tussen de voorlopige en de definitieve gunning "
        "(fase nu: Definitieve gunning)."
    ]
