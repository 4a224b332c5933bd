"""The procurement pages: refused input shows the rule's own reason and changes nothing."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from procurement import services
from procurement.codes import ProcedureType, TenderState
from procurement.models import AwardCriterion, Submission, Tender
from tests.procurement.factories import tender as make_tender

pytestmark = pytest.mark.django_db


def url(name, w, **kw):
    return reverse(f"procurement:{name}", kwargs={"region": w.region.slug, **kw})


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_dashboard_says_why_a_transition_is_not_yet_allowed(client, world_a, users):
    t = make_tender(world_a, weights=None)
    AwardCriterion.objects.create(tender=t, name="Visie", weight=50)
    AwardCriterion.objects.create(tender=t, name="Samenwerking", weight=30)
    client.force_login(users.officer)
    body = client.get(url("tender-detail", world_a, pk=t.pk)).content.decode()
    assert "Nog niet mogelijk" in body
    assert "telt op tot 80%" in body


def test_transition_out_of_order_is_refused_and_changes_nothing(client, world_a, users):
    t = make_tender(world_a)
    client.force_login(users.officer)
    response = client.post(url("tender-transition", world_a, pk=t.pk, step="award"), follow=True)
    assert any("kan niet vanuit de fase" in m for m in messages_of(response))
    t.refresh_from_db()
    assert t.state == TenderState.DRAFT and not t.events.exists()


def test_cancel_needs_a_reason(client, world_a, users):
    t = make_tender(world_a)
    client.force_login(users.officer)
    response = client.post(url("tender-transition", world_a, pk=t.pk, step="cancel"), follow=True)
    assert any("reden" in m for m in messages_of(response))
    t.refresh_from_db()
    assert t.state == TenderState.DRAFT
    response = client.post(
        url("tender-transition", world_a, pk=t.pk, step="cancel"),
        {"reason": "Budget is niet vastgesteld"},
        follow=True,
    )
    t.refresh_from_db()
    assert t.state == TenderState.CANCELLED and t.closing_reason == "Budget is niet vastgesteld"
    assert "Budget is niet vastgesteld" in response.content.decode()


def setup_post_data(page, *, criteria: int) -> dict:
    """The setup page's formsets as the browser would post them unchanged, with room for
    ``criteria`` award criteria."""
    data = {}
    for prefix, fs in page.context["sets"].items():
        mf = fs.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{mf.prefix}-{name}"] = mf[name].value()
        data[f"{mf.prefix}-TOTAL_FORMS"] = (
            criteria if prefix == "criteria" else mf["INITIAL_FORMS"].value()
        )
        for i, form in enumerate(fs.initial_forms):
            for field in form.fields:
                value = form[field].value()
                if value not in (None, False):
                    data[f"{fs.prefix}-{i}-{field}"] = value
    return data


def test_setup_refuses_weights_that_do_not_make_100_and_saves_nothing(client, world_a, users):
    t = make_tender(world_a, weights=None)
    client.force_login(users.officer)
    page = client.get(url("tender-setup", world_a, pk=t.pk))
    assert page.status_code == 200
    data = setup_post_data(page, criteria=2)
    data.update(
        {
            "crit-0-name": "Visie",
            "crit-0-weight": "70",
            "crit-0-order": "1",
            "crit-1-name": "Samenwerking",
            "crit-1-weight": "20",
            "crit-1-order": "2",
        }
    )
    response = client.post(url("tender-setup", world_a, pk=t.pk), data)
    assert response.status_code == 200
    assert "telt op tot 90%" in response.content.decode()
    assert not AwardCriterion.objects.filter(tender=t).exists()
    data["crit-1-weight"] = "30"
    response = client.post(url("tender-setup", world_a, pk=t.pk), data)
    assert response.status_code == 302
    assert AwardCriterion.objects.filter(tender=t).count() == 2


def test_setup_refuses_two_criteria_with_the_same_name_through_the_service(client, world_a, users):
    """The setup page saves the criteria through the service: its unique-name rule holds."""
    t = make_tender(world_a, weights=None)
    client.force_login(users.officer)
    page = client.get(url("tender-setup", world_a, pk=t.pk))
    data = setup_post_data(page, criteria=2)
    data.update(
        {
            "crit-0-name": "Visie",
            "crit-0-weight": "50",
            "crit-0-order": "1",
            "crit-1-name": "visie ",
            "crit-1-weight": "50",
            "crit-1-order": "2",
        }
    )
    response = client.post(url("tender-setup", world_a, pk=t.pk), data)
    assert response.status_code == 200
    assert "Twee gunningscriteria heten" in response.content.decode()
    assert not AwardCriterion.objects.filter(tender=t).exists()
    data["crit-1-name"] = "Samenwerking"
    response = client.post(url("tender-setup", world_a, pk=t.pk), data)
    assert response.status_code == 302
    assert list(AwardCriterion.objects.filter(tender=t).values_list("name", "order")) == [
        ("Visie", 1),
        ("Samenwerking", 2),
    ]


def test_submission_after_the_deadline_is_refused(client, world_a, users):
    t = make_tender(world_a)
    services.tender_transition(tender=t, name="publish", user=users.officer)
    Tender.objects.filter(pk=t.pk).update(submission_deadline=timezone.now() - timedelta(hours=1))
    client.force_login(users.officer)
    response = client.post(
        url("submission-create", world_a, tender=t.pk),
        {
            "lot": t.lots.get().pk,
            "provider": world_a.provider.pk,
            "care_forms": [world_a.care_form.pk],
            "received_at": f"{timezone.localtime():%Y-%m-%dT%H:%M}",
        },
    )
    assert response.status_code == 200
    assert "sluitingstermijn" in response.content.decode()
    assert not Submission.objects.filter(tender=t).exists()


def test_score_outside_the_scale_is_refused(client, world_a, users, time_machine):
    t = make_tender(world_a, weights=(100,))
    services.tender_transition(tender=t, name="publish", user=users.officer)
    sub = services.submission_create(
        lot=t.lots.get(), provider=world_a.provider, care_form_ids=[world_a.care_form.pk]
    )
    later = t.submission_deadline + timedelta(minutes=1)
    services.tender_transition(tender=t, name="close_submissions", user=users.officer, now=later)
    services.tender_transition(tender=t, name="start_eligibility", user=users.officer, now=later)
    services.submission_record_checks(
        submission=sub, rows={c.requirement_id: (True, "") for c in sub.checks.all()}
    )
    services.tender_transition(tender=t, name="start_scoring", user=users.officer, now=later)
    time_machine.move_to(later)  # the submissions are sealed until the deadline
    client.force_login(users.contract_manager)  # assessor
    crit = t.criteria.get()
    target = url("submission-score", world_a, tender=t.pk, pk=sub.pk)
    response = client.post(target, {f"score_{crit.pk}": "11", f"reason_{crit.pk}": "Goed"})
    assert response.status_code == 200 and not sub.scores.exists()
    response = client.post(target, {f"score_{crit.pk}": "7.5", f"reason_{crit.pk}": "Goed"})
    assert response.status_code == 302
    assert sub.scores.get().assessor == users.contract_manager
    # A viewer is not on the assessment committee.
    client.force_login(users.viewer)
    assert client.get(target).status_code == 403


def test_municipal_user_reads_answers_without_the_asker(client, world_a, users):
    client.force_login(users.municipal)
    p = world_a.proc
    body = client.get(url("qna", world_a, tender=p.tender.pk)).content.decode()
    assert "Hoeveel partners?" in body and "Twintig." in body
    assert p.question.asked_by.name not in body
    # ... and no competition-sensitive tabs.
    assert "Inschrijvingen" not in body
    client.force_login(users.officer)
    body = client.get(url("qna", world_a, tender=p.tender.pk)).content.decode()
    assert p.question.asked_by.name in body  # the officer knows who asked


def test_conditional_admission_window_needs_a_recorded_decision(client, world_a, users):
    t = make_tender(world_a, ProcedureType.CONDITIONAL_ADMISSION, weights=None)
    services.tender_transition(tender=t, name="publish", user=users.officer)
    wait = services.admission_condition_create(
        tender=t, code="wait_times", text="Oplopende wachttijden"
    )
    client.force_login(users.officer)
    today = f"{timezone.localdate():%Y-%m-%d}"
    response = client.post(
        url("window-open", world_a, pk=t.pk), {"condition": wait.pk, "on": today}, follow=True
    )
    assert not t.windows.exists()
    assert response.context["form"].errors["decision"]
    response = client.post(
        url("window-open", world_a, pk=t.pk),
        {"condition": wait.pk, "decision": "Wachttijd GGZ 14 weken", "on": today},
        follow=True,
    )
    window = t.windows.get()
    assert window.opened_by == users.officer and window.condition == wait
    assert "Wachttijd GGZ 14 weken" in response.content.decode()


def test_only_a_draft_is_deleted(client, world_a, users):
    client.force_login(users.officer)
    p = world_a.proc
    assert client.post(url("tender-delete", world_a, pk=p.tender.pk)).status_code == 403
    response = client.post(url("tender-delete", world_a, pk=p.draft.pk))
    assert response.status_code == 302 and response.url == url("tender-list", world_a)
    assert not Tender.objects.filter(pk=p.draft.pk).exists()


def test_framework_goes_to_consultation_then_adoption(client, world_a, users):
    from procurement.models import Framework

    f = Framework.objects.create(region=world_a.region, title="Kader 2027")
    client.force_login(users.officer)
    target = url("framework-advance", world_a, pk=f.pk)
    client.post(target, {"status": "adopted", "on": "2026-10-01"})
    f.refresh_from_db()
    assert f.status == "draft"  # no skipping consultation
    client.post(target, {"status": "consultation", "on": "2026-09-01"})
    # Adoption needs a view from every municipality (issue 21): refused without them.
    response = client.post(target, {"status": "adopted", "on": "2026-12-10"}, follow=True)
    f.refresh_from_db()
    assert f.status == "consultation"
    assert "Gemeente A1, Gemeente A2 hebben geen zienswijze gegeven" in response.content.decode()
    for m in (world_a.municipality, world_a.other_municipality):
        services.municipal_view_create(
            framework=f, municipality=m, received_on=date(2026, 11, 1), view="Akkoord"
        )
    client.post(target, {"status": "adopted", "on": "2026-12-10"})
    f.refresh_from_db()
    assert f.status == "adopted" and str(f.adopted_on) == "2026-12-10"


def test_strategy_starts_a_draft_tender_with_its_rules(client, world_a, users):
    client.force_login(users.officer)
    s = world_a.proc.strategy
    services.strategy_update(strategy=s, contract_start=date(2028, 1, 1))
    response = client.post(
        url("strategy-start-tender", world_a, pk=s.pk), {"reference": "SAS-2028"}
    )
    t = Tender.objects.get(reference="SAS-2028")
    assert response.url == url("tender-setup", world_a, pk=t.pk)
    assert t.procedure_type == "sas" and t.preselection_count == 20
    assert t.contract_start == date(2028, 1, 1)  # the strategy's planned start
    assert t.lots.get().segment == s.segment


def test_municipal_views_are_recorded_and_changed_through_the_service(client, world_a, users):
    """The framework's municipal views (zienswijzen) are written by municipal_view_create and
    municipal_view_update; a second view of one municipality is an error at its field."""
    from procurement.models import MunicipalView

    framework = world_a.proc.framework
    client.force_login(users.officer)
    create = url("view-create", world_a, framework=framework.pk)
    data = {
        "municipality": world_a.other_municipality.pk,
        "received_on": "2020-11-15",
        "view": "Meer aandacht voor wachttijden",
    }
    response = client.post(create, data)
    assert response.status_code == 302
    assert response["Location"] == framework.get_absolute_url()
    made = MunicipalView.objects.get(framework=framework, municipality=world_a.other_municipality)
    assert made.view == "Meer aandacht voor wachttijden"

    response = client.post(create, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert MunicipalView.objects.filter(framework=framework).count() == 2

    update = url("view-update", world_a, framework=framework.pk, pk=made.pk)
    response = client.post(
        update,
        {**data, "response": "Opgenomen in het kader", "responded_on": "2020-12-10"},
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.response == "Opgenomen in het kader"


def test_frameworks_strategies_and_procedures_are_written_through_their_services(
    client, world_a, users
):
    """The generic create/update/delete pages of procurement call framework_*, strategy_* and
    tender_* services: the saved rows carry the form's values (many-to-many included), a
    duplicate reference is an error at its field, and only a draft procedure is deleted."""
    from procurement.models import Framework, Strategy

    client.force_login(users.officer)
    response = client.post(
        url("framework-create", world_a),
        {"title": "Kader 2027", "period": "2027-2030", "principles": "Dichtbij"},
    )
    assert response.status_code == 302, response.context["form"].errors
    framework = Framework.objects.get(region=world_a.region, title="Kader 2027")
    response = client.post(
        url("framework-update", world_a, pk=framework.pk),
        {"title": "Kader 2027-2030", "period": "2027-2030", "principles": "Dichtbij"},
    )
    assert response.status_code == 302
    framework.refresh_from_db()
    assert framework.title == "Kader 2027-2030"

    # a strategy's care forms in scope are its segment's (issue 21)
    world_a.segment.care_forms.add(world_a.care_form)
    strategy_data = {
        "title": "Strategie dagbesteding",
        "framework": framework.pk,
        "segment": world_a.segment.pk,
        "procedure_type": ProcedureType.OPEN_HOUSE,
        "funding_models": ["pxq"],
        "contract_term_years": "3",
        "extension_options": "1 + 1",
        "care_forms": [world_a.care_form.pk],
    }
    response = client.post(url("strategy-create", world_a), strategy_data)
    assert response.status_code == 302, response.context["form"].errors
    strategy = Strategy.objects.get(region=world_a.region, title="Strategie dagbesteding")
    assert list(strategy.care_forms.all()) == [world_a.care_form]
    assert strategy.extension_options == [1, 1]
    response = client.post(
        url("strategy-update", world_a, pk=strategy.pk), {**strategy_data, "care_forms": []}
    )
    assert response.status_code == 302
    assert not strategy.care_forms.exists()

    tender_data = {
        "title": "Open house dagbesteding",
        "reference": "OH-2027-01",
        "strategy": strategy.pk,
        "procedure_type": ProcedureType.OPEN_HOUSE,
        "score_scale_max": "10",
        "objection_days": "20",
        "admission_mode": "continuous",
        "admission_window_days": "30",
        "reapply_bar_months": "12",
    }
    response = client.post(url("tender-create", world_a), tender_data)
    assert response.status_code == 302, response.context["form"].errors
    tender = Tender.objects.get(region=world_a.region, reference="OH-2027-01")
    assert tender.state == TenderState.DRAFT
    response = client.post(
        url("tender-create", world_a), {**tender_data, "reference": world_a.proc.tender.reference}
    )
    assert response.status_code == 200
    assert "reference" in response.context["form"].errors
    response = client.post(
        url("tender-update", world_a, pk=tender.pk), {**tender_data, "title": "Dagbesteding"}
    )
    assert response.status_code == 302
    tender.refresh_from_db()
    assert tender.title == "Dagbesteding"

    assert client.post(url("tender-delete", world_a, pk=tender.pk)).status_code == 302
    assert not Tender.objects.filter(pk=tender.pk).exists()
    assert client.post(url("strategy-delete", world_a, pk=strategy.pk)).status_code == 302
    assert client.post(url("framework-delete", world_a, pk=framework.pk)).status_code == 302
    assert not Framework.objects.filter(pk=framework.pk).exists()
