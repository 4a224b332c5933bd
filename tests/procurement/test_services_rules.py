"""The procurement rules as the services enforce them: each bad input is refused with its own
message and leaves nothing half-saved (row counts before and after)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from contracts.models import Contract
from procurement import services
from procurement.codes import (
    AdmissionMode,
    FrameworkStatus,
    MilestoneKind,
    Outcome,
    ProcedureType,
    TenderState,
)
from procurement.models import (
    AdmissionCondition,
    AdmissionWindow,
    AwardCriterion,
    ConsensusScore,
    EligibilityCheck,
    Framework,
    Lot,
    Milestone,
    Question,
    Score,
    Strategy,
    Submission,
    Tender,
    TenderEvent,
)
from procurement.signals import award_made
from procurement.workflow import TransitionNotAllowed
from providers.models import ConsortiumMembership
from providers.services import consortium_set_members
from tests.procurement.factories import (
    after_deadline,
    aware,
    consensus,
    fail_one,
    new_provider,
    pass_all,
    tender,
    to_scoring,
)
from tests.providers.factories import ConsortiumFactory, MembershipFactory, screen_fully
from tests.segments.factories import CareFormFactory

pytestmark = pytest.mark.django_db

D = Decimal
S = TenderState
P = ProcedureType

COUNTED = (
    Tender,
    Lot,
    Submission,
    Submission.care_forms.through,
    EligibilityCheck,
    Score,
    ConsensusScore,
    AwardCriterion,
    TenderEvent,
    Milestone,
    AdmissionWindow,
    AdmissionCondition,
    Question,
    Contract,
    ConsortiumMembership,
)


def rows() -> dict:
    """How many rows each table of procurement (and the contracts it makes) holds, and the
    fields a refused call could have changed halfway."""
    snapshot = {m._meta.label: m.objects.count() for m in COUNTED}
    snapshot["tenders"] = sorted(Tender.objects.values_list("pk", "state", "closing_reason"))
    snapshot["submissions"] = sorted(
        Submission.objects.values_list(
            "pk", "outcome", "outcome_reason", "is_live", "eligible", "rank", "preselected"
        )
    )
    snapshot["criteria"] = sorted(AwardCriterion.objects.values_list("pk", "name", "weight"))
    snapshot["checks"] = sorted(EligibilityCheck.objects.values_list("pk", "passed", "evidence"))
    snapshot["scores"] = sorted(Score.objects.values_list("pk", "value", "reason"))
    snapshot["consensus"] = sorted(ConsensusScore.objects.values_list("pk", "value", "reason"))
    snapshot["answers"] = sorted(Question.objects.values_list("pk", "answer", "published_in"))
    snapshot["windows"] = sorted(AdmissionWindow.objects.values_list("pk", "closed_on"))
    return snapshot


def refused(exc_type, fn, *args, **kwargs):
    """Call ``fn``, expect ``exc_type`` and that nothing was added, lost or changed."""
    before = rows()
    with pytest.raises(exc_type) as excinfo:
        fn(*args, **kwargs)
    assert rows() == before
    return excinfo.value


def messages(error) -> list[str]:
    if isinstance(error, TransitionNotAllowed):
        return error.reasons
    return error.messages


def state_of(t) -> str:
    return Tender.objects.values_list("state", flat=True).get(pk=t.pk)


# ---------------------------------------------------------------- award criteria


def test_weights_summing_to_99_are_refused_and_the_old_criteria_stay(world_a):
    t = tender(world_a, weights=(60, 40))
    err = refused(
        ValidationError,
        services.criteria_replace,
        tender=t,
        rows=[{"name": "Kwaliteit", "weight": D(50)}, {"name": "Prijs", "weight": D(49)}],
    )
    assert messages(err) == ["De weging telt op tot 99%; dat moet precies 100% zijn."]
    assert [c.weight for c in t.criteria.all()] == [D(60), D(40)]


def test_weights_with_three_decimals_are_refused_rather_than_stored_rounded(world_a):
    t = tender(world_a, weights=(60, 40))
    err = refused(
        ValidationError,
        services.criteria_replace,
        tender=t,
        rows=[
            {"name": "A", "weight": D("33.333")},
            {"name": "B", "weight": D("33.333")},
            {"name": "C", "weight": D("33.334")},
        ],
    )
    assert messages(err) == ["Een weging heeft hoogstens twee decimalen."]


def test_two_criteria_with_the_same_name_are_refused(world_a):
    t = tender(world_a, weights=(60, 40))
    err = refused(
        ValidationError,
        services.criteria_replace,
        tender=t,
        rows=[{"name": "Kwaliteit", "weight": D(50)}, {"name": "Kwaliteit ", "weight": D(50)}],
    )
    assert messages(err) == ["Twee gunningscriteria heten 'Kwaliteit'."]


def test_criteria_are_replaced_as_a_whole_in_order(world_a):
    t = tender(world_a, weights=(60, 40))
    services.criteria_replace(
        tender=t,
        rows=[
            {"name": "Kwaliteit", "weight": D("33.33")},
            {"name": "Samenwerking", "weight": D("33.33")},
            {"name": "Innovatie", "weight": D("33.34")},
        ],
    )
    assert [(c.name, c.weight, c.order) for c in t.criteria.all()] == [
        ("Kwaliteit", D("33.33"), 1),
        ("Samenwerking", D("33.33"), 2),
        ("Innovatie", D("33.34"), 3),
    ]


def test_criteria_are_fixed_once_published(world_a):
    t = tender(world_a)
    services.tender_transition(tender=t, name="publish")
    t.refresh_from_db()
    err = refused(
        ValidationError,
        services.criteria_replace,
        tender=t,
        rows=[{"name": "Alles", "weight": D(100)}],
    )
    assert messages(err) == ["Gunningscriteria liggen vast zodra de procedure is gepubliceerd."]


def test_publishing_with_weights_not_adding_up_is_blocked(world_a):
    t = tender(world_a, weights=(60, 40))
    # A weight changed behind the service's back (e.g. in the admin) is still caught.
    AwardCriterion.objects.filter(tender=t, order=2).update(weight=D("39.5"))
    err = refused(TransitionNotAllowed, services.tender_transition, tender=t, name="publish")
    assert messages(err) == ["De weging van de gunningscriteria telt op tot 99.5%, niet tot 100%."]
    assert state_of(t) == S.DRAFT


# ---------------------------------------------------------------- scores


def test_a_score_outside_the_scale_saves_nothing_even_beside_valid_rows(world_a, users):
    t, (sub, _other), _now = to_scoring(world_a)
    c1, c2 = t.criteria.all()
    err = refused(
        ValidationError,
        services.submission_record_scores,
        submission=sub,
        assessor=users.officer,
        rows={c1.pk: (D(7), "Goed plan"), c2.pk: (D(11), "Uitstekend")},
    )
    assert err.message_dict == {
        c2.pk: ["Criterium 2: Een score ligt op de schaal van 0 tot en met 10; 11 valt erbuiten."]
    }
    # An earlier score is not overwritten by a refused call either.
    services.submission_record_scores(
        submission=sub, assessor=users.officer, rows={c1.pk: (D(6), "Voldoende")}
    )
    refused(
        ValidationError,
        services.submission_record_scores,
        submission=sub,
        assessor=users.officer,
        rows={c1.pk: (D(8), "Beter"), c2.pk: (D("-1"), "Slecht")},
    )
    assert list(Score.objects.values_list("value", "reason")) == [(D(6), "Voldoende")]


def test_scores_come_in_halves_and_with_a_reason(world_a, users):
    t, (sub, _other), _now = to_scoring(world_a)
    c1, c2 = t.criteria.all()
    err = refused(
        ValidationError,
        services.submission_record_scores,
        submission=sub,
        assessor=users.officer,
        rows={c1.pk: (D("7.25"), "Goed"), c2.pk: (D(7), "   ")},
    )
    assert err.message_dict == {
        c1.pk: ["Criterium 1: Scores gaan in hele of halve punten."],
        c2.pk: ["Criterium 2: motiveer de score."],
    }
    services.submission_record_scores(
        submission=sub,
        assessor=users.officer,
        rows={c1.pk: (D("7.5"), " Goed "), c2.pk: (D(0), "Ontbreekt")},
    )
    assert sorted(Score.objects.values_list("value", "reason")) == [
        (D(0), "Ontbreekt"),
        (D("7.5"), "Goed"),
    ]


def test_only_assessors_score_and_only_known_criteria(world_a, users):
    t, (sub, _other), _now = to_scoring(world_a)
    c1 = t.criteria.first()
    err = refused(
        PermissionDenied,
        services.submission_record_scores,
        submission=sub,
        assessor=users.viewer,
        rows={c1.pk: (D(7), "Goed")},
    )
    assert str(err) == "Alleen leden van de beoordelingscommissie scoren."
    other = tender(world_a)
    foreign = other.criteria.first()
    err = refused(
        ValidationError,
        services.submission_record_scores,
        submission=sub,
        assessor=users.officer,
        rows={foreign.pk: (D(7), "x")},
    )
    assert messages(err) == ["Onbekend gunningscriterium bij deze aanbesteding."]


def test_consensus_outside_the_scale_or_without_reason_saves_nothing(world_a):
    t, (sub, _other), _now = to_scoring(world_a)
    c1, c2 = t.criteria.all()
    err = refused(
        ValidationError,
        services.submission_record_consensus,
        submission=sub,
        rows={c1.pk: (D(8), "Sterk"), c2.pk: (D("10.5"), "Top")},
    )
    assert err.message_dict == {
        c2.pk: ["Criterium 2: Een score ligt op de schaal van 0 tot en met 10; 10.5 valt erbuiten."]
    }
    err = refused(
        ValidationError,
        services.submission_record_consensus,
        submission=sub,
        rows={c1.pk: (D(8), "Sterk"), c2.pk: (D(6), "")},
    )
    assert err.message_dict == {c2.pk: ["Criterium 2: motiveer de score."]}
    sub.refresh_from_db()
    assert sub.total_score is None
    consensus(sub, 8, 6)  # 8/10*60 + 6/10*40 = 48 + 24
    sub.refresh_from_db()
    assert sub.total_score == D("72.00")


def test_scores_only_in_the_scoring_phase_of_a_scored_procedure(world_a, users):
    t, (sub, _other), now = to_scoring(world_a)
    c1 = t.criteria.first()
    services.tender_transition(tender=t, name="cancel", reason="Stopgezet", now=now)
    err = refused(
        ValidationError,
        services.submission_record_scores,
        submission=sub,
        assessor=users.officer,
        rows={c1.pk: (D(7), "Goed")},
    )
    assert messages(err) == ["Scoren kan alleen in de fase beoordeling."]


def test_an_excluded_submission_is_not_scored(world_a):
    t = tender(world_a)
    lot = t.lots.get()
    services.tender_transition(tender=t, name="publish")
    good = services.submission_create(
        lot=lot, provider=new_provider(world_a), care_form_ids=[world_a.care_form.pk]
    )
    bad = services.submission_create(
        lot=lot, provider=new_provider(world_a), care_form_ids=[world_a.care_form.pk]
    )
    now = after_deadline(t)
    services.tender_transition(tender=t, name="close_submissions", now=now)
    services.tender_transition(tender=t, name="start_eligibility", now=now)
    pass_all(good)
    fail_one(bad)
    services.tender_transition(tender=t, name="start_scoring", now=now)
    bad.refresh_from_db()
    assert bad.outcome == Outcome.EXCLUDED and not bad.is_live
    assert bad.outcome_reason.startswith("Voldoet niet aan: Minimumgeschiktheidseis: Ervaring")
    c1 = t.criteria.first()
    err = refused(
        ValidationError,
        services.submission_record_consensus,
        submission=bad,
        rows={c1.pk: (D(5), "x")},
    )
    assert messages(err) == ["Alleen geschikte, lopende inschrijvingen worden beoordeeld."]


def test_a_failed_requirement_needs_evidence(world_a):
    t = tender(world_a)
    services.tender_transition(tender=t, name="publish")
    sub = services.submission_create(
        lot=t.lots.get(), provider=new_provider(world_a), care_form_ids=[world_a.care_form.pk]
    )
    services.tender_transition(tender=t, name="close_submissions", now=after_deadline(t))
    services.tender_transition(tender=t, name="start_eligibility", now=after_deadline(t))
    first, second = sub.checks.order_by("requirement__order")
    err = refused(
        ValidationError,
        services.submission_record_checks,
        submission=sub,
        rows={first.requirement_id: (True, "Ok"), second.requirement_id: (False, " ")},
    )
    assert messages(err) == ["Onderbouw waarom 'Geen fraude' niet wordt gehaald."]
    assert list(sub.checks.values_list("passed", flat=True)) == [None, None]


# ---------------------------------------------------------------- transitions


def test_a_transition_out_of_order_is_refused_and_nothing_recorded(world_a, users):
    t = tender(world_a)
    err = refused(
        TransitionNotAllowed,
        services.tender_transition,
        tender=t,
        name="start_scoring",
        user=users.officer,
    )
    assert messages(err) == ["'Beoordeling starten' kan niet vanuit de fase 'Concept'."]
    err = refused(
        TransitionNotAllowed, services.tender_transition, tender=t, name="end", user=users.officer
    )
    assert messages(err) == ["Een SAS-procedure met onderhandeling kent de stap 'end' niet."]
    assert state_of(t) == S.DRAFT
    services.tender_transition(tender=t, name="publish", user=users.officer)
    err = refused(
        TransitionNotAllowed,
        services.tender_transition,
        tender=t,
        name="publish",
        user=users.officer,
    )
    assert messages(err) == ["'Publiceren' kan niet vanuit de fase 'Gepubliceerd'."]


def test_a_transition_is_recorded_with_its_milestone(world_a, users):
    t = tender(world_a)
    now = timezone.now()
    services.tender_transition(tender=t, name="publish", user=users.officer, now=now)
    event = t.events.get()
    assert (event.transition, event.from_state, event.to_state, event.actor) == (
        "publish",
        S.DRAFT,
        S.PUBLISHED,
        users.officer,
    )
    assert t.milestones.get(kind=MilestoneKind.PUBLICATION).actual_on == timezone.localdate(now)


def test_submissions_do_not_close_before_the_deadline(world_a):
    t = tender(world_a)
    services.tender_transition(tender=t, name="publish")
    services.submission_create(
        lot=t.lots.get(), provider=new_provider(world_a), care_form_ids=[world_a.care_form.pk]
    )
    err = refused(
        TransitionNotAllowed, services.tender_transition, tender=t, name="close_submissions"
    )
    deadline = timezone.localtime(t.submission_deadline)
    assert messages(err) == [f"De inschrijving sluit pas op {deadline:%d-%m-%Y %H:%M}."]
    assert state_of(t) == S.PUBLISHED


def test_no_preselection_before_the_deadline_nor_while_unscored(world_a):
    t, subs, now = to_scoring(world_a, 2)
    consensus(subs[0], 8, 8)
    err = refused(
        TransitionNotAllowed, services.tender_transition, tender=t, name="preselect", now=now
    )
    assert messages(err) == [
        "1 inschrijving(en) hebben nog geen consensusscore op elk criterium; "
        "rangschikken kan pas als alles beoordeeld is."
    ]
    consensus(subs[1], 6, 6)
    # The deadline moved (say, extended by a correction notice): no ranking before it.
    later = now + timedelta(days=3)
    Tender.objects.filter(pk=t.pk).update(submission_deadline=later)
    err = refused(
        TransitionNotAllowed, services.tender_transition, tender=t, name="preselect", now=now
    )
    assert messages(err) == [
        f"De inschrijving sluit pas op {timezone.localtime(later):%d-%m-%Y %H:%M}."
    ]
    assert list(Submission.objects.filter(tender=t).values_list("rank", flat=True)) == [None, None]
    services.tender_transition(tender=t, name="preselect", now=later)
    assert sorted(Submission.objects.filter(tender=t).values_list("rank", flat=True)) == [1, 2]


def test_cancelling_needs_a_reason_and_records_it(world_a, users):
    t = tender(world_a)
    services.tender_transition(tender=t, name="publish", user=users.officer)
    for blank in ("", "   "):
        err = refused(
            TransitionNotAllowed,
            services.tender_transition,
            tender=t,
            name="cancel",
            user=users.officer,
            reason=blank,
        )
        assert messages(err) == ["Geef de reden van deze beslissing."]
    assert state_of(t) == S.PUBLISHED
    services.tender_transition(
        tender=t, name="cancel", user=users.officer, reason="  Budget is vervallen. "
    )
    t.refresh_from_db()
    assert t.state == S.CANCELLED
    assert t.closing_reason == "Budget is vervallen."
    event = t.events.get(transition="cancel")
    assert (event.from_state, event.to_state, event.reason, event.actor) == (
        S.PUBLISHED,
        S.CANCELLED,
        "Budget is vervallen.",
        users.officer,
    )
    err = refused(TransitionNotAllowed, services.tender_transition, tender=t, name="open_qna")
    assert messages(err) == ["'Vragenronde openen' kan niet vanuit de fase 'Ingetrokken'."]
    err = refused(
        ValidationError,
        services.submission_create,
        lot=t.lots.get(),
        provider=new_provider(world_a),
        care_form_ids=[world_a.care_form.pk],
    )
    assert messages(err) == ["De inschrijving is niet open (fase: Ingetrokken)."]


def test_ending_without_result_needs_a_reason_and_not_from_a_draft(world_a):
    t = tender(world_a)
    err = refused(
        TransitionNotAllowed, services.tender_transition, tender=t, name="fail", reason="Geen animo"
    )
    assert messages(err) == ["'Zonder resultaat beëindigen' kan niet vanuit de fase 'Concept'."]
    services.tender_transition(tender=t, name="publish")
    refused(TransitionNotAllowed, services.tender_transition, tender=t, name="fail", reason="")
    services.tender_transition(tender=t, name="fail", reason="Geen geschikte inschrijvingen")
    t.refresh_from_db()
    assert (t.state, t.closing_reason) == (S.UNSUCCESSFUL, "Geen geschikte inschrijvingen")


# ---------------------------------------------------------------- submissions


def test_a_submission_at_or_after_the_deadline_is_refused(world_a):
    t = tender(world_a)
    services.tender_transition(tender=t, name="publish")
    t.refresh_from_db()
    lot = t.lots.get()
    deadline = timezone.localtime(t.submission_deadline)
    expected = f"De sluitingstermijn ({deadline:%d-%m-%Y %H:%M}) is verstreken."
    for at in (t.submission_deadline, t.submission_deadline + timedelta(days=2)):
        err = refused(
            ValidationError,
            services.submission_create,
            lot=lot,
            provider=world_a.provider,
            care_form_ids=[world_a.care_form.pk],
            at=at,
        )
        assert messages(err) == [expected]
    sub = services.submission_create(
        lot=lot,
        provider=world_a.provider,
        care_form_ids=[world_a.care_form.pk],
        at=t.submission_deadline - timedelta(seconds=1),
    )
    assert sub.number == 1
    assert sub.checks.count() == 2


def test_a_draft_accepts_no_submission(world_a):
    t = tender(world_a)
    err = refused(
        ValidationError,
        services.submission_create,
        lot=t.lots.get(),
        provider=world_a.provider,
        care_form_ids=[world_a.care_form.pk],
    )
    assert messages(err) == ["De inschrijving is niet open (fase: Concept)."]


def test_a_provider_of_another_region_is_refused(world_a, world_b):
    t = tender(world_a)
    services.tender_transition(tender=t, name="publish")
    err = refused(
        ValidationError,
        services.submission_create,
        lot=t.lots.get(),
        provider=world_b.provider,
        care_form_ids=[world_a.care_form.pk],
    )
    assert err.message_dict == {"provider": ["Deze aanbieder hoort bij een andere regio."]}


def test_a_second_live_submission_in_a_lot_is_refused_until_the_first_is_withdrawn(world_a):
    t = tender(world_a)
    services.tender_transition(tender=t, name="publish")
    lot = t.lots.get()
    first = services.submission_create(
        lot=lot, provider=world_a.provider, care_form_ids=[world_a.care_form.pk]
    )
    err = refused(
        ValidationError,
        services.submission_create,
        lot=lot,
        provider=world_a.provider,
        care_form_ids=[world_a.care_form.pk],
    )
    assert err.message_dict == {
        "provider": ["Zorg A Dichtbij heeft in dit perceel al een lopende inschrijving."]
    }
    services.submission_withdraw(submission=first, reason="Verkeerde versie ingediend")
    first.refresh_from_db()
    assert (first.outcome, first.is_live) == (Outcome.WITHDRAWN, False)
    err = refused(
        ValidationError, services.submission_withdraw, submission=first, reason="Nog eens"
    )
    assert messages(err) == ["Deze inschrijving loopt niet meer."]
    second = services.submission_create(
        lot=lot, provider=world_a.provider, care_form_ids=[world_a.care_form.pk]
    )
    assert second.number == 2 and second.is_live
    assert Submission.objects.filter(lot=lot, provider=world_a.provider).count() == 2


def test_a_member_alone_is_refused_once_its_consortium_submitted(world_a):
    t = tender(world_a)
    services.tender_transition(tender=t, name="publish")
    lot = t.lots.get()
    services.submission_create(
        lot=lot, provider=world_a.consortium, care_form_ids=[world_a.care_form.pk]
    )
    expected = (
        "{p} schrijft in dit perceel al in via Verband A; een aanbieder schrijft per perceel "
        "één keer in, zelfstandig of in een verband."
    )
    for member in (world_a.provider, world_a.distant_provider):
        forms = [world_a.care_form.pk] if member == world_a.provider else []
        err = refused(
            ValidationError,
            services.submission_create,
            lot=lot,
            provider=member,
            care_form_ids=forms,
        )
        assert err.message_dict == {"provider": [expected.format(p=member)]}


def test_a_consortium_is_refused_once_a_member_submitted_alone(world_a):
    t = tender(world_a)
    services.tender_transition(tender=t, name="publish")
    lot = t.lots.get()
    services.submission_create(
        lot=lot, provider=world_a.provider, care_form_ids=[world_a.care_form.pk]
    )
    err = refused(
        ValidationError,
        services.submission_create,
        lot=lot,
        provider=world_a.consortium,
        care_form_ids=[world_a.care_form.pk],
    )
    assert err.message_dict == {
        "provider": [
            "Verband A schrijft in dit perceel al in via Zorg A Dichtbij; een aanbieder schrijft "
            "per perceel één keer in, zelfstandig of in een verband."
        ]
    }


def test_two_consortia_sharing_a_member_do_not_both_submit_in_a_lot(world_a):
    t = tender(world_a)
    services.tender_transition(tender=t, name="publish")
    lot = t.lots.get()
    other = ConsortiumFactory(region=world_a.region, name="Verband A2")
    MembershipFactory(consortium=other, member=new_provider(world_a), is_lead=True)
    MembershipFactory(consortium=other, member=world_a.distant_provider)
    services.submission_create(
        lot=lot, provider=world_a.consortium, care_form_ids=[world_a.care_form.pk]
    )
    err = refused(
        ValidationError,
        services.submission_create,
        lot=lot,
        provider=other,
        care_form_ids=[world_a.care_form.pk],
    )
    assert err.message_dict == {
        "provider": [
            "Verband A2 schrijft in dit perceel al in via Verband A; een aanbieder schrijft "
            "per perceel één keer in, zelfstandig of in een verband."
        ]
    }


def test_a_consortium_without_a_lead_is_refused(world_a):
    t = tender(world_a)
    services.tender_transition(tender=t, name="publish")
    leaderless = ConsortiumFactory(region=world_a.region, name="Verband zonder hoofd")
    MembershipFactory(consortium=leaderless, member=new_provider(world_a))
    err = refused(
        ValidationError,
        services.submission_create,
        lot=t.lots.get(),
        provider=leaderless,
        care_form_ids=[],
    )
    assert err.message_dict == {"provider": ["Dit samenwerkingsverband heeft geen hoofdaannemer."]}


def test_a_consortium_naming_a_provider_twice_is_refused(world_a):
    c = world_a.consortium
    before = sorted(c.members.values_list("member_id", "is_lead"))
    err = refused(
        ValidationError,
        consortium_set_members,
        consortium=c,
        lead=world_a.provider,
        members=[world_a.distant_provider, world_a.distant_provider],
    )
    assert err.message_dict == {
        "members": [
            "Zorg A Veraf is twee keer genoemd "
            "(de hoofdaannemer hoort niet ook bij de onderaannemers)."
        ]
    }
    err = refused(
        ValidationError,
        consortium_set_members,
        consortium=c,
        lead=world_a.provider,
        members=[world_a.distant_provider, world_a.provider],
    )
    assert err.message_dict == {
        "members": [
            "Zorg A Dichtbij is twee keer genoemd "
            "(de hoofdaannemer hoort niet ook bij de onderaannemers)."
        ]
    }
    assert sorted(c.members.values_list("member_id", "is_lead")) == before


# ---------------------------------------------------------------- coverage rule


@pytest.fixture
def two_forms(world_a):
    """The world's segment holds two care forms; each of two providers delivers one."""
    second = CareFormFactory(region=world_a.region, name="Verblijf A")
    world_a.segment.care_forms.add(world_a.care_form, second)
    one = new_provider(world_a, [world_a.care_form], name="Ambulant Eén")
    two = new_provider(world_a, [second], name="Verblijf Twee")
    both = ConsortiumFactory(region=world_a.region, name="Verband Samen")
    MembershipFactory(consortium=both, member=one, is_lead=True)
    MembershipFactory(consortium=both, member=two)
    return second, one, two, both


def test_a_consortium_meets_the_coverage_rule_through_its_members_union(world_a, two_forms):
    second, one, two, both = two_forms
    t = tender(world_a, coverage_min_care_forms=2)
    services.tender_transition(tender=t, name="publish")
    lot = t.lots.get()
    assert set(lot.scope_care_forms()) == {world_a.care_form, second}
    forms = [world_a.care_form.pk, second.pk]
    err = refused(
        ValidationError, services.submission_create, lot=lot, provider=one, care_form_ids=forms
    )
    assert err.message_dict == {
        "care_forms": [
            "De inschrijver levert deze jeugdhulpvormen niet: Verblijf A.",
            "De dekkingseis vraagt minstens 2 van de 2 jeugdhulpvormen; aangeboden en geleverd: 1.",
        ]
    }
    err = refused(
        ValidationError,
        services.submission_create,
        lot=lot,
        provider=two,
        care_form_ids=[second.pk],
    )
    assert err.message_dict == {
        "care_forms": [
            "De dekkingseis vraagt minstens 2 van de 2 jeugdhulpvormen; aangeboden en geleverd: 1."
        ]
    }
    sub = services.submission_create(lot=lot, provider=both, care_form_ids=forms)
    assert set(sub.care_forms.values_list("pk", flat=True)) == set(forms)


def test_a_consortiums_own_listed_forms_do_not_count_only_its_members(world_a, two_forms):
    second, one, _two, _both = two_forms
    paper = ConsortiumFactory(region=world_a.region, name="Verband Papier", forms=[second])
    MembershipFactory(consortium=paper, member=one, is_lead=True)
    t = tender(world_a, coverage_min_care_forms=2)
    services.tender_transition(tender=t, name="publish")
    err = refused(
        ValidationError,
        services.submission_create,
        lot=t.lots.get(),
        provider=paper,
        care_form_ids=[world_a.care_form.pk, second.pk],
    )
    assert err.message_dict["care_forms"][0] == (
        "De inschrijver levert deze jeugdhulpvormen niet: Verblijf A."
    )


def test_a_form_outside_the_lot_is_refused(world_a, two_forms):
    _second, _one, _two, both = two_forms
    crisis = CareFormFactory(region=world_a.region, name="Crisis A")
    world_a.provider.care_forms.add(crisis)
    t = tender(world_a)
    services.tender_transition(tender=t, name="publish")
    err = refused(
        ValidationError,
        services.submission_create,
        lot=t.lots.get(),
        provider=world_a.provider,
        care_form_ids=[world_a.care_form.pk, crisis.pk],
    )
    assert err.message_dict == {"care_forms": ["Buiten dit perceel: Crisis A."]}


def test_the_strategys_chosen_forms_make_the_lots_scope(world_a, two_forms):
    second, one, _two, _both = two_forms
    strategy = Strategy.objects.create(
        region=world_a.region,
        segment=world_a.segment,
        title="Strategie specialistisch",
        procedure_type=P.SAS,
        funding_models=["pxq"],
        contract_term_years=3,
        coverage_min_care_forms=1,
    )
    strategy.care_forms.set([world_a.care_form])
    t = services.tender_create_from_strategy(strategy=strategy, reference="STRAT-1")
    assert (t.procedure_type, t.coverage_min_care_forms) == (P.SAS, 1)
    lot = t.lots.get()
    assert list(lot.scope_care_forms()) == [world_a.care_form]
    t.submission_deadline = timezone.now() + timedelta(days=5)
    t.save()
    t.requirements.create(kind="suitability", text="Ervaring")
    services.criteria_replace(tender=t, rows=[{"name": "Kwaliteit", "weight": D(100)}])
    services.tender_transition(tender=t, name="publish")
    err = refused(
        ValidationError,
        services.submission_create,
        lot=lot,
        provider=one,
        care_form_ids=[world_a.care_form.pk, second.pk],
    )
    assert err.message_dict["care_forms"][0] == "Buiten dit perceel: Verblijf A."
    services.submission_create(lot=lot, provider=one, care_form_ids=[world_a.care_form.pk])


# ---------------------------------------------------------------- admission procedures


def admission_tender(world, procedure_type=P.OPEN_HOUSE, **kw):
    t = tender(world, procedure_type, weights=None, **kw)
    services.tender_transition(tender=t, name="publish")
    t.refresh_from_db()
    assert t.state == S.ADMISSION
    return t


def test_open_house_with_moments_accepts_only_within_a_moment(world_a):
    t = admission_tender(
        world_a,
        admission_mode=AdmissionMode.MOMENTS,
        admission_months=[1, 4, 7, 10],
        admission_window_days=30,
    )
    lot = t.lots.get()
    cf = [world_a.care_form.pk]
    for at, next_one in ((aware(2025, 5, 1, 9), "01-07-2025"), (aware(2025, 12, 2), "01-01-2026")):
        err = refused(
            ValidationError,
            services.submission_create,
            lot=lot,
            provider=world_a.provider,
            care_form_ids=cf,
            at=at,
        )
        assert messages(err) == [
            f"Aanmelden kan alleen op een toelatingsmoment; het volgende is {next_one}."
        ]
    sub = services.submission_create(
        lot=lot, provider=world_a.provider, care_form_ids=cf, at=aware(2025, 4, 30, 23, 59)
    )
    assert sub.received_at == aware(2025, 4, 30, 23, 59)


def test_a_draft_admission_takes_no_applications(world_a):
    t = tender(world_a, P.OPEN_HOUSE, weights=None)
    err = refused(
        ValidationError,
        services.submission_create,
        lot=t.lots.get(),
        provider=world_a.provider,
        care_form_ids=[world_a.care_form.pk],
    )
    assert messages(err) == ["Deze procedure neemt nu geen aanmeldingen aan (fase: Concept)."]


def test_conditional_admission_opens_only_by_a_recorded_decision(world_a, users):
    t = admission_tender(world_a, P.CONDITIONAL_ADMISSION)
    lot = t.lots.get()
    cf = [world_a.care_form.pk]
    closed = (
        "De toelating is gesloten: aanmelden kan alleen in een toelatingsvenster dat is geopend "
        "met een vastgelegd besluit."
    )
    err = refused(
        ValidationError,
        services.submission_create,
        lot=lot,
        provider=world_a.provider,
        care_form_ids=cf,
        at=aware(2025, 5, 6),
    )
    assert messages(err) == [closed]
    too_few = services.admission_condition_create(
        tender=t, code="too_few", text="Te weinig aanbieders"
    )
    wait_times = services.admission_condition_create(
        tender=t, code="wait_times", text="Oplopende wachttijden"
    )
    ceasing = services.admission_condition_create(
        tender=t, code="ceasing", text="Een aanbieder stopt"
    )
    elsewhere = services.admission_condition_create(
        tender=admission_tender(world_a, P.CONDITIONAL_ADMISSION),
        code="budget",
        text="Budget over",
    )

    err = refused(
        ValidationError,
        services.window_open,
        tender=t,
        condition=None,
        decision="Besluit DB",
        on=date(2025, 5, 5),
    )
    assert err.message_dict == {"condition": ["Noem een van de vooraf afgesproken voorwaarden."]}
    err = refused(
        ValidationError,
        services.window_open,
        tender=t,
        condition=elsewhere,
        decision="Besluit DB",
        on=date(2025, 5, 5),
    )
    assert err.message_dict == {
        "condition": [
            "Deze voorwaarde is niet afgesproken voor deze procedure; kies een voorwaarde van de "
            "procedure of van haar inkoopstrategie."
        ]
    }
    err = refused(
        ValidationError,
        services.window_open,
        tender=t,
        condition=too_few,
        decision="  ",
        on=date(2025, 5, 5),
    )
    assert err.message_dict == {"decision": ["Leg het besluit en de onderbouwing vast."]}

    window = services.window_open(
        tender=t,
        condition=too_few,
        decision=" DB 5 mei 2025: nog twee aanbieders voor verblijf. ",
        on=date(2025, 5, 5),
        user=users.officer,
    )
    assert (window.decision, window.opened_by) == (
        "DB 5 mei 2025: nog twee aanbieders voor verblijf.",
        users.officer,
    )
    err = refused(
        ValidationError,
        services.window_open,
        tender=t,
        condition=wait_times,
        decision="Nog een",
        on=date(2025, 5, 6),
    )
    assert messages(err) == ["Er is al een toelatingsvenster open."]

    # Before the window opened: still closed.
    err = refused(
        ValidationError,
        services.submission_create,
        lot=lot,
        provider=world_a.provider,
        care_form_ids=cf,
        at=aware(2025, 5, 4),
    )
    assert messages(err) == [closed]
    services.submission_create(
        lot=lot, provider=world_a.provider, care_form_ids=cf, at=aware(2025, 5, 5, 8)
    )

    services.window_close(tender=t, on=date(2025, 6, 5), note="Genoeg aanbieders")
    late = new_provider(world_a)
    err = refused(
        ValidationError,
        services.submission_create,
        lot=lot,
        provider=late,
        care_form_ids=cf,
        at=aware(2025, 6, 5, 8),
    )
    assert messages(err) == [closed]
    services.submission_create(
        lot=lot, provider=late, care_form_ids=cf, at=aware(2025, 6, 4, 23, 59)
    )

    err = refused(ValidationError, services.window_close, tender=t, on=date(2025, 6, 6))
    assert messages(err) == ["Er is geen open toelatingsvenster."]
    err = refused(
        ValidationError,
        services.window_open,
        tender=t,
        condition=ceasing,
        decision="Aanbieder X stopt",
        on=date(2025, 6, 1),
    )
    assert messages(err) == ["Een nieuw venster begint niet voor het vorige sloot."]
    services.window_open(
        tender=t,
        condition=ceasing,
        decision="Aanbieder X stopt",
        on=date(2025, 9, 1),
    )
    err = refused(ValidationError, services.window_close, tender=t, on=date(2025, 8, 31))
    assert messages(err) == ["Een venster sluit niet voor het openging."]
    assert t.windows.count() == 2


def test_only_a_running_conditional_admission_has_windows(world_a):
    open_house = admission_tender(world_a, P.OPEN_HOUSE)
    condition = services.admission_condition_create(
        strategy=world_a.proc.strategy, code="too_few", text="Te weinig aanbieders"
    )
    kwargs = {
        "condition": condition,
        "decision": "Besluit",
        "on": date(2025, 5, 5),
    }
    err = refused(ValidationError, services.window_open, tender=open_house, **kwargs)
    assert messages(err) == ["Alleen een toelatingsprocedure met voorwaarden kent vensters."]
    draft = tender(world_a, P.CONDITIONAL_ADMISSION, weights=None)
    err = refused(ValidationError, services.window_open, tender=draft, **kwargs)
    assert messages(err) == ["De procedure loopt niet."]


def test_a_refused_provider_may_apply_again_only_after_twelve_months(world_a):
    t = admission_tender(world_a)
    lot = t.lots.get()
    cf = [world_a.care_form.pk]
    sub = services.submission_create(
        lot=lot, provider=world_a.provider, care_form_ids=cf, at=aware(2025, 3, 10)
    )
    fail_one(sub)
    services.submission_decide_admission(
        submission=sub, admit=False, reason="Geen ervaring aangetoond", today=date(2025, 3, 20)
    )
    sub.refresh_from_db()
    assert (sub.outcome, sub.is_live, sub.outcome_on) == (
        Outcome.REFUSED,
        False,
        date(2025, 3, 20),
    )
    expected = (
        "Zorg A Dichtbij is op 20-03-2025 afgewezen en kan pas vanaf 20-03-2026 opnieuw aanmelden."
    )
    for at in (aware(2025, 3, 21), aware(2026, 3, 19, 23, 59)):
        err = refused(
            ValidationError,
            services.submission_create,
            lot=lot,
            provider=world_a.provider,
            care_form_ids=cf,
            at=at,
        )
        assert err.message_dict == {"provider": [expected]}
    again = services.submission_create(
        lot=lot, provider=world_a.provider, care_form_ids=cf, at=aware(2026, 3, 20, 0, 1)
    )
    assert again.is_live and again.outcome == Outcome.PENDING


def test_the_bar_counts_from_the_latest_refusal_and_its_length_is_configurable(world_a):
    t = admission_tender(world_a, reapply_bar_months=6)
    lot = t.lots.get()
    cf = [world_a.care_form.pk]
    first = services.submission_create(
        lot=lot, provider=world_a.provider, care_form_ids=cf, at=aware(2024, 1, 2)
    )
    fail_one(first)
    services.submission_decide_admission(
        submission=first, admit=False, reason="Onvoldoende", today=date(2024, 1, 31)
    )
    second = services.submission_create(
        lot=lot, provider=world_a.provider, care_form_ids=cf, at=aware(2024, 7, 31)
    )
    fail_one(second)
    services.submission_decide_admission(
        submission=second, admit=False, reason="Weer onvoldoende", today=date(2024, 8, 31)
    )
    err = refused(
        ValidationError,
        services.submission_create,
        lot=lot,
        provider=world_a.provider,
        care_form_ids=cf,
        at=aware(2025, 2, 27),
    )
    assert err.message_dict["provider"] == [
        "Zorg A Dichtbij is op 31-08-2024 afgewezen en kan pas vanaf 28-02-2025 opnieuw aanmelden."
    ]
    services.submission_create(
        lot=lot, provider=world_a.provider, care_form_ids=cf, at=aware(2025, 2, 28)
    )


def test_admission_creates_exactly_one_contract(world_a):
    t = admission_tender(world_a)
    before = Contract.objects.count()  # the test world has a contract of its own
    sub = services.submission_create(
        lot=t.lots.get(), provider=world_a.provider, care_form_ids=[world_a.care_form.pk]
    )
    err = refused(
        ValidationError,
        services.submission_decide_admission,
        submission=sub,
        admit=True,
        reason="Voldoet",
    )
    assert messages(err) == ["Rond eerst de toets op alle eisen af."]
    pass_all(sub)
    err = refused(
        ValidationError,
        services.submission_decide_admission,
        submission=sub,
        admit=True,
        reason=" ",
    )
    assert err.message_dict == {"outcome_reason": ["Motiveer de beslissing."]}
    today = timezone.localdate()
    services.submission_decide_admission(
        submission=sub, admit=True, reason="Voldoet aan alle eisen", today=today
    )
    sub.refresh_from_db()
    assert (sub.outcome, sub.is_live) == (Outcome.ADMITTED, True)
    assert Contract.objects.count() == before + 1
    contract = Contract.objects.get(submission=sub)
    assert (contract.submission, contract.provider, contract.lot, contract.start_date) == (
        sub,
        world_a.provider,
        sub.lot,
        today,
    )
    assert contract.reference == f"{t.reference}-001"
    # The same award signal again adds nothing.
    award_made.send(sender=Tender, tender=t, submissions=[sub])
    assert Contract.objects.count() == before + 1
    err = refused(
        ValidationError,
        services.submission_decide_admission,
        submission=sub,
        admit=True,
        reason="Nog eens",
    )
    assert messages(err) == ["Over deze aanmelding is al beslist of de procedure loopt niet."]


def test_an_ineligible_or_unscreened_application_is_not_admitted(world_a):
    t = admission_tender(world_a)
    lot = t.lots.get()
    bad = services.submission_create(
        lot=lot, provider=new_provider(world_a), care_form_ids=[world_a.care_form.pk]
    )
    fail_one(bad)
    err = refused(
        ValidationError,
        services.submission_decide_admission,
        submission=bad,
        admit=True,
        reason="Toch toelaten",
    )
    assert messages(err) == ["Een aanmelding die niet aan alle eisen voldoet, wordt afgewezen."]
    unscreened = services.submission_create(
        lot=lot,
        provider=new_provider(world_a, screened=False),
        care_form_ids=[world_a.care_form.pk],
    )
    pass_all(unscreened)
    err = refused(
        ValidationError,
        services.submission_decide_admission,
        submission=unscreened,
        admit=True,
        reason="Voldoet",
    )
    assert messages(err)[0].startswith("De screening van de aanbieder is niet op orde: ")


def test_admission_decisions_belong_to_admission_procedures(world_a):
    t, (sub, _other), _now = to_scoring(world_a)
    err = refused(
        ValidationError,
        services.submission_decide_admission,
        submission=sub,
        admit=True,
        reason="Voldoet",
    )
    assert messages(err) == ["Toelaten of afwijzen hoort bij open house en toelating."]


# ---------------------------------------------------------------- award paths


def test_the_tender_awards_only_the_best_n(world_a, users):
    t, subs, now = to_scoring(world_a, 3, procedure_type=P.TENDER, preselection_count=2)
    consensus(subs[0], 7, 7)  # 70
    consensus(subs[1], 9, 9)  # 90
    consensus(subs[2], 8, 8)  # 80
    t.contract_start = timezone.localdate(now) + timedelta(days=5)
    t.save()
    services.tender_transition(tender=t, name="provisional_award", user=users.officer, now=now)
    for s in subs:
        s.refresh_from_db()
    assert [(s.rank, s.outcome) for s in subs] == [
        (3, Outcome.NOT_AWARDED),
        (1, Outcome.AWARDED),
        (2, Outcome.AWARDED),
    ]
    assert subs[0].outcome_reason == (
        "Gerangschikt op plaats 3 van 3 met 70,00 punten. Alleen de beste 2 gaan door."
    )
    assert subs[1].outcome_reason == "Gerangschikt op plaats 1 van 3 met 90,00 punten."
    assert not subs[0].is_live
    services.tender_transition(tender=t, name="start_objection", user=users.officer, now=now)
    refused(
        TransitionNotAllowed,
        services.tender_transition,
        tender=t,
        name="award",
        now=now + timedelta(days=20),
    )
    award_on = now + timedelta(days=21)
    services.tender_transition(tender=t, name="award", user=users.officer, now=award_on)
    contracts = Contract.objects.filter(lot__tender=t)
    assert {c.submission_id for c in contracts} == {subs[1].pk, subs[2].pk}
    # A contract never starts before the award is definitive.
    assert {c.start_date for c in contracts} == {timezone.localdate(award_on)}
    assert not contracts.filter(is_strategic_partner=True).exists()


def test_the_tender_maximum_holds_when_outcomes_are_changed(world_a):
    t, subs, now = to_scoring(world_a, 3, procedure_type=P.TENDER, preselection_count=2)
    for s, v in zip(subs, (9, 8, 7), strict=True):
        consensus(s, v, v)
    services.tender_transition(tender=t, name="provisional_award", now=now)
    third = Submission.objects.get(pk=subs[2].pk)
    err = refused(
        ValidationError,
        services.submission_set_outcome,
        submission=third,
        outcome=Outcome.AWARDED,
        reason="Toch gunnen",
    )
    assert messages(err) == ["Er zijn in dit perceel al 2 aanbieders gegund; het maximum is 2."]
    services.submission_set_outcome(
        submission=Submission.objects.get(pk=subs[1].pk),
        outcome=Outcome.NOT_AWARDED,
        reason="Onderhandeling mislukt",
    )
    services.submission_set_outcome(
        submission=third, outcome=Outcome.AWARDED, reason="Volgende in de rangorde"
    )
    assert set(
        Submission.objects.filter(tender=t, outcome=Outcome.AWARDED).values_list("pk", flat=True)
    ) == {subs[0].pk, subs[2].pk}


def walk_sas_to_provisional(world):
    """Three scored submissions (90, 80, 70 points); the best two preselected and awarded."""
    t, subs, now = to_scoring(world, 3, preselection_count=2)
    for s, v in zip(subs, (9, 8, 7), strict=True):
        consensus(s, v, v)
    services.tender_transition(tender=t, name="preselect", now=now)
    services.tender_transition(tender=t, name="start_negotiation", now=now)
    services.tender_transition(tender=t, name="provisional_award", now=now)
    for s in subs:
        s.refresh_from_db()
    return t, subs, now


def test_set_outcome_only_in_provisional_award_and_with_a_reason(world_a):
    t, subs, now = to_scoring(world_a, 1)
    err = refused(
        ValidationError,
        services.submission_set_outcome,
        submission=subs[0],
        outcome=Outcome.NOT_AWARDED,
        reason="Onvoldoende",
    )
    assert messages(err) == ["Uitkomsten liggen vast buiten de fase voorlopige gunning."]

    t, subs, now = walk_sas_to_provisional(world_a)
    first = subs[0]
    assert first.outcome == Outcome.AWARDED
    err = refused(
        ValidationError,
        services.submission_set_outcome,
        submission=first,
        outcome=Outcome.NOT_AWARDED,
        reason="  ",
    )
    assert err.message_dict == {"outcome_reason": ["Motiveer de uitkomst."]}
    err = refused(
        ValidationError,
        services.submission_set_outcome,
        submission=first,
        outcome=Outcome.PENDING,
        reason="Nog niet",
    )
    assert messages(err) == ["Kies gegund of niet gegund."]
    services.submission_set_outcome(
        submission=first,
        outcome=Outcome.NOT_AWARDED,
        reason=" Onderhandeling mislukt ",
        today=date(2025, 9, 15),
    )
    first.refresh_from_db()
    assert (first.outcome, first.outcome_reason, first.outcome_on, first.is_live) == (
        Outcome.NOT_AWARDED,
        "Onderhandeling mislukt",
        date(2025, 9, 15),
        False,
    )
    services.submission_set_outcome(
        submission=first, outcome=Outcome.AWARDED, reason="Alsnog akkoord"
    )
    first.refresh_from_db()
    assert (first.outcome, first.is_live) == (Outcome.AWARDED, True)
    services.tender_transition(tender=t, name="start_objection", now=now)
    t.refresh_from_db()
    err = refused(
        ValidationError,
        services.submission_set_outcome,
        submission=first,
        outcome=Outcome.NOT_AWARDED,
        reason="Te laat",
    )
    assert messages(err) == ["Uitkomsten liggen vast buiten de fase voorlopige gunning."]


def test_a_submission_out_of_the_race_cannot_be_awarded(world_a):
    t, subs, now = walk_sas_to_provisional(world_a)
    not_preselected = subs[2]
    assert not_preselected.outcome == Outcome.NOT_PRESELECTED
    err = refused(
        ValidationError,
        services.submission_set_outcome,
        submission=not_preselected,
        outcome=Outcome.AWARDED,
        reason="Toch",
    )
    assert messages(err) == ["Deze inschrijving doet niet meer mee aan de gunning."]
    services.submission_withdraw(submission=subs[1], reason="Trekt zich terug")
    subs[1].refresh_from_db()
    err = refused(
        ValidationError,
        services.submission_set_outcome,
        submission=subs[1],
        outcome=Outcome.AWARDED,
        reason="Toch",
    )
    assert messages(err) == ["Deze inschrijving doet niet meer mee aan de gunning."]


def test_the_objection_period_boundary_through_the_service(world_a):
    t, subs, now = walk_sas_to_provisional(world_a)
    services.tender_transition(tender=t, name="start_objection", now=now)
    t.refresh_from_db()
    assert t.objection_started_on == timezone.localdate(now)
    day20 = aware(*(t.objection_started_on + timedelta(days=20)).timetuple()[:3], 23, 59)
    err = refused(
        TransitionNotAllowed, services.tender_transition, tender=t, name="award", now=day20
    )
    assert messages(err) == [f"De bezwaartermijn loopt tot en met {t.objection_ends_on:%d-%m-%Y}."]
    day21 = aware(*(t.objection_started_on + timedelta(days=21)).timetuple()[:3], 0, 5)
    services.tender_transition(tender=t, name="award", now=day21)
    assert Contract.objects.filter(lot__tender=t).count() == 2
    assert Contract.objects.filter(lot__tender=t, is_strategic_partner=True).count() == 2


def test_a_budget_grant_is_awarded_to_every_eligible_applicant(world_a):
    t = tender(world_a, P.BUDGET_GRANT, weights=None)
    services.tender_transition(tender=t, name="publish")
    lot = t.lots.get()
    good = services.submission_create(
        lot=lot, provider=new_provider(world_a), care_form_ids=[world_a.care_form.pk]
    )
    bad = services.submission_create(
        lot=lot, provider=new_provider(world_a), care_form_ids=[world_a.care_form.pk]
    )
    now = after_deadline(t)
    services.tender_transition(tender=t, name="close_submissions", now=now)
    services.tender_transition(tender=t, name="start_eligibility", now=now)
    pass_all(good)
    fail_one(bad)
    services.tender_transition(tender=t, name="award", now=now)
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.outcome, good.outcome_reason) == (
        Outcome.AWARDED,
        "Voldoet aan alle voorwaarden; subsidie verleend.",
    )
    assert (bad.outcome, bad.is_live) == (Outcome.EXCLUDED, False)
    assert bad.outcome_reason.startswith("Voldoet niet aan: ")
    assert [c.submission_id for c in Contract.objects.filter(lot=lot)] == [good.pk]
    services.tender_transition(tender=t, name="implement", now=now)
    assert state_of(t) == S.IMPLEMENTATION


def test_a_partnership_excludes_the_ineligible_and_reaches_the_award(world_a):
    t = tender(world_a, P.PARTNERSHIP, weights=None)
    services.tender_transition(tender=t, name="publish")
    lot = t.lots.get()
    partner = services.submission_create(
        lot=lot, provider=world_a.consortium, care_form_ids=[world_a.care_form.pk]
    )
    bad = services.submission_create(
        lot=lot, provider=new_provider(world_a), care_form_ids=[world_a.care_form.pk]
    )
    now = after_deadline(t)
    services.tender_transition(tender=t, name="close_submissions", now=now)
    services.tender_transition(tender=t, name="start_eligibility", now=now)
    pass_all(partner)
    fail_one(bad)
    services.tender_transition(tender=t, name="start_negotiation", now=now)
    bad.refresh_from_db()
    assert (bad.outcome, bad.is_live) == (Outcome.EXCLUDED, False)
    # an award needs the partner's admissibility: a consortium's every member screened
    for membership in world_a.consortium.members.all():
        screen_fully(membership.member)
    services.tender_transition(tender=t, name="provisional_award", now=now)
    partner.refresh_from_db()
    assert partner.outcome == Outcome.AWARDED
    services.tender_transition(tender=t, name="start_objection", now=now)
    services.tender_transition(tender=t, name="award", now=now + timedelta(days=21))
    contract = Contract.objects.get(lot=lot)
    assert (contract.provider, contract.is_strategic_partner) == (world_a.consortium, True)


# ---------------------------------------------------------------- framework


def test_a_framework_advances_one_dated_step_at_a_time(world_a):
    fw = Framework.objects.create(region=world_a.region, title="Inkoopkader 2026")
    err = refused(
        ValidationError,
        services.framework_advance,
        framework=fw,
        status=FrameworkStatus.ADOPTED,
        on=date(2025, 3, 1),
    )
    assert messages(err) == ["Een inkoopkader gaat van 'Concept' niet naar 'Vastgesteld'."]
    err = refused(
        ValidationError,
        services.framework_advance,
        framework=fw,
        status=FrameworkStatus.DRAFT,
        on=date(2025, 3, 1),
    )
    assert messages(err) == ["Een inkoopkader gaat van 'Concept' niet naar 'Concept'."]
    services.framework_advance(
        framework=fw, status=FrameworkStatus.CONSULTATION, on=date(2025, 3, 1)
    )
    fw.refresh_from_db()
    assert (fw.status, fw.consultation_started_on) == (
        FrameworkStatus.CONSULTATION,
        date(2025, 3, 1),
    )
    err = refused(
        ValidationError,
        services.framework_advance,
        framework=fw,
        status=FrameworkStatus.ADOPTED,
        on=date(2025, 2, 28),
    )
    assert messages(err) == ["De vaststelling ligt voor de datum waarop zienswijzen zijn gevraagd."]
    fw.refresh_from_db()
    assert (fw.status, fw.adopted_on) == (FrameworkStatus.CONSULTATION, None)
    # every municipality gave its view (adoption without them: tests/procurement/
    # test_framework_rules.py)
    for m in (world_a.municipality, world_a.other_municipality):
        services.municipal_view_create(
            framework=fw, municipality=m, received_on=date(2025, 4, 1), view="Akkoord"
        )
    services.framework_advance(framework=fw, status=FrameworkStatus.ADOPTED, on=date(2025, 6, 12))
    fw.refresh_from_db()
    assert (fw.status, fw.adopted_on) == (FrameworkStatus.ADOPTED, date(2025, 6, 12))
    for status in (FrameworkStatus.CONSULTATION, FrameworkStatus.ADOPTED):
        err = refused(
            ValidationError,
            services.framework_advance,
            framework=fw,
            status=status,
            on=date(2025, 7, 1),
        )
        assert messages(err)[0].startswith("Een inkoopkader gaat van 'Vastgesteld' niet naar")


# ---------------------------------------------------------------- questions and answers


def test_questions_are_numbered_and_answers_published_in_numbered_notes(world_a):
    t = tender(world_a)
    err = refused(
        ValidationError, services.question_ask, tender=t, text="Mag het ook in een verband?"
    )
    assert messages(err) == ["Vragen stellen kan alleen terwijl de procedure open is."]
    services.tender_transition(tender=t, name="publish")
    t.refresh_from_db()
    err = refused(
        ValidationError, services.question_ask, tender=t, text="  ", provider=world_a.provider
    )
    assert err.message_dict == {"text": ["Vul de vraag in."]}
    q1 = services.question_ask(
        tender=t, text="Mag het ook in een verband?", provider=world_a.provider
    )
    q2 = services.question_ask(tender=t, text="Wat is de looptijd?", reference="Leidraad §2")
    assert (q1.number, q2.number) == (1, 2)
    assert q2.source == "officer" and q1.source == "provider"

    err = refused(ValidationError, services.answers_publish, tender=t)
    assert messages(err) == ["Er zijn geen beantwoorde vragen om te publiceren."]
    err = refused(ValidationError, services.question_answer, question=q1, text=" ")
    assert err.message_dict == {"answer": ["Vul het antwoord in."]}
    services.question_answer(question=q1, text="Ja, met een hoofdaannemer.")
    assert services.answers_publish(tender=t, on=date(2025, 6, 20)) == 1
    q1.refresh_from_db()
    q2.refresh_from_db()
    assert (q1.published_in, q1.published_on) == (1, date(2025, 6, 20))
    assert q2.published_in is None

    err = refused(ValidationError, services.question_answer, question=q1, text="Toch niet.")
    assert messages(err) == [
        "Een gepubliceerd antwoord wordt niet meer gewijzigd; geef een aanvulling in een "
        "volgende nota."
    ]
    q1.refresh_from_db()
    assert q1.answer == "Ja, met een hoofdaannemer."

    services.question_answer(question=q2, text="Drie jaar met twee keer een optie van een jaar.")
    q3 = services.question_ask(tender=t, text="Nog een vraag")
    assert q3.number == 3
    assert services.answers_publish(tender=t, on=date(2025, 6, 27)) == 2
    assert list(t.questions.values_list("number", "published_in")) == [(1, 1), (2, 2), (3, None)]
    err = refused(ValidationError, services.answers_publish, tender=t)
    assert messages(err) == ["Er zijn geen beantwoorde vragen om te publiceren."]


def test_a_question_from_another_regions_provider_is_refused(world_a, world_b):
    t = tender(world_a)
    services.tender_transition(tender=t, name="publish")
    t.refresh_from_db()
    err = refused(
        ValidationError, services.question_ask, tender=t, text="Vraag", provider=world_b.provider
    )
    assert err.message_dict == {"asked_by": ["Deze aanbieder hoort bij een andere regio."]}
