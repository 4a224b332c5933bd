"""A strategy's care forms in scope stay inside its segment (issue 21): the service, the form,
the lot's scope, the award, and the coverage matrix after a complete award ("20 gaten")."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from procurement import forms, kader, selectors, services
from procurement.codes import FundingModel, Outcome, ProcedureType, RequirementKind
from procurement.models import Requirement, Strategy, Submission
from procurement.workflow import TransitionNotAllowed
from segments.models import Participation
from tests.procurement.factories import after_deadline, consensus, pass_all
from tests.providers.factories import ProviderFactory, screen_fully
from tests.segments.factories import (
    CareFormFactory,
    MunicipalityFactory,
    RegionFactory,
    SegmentFactory,
)

pytestmark = pytest.mark.django_db


def strategy_fields(world, **kw):
    return {
        "framework": None,
        "segment": world.segment,
        "title": "Strategie segment 1",
        "procedure_type": ProcedureType.SAS,
        "funding_models": [FundingModel.TASK],
        "contract_term_years": 4,
        **kw,
    }


@pytest.fixture
def forms_of(world_a):
    """Segment 1 holds 'Begeleiding A'; its sub-segment 1a holds 'Dagbehandeling'; segment 2
    holds 'Pleegzorg'."""
    w = world_a
    w.segment.care_forms.add(w.care_form)
    sub_form = CareFormFactory(region=w.region, code="DBH", name="Dagbehandeling")
    w.sub_segment.care_forms.add(sub_form)
    other_segment = SegmentFactory(region=w.region, code="2", name="Wonen")
    foster = CareFormFactory(region=w.region, code="PLZ", name="Pleegzorg")
    other_segment.care_forms.add(foster)
    return {"own": w.care_form, "sub": sub_form, "foster": foster, "other_segment": other_segment}


def test_the_service_refuses_a_form_of_another_segment_by_name(world_a, forms_of):
    before = Strategy.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.strategy_create(
            region=world_a.region,
            care_forms=[forms_of["own"], forms_of["foster"]],
            **strategy_fields(world_a),
        )
    assert exc.value.message_dict["care_forms"] == [
        "De jeugdhulpvorm Pleegzorg hoort niet bij segment 1 Hoog specialistisch A of zijn "
        "deelsegmenten; kies alleen jeugdhulpvormen van dit segment."
    ]
    assert Strategy.objects.count() == before  # nothing half-saved


def test_forms_of_sub_segments_are_in_the_segment(world_a, forms_of):
    s = services.strategy_create(
        region=world_a.region,
        care_forms=[forms_of["own"], forms_of["sub"]],
        **strategy_fields(world_a),
    )
    assert set(s.care_forms.all()) == {forms_of["own"], forms_of["sub"]}
    assert list(kader.segment_care_forms(world_a.segment)) == [forms_of["own"], forms_of["sub"]]


def test_moving_a_strategy_to_another_segment_refuses_the_forms_it_keeps(world_a, forms_of):
    s = services.strategy_create(
        region=world_a.region,
        care_forms=[forms_of["own"], forms_of["sub"]],
        **strategy_fields(world_a),
    )
    with pytest.raises(ValidationError) as exc:
        services.strategy_update(strategy=s, segment=forms_of["other_segment"])
    assert exc.value.message_dict["care_forms"] == [
        "De jeugdhulpvormen Begeleiding A, Dagbehandeling horen niet bij segment 2 Wonen of "
        "zijn deelsegmenten; kies alleen jeugdhulpvormen van dit segment."
    ]
    assert Strategy.objects.get(pk=s.pk).segment == world_a.segment


def test_the_form_offers_only_the_segments_forms_and_names_another(world_a, forms_of):
    strategy = world_a.proc.strategy  # segment 1
    form = forms.StrategyForm(instance=strategy, region=world_a.region)
    assert list(form.fields["care_forms"].queryset) == [forms_of["own"], forms_of["sub"]]
    data = {
        "title": "Strategie",
        "segment": world_a.segment.pk,
        "procedure_type": "sas",
        "funding_models": ["task"],
        "contract_term_years": 4,
        "care_forms": [forms_of["own"].pk, forms_of["foster"].pk],
    }
    bound = forms.StrategyForm(data, instance=strategy, region=world_a.region)
    assert not bound.is_valid()
    assert bound.errors["care_forms"] == [
        "De jeugdhulpvorm Pleegzorg hoort niet bij segment 1 Hoog specialistisch A of zijn "
        "deelsegmenten; kies alleen jeugdhulpvormen van dit segment."
    ]


def test_the_page_refuses_a_form_outside_the_segment(client, world_a, users, forms_of):
    client.force_login(users.officer)
    url = reverse("procurement:strategy-create", kwargs={"region": world_a.region.slug})
    response = client.post(
        url,
        {
            "title": "Nieuwe strategie",
            "segment": world_a.segment.pk,
            "procedure_type": "sas",
            "funding_models": ["task"],
            "contract_term_years": 4,
            "care_forms": [forms_of["foster"].pk],
        },
    )
    assert response.status_code == 200
    assert "Pleegzorg hoort niet bij segment 1" in response.content.decode()
    assert not Strategy.objects.filter(title="Nieuwe strategie").exists()


def test_a_legacy_out_of_segment_form_is_outside_the_lot(world_a, users, forms_of):
    """A strategy saved before the rule with another segment's form: its procedure's lot leaves
    the form out, a submission offering it is refused, and the award is refused for a
    submission that carries it."""
    strategy = world_a.proc.strategy
    strategy.care_forms.set([forms_of["own"], forms_of["foster"]])  # as stored before the rule
    t = services.tender_create_from_strategy(strategy=strategy, reference="SAS-OUD")
    lot = t.lots.get()
    assert list(lot.scope_care_forms()) == [forms_of["own"]]
    provider = ProviderFactory(
        region=world_a.region,
        municipalities=[world_a.municipality],
        forms=[forms_of["own"], forms_of["foster"]],
    )
    problems = selectors.coverage_problems_for(
        lot=lot, provider=provider, care_form_ids=[forms_of["own"].pk, forms_of["foster"].pk]
    )
    assert problems == ["Buiten dit perceel: Pleegzorg."]
    # the world's awarded submission, given the other segment's form behind the rules' back
    sub = world_a.proc.submission
    sub.care_forms.add(forms_of["foster"])
    assert kader.award_scope_refusals(sub.tender) == [
        f"Inschrijving 1 ({sub.provider}) biedt jeugdhulpvormen buiten segment 1 Hoog "
        "specialistisch A: Pleegzorg. Gun alleen jeugdhulpvormen van het segment."
    ]


# ---------------------------------------------------------------- "20 gaten" after an award


def walk_to_objection():
    """Demo-like: a region of ten municipalities, segment 2 Wonen with four care forms; the
    strategy puts two in scope (Gezinshuis, Pleegzorg); an SAS procedure from the strategy,
    walked to the objection period with two providers provisionally awarded who together
    deliver both forms in all ten municipalities. Returns (tender, submissions, now, forms)."""
    region = RegionFactory(name="Regio Tien", slug="regio-tien")
    municipalities = [
        MunicipalityFactory(region=region, name=f"Gemeente {i:02d}") for i in range(1, 11)
    ]
    segment = SegmentFactory(region=region, code="2", name="Wonen")
    gzh, plz, verb, log = (
        CareFormFactory(region=region, code=c, name=n)
        for c, n in (
            ("GZH", "Gezinshuis"),
            ("PLZ", "Pleegzorg"),
            ("VERB", "Verblijf"),
            ("LOG", "Logeeropvang"),
        )
    )
    segment.care_forms.set([gzh, plz, verb, log])
    strategy = services.strategy_create(
        region=region,
        care_forms=[gzh, plz],
        segment=segment,
        title="Wonen: SAS",
        procedure_type=ProcedureType.SAS,
        funding_models=[FundingModel.PXQ],
        contract_term_years=4,
        max_providers=2,
        coverage_min_care_forms=2,
    )
    t = services.tender_create_from_strategy(strategy=strategy, reference="SAS-WONEN")
    t.submission_deadline = t.created_at + timedelta(days=10)
    t.objection_days = 20
    t.save()
    Requirement.objects.create(tender=t, kind=RequirementKind.SUITABILITY, text="Ervaring")
    services.criteria_replace(tender=t, rows=[{"name": "Kwaliteit", "weight": Decimal(100)}])
    lot = t.lots.get()
    services.tender_transition(tender=t, name="publish")
    subs = []
    for name in ("Woonzorg Noord", "Pleeggezin Zuid"):
        provider = ProviderFactory(
            region=region, name=name, municipalities=municipalities, forms=[gzh, plz]
        )
        screen_fully(provider)
        subs.append(
            services.submission_create(lot=lot, provider=provider, care_form_ids=[gzh.pk, plz.pk])
        )
    now = after_deadline(t)
    for step in ("close_submissions", "start_eligibility"):
        services.tender_transition(tender=t, name=step, now=now)
    for s in subs:
        pass_all(s)
    services.tender_transition(tender=t, name="start_scoring", now=now)
    for s in subs:
        consensus(s, 8)
    for step in ("preselect", "start_negotiation", "provisional_award", "start_objection"):
        services.tender_transition(tender=t, name=step, now=now)
    return t, subs, now, {"gzh": gzh, "plz": plz, "verb": verb, "log": log}


def test_complete_award_shows_no_gaps(users):
    """Before the fix the matrix counted the segment's four forms: 10 municipalities x the 2
    forms not in scope = 20 gaps after a complete award. Now it counts the forms in scope:
    10 x 2 cells, each covered by both providers, 0 gaps."""
    t, subs, now, _forms = walk_to_objection()
    services.tender_transition(tender=t, name="award", now=now + timedelta(days=40))
    assert Submission.objects.filter(tender=t, outcome=Outcome.AWARDED).count() == 2
    segment = t.lots.get().segment
    assert segment.care_forms.count() == 4
    assert not Participation.objects.filter(segment=segment).exists()

    officer = users.superuser
    matrix = selectors.coverage_matrix(user=officer, region=t.region, segment=segment)
    assert [f.name for f in matrix["forms"]] == ["Gezinshuis", "Pleegzorg"]
    assert len(matrix["rows"]) == 10
    assert all(row["cells"] == [2, 2] for row in matrix["rows"])
    assert matrix["gaps"] == 0


def test_award_with_a_form_outside_the_segment_is_refused(world_a):
    """A provisionally awarded submission that carries a form of another segment (stored
    behind the rules' back) stops the definitive award, by name; nothing changes."""
    t, subs, now, _forms = walk_to_objection()
    other = SegmentFactory(region=t.region, code="5", name="Crisis")
    crisis = CareFormFactory(region=t.region, code="CRIS", name="Crisisopvang")
    other.care_forms.add(crisis)
    subs[0].care_forms.add(crisis)
    with pytest.raises(TransitionNotAllowed) as exc:
        services.tender_transition(tender=t, name="award", now=now + timedelta(days=40))
    assert exc.value.reasons == [
        f"Inschrijving {subs[0].number} (Woonzorg Noord) biedt jeugdhulpvormen buiten segment "
        "2 Wonen: Crisisopvang. Gun alleen jeugdhulpvormen van het segment."
    ]
    t.refresh_from_db()
    assert t.state == "objection"
    assert not t.events.filter(transition="award").exists()
