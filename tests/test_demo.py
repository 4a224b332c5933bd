from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from api.models import ApiClient, ApiKey
from contracts.models import (
    Budget,
    BudgetRevision,
    Contract,
    ContractEvent,
    FundingArrangement,
    KpiAgreement,
    ProfileConsent,
    TariffIndexation,
    TariffVersion,
)
from monitoring.models import Allocation, Declaration, Occupancy, Trajectory
from procurement.selectors import transition_options
from providers.models import Provider, ProviderKind, Screening
from reports.models import (
    BudgetShare,
    Report,
    ReportSchedule,
    ReportStatus,
    ReportVersion,
    Subscription,
)
from segments.models import CareForm, Municipality, Product, Region, Segment, SupportProfile
from tests.conftest import replay_demo

pytestmark = pytest.mark.django_db


def counts():
    models = (
        Region,
        Municipality,
        Segment,
        CareForm,
        Product,
        SupportProfile,
        Provider,
        Screening,
        User,
        Contract,
        ContractEvent,
        KpiAgreement,
        TariffIndexation,
        TariffVersion,
        FundingArrangement,
        Budget,
        BudgetRevision,
        Declaration,
        Trajectory,
        Allocation,
        Occupancy,
        Report,
        ReportVersion,
        ReportSchedule,
        Subscription,
        BudgetShare,
        ApiClient,
        ApiKey,
        LogEntry,
        ProfileConsent,
    )
    return {m.__name__: m.objects.count() for m in models}


@pytest.mark.xdist_group("demo")  # the worker that recorded the demo replays it
def test_load_demo_is_complete_and_repeatable(settings):
    settings.DEBUG = True
    replay_demo()  # the first load: this process's recording of a real ``load_demo --force``
    first = counts()
    call_command("load_demo", verbosity=0)
    assert counts() == first  # nothing duplicated, not even an audit entry

    zhz, wbo, ams = (Region.objects.get(slug=s) for s in ("zhz", "wbo", "ams"))
    assert (
        zhz.municipalities.count() == 10
        and wbo.municipalities.count() == 5
        and ams.municipalities.count() == 14
    )
    assert Municipality.objects.get(cbs_code="GM0363").name == "Amsterdam"
    assert set(zhz.segments.filter(parent__isnull=True).values_list("code", flat=True)) == {
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
    }
    assert set(zhz.segments.filter(parent__code="3").values_list("code", flat=True)) >= {"3a", "3b"}
    assert wbo.care_forms.count() == 13
    assert set(ams.segments.filter(parent__isnull=True).values_list("code", flat=True)) == {
        "A",
        "B",
        "C",
    }
    assert SupportProfile.objects.filter(region=ams).count() == 10
    assert Product.objects.filter(region=ams, support_profile__isnull=False).count() == 40
    # Provider populations of the seeds' sizes.
    organisations = Provider.objects.exclude(kind=ProviderKind.CONSORTIUM)
    assert organisations.filter(region=zhz, reach="regional").count() == 145
    assert organisations.filter(region=zhz, reach="national").count() == 30
    assert organisations.filter(region=zhz, reach="custom").count() == 80
    assert Provider.objects.filter(region=wbo).count() >= 240
    assert Provider.objects.filter(kind=ProviderKind.CONSORTIUM).count() >= 3 * 3
    # One user per role.
    assert {u.username for u in User.objects.all()} == {
        "inkoper",
        "contractmanager",
        "meelezer",
        "gemeente",
        "beheerder",
        "regiobeheerder",
        "aanbieder",
        "aanbieder-medewerker",
        "aanbieder-wbo",
        "aanbieder-ams",
    }
    assert User.objects.get(username="gemeente").check_password("jeugdinkoop-demo")
    # Provider portal users in every region; the WBO and AMS ones lead a contracted
    # consortium and so act for it.
    from core.scoping import scope_for
    from providers.models import ProviderUser

    portal = {m.user.username: m for m in ProviderUser.objects.select_related("user", "provider")}
    assert {m.provider.region.slug for m in portal.values()} == {"zhz", "wbo", "ams"}
    assert portal["aanbieder"].role == "admin" and portal["aanbieder-medewerker"].role == "employee"
    for username in ("aanbieder-wbo", "aanbieder-ams"):
        acts_for = scope_for(portal[username].user).provider_ids
        assert Contract.objects.filter(provider__in=acts_for).exists(), username
    # Contracts with their funding in all three regions, and production to settle.
    for region in (zhz, wbo, ams):
        assert FundingArrangement.objects.filter(contract__region=region).exists()
        assert TariffVersion.objects.filter(region=region, indexation__isnull=False).exists()
    assert Contract.objects.filter(region=wbo, is_strategic_partner=True).count() == 20
    # One WBO partner's budget 2023 and 2024 came from its negotiation outcome through the
    # award (not written directly), with two development assignments with dated progress.
    from contracts.models import DevelopmentAssignment
    from procurement.models import NegotiationOutcome

    (outcome,) = NegotiationOutcome.objects.filter(submission__tender__region=wbo)
    partner = Contract.objects.get(submission=outcome.submission)
    negotiated = {b.year: b.amount for b in outcome.budgets.filter(kind="lumpsum")}
    on_contract = partner.budgets.filter(note="uit onderhandelingsresultaat", kind="lumpsum")
    assert {b.year: b.amount for b in on_contract} == negotiated
    assert sorted(negotiated) == [2023, 2024]
    assert negotiated[2024] == (negotiated[2023] * Decimal("0.98")).quantize(Decimal("0.01"))
    items = list(DevelopmentAssignment.objects.filter(contract=partner).order_by("pk"))
    assert [a.negotiated_id for a in items] == list(
        outcome.assignments.order_by("order").values_list("pk", flat=True)
    )
    assert [(a.status, a.progress_pct, a.updates.count()) for a in items] == [
        ("done", 100, 3),
        ("running", 60, 2),
    ]
    assert Declaration.objects.filter(region=zhz).exists()
    assert Trajectory.objects.filter(region=ams).exists()
    # Amsterdam: a family with a stacked profile its case director consented to (seed 004):
    # the settlement shows the note and pays both profiles (half of each price at the start:
    # P02-PER 973,42 / 2 = 486,71; P05-INT 4.542,57 / 2 = 2.271,29 rounded)
    from contracts.selectors import settlement_for
    from contracts.settlement import Period
    from monitoring.demo.consent import AMS_CONSENT, FAMILY

    consented = Contract.objects.get(region=ams, reference=AMS_CONSENT)
    given = ProfileConsent.objects.get(contract=consented)
    assert given.family == FAMILY[:12] and given.kind == "stapeling" and given.reason
    settlement = settlement_for(consented, Period.months(2026, 1, 3))
    [note] = settlement.flags_of("stacking_consented")
    assert note.message == (
        f"Gezin {FAMILY[:12]}: P02-PER en P05-INT lopen 58 dagen naast elkaar (02-02-2026 tot "
        "en met 31-03-2026), met instemming regisseur d.d. 28-01-2026 (R. Bakker, regisseur "
        "Ouder- en Kindteam Amsterdam-Noord); betaald."
    )
    assert settlement.flags_of("stacking") == [] and settlement.withheld == 0
    paid = {line.product_code: line for line in settlement.lines}
    assert paid["P02-PER"].description.endswith("1 traject gestart × € 486,71 = € 486,71")
    assert paid["P05-INT"].description.endswith("1 traject gestart × € 2.271,29 = € 2.271,29")
    # Reports: a schedule per kind everywhere, a verdeelsleutel adding up to 100% per year
    # (from declared amounts, which Amsterdam's demo has none of), and in WBO a few reports,
    # ready, one of each kind.
    assert ReportSchedule.objects.count() == 3 * 4
    for region in (zhz, wbo):
        years = set(BudgetShare.objects.filter(region=region).values_list("year", flat=True))
        assert years
        for year in years:
            total = sum(
                BudgetShare.objects.filter(region=region, year=year).values_list(
                    "percentage", flat=True
                )
            )
            assert total == 100
    demo_reports = Report.objects.filter(region=wbo)
    assert set(demo_reports.values_list("kind", flat=True)) == {
        "provider",
        "segment",
        "municipality",
        "board",
    }
    assert all(r.status == ReportStatus.READY and r.current for r in demo_reports)
    assert Subscription.objects.filter(user__username="gemeente", kind="municipality").exists()
    # API clients of WBO: Breda's BI, a provider's system and the regional data warehouse
    assert set(ApiClient.objects.filter(region=wbo).values_list("kind", flat=True)) == {
        "gemeente",
        "aanbieder",
        "regionaal",
    }
    assert all(c.keys.filter(revoked_at__isnull=True).exists() for c in ApiClient.objects.all())
    # Issue 21: ZHZ's themes and consultations, WBO's decision to adopt without council views
    from procurement.models import AdoptionDecision, MarketConsultation, Theme

    assert Theme.objects.filter(region=zhz, views__isnull=False).distinct().count() == 5
    assert MarketConsultation.objects.filter(strategy__region=zhz).count() == 2
    assert AdoptionDecision.objects.filter(framework__region=wbo).exists()
    # Decision letters: every demo region signs them with an officer, a function and its
    # contracting authority (the letters the demo sends are kept: tests/procurement/
    # test_standstill_letter.py; here the on-commit sending does not run)
    from procurement.signatory import region_signatory

    for region in (zhz, wbo, ams):
        signed = region_signatory(region)
        assert signed.missing() == [], region.slug
        assert signed.contracting_authority == region.contracting_authority
    # The award's safeguards on a ZHZ SAS lot: an objection received and decided ongegrond,
    # evidence asked of both provisional winners and every item approved; nothing holds the
    # definitive award any more. WBO's partners that were not admissible when awarded carry a
    # recorded, reasoned exception.
    from procurement.demo_objections import zhz_objection_tender
    from procurement.models import AwardException, EvidenceItem, Objection

    sas = zhz_objection_tender(zhz)
    objection = Objection.objects.get(tender=sas)
    assert (objection.kind, objection.status, objection.outcome) == (
        "bezwaar",
        "decided",
        "ongegrond",
    )
    assert objection.lot == sas.lots.get() and objection.decision.startswith("Ongegrond.")
    items = EvidenceItem.objects.filter(request__submission__tender=sas)
    assert items.count() == 2 * 3
    assert set(items.values_list("status", flat=True)) == {"approved"}
    award = next(o for o in transition_options(sas) if o.transition.name == "award")
    # (the screenings are judged on the day the test runs: only these two reasons must be gone)
    assert not [b for b in award.blockers if "bezwaar" in b or "bewijsstukken" in b]
    assert AwardException.objects.filter(submission__tender__region=wbo).exists()


def test_load_demo_refuses_production_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", verbosity=0)


@pytest.mark.xdist_group("demo")  # the worker that recorded the demo replays it
def test_demo_has_a_pilot_for_two_municipalities_and_free_and_reserved_budgets(demo_data):
    """Zuid-Holland Zuid: the pilot of segment 6 (seed 000) applies to Dordrecht and
    Zwijndrecht only, and its production stays there; segment 1 has a free and a reserved
    budget in 2026 (seed 004), on the budget page next to its contracts."""
    from contracts.demo_scope import PILOT_REFERENCE
    from contracts.models import SegmentBudget
    from contracts.segment_budgets import segment_budget_overview

    pilot = Contract.objects.get(reference=PILOT_REFERENCE)
    assert pilot.region.slug == "zhz" and pilot.segment.code == "6"
    assert {m.name for m in pilot.municipalities.all()} == {"Dordrecht", "Zwijndrecht"}
    assert pilot.events.filter(kind="amendment", reason__contains="Geldt voor").exists()
    for model in (Declaration, Trajectory, Allocation):
        places = set(model.objects.filter(contract=pilot).values_list("municipality__name"))
        assert places == {("Dordrecht",), ("Zwijndrecht",)}, model.__name__
    zhz = pilot.region
    budgets = SegmentBudget.objects.filter(region=zhz, segment__code="1", year=2026)
    assert set(budgets.values_list("kind", flat=True)) == {"free", "reserved"}
    officer = User.objects.get(username="inkoper")
    row = next(
        r for r in segment_budget_overview(zhz, 2026, officer)["rows"] if r.segment.code == "1"
    )
    assert row.contracted > 0
    assert row.total == row.contracted + row.free.amount + row.reserved.amount
