"""Contract demo data for the seed regions, built through contracts/services.py.

- West-Brabant Oost (seed 002): the SAS procedure of the procurement demo is finished through
  the real workflow (provisional award, objection period, definitive award on the planned
  dates); the definitive award creates the 20 strategic-partner contracts (5 + 1 + 1 years).
  Each partner gets one task-based arrangement, a decreasing lumpsum, KPI agreements; a few get
  a recalibration, one an amendment and one is terminated.
- Zuid-Holland Zuid (seed 000): the crisis contracts of the open house (segment 5) get a hybrid
  arrangement set (availability + PxQ); existing contracts are entered for segment 1 Hoog
  specialistisch (PxQ, 4 + 1 + 1) and segment 2 Wonen (availability + PxQ, 3 + 1 + 1), the GI
  admitted in segment 6 gets PxQ; regional tariffs (some with a reasonable-price build-up) are
  indexed every 1 January; ceilings per contract for 2025 and 2026.
- Amsterdam (seed 004): regional prices for the 40 profile × intensity products and segment B
  contracts paid per result (half at the start, half at the end), with ceilings per year and
  per profile.

ILLUSTRATIVE: the seeds give no tariffs, indexation percentages, budgets per partner, ceilings
or KPI norms. Every amount below is invented to make the demo plausible, and the notes stored
with the tariffs, budgets and arrangements say so.

Deterministic (fixed dates, providers chosen in a fixed order) and repeatable: a region that
already has funding arrangements is skipped as a whole.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from accounts.models import User
from core.demo_clock import demo_at, demo_date, demo_year, production_years, shift
from core.ui.formatting import format_date, money
from procurement import services as procurement_services
from procurement.codes import TenderState
from procurement.models import Tender
from providers.models import Provider, ProviderKind
from segments.codes import Unit
from segments.models import Product, Region, Segment, SupportProfile

from . import services
from .codes import ArrangementModel, BudgetKind, Direction, Kpi, OutputPayment, ReportingFrequency
from .demo_development import wbo_development_progress
from .demo_scope import load_zhz_scope
from .models import (
    Budget,
    BudgetRevision,
    Contract,
    EffectScenario,
    FundingArrangement,
    KpiAgreement,
    TariffIndexation,
    TariffVersion,
)
from .tariffs import BuildUp

AMS_TZ = ZoneInfo("Europe/Amsterdam")
D = Decimal
ILLUSTRATIVE = "Illustratief bedrag voor de demo; niet ontleend aan de bronstukken."

# Contracts the production demo (monitoring/demo.py) treats specially.
# The Amsterdam demo region's intensity for crises (seed 004): only its crisis partners get it.
ACUTE = "acuut"
ZHZ_OVERRUN = "SOJ-2022-S1-004"  # its production runs over the 2026 ceiling
ZHZ_LOW_OCCUPANCY = "SOJ-2022-S2-003"  # its occupancy falls under the 50% threshold in 2026
# ... in one of its two facilities (availability per facility): the one in Dordrecht
ZHZ_LOW_FACILITY = "Locatie Dordrecht"
ZHZ_SECOND_FACILITY = "Locatie Gorinchem"
AMS_STACKING = "AMS-2024-B-001"  # one family gets two ordinary profiles at once


def _at(y, mo, d, h=9, mi=0) -> datetime:
    return demo_at(datetime(y, mo, d, h, mi, tzinfo=AMS_TZ))


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _thousands(value: Decimal) -> Decimal:
    return (Decimal(value) / 1000).quantize(D(1), ROUND_HALF_UP) * 1000


def _forms(provider: Provider) -> set[str]:
    if provider.kind == ProviderKind.CONSORTIUM:
        return set(provider.effective_care_forms().values_list("code", flat=True))
    return {form.code for form in provider.care_forms.all()}  # prefetched


def _kpis(contract: Contract, rows) -> int:
    for kpi, direction, norm, amber, red, note in rows:
        services.kpi_agreement_create(
            contract=contract,
            kpi=kpi,
            direction=direction,
            norm=D(norm),
            amber_threshold=D(amber),
            red_threshold=D(red),
            note=note,
        )
    return len(rows)


LOWER, HIGHER = Direction.LOWER_IS_BETTER, Direction.HIGHER_IS_BETTER
# Illustrative norms with their amber and red thresholds (DOMAIN.md §9).
OUTCOME_KPIS = [
    (
        Kpi.WAIT_TIME,
        LOWER,
        "28",
        "42",
        "56",
        "Dagen tussen verwijzing en start van de hulp (Treeknorm-achtig; illustratief).",
    ),
    (
        Kpi.DROPOUT,
        LOWER,
        "10",
        "15",
        "20",
        "Aandeel trajecten beëindigd met CBS-reden 03 of 04 (uitval; illustratief).",
    ),
    (
        Kpi.GOAL_REALISATION,
        HIGHER,
        "75",
        "65",
        "55",
        "Aandeel afgesloten trajecten waarin de afgesproken doelen zijn bereikt (illustratief).",
    ),
    (
        Kpi.CLIENT_EXPERIENCE,
        HIGHER,
        "7.5",
        "7.0",
        "6.5",
        "Gemiddeld rapportcijfer van jeugdigen en ouders aan het einde van de hulp (illustratief).",
    ),
]
OCCUPANCY_KPI = (
    Kpi.OCCUPANCY,
    HIGHER,
    "85",
    "65",
    "50",
    "Bezettingsgraad van de beschikbaar gehouden plaatsen; onder 50% volgt een gezamenlijke "
    "evaluatie van samenvoegen of sluiten (illustratief).",
)


def _tariffs(region, rows, valid_from: date, note: str, user, build_ups=None) -> int:
    """Regional tariffs ``{code: amount}`` from ``valid_from``; ``build_ups`` are later
    versions {code: (date, BuildUp)} set under the reasonable-price build-up."""
    products = {p.code: p for p in Product.objects.filter(region=region, code__in=list(rows))}
    for code, amount in rows.items():
        services.tariff_version_create(
            product=products[code], valid_from=valid_from, amount=D(amount), note=note, user=user
        )
    for code, (day, build_up) in (build_ups or {}).items():
        services.tariff_version_create(
            product=products[code],
            valid_from=day,
            build_up=build_up,
            note="Herberekend met de kostprijsopbouw volgens de reële-prijsregels (Besluit "
            "Jeugdwet art. 2.3); opbouw illustratief.",
            user=user,
        )
    return len(rows) + len(build_ups or {})


def _index(region, rows, user) -> None:
    for day, pct in rows:
        day = shift(day)
        services.tariffs_index(
            region=region,
            percentage=D(pct),
            valid_from=day,
            note=f"Jaarlijkse indexatie per {format_date(day)}: {pct}%. Illustratief percentage "
            "(geen vastgesteld percentage van de regio).",
            user=user,
        )


def _summary(region) -> dict[str, int]:
    contracts = Contract.objects.filter(region=region)
    counts = {
        "contracten": contracts.count(),
        "bekostigingsafspraken": FundingArrangement.objects.filter(contract__region=region).count(),
        "tariefversies": TariffVersion.objects.filter(region=region).count(),
        "indexaties": TariffIndexation.objects.filter(region=region).count(),
        "budgetten": Budget.objects.filter(contract__region=region).count(),
        "herijkingen": BudgetRevision.objects.filter(budget__contract__region=region).count(),
        "KPI-afspraken": KpiAgreement.objects.filter(contract__region=region).count(),
    }
    return {label: n for label, n in counts.items() if n}


# ================================================================ West-Brabant Oost

WBO_TENDER = "WBO-2022-SAS-01"
WBO_LUMPSUM_TOTAL = D("60000000")  # ILLUSTRATIVE total for 2023 over all partners
WBO_DECREASE_PCT = D("2")  # ILLUSTRATIVE yearly decrease of the lumpsum (afnemende lumpsum)
# The product-and-tariff model the region still uses to set task and budget (seed 002, ch. 9);
# illustrative reference tariffs from 1 January 2023, not a basis for declaring.
WBO_TARIFFS_2023 = {
    "54A01": "1.95",
    "54A02": "2.05",
    "54B01": "1150.00",
    "45B01": "98.00",
    "41A01": "92.00",
    "41A02": "105.00",
    "45E01": "58.00",
    "45A01": "64.00",
    "45A02": "52.00",
    "45A03": "82.00",
    "40A01": "55.00",
    "44C01": "165.00",
    "54D01": "1050.00",
    "54D02": "3900.00",
    "45H01": "92.00",
    "45H02": "70.00",
    "45M01": "9800.00",
    "43A01": "285.00",
    "44A01": "210.00",
    "46A01": "130.00",
    "46A02": "340.00",
    "44P01": "46.00",
    "44P02": "50.00",
}
WBO_INDEXATIONS = [(date(2024, 1, 1), "6.1"), (date(2025, 1, 1), "4.5"), (date(2026, 1, 1), "3.2")]


def _wbo_award(tender: Tender, officer) -> Tender:
    """Provisional award, objection period (20 days) and definitive award on the planned dates;
    the definitive award creates the contracts (contracts.services.contracts_from_award)."""
    if tender.state == TenderState.NEGOTIATION:
        tender = procurement_services.tender_transition(
            tender=tender, name="provisional_award", user=officer, now=_at(2022, 9, 23, 10)
        )
    if tender.state == TenderState.PROVISIONAL_AWARD:
        tender = procurement_services.tender_transition(
            tender=tender, name="start_objection", user=officer, now=_at(2022, 9, 23, 15)
        )
    if tender.state == TenderState.OBJECTION:
        tender = procurement_services.tender_transition(
            tender=tender, name="award", user=officer, now=_at(2022, 10, 14, 10)
        )
    return tender


def _load_wbo(region) -> dict[str, int]:
    tender = Tender.objects.filter(region=region, reference=WBO_TENDER).first()
    if tender is None:
        return {}
    officer, manager = _user("inkoper"), _user("contractmanager")
    tender = _wbo_award(tender, officer)
    if tender.state not in (TenderState.DEFINITIVE_AWARD, TenderState.IMPLEMENTATION):
        return {}
    contracts = list(
        Contract.objects.filter(submission__tender=tender)
        .select_related("submission", "provider")
        .order_by("reference")
    )
    if not contracts:
        return {}
    _tariffs(
        region,
        WBO_TARIFFS_2023,
        demo_date(2023, 1, 1),
        "Referentietarief uit het huidige productmodel, gebruikt om taak en budget per "
        "strategisch partner te bepalen (inkoopstrategie, hoofdstuk 9); geen declaratiegrondslag. "
        "Bedrag illustratief.",
        manager,
    )
    _index(region, WBO_INDEXATIONS, manager)
    products = list(Product.objects.filter(region=region).select_related("care_form"))
    forms = {c.pk: set(c.submission.care_forms.values_list("pk", flat=True)) for c in contracts}
    total_forms = sum(len(f) for f in forms.values())
    by_contract = {}
    for contract in contracts:
        offered = forms[contract.pk]
        arrangement = services.arrangement_create(
            contract=contract,
            model=ArrangementModel.TASK,
            valid_from=contract.start_date,
            products=[p for p in products if p.care_form_id in offered],
            name="Integrale jeugdhulpopdracht (taakgericht)",
            note=(
                "De partner bepaalt wat en hoe, de regio bepaalt dát een jeugdige hulp krijgt. "
                "De producten staan er ter informatie bij: ze zijn gebruikt om taak en budget te "
                "bepalen. Het budget 2023 is een illustratief deel van € 60 mln naar rato van "
                f"het aantal jeugdhulpvormen ({len(offered)} van 13); de jaarlijkse afname van "
                f"{WBO_DECREASE_PCT}% is eveneens illustratief."
            ),
        )
        # ILLUSTRATIVE: the total split in proportion to the number of care forms covered.
        base = _thousands(WBO_LUMPSUM_TOTAL * len(offered) / total_forms)
        # A partner whose lumpsum came from its negotiation outcome (on award): the plan
        # continues after the negotiated years (procurement.demo_negotiation).
        negotiated = list(contract.budgets.filter(kind=BudgetKind.LUMPSUM).order_by("year"))
        if negotiated:
            base = money(negotiated[-1].amount * (100 - WBO_DECREASE_PCT) / 100)
        budgets = negotiated + services.lumpsum_plan(
            arrangement=arrangement,
            base_amount=base,
            base_year=negotiated[-1].year + 1 if negotiated else demo_year(2023),
            decrease_pct=WBO_DECREASE_PCT,
        )
        by_contract[contract.pk] = {b.year: b for b in budgets}
        _kpis(contract, OUTCOME_KPIS)

    wbo_development_progress(contracts, manager)  # progress on negotiated assignments
    # 2024: an addendum adds a development assignment for one partner.
    amended = contracts[4]
    services.contract_amend(
        contract=amended,
        effective_on=demo_date(2024, 4, 1),
        reason="Addendum 2024: ontwikkelopdracht 'Zo thuis mogelijk' toegevoegd na het "
        "prestatiegesprek van maart 2024 (illustratief).",
        changes={
            "development_assignments": (
                amended.development_assignments
                + "\n\nOntwikkelopdracht 2024 (addendum): pilot gezinsgerichte "
                "crisisinterventie thuis in Drimmelen en Geertruidenberg, met als doel minder "
                "crisisplaatsingen buiten het gezin; verslag bij het prestatiegesprek 2025."
            ).strip()
        },
        user=manager,
    )
    # 2025: recalibration after the first half year (illustrative).
    raised = contracts[2]
    budget = by_contract[raised.pk][demo_year(2025)]
    services.budget_revise(
        budget=budget,
        effective_on=demo_date(2025, 7, 1),
        amount=_thousands(budget.amount * D("1.06")),
        reason=f"Herijking {demo_year(2025)} (illustratief): de instroom in het eerste halfjaar, "
        "vooral uit "
        "Breda en Oosterhout, ligt structureel boven de taak waarop het budget is gebaseerd. "
        f"Na het budgetgesprek van juni {demo_year(2025)} is het budget met 6% verhoogd.",
        user=manager,
    )
    # Termination per 31-12-2025 (illustrative); two partners take over its youths in 2026.
    ended = contracts[16]
    services.contract_terminate(
        contract=ended,
        effective_on=demo_date(2025, 12, 31),
        reason=f"Illustratief: beëindigd met wederzijds goedvinden per 31-12-{demo_year(2025)}. "
        f"De partner kon de acceptatieplicht in {demo_year(2025)} structureel niet waarmaken "
        "(capaciteitstekort in de "
        "verblijfszorg); het verbeterplan leverde onvoldoende op. De jeugdigen in zorg zijn per "
        f"1-1-{demo_year(2026)} warm overgedragen aan twee andere strategisch partners.",
        user=manager,
    )
    freed = by_contract[ended.pk][demo_year(2026)].amount
    for year, budget in sorted(by_contract[ended.pk].items()):
        if year >= demo_year(2026):
            services.budget_revise(
                budget=budget,
                effective_on=date(year, 1, 1),
                amount=D("0"),
                reason=f"Het contract is beëindigd per 31-12-{demo_year(2025)}; "
                "dit budget vervalt.",
                user=manager,
            )
    for taker in (contracts[0], contracts[1]):
        budget = by_contract[taker.pk][demo_year(2026)]
        services.budget_revise(
            budget=budget,
            effective_on=demo_date(2026, 1, 1),
            amount=budget.amount + _thousands(freed / 2),
            reason=f"Herijking {demo_year(2026)}: overname van jeugdigen van "
            f"{ended.provider.name} na de "
            f"beëindiging van dat contract per 31-12-{demo_year(2025)}; de helft van het vervallen "
            f"budget {demo_year(2026)} van die partner (illustratief).",
            user=manager,
        )
    return _summary(region)


# ================================================================ Zuid-Holland Zuid

# ILLUSTRATIVE regional tariffs from 1 January 2022 (€ per unit of the product).
ZHZ_TARIFFS_2022 = {
    # Segment 1 Hoog specialistisch
    "43A01": "265.00",
    "43A02": "190.00",
    "43A03": "520.00",
    "45C01": "118.00",
    "45B01": "96.00",
    "45B02": "88.00",
    "45B03": "104.00",
    "54A01": "1.92",
    "54A02": "1.45",
    # Segment 2 Wonen
    "44A01": "48.00",
    "44A02": "52.00",
    "43B01": "165.00",
    "44B01": "175.00",
    "44B02": "140.00",
    "44B03": "120.00",
    # Segment 5 Crisis
    "46A01": "128.00",
    "46A02": "310.00",
    # Segment 6 GI (per day of a measure)
    "48A01": "20.50",
    "48A02": "17.80",
    "47A01": "19.40",
}
# From 1 January 2023 a few tariffs rest on a reasonable-price build-up (illustrative figures).
ZHZ_BUILD_UPS = {
    "43A01": BuildUp(D("172.00"), D("24.00"), D("21.50"), D("21"), D("3.8")),
    "44B01": BuildUp(D("118.00"), D("15.50"), D("14.00"), D("20"), D("3.8")),
    "43B01": BuildUp(D("108.00"), D("12.00"), D("18.00"), D("18"), D("3.8")),
    "46A02": BuildUp(D("205.00"), D("30.00"), D("19.00"), D("20"), D("3.8")),
    "45C01": BuildUp(D("79.00"), D("11.50"), D("4.50"), D("22"), D("3.8")),
}
ZHZ_INDEXATIONS = [(date(2024, 1, 1), "5.9"), (date(2025, 1, 1), "4.2"), (date(2026, 1, 1), "3.4")]
SEGMENT_1_FORMS = {"VERBB", "INTAMB", "BEH"}
SEGMENT_2_FORMS = {"PLZ", "GZH", "VERB"}
SEGMENT_1_VOLUME = ["2400000", "1850000", "3100000", "1250000", "2050000", "950000"]
SEGMENT_2_PLACES = [12, 8, 6, 10]
PXQ_UNITS = {Unit.MINUTE, Unit.HOUR, Unit.ETMAAL, Unit.DAGDEEL, Unit.PIECES_EFFORT}


def _candidates(region, wanted: set[str], exclude: set[int]) -> list[tuple[Provider, set[str]]]:
    rows = []
    for provider in (
        Provider.objects.filter(
            region=region, kind__in=[ProviderKind.INSTITUTION, ProviderKind.CONSORTIUM]
        )
        .exclude(pk__in=exclude)
        .prefetch_related("care_forms")
        .order_by("name")
    ):
        forms = _forms(provider) & wanted
        if forms:
            rows.append((provider, forms))
    return rows


def _regional_price(product: Product, day: date) -> Decimal:
    version = services.current_versions(product.region, None, day, [product]).first()
    return version.amount if version else D("0")


def _active_months(contract: Contract, year: int) -> int:
    first = max(contract.start_date, date(year, 1, 1))
    last = min(contract.end_date, date(year, 12, 31))
    if first > last:
        return 0
    return last.month - first.month + 1


def _ceilings(contract: Contract, per_month: Decimal, years=None) -> int:
    count = 0
    for year in years or production_years():
        months = _active_months(contract, year)
        if not months:
            continue
        growth = D("1.034") if year == demo_year(2026) else D("1")
        note = f"Budgetplafond {year} voor dit contract. {ILLUSTRATIVE}"
        if contract.reference == ZHZ_OVERRUN and year == demo_year(2026):
            # Segment 1 steers on lower average costs per client (seed 000): a lower ceiling.
            growth = D("0.80")
            note = (
                f"Budgetplafond {year}, 20% lager dan {year - 1}: afspraak over het verlagen "
                "van de "
                f"gemiddelde kosten per cliënt (segment 1). {ILLUSTRATIVE}"
            )
        services.budget_set(
            contract=contract,
            year=year,
            kind=BudgetKind.CEILING,
            amount=_thousands(per_month * months * growth),
            note=note,
        )
        count += 1
    return count


def _availability_plan(arrangement: FundingArrangement, product: Product, rate: str) -> Decimal:
    """What an availability arrangement costs a month at an expected occupancy ``rate``."""
    fixed = arrangement.places * arrangement.place_fee
    occupied = (
        arrangement.places * D("30.4") * D(rate) * _regional_price(product, demo_date(2025, 1, 1))
    )
    return fixed + occupied


def _zhz_segment_1(region, segment, officer) -> list[Contract]:
    products = list(
        Product.objects.filter(
            region=region, care_form__code__in=SEGMENT_1_FORMS, unit__in=PXQ_UNITS
        ).select_related("care_form")
    )
    rows = [
        (p, f) for p, f in _candidates(region, SEGMENT_1_FORMS, set()) if f & {"VERBB", "INTAMB"}
    ]
    rows.sort(key=lambda r: (r[0].kind != ProviderKind.CONSORTIUM, -len(r[1]), r[0].name))
    contracts = []
    for number, (provider, forms) in enumerate(rows[:6], start=1):
        contract = services.contract_create(
            region=region,
            reference=f"SOJ-2022-S1-{number:03d}",
            provider=provider,
            segment=segment,
            start_date=demo_date(2022, 1, 1),
            initial_term_years=4,
            extension_options=[1, 1],
            is_strategic_partner=provider.kind == ProviderKind.CONSORTIUM,
            acceptance_obligation=True,
            development_assignments=segment.development_assignments,
            reporting_frequency=ReportingFrequency.MONTHLY,
            user=officer,
        )
        services.arrangement_create(
            contract=contract,
            model=ArrangementModel.PXQ,
            valid_from=contract.start_date,
            products=[p for p in products if p.care_form.code in forms],
            name="Inspanningsgericht (PxQ) hoog specialistisch",
            note="Tarief × geleverde eenheden tegen de regionale tarieven.",
        )
        services.contract_extend(
            contract=contract,
            years=1,
            decided_on=demo_date(2025, 6, 16),
            reason="Eerste verlengingsoptie benut na de evaluatie van het partnerschap in het "
            "voorjaar van 2025 (illustratief).",
            user=officer,
        )
        contract.refresh_from_db()
        _ceilings(contract, D(SEGMENT_1_VOLUME[number - 1]) / 12)
        _kpis(
            contract,
            [
                (
                    Kpi.COST_PER_CLIENT,
                    LOWER,
                    "38000",
                    "42000",
                    "46000",
                    "Gemiddelde kosten per cliënt per jaar; segment 1 stuurt op verlaging "
                    "(inkoopstrategie). Norm illustratief.",
                ),
                *OUTCOME_KPIS[:2],
            ],
        )
        contracts.append(contract)
    return contracts


def _zhz_segment_2(region, segment, officer, exclude: set[int]) -> list[Contract]:
    products = {
        p.code: p
        for p in Product.objects.filter(region=region, care_form__code__in=SEGMENT_2_FORMS)
    }
    by_form = {"PLZ": ["44A01", "44A02"], "GZH": ["43B01"], "VERB": ["44B01", "44B02", "44B03"]}
    rows = [(p, f) for p, f in _candidates(region, SEGMENT_2_FORMS, exclude) if f & {"VERB", "GZH"}]
    rows.sort(key=lambda r: (-len(r[1]), r[0].name))
    contracts = []
    for number, (provider, forms) in enumerate(rows[:4], start=1):
        contract = services.contract_create(
            region=region,
            reference=f"SOJ-2022-S2-{number:03d}",
            provider=provider,
            segment=segment,
            start_date=demo_date(2022, 1, 1),
            initial_term_years=3,
            extension_options=[1, 1],
            is_strategic_partner=number <= 2,
            acceptance_obligation=False,
            development_assignments=segment.development_assignments,
            reporting_frequency=ReportingFrequency.QUARTERLY,
            user=officer,
        )
        kept = products["44B01"] if "VERB" in forms else products["43B01"]
        fee = D("1150.00") if kept.code == "44B01" else D("850.00")
        places = SEGMENT_2_PLACES[number - 1]
        two_facilities = contract.reference == ZHZ_LOW_OCCUPANCY
        availability = services.arrangement_create(
            contract=contract,
            model=ArrangementModel.AVAILABILITY,
            valid_from=contract.start_date,
            products=[kept],
            name=f"Beschikbaarheid {kept.name.lower()}",
            facility=ZHZ_LOW_FACILITY if two_facilities else "",
            places=places,
            place_fee=fee,
            occupancy_threshold_pct=D("50"),
            note="Vergoeding per beschikbaar gehouden plaats per maand, plus het etmaaltarief "
            "voor bezette plaatsen. Onder 50% bezetting bespreken regio en aanbieder het "
            "samenvoegen of sluiten van groepen. Vergoeding illustratief.",
        )
        others = [
            products[code]
            for form in sorted(forms)
            for code in by_form[form]
            if code != kept.code and code in products
        ]
        plan = _availability_plan(availability, kept, "0.85")
        if two_facilities:  # a second residential group elsewhere, its own arrangement
            second = next(
                products[code]
                for code in ("43B01", "44B03", "44B02")
                if code in products and code != kept.code
            )
            others = [p for p in others if p != second]
            extra = services.arrangement_create(
                contract=contract,
                model=ArrangementModel.AVAILABILITY,
                valid_from=contract.start_date,
                products=[second],
                name=f"Beschikbaarheid {second.name.lower()}",
                facility=ZHZ_SECOND_FACILITY,
                places=4,
                place_fee=D("1000.00"),
                occupancy_threshold_pct=D("50"),
                note="Tweede voorziening van hetzelfde contract: eigen plaatsen, eigen "
                "vergoeding en eigen bezettingsdrempel; de bezetting wordt per voorziening "
                "aangeleverd (kolom voorziening). Vergoeding illustratief.",
            )
            plan += _availability_plan(extra, second, "0.85")
        if others:
            services.arrangement_create(
                contract=contract,
                model=ArrangementModel.PXQ,
                valid_from=contract.start_date,
                products=others,
                name="Inspanningsgericht (PxQ) wonen",
                note="Pleegzorg, logeren en kamertraining per etmaal tegen de regionale tarieven.",
            )
            plan += D("25000")
        for decided in (demo_date(2024, 6, 17), demo_date(2025, 6, 16)):
            services.contract_extend(
                contract=contract,
                years=1,
                decided_on=decided,
                reason="Verlengd na de jaarlijkse contractevaluatie (illustratief).",
                user=officer,
            )
        contract.refresh_from_db()
        _ceilings(contract, plan)
        _kpis(contract, [OCCUPANCY_KPI, OUTCOME_KPIS[0]])
        contracts.append(contract)
    return contracts


def _first_whole_month(day: date) -> date:
    """Funding starts in the first whole calendar month of a contract (a month's production
    is matched to an arrangement on the first day of that month)."""
    if day.day == 1:
        return day
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _zhz_crisis(region, officer) -> list[Contract]:
    """The contracts the open house SOJ-2025-OH-S5 created: availability + PxQ (hybrid)."""
    contracts = list(
        Contract.objects.filter(region=region, submission__tender__reference="SOJ-2025-OH-S5")
        .select_related("provider")
        .order_by("reference")
    )
    shelter = Product.objects.get(region=region, code="46A02")
    ambulant = Product.objects.get(region=region, code="46A01")
    for index, contract in enumerate(contracts):
        places = (2, 2, 2, 3, 2, 3, 2, 2)[index % 8]
        availability = services.arrangement_create(
            contract=contract,
            model=ArrangementModel.AVAILABILITY,
            valid_from=_first_whole_month(contract.start_date),
            products=[shelter],
            name="Beschikbaarheid crisisopvang",
            places=places,
            place_fee=D("2400.00"),
            occupancy_threshold_pct=D("50"),
            note="Crisisplaatsen die dag en nacht beschikbaar zijn, plus het etmaaltarief voor "
            "bezette plaatsen (hybride bekostiging), vanaf de eerste hele "
            "kalendermaand na de toelating. Vergoeding illustratief.",
        )
        services.arrangement_create(
            contract=contract,
            model=ArrangementModel.PXQ,
            valid_from=_first_whole_month(contract.start_date),
            products=[ambulant],
            name="Gebruik ambulante crisisinterventie (PxQ)",
            note="Per uur ingezette ambulante crisishulp.",
        )
        _ceilings(contract, _availability_plan(availability, shelter, "0.8") + D("6000"))
        _kpis(contract, [OCCUPANCY_KPI])
    return contracts


def _zhz_gi(region) -> list[Contract]:
    contracts = list(
        Contract.objects.filter(region=region, submission__tender__reference="SOJ-2022-TV-S6")
    )
    measures = list(Product.objects.filter(region=region, code__in=["48A01", "48A02", "47A01"]))
    for contract in contracts:
        services.arrangement_create(
            contract=contract,
            model=ArrangementModel.PXQ,
            valid_from=_first_whole_month(contract.start_date),
            products=measures,
            name="Jeugdbescherming en jeugdreclassering (PxQ)",
            note="Per dag dat een maatregel loopt, tegen de regionale tarieven.",
        )
        _ceilings(contract, D("26000"), years=(demo_year(2026),))
    return contracts


def _load_zhz(region) -> dict[str, int]:
    officer = _user("inkoper")
    segments = {s.code: s for s in Segment.objects.filter(region=region)}
    _tariffs(
        region,
        ZHZ_TARIFFS_2022,
        demo_date(2022, 1, 1),
        f"Regionaal tarief 2022. {ILLUSTRATIVE}",
        officer,
        build_ups={code: (demo_date(2023, 1, 1), b) for code, b in ZHZ_BUILD_UPS.items()},
    )
    _index(region, ZHZ_INDEXATIONS, officer)
    first = _zhz_segment_1(region, segments["1"], officer)
    _zhz_segment_2(region, segments["2"], officer, {c.provider_id for c in first})
    _zhz_crisis(region, officer)
    _zhz_gi(region)
    load_zhz_scope(region)  # a pilot for two municipalities, free and reserved budgets
    return _summary(region)


# ================================================================ Amsterdam

# ILLUSTRATIVE prices per family for the result, by profile (seed 004 gives only the range:
# "from a few hundred euros for profile 1 to a few thousand for profile 10"). Intensief about
# twice Perspectief; Acuut (at most 14 days) much lower; Duurzaam per year of support.
AMS_PERSPECTIVE = [650, 900, 1250, 1600, 2000, 2900, 2400, 3300, 3900, 4600]
AMS_PRICE = {
    "PER": lambda base: base,
    "INT": lambda base: base * 21 // 10,
    "ACU": lambda base: 350 + base // 6,
    "DUU": lambda base: base * 16 // 10,
}
AMS_INDEXATIONS = [(date(2025, 1, 1), "4.6"), (date(2026, 1, 1), "3.4")]
SEGMENT_B_FORMS = {"JOH", "GGZ", "LVB", "PLZ", "RESP", "CRIS"}
AMS_CEILINGS = ["260000", "240000", "220000", "200000", "180000", "160000"]
AMS_PROFILE_CEILINGS = {6: "40000", 10: "35000"}


def _load_ams(region) -> dict[str, int]:
    segment = Segment.objects.get(region=region, code="B")
    products = list(
        Product.objects.filter(region=region, support_profile__isnull=False).select_related(
            "support_profile", "intensity"
        )
    )
    codes = {}
    for product in products:
        base = AMS_PERSPECTIVE[product.support_profile.number - 1]
        codes[product.code] = str(AMS_PRICE[product.code[-3:]](base))
    _tariffs(
        region,
        codes,
        demo_date(2024, 1, 1),
        "Prijs per gezin voor het resultaat binnen dit profiel en deze intensiteit (Acuut: "
        "hoogstens 14 dagen; Duurzaam: per jaar). Illustratief: de bron noemt alleen de "
        "bandbreedte, van enkele honderden euro's (profiel 1) tot enkele duizenden (profiel 10).",
        None,
    )
    _index(region, AMS_INDEXATIONS, None)
    rows = _candidates(region, SEGMENT_B_FORMS, set())
    rows.sort(key=lambda r: (-len(r[1]), r[0].name))
    chosen = rows[:6]
    # Acuut is reserved for a few selected partners (seed 004, 'Stapeling'): those with crisis.
    acute = {p.pk for p, f in chosen if "CRIS" in f} or {p.pk for p, _f in chosen[:2]}
    profiles = {p.number: p for p in SupportProfile.objects.filter(region=region)}
    for number, (provider, _forms) in enumerate(chosen, start=1):
        four_years = number <= 3
        contract = services.contract_create(
            region=region,
            reference=f"AMS-2024-B-{number:03d}",
            provider=provider,
            segment=segment,
            start_date=demo_date(2024, 1, 1),
            initial_term_years=4 if four_years else 2,
            extension_options=[] if four_years else [1, 1],
            is_strategic_partner=False,
            acceptance_obligation=True,
            development_assignments=segment.development_assignments,
            reporting_frequency=ReportingFrequency.QUARTERLY,
        )
        services.arrangement_create(
            contract=contract,
            model=ArrangementModel.OUTPUT,
            valid_from=contract.start_date,
            products=[p for p in products if p.intensity.code != ACUTE or provider.pk in acute],
            output_payment=OutputPayment.SPLIT,
            name="Resultaatgericht: profiel × intensiteit",
            note="Eén prijs per gezin per profiel-intensiteitcombinatie, de helft bij de start "
            "en de helft bij het einde. Eén profieltarief per gezin tegelijk; Acuut (≤ 14 dagen) "
            "en Duurzaam mogen ernaast lopen.",
        )
        if not four_years:
            services.contract_extend(
                contract=contract,
                years=1,
                decided_on=demo_date(2025, 9, 15),
                reason="Eerste verlengingsoptie benut (illustratief).",
            )
            contract.refresh_from_db()
        _ceilings(contract, D(AMS_CEILINGS[number - 1]) / 12)
        for year in production_years():
            for profile, amount in AMS_PROFILE_CEILINGS.items():
                services.budget_set(
                    contract=contract,
                    year=year,
                    kind=BudgetKind.CEILING,
                    amount=D(amount),
                    support_profile=profiles[profile],
                    note=f"Plafond per ondersteuningsprofiel {year}. {ILLUSTRATIVE}",
                )
        _kpis(contract, [OUTCOME_KPIS[1], OUTCOME_KPIS[2], OUTCOME_KPIS[3]])
    return _summary(region)


LOADERS = {"wbo": _load_wbo, "zhz": _load_zhz, "ams": _load_ams}


def load_contracts(region: Region) -> dict[str, int]:
    """The region's contract demo; an empty dict when it has none or it already exists."""
    loader = LOADERS.get(region.slug)
    if loader is None:
        return {}
    if FundingArrangement.objects.filter(contract__region=region).exists():
        return {}
    with transaction.atomic():
        return loader(region)


# ================================================================ procurement-effect scenario

# ILLUSTRATIVE: what Zuid-Holland Zuid's crisis segment (5) would have cost in 2025 with a fixed
# price per crisis trajectory, paid at its start, instead of availability plus PxQ.
ZHZ_SCENARIO = "Crisisinterventies 2025 met een vaste prijs per traject"
ZHZ_SCENARIO_PRICES = {"46A01": Decimal("1500.00"), "46A02": Decimal("9500.00")}


def load_effect_scenarios(region: Region) -> dict[str, int]:
    """One saved funding-model scenario (ZHZ), after the production it prices; repeatable."""
    if region.slug != "zhz" or EffectScenario.objects.filter(region=region).exists():
        return {}
    segment = Segment.objects.filter(region=region, code="5").first()
    if segment is None:
        return {}
    products = Product.objects.filter(region=region, code__in=list(ZHZ_SCENARIO_PRICES))
    services.effect_scenario_create(
        region=region,
        name=ZHZ_SCENARIO,
        description=(
            f"Wat had de crisiszorg van {demo_year(2025)} gekost met een vaste prijs per "
            "gestart traject, in "
            f"plaats van beschikbaarheid plus PxQ? {ILLUSTRATIVE}"
        ),
        model="output",
        output_payment="start",
        year=demo_year(2025),
        first_month=1,
        last_month=12,
        segment=segment,
        prices=[{"product": p, "amount": ZHZ_SCENARIO_PRICES[p.code]} for p in products],
        user=_user("inkoper"),
    )
    return {"inkoopeffectscenario's": 1}
