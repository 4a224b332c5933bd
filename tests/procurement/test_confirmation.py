"""Publishing, awarding (the decision sent, definitive) and admission decisions first show a
confirmation page that records nothing; only "Bevestigen" records exactly one step. A step the
workflow refuses still shows its reasons."""

from datetime import timedelta

import pytest
from django.urls import reverse

from contracts.models import Contract
from procurement import services
from procurement.codes import Outcome, ProcedureType, TenderState
from procurement.models import TenderEvent
from tests.procurement.factories import new_provider, pass_all, sas_to_provisional_award, tender

pytestmark = pytest.mark.django_db


def url(name, w, **kw):
    return reverse(f"procurement:{name}", kwargs={"region": w.region.slug, **kw})


def text(response) -> str:
    return response.content.decode()


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def confirm_step(client, link, *, expect: str, state):
    """POST the step: a confirmation page stating ``expect``, nothing recorded; then confirm."""
    before = TenderEvent.objects.count()
    page = client.post(link)
    assert page.status_code == 200
    html = text(page)
    assert "Controleer wat wordt vastgelegd" in html and expect in html
    assert TenderEvent.objects.count() == before
    assert state() == state.before
    done = client.post(link, {"_confirm": "1"}, follow=True)
    assert done.status_code == 200
    assert TenderEvent.objects.count() == before + 1
    return done


def test_publish_and_award_go_through_a_confirmation(client, world_a, users, time_machine):
    client.force_login(users.officer)
    draft = tender(world_a, preselection_count=2)

    def state():
        draft.refresh_from_db()
        return draft.state

    state.before = TenderState.DRAFT
    link = url("tender-transition", world_a, pk=draft.pk, step="publish")
    confirm_step(
        client, link, expect=f"Procedure {draft.reference} wordt gepubliceerd", state=state
    )
    assert state() == TenderState.PUBLISHED

    t, subs, now = sas_to_provisional_award(world_a, users.officer)
    time_machine.move_to(now)
    client.force_login(users.officer)  # the session would have expired meanwhile

    def state():  # noqa: F811
        t.refresh_from_db()
        return t.state

    state.before = TenderState.PROVISIONAL_AWARD
    link = url("tender-transition", world_a, pk=t.pk, step="start_objection")
    done = confirm_step(client, link, expect="de bezwaartermijn start", state=state)
    assert state() == TenderState.OBJECTION
    assert "De procedure is nu in de fase" in " ".join(messages_of(done))

    # Too early: the refusal is shown, before any confirmation, and nothing is recorded.
    link = url("tender-transition", world_a, pk=t.pk, step="award")
    refused = client.post(link, follow=True)
    assert any("bezwaartermijn" in m for m in messages_of(refused))
    assert "Controleer wat wordt vastgelegd" not in text(refused)
    assert state() == TenderState.OBJECTION

    time_machine.move_to(now + timedelta(days=21))
    client.force_login(users.officer)
    state.before = TenderState.OBJECTION
    page = client.post(link)
    assert "Beta" in text(page) and "Gamma" in text(page)  # awarded to
    assert not Contract.objects.filter(lot__tender=t).exists()
    confirm_step(client, link, expect="definitief gegund", state=state)
    assert state() == TenderState.DEFINITIVE_AWARD
    assert Contract.objects.filter(lot__tender=t).count() == 2


def test_other_steps_need_no_confirmation(client, world_a, users):
    client.force_login(users.officer)
    t = tender(world_a)
    services.tender_transition(tender=t, name="publish")
    response = client.post(url("tender-transition", world_a, pk=t.pk, step="open_qna"))
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.state == TenderState.QNA


@pytest.mark.parametrize(
    ("decision", "outcome", "summary"),
    [
        ("admit", Outcome.ADMITTED, "wordt op"),
        ("refuse", Outcome.REFUSED, "wordt op"),
    ],
)
def test_an_admission_decision_goes_through_a_confirmation(
    client, world_a, users, decision, outcome, summary
):
    t = tender(world_a, ProcedureType.OPEN_HOUSE, weights=None)
    services.tender_transition(tender=t, name="publish")
    provider = new_provider(world_a)
    sub = services.submission_create(
        lot=t.lots.get(), provider=provider, care_form_ids=[world_a.care_form.pk]
    )
    pass_all(sub)
    client.force_login(users.officer)
    link = reverse(
        "procurement:submission-action",
        kwargs={"region": world_a.region.slug, "tender": t.pk, "pk": sub.pk, "action": "toelating"},
    )
    data = {"decision": decision, "outcome_reason": "Voldoet aan de eisen"}

    page = client.post(link, data)
    assert page.status_code == 200
    html = text(page)
    assert provider.name in html and "Voldoet aan de eisen" in html
    word = "toegelaten tot" if decision == "admit" else "wordt op"
    assert word in html and summary in html
    sub.refresh_from_db()
    assert sub.outcome == Outcome.PENDING
    assert not Contract.objects.filter(submission=sub).exists()

    client.post(link, {**data, "_confirm": "1"})
    sub.refresh_from_db()
    assert sub.outcome == outcome
    assert Contract.objects.filter(submission=sub).count() == (1 if decision == "admit" else 0)


def test_an_admission_decision_without_reason_is_refused_before_confirming(client, world_a, users):
    t = tender(world_a, ProcedureType.OPEN_HOUSE, weights=None)
    services.tender_transition(tender=t, name="publish")
    sub = services.submission_create(
        lot=t.lots.get(), provider=new_provider(world_a), care_form_ids=[world_a.care_form.pk]
    )
    client.force_login(users.officer)
    link = reverse(
        "procurement:submission-action",
        kwargs={"region": world_a.region.slug, "tender": t.pk, "pk": sub.pk, "action": "toelating"},
    )
    # the toets is not done: the service's refusal, before any confirmation
    response = client.post(link, {"decision": "admit", "outcome_reason": "Ok"}, follow=True)
    assert "Rond eerst de toets op alle eisen af." in messages_of(response)
    sub.refresh_from_db()
    assert sub.outcome == Outcome.PENDING
