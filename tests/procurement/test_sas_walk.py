"""An SAS procedure walked from draft to implementation through the services."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from contracts.models import Contract
from procurement import services
from procurement.codes import Outcome, TenderState
from procurement.workflow import TransitionNotAllowed
from tests.procurement.factories import after_deadline, consensus, pass_all, tender
from tests.providers.factories import ProviderFactory, screen_fully


@pytest.mark.django_db
def test_sas_from_publication_to_implementation(world_a, users):
    t = tender(world_a, preselection_count=2)
    lot = t.lots.get()
    services.tender_transition(tender=t, name="publish", user=users.officer)
    services.tender_transition(tender=t, name="open_qna", user=users.officer)
    subs = []
    for _i in range(3):
        p = ProviderFactory(region=world_a.region, forms=[world_a.care_form])
        screen_fully(p)
        subs.append(
            services.submission_create(lot=lot, provider=p, care_form_ids=[world_a.care_form.pk])
        )
    with pytest.raises(TransitionNotAllowed, match="sluit pas"):
        services.tender_transition(tender=t, name="close_submissions", user=users.officer)
    now = after_deadline(t)
    with pytest.raises(ValidationError, match="verstreken"):
        services.submission_create(
            lot=lot, provider=world_a.provider, care_form_ids=[world_a.care_form.pk], at=now
        )
    services.tender_transition(tender=t, name="close_submissions", user=users.officer, now=now)
    services.tender_transition(tender=t, name="start_eligibility", user=users.officer, now=now)
    with pytest.raises(TransitionNotAllowed, match="toets"):
        services.tender_transition(tender=t, name="start_scoring", user=users.officer, now=now)
    for s in subs:
        pass_all(s)
    services.tender_transition(tender=t, name="start_scoring", user=users.officer, now=now)
    consensus(subs[0], 6, 8)
    with pytest.raises(TransitionNotAllowed, match="consensusscore"):
        services.tender_transition(tender=t, name="preselect", user=users.officer, now=now)
    consensus(subs[1], 8, 8)
    consensus(subs[2], 8, 5)
    services.tender_transition(tender=t, name="preselect", user=users.officer, now=now)
    for s in subs:
        s.refresh_from_db()
    assert [s.rank for s in subs] == [3, 1, 2]
    assert subs[1].total_score == 80 and subs[0].total_score == 68
    assert subs[1].preselected and subs[2].preselected and not subs[0].preselected
    assert subs[0].outcome == Outcome.NOT_PRESELECTED and not subs[0].is_live
    services.tender_transition(tender=t, name="start_negotiation", user=users.officer, now=now)
    services.tender_transition(tender=t, name="provisional_award", user=users.officer, now=now)
    services.tender_transition(tender=t, name="start_objection", user=users.officer, now=now)
    t.refresh_from_db()
    with pytest.raises(TransitionNotAllowed, match="bezwaartermijn"):
        services.tender_transition(
            tender=t, name="award", user=users.officer, now=now + timedelta(days=20)
        )
    services.tender_transition(
        tender=t, name="award", user=users.officer, now=now + timedelta(days=21)
    )
    assert Contract.objects.filter(lot=lot).count() == 2
    services.tender_transition(
        tender=t, name="implement", user=users.officer, now=now + timedelta(days=22)
    )
    t.refresh_from_db()
    assert t.state == TenderState.IMPLEMENTATION
    assert t.events.count() == 11
