"""Award rules: a provisional or definitive award (every procedure type) needs the provider's
admissibility under the region's screening rules, or a recorded, reasoned exception. The
refusal names the provider and the screening; nothing is half-saved."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from core.ui.formatting import format_date
from procurement import objections, services
from procurement.codes import Outcome, ProcedureType, TenderState
from procurement.models import AwardException, Milestone, TenderEvent
from procurement.workflow import TransitionNotAllowed
from providers.models import Screening
from tests.procurement.factories import (
    after_deadline,
    consensus,
    new_provider,
    pass_all,
    sas_to_provisional_award,
    tender,
    to_scoring,
)
from tests.providers.factories import ScreeningFactory

pytestmark = pytest.mark.django_db

VOG = "Verklaring omtrent gedrag (VOG)"


@pytest.fixture
def officer_a(users):
    return users.officer


def fail_vog(provider, on):
    """A newer VOG screening that failed: the provider is no longer admissible."""
    return ScreeningFactory(provider=provider, kind="vog", status="failed", date=on)


def refused(exc_type, fn, **kw):
    with pytest.raises(exc_type) as info:
        fn(**kw)
    return info.value


def test_tender_provisional_award_is_refused_for_an_inadmissible_winner(world_a, officer_a):
    t, subs, now = to_scoring(world_a, 2, procedure_type=ProcedureType.TENDER, preselection_count=1)
    consensus(subs[0], 8, 8)  # 80 points: the winner
    consensus(subs[1], 6, 6)  # 60 points
    winner = subs[0]
    fail_vog(winner.provider, now.date())
    err = refused(
        TransitionNotAllowed,
        services.tender_transition,
        tender=t,
        name="provisional_award",
        user=officer_a,
        now=now,
    )
    text = " ".join(str(r) for r in err.reasons)
    assert f"{winner.provider} (Perceel 1: " in text
    assert f"{VOG}: voldoet niet" in text
    assert str(subs[1].provider) not in text  # not a winner: its screening is not asked
    # nothing half-saved: no outcome, no ranking stored, no event, no milestone
    t.refresh_from_db()
    assert t.state == TenderState.SCORING
    for s in subs:
        s.refresh_from_db()
        assert (s.outcome, s.rank) == (Outcome.PENDING, None)
    assert not TenderEvent.objects.filter(tender=t, transition="provisional_award").exists()
    assert not Milestone.objects.filter(tender=t, kind="provisional_award").exists()


def test_an_inadmissible_loser_does_not_hold_the_provisional_award(world_a, officer_a):
    t, subs, now = to_scoring(world_a, 2, procedure_type=ProcedureType.TENDER, preselection_count=1)
    consensus(subs[0], 8, 8)
    consensus(subs[1], 6, 6)
    fail_vog(subs[1].provider, now.date())  # ranks second: not awarded
    services.tender_transition(tender=t, name="provisional_award", user=officer_a, now=now)
    subs[0].refresh_from_db()
    subs[1].refresh_from_db()
    assert (subs[0].outcome, subs[1].outcome) == (Outcome.AWARDED, Outcome.NOT_AWARDED)


def test_a_recorded_exception_lets_the_award_pass(world_a, officer_a):
    t, subs, now = to_scoring(world_a, 1, procedure_type=ProcedureType.TENDER)
    consensus(subs[0], 8, 8)
    fail_vog(subs[0].provider, now.date())
    err = refused(
        ValidationError,
        objections.award_exception_record,
        submission=subs[0],
        reason="  ",
        user=officer_a,
    )
    assert err.message_dict == {"reason": ["Motiveer waarom wordt afgeweken van de screening."]}
    assert not AwardException.objects.exists()
    exception = objections.award_exception_record(
        submission=subs[0],
        reason="VOG aangevraagd; uitslag volgt binnen de bezwaartermijn.",
        user=officer_a,
    )
    assert (exception.recorded_by, exception.submission) == (officer_a, subs[0])
    services.tender_transition(tender=t, name="provisional_award", user=officer_a, now=now)
    subs[0].refresh_from_db()
    assert subs[0].outcome == Outcome.AWARDED


def test_an_exception_for_an_admissible_provider_is_refused(world_a, officer_a):
    _t, subs, _now = to_scoring(world_a, 1, procedure_type=ProcedureType.TENDER)
    err = refused(
        ValidationError,
        objections.award_exception_record,
        submission=subs[0],
        reason="Voor de zekerheid",
    )
    assert err.messages == [
        f"{subs[0].provider} is toelaatbaar volgens de screening; een uitzondering is niet nodig."
    ]


def test_definitive_award_is_refused_when_a_screening_expired_in_the_objection_period(
    world_a, officer_a
):
    t, subs, now = sas_to_provisional_award(world_a, officer_a)
    services.tender_transition(tender=t, name="start_objection", user=officer_a, now=now)
    later = now + timedelta(days=21)
    winner = next(s for s in subs if s.outcome == Outcome.AWARDED)
    expired_on = later.date() - timedelta(days=1)
    Screening.objects.filter(provider=winner.provider, kind__code="vog").update(
        valid_until=expired_on
    )
    err = refused(
        TransitionNotAllowed,
        services.tender_transition,
        tender=t,
        name="award",
        user=officer_a,
        now=later,
    )
    text = " ".join(str(r) for r in err.reasons)
    assert f"{winner.provider} (Perceel 1: " in text
    assert f"{VOG}: verlopen op {format_date(expired_on)}" in text
    t.refresh_from_db()
    assert t.state == TenderState.OBJECTION
    assert not t.events.filter(transition="award").exists()
    objections.award_exception_record(
        submission=winner,
        reason="Nieuwe VOG is aangevraagd en wordt nagestuurd.",
        user=officer_a,
        today=later.date(),
    )
    services.tender_transition(tender=t, name="award", user=officer_a, now=later)
    t.refresh_from_db()
    assert t.state == TenderState.DEFINITIVE_AWARD


def test_setting_an_outcome_to_awarded_needs_admissibility(world_a, officer_a):
    t, subs, now = sas_to_provisional_award(world_a, officer_a)
    loser = next(s for s in subs if s.outcome == Outcome.NOT_PRESELECTED)
    awarded = next(s for s in subs if s.outcome == Outcome.AWARDED)
    services.submission_set_outcome(
        submission=awarded, outcome=Outcome.NOT_AWARDED, reason="Heroverwogen"
    )
    fail_vog(awarded.provider, now.date())
    err = refused(
        ValidationError,
        services.submission_set_outcome,
        submission=awarded,
        outcome=Outcome.AWARDED,
        reason="Toch gunnen",
    )
    assert err.messages == [
        f"{awarded.provider} is niet toelaatbaar volgens de screening van de regio: {VOG}: "
        "voldoet niet. Leg de screening vast of een gemotiveerde uitzondering."
    ]
    awarded.refresh_from_db()
    assert (awarded.outcome, awarded.outcome_reason) == (Outcome.NOT_AWARDED, "Heroverwogen")
    assert loser.outcome == Outcome.NOT_PRESELECTED


def test_a_budget_grant_is_refused_for_an_inadmissible_applicant(world_a, officer_a):
    t = tender(world_a, ProcedureType.BUDGET_GRANT, weights=None)
    services.tender_transition(tender=t, name="publish", user=officer_a)
    lot = t.lots.get()
    good = services.submission_create(
        lot=lot, provider=new_provider(world_a), care_form_ids=[world_a.care_form.pk]
    )
    unscreened = new_provider(world_a, screened=False, name="Nieuw Initiatief")
    bad = services.submission_create(
        lot=lot, provider=unscreened, care_form_ids=[world_a.care_form.pk]
    )
    now = after_deadline(t)
    services.tender_transition(tender=t, name="close_submissions", now=now)
    services.tender_transition(tender=t, name="start_eligibility", now=now)
    pass_all(good)
    pass_all(bad)
    err = refused(TransitionNotAllowed, services.tender_transition, tender=t, name="award", now=now)
    text = " ".join(str(r) for r in err.reasons)
    assert "Nieuw Initiatief (Perceel 1: " in text
    assert f"{VOG}: geen screening vastgelegd" in text
    good.refresh_from_db()
    assert good.outcome == Outcome.PENDING  # nobody half-awarded
    objections.award_exception_record(submission=bad, reason="Startsubsidie voor nieuwkomer.")
    services.tender_transition(tender=t, name="award", now=now)
    bad.refresh_from_db()
    assert bad.outcome == Outcome.AWARDED


def test_the_transition_option_shows_the_blocker_on_the_tender_page(world_a, officer_a, client):
    t, subs, now = to_scoring(world_a, 1, procedure_type=ProcedureType.TENDER)
    consensus(subs[0], 8, 8)
    fail_vog(subs[0].provider, now.date())
    client.force_login(officer_a)
    response = client.get(t.get_absolute_url())
    assert response.status_code == 200
    assert "Niet toelaatbaar volgens de screening van de regio" in response.content.decode()
