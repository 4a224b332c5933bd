"""The procurement demo (procurement/demo.py): complete, consistent with the rules, repeatable.

The demo is loaded once for the module inside a transaction that is rolled back afterwards,
so the other test modules never see it."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from contracts.models import Contract
from demo.users import load_users
from procurement import admission
from procurement.codes import (
    FrameworkStatus,
    FundingModel,
    Outcome,
    ProcedureType,
    TenderState,
)
from procurement.demo import load_procurement
from procurement.models import Framework, Submission, Tender
from providers.demo import load_providers
from providers.models import ConsortiumMembership, Provider
from segments.demo.load import load_landscape

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-procurement")]

REGIONS = ("zhz", "wbo")


def counts() -> dict[str, int]:
    models = [
        *apps.get_app_config("procurement").get_models(),
        Contract,
        Provider,
        ConsortiumMembership,
        LogEntry,
    ]
    return {m.__name__: m.objects.count() for m in models}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        regions = {r.slug: r for r in load_landscape() if r.slug in REGIONS}
        for region in regions.values():
            load_providers(region)
        load_users()
        first = {slug: load_procurement(region) for slug, region in regions.items()}
        before = counts()
        second = {slug: load_procurement(region) for slug, region in regions.items()}
        yield SimpleNamespace(
            regions=regions, first=first, second=second, before=before, after=counts()
        )
        transaction.set_rollback(True)


def test_second_run_adds_and_changes_nothing(demo):
    assert all(demo.first[slug] for slug in REGIONS)
    assert demo.second == {"zhz": {}, "wbo": {}}
    assert demo.after == demo.before
    # three procedures, and the ZHZ SAS of segment 7 in the objection period (issue 21)
    assert demo.before["Tender"] == 4 and demo.before["Contract"] > 0


def test_other_regions_get_nothing(demo):
    assert load_procurement(SimpleNamespace(slug="ams")) == {}


def test_zhz_framework_with_a_view_and_response_per_municipality(demo):
    zhz = demo.regions["zhz"]
    framework = Framework.objects.get(region=zhz, title="Inkoopkader jeugdhulp 2022 e.v.")
    assert framework.status == FrameworkStatus.ADOPTED
    assert framework.consultation_started_on == date(2020, 9, 24)
    assert framework.adopted_on == date(2020, 12, 10)
    assert "Algemeen Bestuur" in framework.adopted_by
    assert "Kostenbeheersing" in framework.principle_list
    assert len(framework.principle_list) == 14
    views = list(framework.views.select_related("municipality"))
    assert len(views) == 10
    assert {v.municipality.region_id for v in views} == {zhz.pk}
    assert all(v.response and v.responded_on and v.received_on < v.responded_on for v in views)
    # Each common point is raised by at least four councils, and not all raise the same ones.
    for point in ("toegangstaak", "Lokaal waar", "Grip op het aantal", "Kostenbeheersing"):
        assert sum(point in v.view for v in views) >= 4, point
    assert len({v.view.split("\n", 1)[1] for v in views}) == 10  # each its own set of points
    gorinchem = next(v for v in views if v.municipality.name == "Gorinchem")
    assert "Wij vragen u dat toe te voegen" in gorinchem.view


def test_zhz_strategies_follow_the_slides(demo):
    zhz = demo.regions["zhz"]
    by_code = {s.segment.code: s for s in zhz.strategies.select_related("segment")}
    assert by_code["1"].procedure_type == ProcedureType.PARTNERSHIP
    assert by_code["1"].max_providers == 2
    assert by_code["1"].term_label == "4 + 1 + 1"
    assert by_code["4a"].procedure_type == ProcedureType.BUDGET_GRANT
    assert by_code["4b"].procedure_type == ProcedureType.SAS
    assert by_code["5"].procedure_type == ProcedureType.OPEN_HOUSE
    assert by_code["3b"].funding_models == [FundingModel.TASK]
    assert all(s.framework.title == "Inkoopkader jeugdhulp 2022 e.v." for s in by_code.values())
    assert all(s.development_assignments for s in by_code.values())
    # Was → wordt (seeds 000/001): from open house with PxQ, except segment 6 (not described).
    assert by_code["1"].previous_procedure_type == ProcedureType.OPEN_HOUSE
    assert by_code["1"].previous_funding_models == [FundingModel.PXQ]
    assert by_code["1"].procedure_changes and by_code["1"].funding_changes
    assert by_code["4b"].funding_changes is False  # PxQ stays
    assert by_code["6"].previous_procedure_type == "" and by_code["6"].procedure_changes is None
    assert all(s.change_reason and s.contract_start for s in by_code.values())


def _wbo_tender(demo) -> Tender:
    return Tender.objects.get(region=demo.regions["wbo"], procedure_type=ProcedureType.SAS)


def test_wbo_strategy(demo):
    strategy = _wbo_tender(demo).strategy
    assert strategy.procedure_type == ProcedureType.SAS
    assert strategy.funding_models == [FundingModel.TASK]
    assert (strategy.contract_term_years, strategy.extension_options) == (5, [1, 1])
    assert strategy.max_providers == 20 and strategy.coverage_min_care_forms == 10
    assert strategy.care_forms.count() == 13
    assert strategy.framework.status == FrameworkStatus.ADOPTED
    assert "Zo thuis mogelijk" in strategy.development_assignments
    # Seed 002: the open house of 240 providers with PxQ becomes 20 partners, task-based.
    assert strategy.previous_procedure_type == ProcedureType.OPEN_HOUSE
    assert strategy.previous_funding_models == [FundingModel.PXQ]
    assert str(strategy.contract_start) == "2023-01-01"
    assert "240 aanbieders" in strategy.change_reason


def test_wbo_sas_in_negotiation_with_20_preselected(demo):
    tender = _wbo_tender(demo)
    assert tender.state == TenderState.NEGOTIATION
    subs = list(tender.submissions.all())
    assert 25 <= len(subs) <= 35
    assert sum(s.preselected for s in subs) == 20
    assert sorted(s.rank for s in subs if s.preselected) == list(range(1, 21))
    assert all(s.received_at < tender.submission_deadline for s in subs)
    # Receipt numbers follow the time of receipt.
    ordered = sorted(subs, key=lambda s: s.number)
    assert [s.received_at for s in ordered] == sorted(s.received_at for s in subs)
    criteria = list(tender.criteria.all())
    assert 4 <= len(criteria) <= 5
    assert sum(c.weight for c in criteria) == Decimal(100)
    assert tender.requirements.filter(kind="suitability").exists()
    assert tender.requirements.filter(kind="exclusion").exists()
    publication = tender.milestones.get(kind="publication").actual_on
    preselection = tender.milestones.get(kind="preselection").actual_on
    assert (publication.year, publication.month) == (2022, 6)
    assert (preselection.year, preselection.month) == (2022, 8)
    assert tender.milestones.get(kind="contract_start").planned_on == date(2023, 1, 1)


def test_wbo_every_submission_meets_the_coverage_rule(demo):
    tender = _wbo_tender(demo)
    scope = set(tender.strategy.care_forms.values_list("pk", flat=True))
    members_seen: set[int] = set()
    for sub in tender.submissions.select_related("provider"):
        offered = set(sub.care_forms.values_list("pk", flat=True))
        delivered = set(sub.provider.effective_care_forms().values_list("pk", flat=True))
        assert len(offered & delivered & scope) >= 10
        members = set(sub.provider.members.values_list("member_id", flat=True))
        assert not members & members_seen  # every organisation takes part once
        members_seen |= members


def test_wbo_scores_by_two_assessors_and_consensus(demo):
    tender = _wbo_tender(demo)
    n_criteria = tender.criteria.count()
    eligible = list(tender.submissions.filter(eligible=True))
    assert len(eligible) >= 20
    for sub in eligible:
        assert sub.consensus.count() == n_criteria
        assert sub.scores.values("assessor").distinct().count() == 2
        assert sub.scores.count() == 2 * n_criteria
        assert all(s.reason for s in sub.scores.all())
        assert all(c.reason for c in sub.consensus.all())
        assert sub.total_score is not None and sub.rank is not None
    assessors = set(
        tender.submissions.filter(eligible=True)
        .values_list("scores__assessor__username", flat=True)
        .distinct()
    )
    assert assessors == {"inkoper", "contractmanager"}
    not_preselected = tender.submissions.filter(outcome=Outcome.NOT_PRESELECTED)
    assert not_preselected.count() == len(eligible) - 20
    assert all(s.outcome_reason for s in not_preselected)


def test_wbo_exclusions_have_evidence(demo):
    excluded = list(_wbo_tender(demo).submissions.filter(outcome=Outcome.EXCLUDED))
    assert 1 <= len(excluded) <= 3
    for sub in excluded:
        assert sub.eligible is False and not sub.is_live
        failed = sub.checks.filter(passed=False)
        assert failed.exists() and all(c.evidence for c in failed)
        assert "Voldoet niet aan" in sub.outcome_reason


def test_wbo_questions_answered_in_nota_1_and_negotiation_notes(demo):
    tender = _wbo_tender(demo)
    questions = list(tender.questions.all())
    assert 4 <= len(questions) <= 8
    assert {q.published_in for q in questions} == {1}
    assert all(q.answer for q in questions)
    assert sum(q.asked_by_id is not None for q in questions) >= 3
    noted = tender.submissions.exclude(negotiation_notes="")
    assert noted.exists() and all(s.preselected for s in noted)


def test_zhz_open_house_admits_with_contracts_and_refuses_with_reason(demo):
    tender = Tender.objects.get(region=demo.regions["zhz"], procedure_type=ProcedureType.OPEN_HOUSE)
    assert tender.state == TenderState.ADMISSION
    assert tender.admission_months == [1, 4, 7, 10]
    assert tender.strategy.segment.code == "5"
    subs = list(tender.submissions.all())
    assert 8 <= len(subs) <= 12
    for sub in subs:
        day = timezone.localdate(sub.received_at)
        assert admission.moment_window(tender.admission_months, 30, day) is not None
    admitted = [s for s in subs if s.outcome == Outcome.ADMITTED]
    refused = [s for s in subs if s.outcome == Outcome.REFUSED]
    assert len(admitted) >= len(subs) - 2 and 1 <= len(refused) <= 2
    for sub in admitted:
        contract = Contract.objects.get(submission=sub)
        assert contract.provider_id == sub.provider_id
        assert contract.start_date == sub.outcome_on
        assert sub.provider.admissibility(sub.outcome_on).admissible
    for sub in refused:
        assert sub.outcome_reason and "12 maanden" in sub.outcome_reason
        assert not Contract.objects.filter(submission=sub).exists()
        assert sub.checks.filter(passed=False).exclude(evidence="").exists()


def test_conditional_admission_opened_by_a_recorded_decision(demo):
    tender = Tender.objects.get(procedure_type=ProcedureType.CONDITIONAL_ADMISSION)
    assert tender.region.slug in REGIONS
    window = tender.windows.get()
    # The condition is one the strategy agreed up front (seed 000: room for an extra GI).
    assert window.condition.strategy == tender.strategy
    assert window.condition.code == "WACHTTIJD" and "wachttijd" in window.condition.text
    assert set(tender.strategy.conditions.values_list("code", flat=True)) == {
        "AANBOD",
        "WACHTTIJD",
        "STOPT",
    }
    assert window.decision and window.opened_by.username == "inkoper"
    subs = list(tender.submissions.all())
    assert len(subs) >= 2
    for sub in subs:
        day = timezone.localdate(sub.received_at)
        assert window.opened_on <= day and (window.closed_on is None or day < window.closed_on)
        assert sub.outcome in (Outcome.ADMITTED, Outcome.REFUSED) and sub.outcome_reason
    assert Submission.objects.filter(tender=tender, outcome=Outcome.ADMITTED).exists()


def test_framework_themes_decision_and_consultations(demo):
    """Issue 21: the ZHZ views carry the five points of seed 001 as themes, each raised by four
    or more councils; WBO adopted without council views by a recorded decision; a ZHZ market
    consultation and development table; every strategy's forms from its own segment."""
    from procurement import kader
    from procurement.models import AdoptionDecision, MarketConsultation, Strategy

    zhz, wbo = demo.regions["zhz"], demo.regions["wbo"]
    fw = Framework.objects.get(region=zhz, title="Inkoopkader jeugdhulp 2022 e.v.")
    counts = {c.theme.name: c for c in kader.theme_counts(framework=fw)}
    assert counts["Kostenbeheersing"].count == 9  # all but Molenlanden (demo.ZHZ_VIEWS)
    assert counts["Versterken toegangstaak en stevig contractmanagement"].count == 6
    assert all(c.highlighted for c in counts.values()) and len(counts) == 5
    assert not kader.missing_municipalities(fw) and fw.status == FrameworkStatus.ADOPTED
    wbo_fw = Framework.objects.get(region=wbo)
    decision = AdoptionDecision.objects.get(framework=wbo_fw)
    assert wbo_fw.status == FrameworkStatus.ADOPTED and decision.decided_on <= wbo_fw.adopted_on
    assert decision.missing_municipalities.count() == 5 and "colleges" in decision.reason
    kinds = set(
        MarketConsultation.objects.filter(strategy__region=zhz).values_list("kind", flat=True)
    )
    assert kinds == {"market", "table"}
    assert all(
        c.providers.exists() and c.themes.exists()
        for c in MarketConsultation.objects.filter(strategy__region=zhz)
    )
    for strategy in Strategy.objects.filter(region__in=[zhz, wbo]):
        allowed = set(kader.segment_care_forms(strategy.segment).values_list("pk", flat=True))
        assert set(strategy.care_forms.values_list("pk", flat=True)) <= allowed, strategy
