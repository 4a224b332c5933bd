"""The contract rules as contracts.services enforces them, and the selectors on top of them.

Every refusal is asserted with its own message (a substring) and with the proof that nothing
was saved: the rows of every contract table and the fields a refused call could have changed
halfway (derived contract dates, tariff end dates, the lumpsum percentage) are the same before
and after. Amounts are computed by hand in the comments.
"""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from contracts import selectors, services
from contracts.codes import (
    BudgetKind,
    ContractStatus,
    EventKind,
    TariffOrigin,
)
from contracts.models import (
    Budget,
    BudgetRevision,
    Contract,
    ContractEvent,
    FundingArrangement,
    TariffIndexation,
    TariffVersion,
)
from contracts.settlement import Period
from contracts.tariffs import BuildUp
from monitoring.kpis.rollups import refresh_settlement
from monitoring.models import Declaration
from procurement.codes import MilestoneKind
from procurement.models import Milestone, Tender
from procurement.signals import award_made
from segments.models import SupportProfile
from tests.segments.factories import ProductFactory

pytestmark = pytest.mark.django_db

D = Decimal
COUNTED = (
    Contract,
    ContractEvent,
    TariffVersion,
    TariffIndexation,
    FundingArrangement,
    Budget,
    BudgetRevision,
)


def state() -> dict:
    """Row counts of every contract table, and every field a refused call could change."""
    return {
        "rows": {model.__name__: model.objects.count() for model in COUNTED},
        "tariff_until": dict(TariffVersion.objects.values_list("pk", "valid_until")),
        "contracts": list(Contract.objects.order_by("pk").values()),
        "lumpsum_pct": dict(FundingArrangement.objects.values_list("pk", "lumpsum_decrease_pct")),
        "arrangement_products": sorted(
            FundingArrangement.products.through.objects.values_list(
                "fundingarrangement_id", "product_id"
            )
        ),
    }


def refused(call, *needles, field=None, **kwargs) -> ValidationError:
    """``call(**kwargs)`` raises a ValidationError naming every needle (under ``field`` when
    given) and leaves the database as it was."""
    before = state()
    with pytest.raises(ValidationError) as info:
        call(**kwargs)
    error = info.value
    if field is not None:
        assert field in error.message_dict, error
        text = " ".join(error.message_dict[field])
    else:
        text = " ".join(error.messages)
    for needle in needles:
        assert needle in text, text
    assert state() == before
    return error


def new_contract(world, reference, start, years, options=(), **extra) -> Contract:
    return services.contract_create(
        region=world.region,
        reference=reference,
        provider=world.provider,
        segment=world.segment,
        start_date=start,
        initial_term_years=years,
        extension_options=list(options),
        **extra,
    )


def fresh(contract: Contract) -> Contract:
    return Contract.objects.get(pk=contract.pk)


def product(world, unit="04", **extra):
    return ProductFactory(region=world.region, care_form=world.care_form, unit=unit, **extra)


# ---------------------------------------------------------------- 1. contract_create


def test_create_records_the_start_and_derives_the_dates(world_a):
    contract = new_contract(world_a, "C-NEW", date(2025, 1, 1), 3, [1, 1])
    (event,) = contract.events.all()
    assert (event.kind, event.effective_on, event.years) == (
        EventKind.START,
        date(2025, 1, 1),
        None,
    )
    assert event.reason == "Contract vastgelegd."
    stored = fresh(contract)
    # 01-01-2025 + 3 years = 01-01-2028, minus a day; + 1 + 1 options → 31-12-2029.
    assert stored.end_date == date(2027, 12, 31)
    assert stored.final_end_date == date(2029, 12, 31)
    assert (stored.terminated_on, stored.extensions_used) == (None, 0)
    assert stored.term_label == "3 + 1 + 1"
    assert stored.status_on(date(2024, 12, 31)) == ContractStatus.PLANNED
    assert stored.status_on(date(2025, 1, 1)) == ContractStatus.ACTIVE
    assert stored.status_on(date(2028, 1, 1)) == ContractStatus.ENDED


def test_create_without_options_ends_once(world_a):
    contract = fresh(new_contract(world_a, "C-ONE", date(2024, 3, 1), 1))
    # 01-03-2025 minus a day; no options, so the last possible end is the same day.
    assert contract.end_date == contract.final_end_date == date(2025, 2, 28)


def test_world_contract_has_its_first_option_exercised(world_a):
    contract = fresh(world_a.con.contract)
    # 3 + 1 exercised → 31-12-2028; all options 3 + 1 + 1 → 31-12-2029.
    assert (contract.end_date, contract.final_end_date) == (date(2028, 12, 31), date(2029, 12, 31))
    assert contract.extensions_used == 1
    assert list(contract.events.values_list("kind", flat=True)) == ["start", "extension"]


@pytest.mark.parametrize("options", [[0], [11], [1, 1.5], ["1"], "1+1", None, [1, -1]])
def test_create_refuses_bad_extension_options(world_a, options):
    refused(
        services.contract_create,
        "Verlengingsopties zijn hele jaren van 1 tot en met 10.",
        field="extension_options",
        region=world_a.region,
        reference="C-BAD",
        provider=world_a.provider,
        segment=world_a.segment,
        start_date=date(2025, 1, 1),
        initial_term_years=3,
        extension_options=options,
    )


def test_create_refuses_a_provider_of_another_region(world_a, world_b):
    refused(
        services.contract_create,
        "Deze aanbieder hoort bij een andere regio.",
        field="provider",
        region=world_a.region,
        reference="C-B",
        provider=world_b.provider,
        segment=world_a.segment,
        start_date=date(2025, 1, 1),
        initial_term_years=3,
        extension_options=[],
    )


def test_create_refuses_a_reference_in_use(world_a):
    refused(
        services.contract_create,
        "bestaat al",
        region=world_a.region,
        reference=world_a.con.contract.reference,
        provider=world_a.provider,
        segment=world_a.segment,
        start_date=date(2025, 1, 1),
        initial_term_years=1,
    )


def test_create_refuses_a_term_of_zero_years(world_a):
    refused(
        services.contract_create,
        field="initial_term_years",
        region=world_a.region,
        reference="C-ZERO",
        provider=world_a.provider,
        segment=world_a.segment,
        start_date=date(2025, 1, 1),
        initial_term_years=0,
        extension_options=[],
    )


# ---------------------------------------------------------------- 2. contract_extend


def test_extend_exercises_the_options_in_order(world_a):
    contract = new_contract(world_a, "C-EXT", date(2025, 1, 1), 3, [1, 2])
    event = services.contract_extend(contract=contract, years=1, decided_on=date(2027, 6, 1))
    # It takes effect the day after the current end (31-12-2027).
    assert (event.kind, event.effective_on, event.years) == (
        EventKind.EXTENSION,
        date(2028, 1, 1),
        1,
    )
    assert event.reason == "Verlengingsoptie 1 van 2 benut (besloten op 01-06-2027)."
    stored = fresh(contract)
    assert (stored.end_date, stored.extensions_used) == (date(2028, 12, 31), 1)
    assert stored.final_end_date == date(2030, 12, 31)  # 3 + 1 + 2

    refused(
        services.contract_extend,
        "De volgende verlengingsoptie is 2 jaar, niet 1.",
        field="years",
        contract=contract,
        years=1,
        decided_on=date(2028, 6, 1),
    )
    services.contract_extend(
        contract=contract, years=2, decided_on=date(2028, 6, 1), reason="  Goed  "
    )
    stored = fresh(contract)
    assert (stored.end_date, stored.extensions_used) == (date(2030, 12, 31), 2)
    assert stored.events.last().reason == "Goed"
    refused(
        services.contract_extend,
        "Alle verlengingsopties (1 + 2 jaar) zijn al benut.",
        field="years",
        contract=contract,
        years=1,
        decided_on=date(2029, 6, 1),
    )


def test_extend_refuses_a_decision_after_the_current_end(world_a):
    contract = new_contract(world_a, "C-LATE", date(2025, 1, 1), 3, [1, 1])
    refused(
        services.contract_extend,
        "Een verlenging wordt besloten vóór het einde van de looptijd (31-12-2027).",
        field="years",
        contract=contract,
        years=1,
        decided_on=date(2028, 1, 1),
    )
    # The last day of the term is still in time.
    services.contract_extend(contract=contract, years=1, decided_on=date(2027, 12, 31))
    assert fresh(contract).end_date == date(2028, 12, 31)


def test_extend_refuses_a_contract_without_options(world_a):
    contract = new_contract(world_a, "C-NOOPT", date(2025, 1, 1), 3)
    refused(
        services.contract_extend,
        "Dit contract heeft geen verlengingsopties.",
        field="years",
        contract=contract,
        years=1,
        decided_on=date(2026, 1, 1),
    )


def test_extend_refuses_a_terminated_contract(world_a):
    contract = world_a.con.contract
    services.contract_terminate(contract=contract, effective_on=date(2026, 6, 30), reason="Fusie")
    refused(
        services.contract_extend,
        "Een beëindigd contract kan niet worden verlengd.",
        field="years",
        contract=contract,
        years=1,
        decided_on=date(2026, 3, 1),
    )


def test_status_is_extended_after_the_initial_term(world_a):
    contract = fresh(world_a.con.contract)
    # Initial term ended 31-12-2027; the first option runs 2028.
    assert contract.status_on(date(2028, 1, 1)) == ContractStatus.EXTENDED
    assert contract.status_on(date(2028, 12, 31)) == ContractStatus.EXTENDED
    assert contract.status_on(date(2029, 1, 1)) == ContractStatus.ENDED
    other = new_contract(world_a, "C-ACT", date(2025, 1, 1), 3, [1])
    assert fresh(other).status_on(date(2027, 12, 31)) == ContractStatus.ACTIVE


# ---------------------------------------------------------------- 3. contract_terminate


def test_terminate_ends_the_contract_on_that_day(world_a):
    contract = world_a.con.contract
    event = services.contract_terminate(
        contract=contract, effective_on=date(2026, 6, 30), reason="  Aanbieder stopt  "
    )
    assert (event.kind, event.effective_on, event.reason) == (
        EventKind.TERMINATION,
        date(2026, 6, 30),
        "Aanbieder stopt",
    )
    stored = fresh(contract)
    assert (stored.end_date, stored.terminated_on) == (date(2026, 6, 30), date(2026, 6, 30))
    assert stored.final_end_date == date(2029, 12, 31)
    assert stored.status_on(date(2026, 6, 30)) == ContractStatus.EXTENDED  # last day runs
    assert stored.status_on(date(2026, 7, 1)) == ContractStatus.TERMINATED
    refused(
        services.contract_terminate,
        "Dit contract is al beëindigd.",
        contract=contract,
        effective_on=date(2026, 5, 1),
        reason="Nog eens",
    )


def test_terminate_on_the_last_day_is_allowed(world_a):
    services.contract_terminate(
        contract=world_a.con.contract, effective_on=date(2028, 12, 31), reason="Laatste dag"
    )
    assert fresh(world_a.con.contract).end_date == date(2028, 12, 31)


@pytest.mark.parametrize(
    "on, reason, field, message",
    [
        (date(2026, 6, 30), "   ", "reason", "Geef de reden van de beëindiging."),
        (
            date(2024, 12, 31),
            "Te vroeg",
            "effective_on",
            "Een contract kan niet vóór zijn ingangsdatum worden beëindigd.",
        ),
        (
            date(2029, 1, 1),
            "Te laat",
            "effective_on",
            "Het contract loopt al af op 31-12-2028; beëindigen daarna is niet nodig.",
        ),
    ],
)
def test_terminate_refusals(world_a, on, reason, field, message):
    refused(
        services.contract_terminate,
        message,
        field=field,
        contract=world_a.con.contract,
        effective_on=on,
        reason=reason,
    )


# ---------------------------------------------------------------- 4. contract_amend


def test_amend_records_what_changed(world_a):
    contract = world_a.con.contract
    event = services.contract_amend(
        contract=contract,
        effective_on=date(2026, 4, 1),
        reason="Addendum 1",
        changes={
            "acceptance_obligation": True,
            "reporting_frequency": "monthly",
            "development_assignments": "",  # unchanged: no line
        },
    )
    assert (event.kind, event.effective_on) == (EventKind.AMENDMENT, date(2026, 4, 1))
    assert event.reason.splitlines() == [
        "Addendum 1",
        "acceptatieplicht: nee → ja",
        "rapportagefrequentie: Per kwartaal → Maandelijks",
    ]
    stored = fresh(contract)
    assert (stored.acceptance_obligation, stored.reporting_frequency) == (True, "monthly")


def test_amend_without_changes_records_the_reason_only(world_a):
    event = services.contract_amend(
        contract=world_a.con.contract, effective_on=date(2025, 1, 1), reason="Kennisgeving"
    )
    assert event.reason == "Kennisgeving"


@pytest.mark.parametrize("on", [date(2024, 12, 31), date(2029, 1, 1)])
def test_amend_refuses_a_date_outside_the_term(world_a, on):
    refused(
        services.contract_amend,
        "Een wijziging gaat in tijdens de looptijd (01-01-2025 – 31-12-2028).",
        field="effective_on",
        contract=world_a.con.contract,
        effective_on=on,
        reason="Buiten",
        changes={"acceptance_obligation": True},
    )


def test_amend_requires_a_reason(world_a):
    refused(
        services.contract_amend,
        "Beschrijf de wijziging.",
        field="reason",
        contract=world_a.con.contract,
        effective_on=date(2026, 1, 1),
        reason="  ",
        changes={"acceptance_obligation": True},
    )


def test_amend_refuses_an_unknown_field_and_saves_nothing(world_a):
    # The valid change before the unknown one is not saved either.
    refused(
        services.contract_amend,
        "start_date kan niet via een wijziging.",
        contract=world_a.con.contract,
        effective_on=date(2026, 1, 1),
        reason="Ander begin",
        changes={"acceptance_obligation": True, "start_date": date(2025, 6, 1)},
    )
    assert fresh(world_a.con.contract).acceptance_obligation is False


def test_amend_refuses_a_terminated_contract(world_a):
    contract = world_a.con.contract
    services.contract_terminate(contract=contract, effective_on=date(2026, 6, 30), reason="Stop")
    refused(
        services.contract_amend,
        "Een beëindigd contract wordt niet gewijzigd.",
        field="effective_on",
        contract=contract,
        effective_on=date(2026, 1, 1),
        reason="Te laat",
    )


def test_amend_refuses_an_unknown_reporting_frequency(world_a):
    refused(
        services.contract_amend,
        field="reporting_frequency",
        contract=world_a.con.contract,
        effective_on=date(2026, 1, 1),
        reason="Wekelijks",
        changes={"reporting_frequency": "weekly"},
    )


# ---------------------------------------------------------------- 5. contracts_from_award


def test_award_creates_one_contract_per_submission(world_a):
    tender, sub = world_a.proc.tender, world_a.proc.submission
    Tender.objects.filter(pk=tender.pk).update(contract_start=date(2026, 1, 1))
    tender.refresh_from_db()
    sub.outcome_on = date(2025, 12, 1)
    sub.save(update_fields=["outcome_on"])
    before = Contract.objects.count()

    (contract,) = services.contracts_from_award(Tender, tender=tender, submissions=[sub])
    assert Contract.objects.count() == before + 1
    stored = fresh(contract)
    assert stored.reference == f"{tender.reference}-001"
    assert (stored.provider, stored.segment, stored.lot, stored.submission) == (
        world_a.provider,
        sub.lot.segment,
        sub.lot,
        sub,
    )
    assert stored.start_date == date(2026, 1, 1)
    # The strategy: 5 + 1 + 1 years → 31-12-2030 and 31-12-2032.
    assert (stored.initial_term_years, stored.extension_options) == (5, [1, 1])
    assert (stored.end_date, stored.final_end_date) == (date(2030, 12, 31), date(2032, 12, 31))
    assert stored.is_strategic_partner is True
    (event,) = stored.events.all()
    assert (event.kind, event.effective_on) == (EventKind.START, date(2026, 1, 1))
    assert event.reason == f"Gegund in {tender.reference}."

    # Again, directly and through the signal: nothing is added.
    counts = state()["rows"]
    again = services.contracts_from_award(Tender, tender=tender, submissions=[sub])
    assert [c.pk for c in again] == [contract.pk]
    award_made.send(sender=Tender, tender=tender, submissions=[sub])
    assert state()["rows"] == counts


def test_award_signal_creates_the_contract(world_a):
    tender, sub = world_a.proc.tender, world_a.proc.submission
    Milestone.objects.create(
        tender=tender, kind=MilestoneKind.CONTRACT_START, planned_on=date(2026, 4, 1)
    )
    sub.outcome_on = date(2026, 1, 10)
    sub.save(update_fields=["outcome_on"])
    award_made.send(sender=Tender, tender=tender, submissions=[sub])
    contract = Contract.objects.get(submission=sub)
    # No contract_start on the tender: the planned milestone; 5 years → 31-03-2031.
    assert contract.start_date == date(2026, 4, 1)
    assert contract.end_date == date(2031, 3, 31)
    assert contract.events.get().kind == EventKind.START


def test_an_admission_after_the_start_starts_that_day(world_a):
    tender, sub = world_a.proc.tender, world_a.proc.submission
    Tender.objects.filter(pk=tender.pk).update(contract_start=date(2026, 1, 1))
    tender.refresh_from_db()
    sub.outcome_on = date(2026, 3, 15)
    sub.save(update_fields=["outcome_on"])
    (contract,) = services.contracts_from_award(Tender, tender=tender, submissions=[sub])
    contract = fresh(contract)
    assert contract.start_date == date(2026, 3, 15)
    assert contract.end_date == date(2031, 3, 14)
    assert contract.events.get().effective_on == date(2026, 3, 15)


def test_award_without_strategy_uses_one_year(world_a):
    sub = world_a.proc.submission
    sub.outcome_on = date(2026, 1, 10)
    sub.save(update_fields=["outcome_on"])
    tender = SimpleNamespace(
        strategy=None,
        milestones=Milestone.objects.none(),
        contract_start=date(2026, 2, 1),
        region=world_a.region,
        reference="OH-1",
        procedure_type="open_house",
    )
    (contract,) = services.contracts_from_award(None, tender=tender, submissions=[sub])
    contract = fresh(contract)
    assert contract.reference == "OH-1-001"
    assert (contract.initial_term_years, contract.extension_options) == (1, [])
    assert contract.start_date == date(2026, 2, 1)
    assert contract.end_date == contract.final_end_date == date(2027, 1, 31)
    assert contract.is_strategic_partner is False
    assert contract.events.get().reason == "Gegund in OH-1."
    rows = state()["rows"]
    services.contracts_from_award(None, tender=tender, submissions=[sub])
    assert state()["rows"] == rows


# ---------------------------------------------------------------- 6. tariff_version_create


def test_world_regional_versions_are_chained(world_a):
    latest = world_a.con.regional_tariff
    first = latest.previous
    assert (first.valid_from, first.valid_until, first.amount) == (
        date(2025, 1, 1),
        date(2025, 12, 31),
        D("70.00"),
    )
    assert (latest.valid_from, latest.valid_until, latest.amount) == (
        date(2026, 1, 1),
        None,
        D("72.10"),
    )
    assert services.tariff_chain(latest) == [first, latest]


def test_a_new_regional_version_closes_the_open_one(world_a, world_b):
    b_versions = list(TariffVersion.objects.filter(region=world_b.region).values())
    version = services.tariff_version_create(
        product=world_a.product, valid_from=date(2027, 1, 1), amount=D("75.00"), note="Nieuw"
    )
    assert (version.region, version.contract, version.valid_until) == (world_a.region, None, None)
    assert (version.origin, version.previous) == (TariffOrigin.SET, world_a.con.regional_tariff)
    world_a.con.regional_tariff.refresh_from_db()
    assert world_a.con.regional_tariff.valid_until == date(2026, 12, 31)
    # The contract's own tariff and the other region are untouched.
    world_a.con.contract_tariff.refresh_from_db()
    assert world_a.con.contract_tariff.valid_until is None
    assert list(TariffVersion.objects.filter(region=world_b.region).values()) == b_versions


def test_a_new_contract_version_closes_the_contracts_own(world_a):
    own = world_a.con.contract_tariff
    version = services.tariff_version_create(
        product=world_a.con.stay_product,
        contract=world_a.con.contract,
        valid_from=date(2026, 7, 1),
        amount=D("155.00"),
    )
    own.refresh_from_db()
    assert own.valid_until == date(2026, 6, 30)
    assert (version.contract, version.previous, version.region) == (
        world_a.con.contract,
        own,
        world_a.region,
    )


def test_a_contract_version_leaves_the_regional_one_open(world_a):
    services.tariff_version_create(
        product=world_a.product,
        contract=world_a.con.contract,
        valid_from=date(2026, 1, 1),
        amount=D("80.00"),
    )
    world_a.con.regional_tariff.refresh_from_db()
    assert world_a.con.regional_tariff.valid_until is None


def test_a_version_overlapping_a_closed_one_is_refused(world_a):
    code = world_a.product.code
    refused(
        services.tariff_version_create,
        f"Deze versie overlapt met de tariefversie € 70,00 van {code} die geldt van "
        "01-01-2025 – 31-12-2025.",
        field="valid_from",
        product=world_a.product,
        valid_from=date(2025, 6, 1),
        valid_until=date(2025, 9, 30),
        amount=D("71.00"),
    )


def test_a_version_on_the_same_start_date_is_refused(world_a):
    code = world_a.product.code
    refused(
        services.tariff_version_create,
        f"overlapt met de tariefversie € 72,10 van {code} die geldt van 01-01-2026 – doorlopend",
        field="valid_from",
        product=world_a.product,
        valid_from=date(2026, 1, 1),
        amount=D("73.00"),
    )


def test_a_version_ending_before_it_starts_is_refused(world_a):
    refused(
        services.tariff_version_create,
        "'Geldig tot en met' ligt vóór 'geldig vanaf'.",
        field="valid_from",
        product=world_a.product,
        valid_from=date(2027, 6, 1),
        valid_until=date(2027, 5, 31),
        amount=D("73.00"),
    )


def test_a_contract_version_before_the_contract_start_is_refused(world_a):
    refused(
        services.tariff_version_create,
        "Een contracttarief geldt niet vóór de ingangsdatum van het contract.",
        field="valid_from",
        product=world_a.product,
        contract=world_a.con.contract,
        valid_from=date(2024, 12, 31),
        amount=D("73.00"),
    )


def test_a_negative_or_missing_amount_is_refused(world_a):
    refused(
        services.tariff_version_create,
        "Een tarief kan niet negatief zijn.",
        field="amount",
        product=world_a.product,
        valid_from=date(2027, 1, 1),
        amount=D("-0.01"),
    )
    refused(
        services.tariff_version_create,
        "Vul het tarief in, of de kostprijsopbouw.",
        field="amount",
        product=world_a.product,
        valid_from=date(2027, 1, 1),
    )


BUILD_UP = BuildUp(
    staff_client_bound=D("50.00"),
    staff_not_client_bound=D("10.00"),
    other_client_bound=D("5.00"),
    overhead_pct=D("12.5"),
    indexation_pct=D("2.6"),
)


def test_a_build_up_computes_the_tariff(world_a):
    # 50 + 10 + 5 = 65,00; overhead 12,5% = 8,125 → 73,125; indexation 2,6% = 1,90125
    # → 75,02625, rounded half up → 75,03.
    version = services.tariff_version_create(
        product=world_a.product, valid_from=date(2027, 1, 1), build_up=BUILD_UP
    )
    version.refresh_from_db()
    assert version.amount == D("75.03")
    assert version.origin == TariffOrigin.BUILD_UP
    assert (version.staff_client_bound, version.staff_not_client_bound) == (D("50"), D("10"))
    assert (version.other_client_bound, version.overhead_pct, version.indexation_pct) == (
        D("5"),
        D("12.5"),
        D("2.6"),
    )
    assert version.build_up().tariff() == D("75.03")
    # The same amount, given as well, is accepted.
    other = services.tariff_version_create(
        product=world_a.con.stay_product,
        contract=world_a.con.contract,
        valid_from=date(2027, 1, 1),
        amount=D("75.03"),
        build_up=BUILD_UP,
    )
    assert other.amount == D("75.03")


def test_an_amount_that_disagrees_with_the_build_up_is_refused(world_a):
    refused(
        services.tariff_version_create,
        "Het tarief volgt uit de opbouw: € 75,03, niet € 75,00.",
        field="amount",
        product=world_a.product,
        valid_from=date(2027, 1, 1),
        amount=D("75.00"),
        build_up=BUILD_UP,
    )


def test_a_build_up_without_client_bound_staff_is_refused(world_a):
    refused(
        services.tariff_version_create,
        "Een reëel tarief rust op cliëntgebonden personeelskosten; vul die in.",
        field="staff_client_bound",
        product=world_a.product,
        valid_from=date(2027, 1, 1),
        build_up=BuildUp(staff_client_bound=D("0"), other_client_bound=D("10")),
    )


def test_a_product_of_another_region_is_refused(world_a, world_b):
    refused(
        services.tariff_version_create,
        "Dit product hoort bij een andere regio.",
        field="product",
        product=world_b.product,
        contract=world_a.con.contract,
        valid_from=date(2026, 1, 1),
        amount=D("10.00"),
    )


# ---------------------------------------------------------------- 7. tariffs_index


def test_regional_indexation_raises_every_tariff_in_force(world_a, world_b):
    small = product(world_a)
    services.tariff_version_create(product=small, valid_from=date(2026, 1, 1), amount=D("11.50"))
    until = product(world_a)
    services.tariff_version_create(
        product=until,
        valid_from=date(2026, 1, 1),
        valid_until=date(2027, 6, 30),
        amount=D("20.00"),
    )
    b_versions = list(TariffVersion.objects.filter(region=world_b.region).values())
    own_before = TariffVersion.objects.filter(contract__isnull=False).count()

    indexation = services.tariffs_index(
        region=world_a.region, percentage=D("3"), valid_from=date(2027, 1, 1), note="OVA 2027"
    )
    assert (indexation.region, indexation.contract, indexation.percentage) == (
        world_a.region,
        None,
        D("3"),
    )
    new = {v.product_id: v for v in indexation.versions.all()}
    assert set(new) == {world_a.product.pk, small.pk, until.pk}
    # 72,10 × 1,03 = 74,263 → 74,26; 11,50 × 1,03 = 11,845 → 11,85 (half up; half even would
    # give 11,84); 20,00 × 1,03 = 20,60.
    assert new[world_a.product.pk].amount == D("74.26")
    assert new[small.pk].amount == D("11.85")
    assert new[until.pk].amount == D("20.60")
    for version in new.values():
        version.refresh_from_db()
        assert version.valid_from == date(2027, 1, 1)
        assert version.origin == TariffOrigin.INDEXATION
        assert version.indexation == indexation
        assert version.contract is None
        assert version.note == "OVA 2027"
        assert version.previous.valid_until == date(2026, 12, 31)
        assert version.previous.valid_from == date(2026, 1, 1)
    # The one that was to end 30-06-2027 still ends then.
    assert new[until.pk].valid_until == date(2027, 6, 30)
    assert new[small.pk].valid_until is None
    assert new[world_a.product.pk].previous == world_a.con.regional_tariff
    # The 2025 version, the contracts' own tariffs and the other region stay as they were.
    assert world_a.con.regional_tariff.previous.valid_until == date(2025, 12, 31)
    assert TariffVersion.objects.filter(contract__isnull=False).count() == own_before
    world_a.con.contract_tariff.refresh_from_db()
    assert world_a.con.contract_tariff.valid_until is None
    assert list(TariffVersion.objects.filter(region=world_b.region).values()) == b_versions


def test_contract_indexation_touches_only_that_contracts_tariffs(world_a):
    other = new_contract(world_a, "C-OTHER", date(2025, 1, 1), 3)
    other_own = services.tariff_version_create(
        product=world_a.con.stay_product,
        contract=other,
        valid_from=date(2025, 1, 1),
        amount=D("140.00"),
    )
    indexation = services.tariffs_index(
        region=world_a.region,
        contract=world_a.con.contract,
        percentage=D("2.5"),
        valid_from=date(2026, 1, 1),
    )
    (version,) = indexation.versions.all()
    # 150,00 × 1,025 = 153,75
    assert (version.product, version.contract, version.amount) == (
        world_a.con.stay_product,
        world_a.con.contract,
        D("153.75"),
    )
    assert version.previous == world_a.con.contract_tariff
    assert indexation.contract == world_a.con.contract
    world_a.con.contract_tariff.refresh_from_db()
    assert world_a.con.contract_tariff.valid_until == date(2025, 12, 31)
    other_own.refresh_from_db()
    assert other_own.valid_until is None
    world_a.con.regional_tariff.refresh_from_db()
    assert world_a.con.regional_tariff.valid_until is None
    assert TariffVersion.objects.filter(contract=other).count() == 1


def test_indexing_a_subset_of_products(world_a):
    small = product(world_a)
    services.tariff_version_create(product=small, valid_from=date(2026, 1, 1), amount=D("11.50"))
    indexation = services.tariffs_index(
        region=world_a.region, percentage=D("3"), valid_from=date(2027, 1, 1), products=[small]
    )
    assert [v.product for v in indexation.versions.all()] == [small]
    world_a.con.regional_tariff.refresh_from_db()
    assert world_a.con.regional_tariff.valid_until is None


def test_indexing_twice_on_the_same_date_is_refused(world_a):
    services.tariffs_index(region=world_a.region, percentage=D("3"), valid_from=date(2027, 1, 1))
    refused(
        services.tariffs_index,
        f"Voor {world_a.product.code} bestaat al een tariefversie vanaf 01-01-2027",
        "al uitgevoerd",
        "Er is niets gewijzigd.",
        field="valid_from",
        region=world_a.region,
        percentage=D("3"),
        valid_from=date(2027, 1, 1),
    )


@pytest.mark.parametrize(
    "pct, message",
    [
        (D("0"), "Een indexatie van 0% verandert geen tarief."),
        (D("30"), "Een indexatie van 30% is niet aannemelijk"),
        (D("-10.01"), "Een indexatie van -10,01% is niet aannemelijk"),
    ],
)
def test_implausible_percentages_are_refused(world_a, pct, message):
    refused(
        services.tariffs_index,
        message,
        field="percentage",
        region=world_a.region,
        percentage=pct,
        valid_from=date(2027, 1, 1),
    )


def test_indexing_without_a_tariff_in_force_is_refused(world_a):
    refused(
        services.tariffs_index,
        "Op 31-12-2024 geldt geen doorlopend tarief om te indexeren.",
        field="valid_from",
        region=world_a.region,
        percentage=D("3"),
        valid_from=date(2025, 1, 1),
    )
    bare = new_contract(world_a, "C-BARE", date(2025, 1, 1), 3)
    refused(
        services.tariffs_index,
        "Op 31-12-2025 geldt geen doorlopend tarief om te indexeren.",
        field="valid_from",
        region=world_a.region,
        contract=bare,
        percentage=D("3"),
        valid_from=date(2026, 1, 1),
    )


def test_indexing_a_contract_of_another_region_is_refused(world_a, world_b):
    refused(
        services.tariffs_index,
        "Dit contract hoort bij een andere regio.",
        field="contract",
        region=world_b.region,
        contract=world_a.con.contract,
        percentage=D("3"),
        valid_from=date(2026, 1, 1),
    )


def test_indexing_skips_a_version_that_ends_the_day_before(world_a):
    ended = product(world_a)
    services.tariff_version_create(
        product=ended,
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
        amount=D("20.00"),
    )
    indexation = services.tariffs_index(
        region=world_a.region, percentage=D("3"), valid_from=date(2027, 1, 1)
    )
    # The tariff that runs on is raised; the one that stopped on 31-12-2026 gets no successor.
    assert [v.product for v in indexation.versions.all()] == [world_a.product]
    assert not TariffVersion.objects.filter(product=ended, valid_from=date(2027, 1, 1)).exists()


# ---------------------------------------------------------------- 8. arrangement_create


@pytest.fixture
def bare(world_a):
    """A contract without arrangements: 01-01-2026, 3 + 1 years."""
    return new_contract(world_a, "C-ARR", date(2026, 1, 1), 3, [1])


def test_arrangements_of_each_model(world_a, bare):
    hour, output, stay = product(world_a), product(world_a, "82"), product(world_a, "14")
    pxq = services.arrangement_create(
        contract=bare, model="pxq", valid_from=date(2026, 1, 1), products=[hour]
    )
    out = services.arrangement_create(
        contract=bare, model="output", valid_from=date(2026, 1, 1), products=[output]
    )
    avail = services.arrangement_create(
        contract=bare,
        model="availability",
        valid_from=date(2026, 1, 1),
        products=[stay],
        places=6,
        place_fee=D("900.00"),
        occupancy_threshold_pct=D("100"),
    )
    # A task-based arrangement may cover any product, also one paid under another arrangement.
    task = services.arrangement_create(
        contract=bare, model="task", valid_from=date(2026, 1, 1), products=[hour, output]
    )
    assert [a.model for a in FundingArrangement.objects.filter(contract=bare)] == [
        "pxq",
        "output",
        "availability",
        "task",
    ]
    assert list(pxq.products.all()) == [hour]
    assert list(out.products.all()) == [output]
    assert (avail.places, avail.place_fee, avail.occupancy_threshold_pct) == (
        6,
        D("900.00"),
        D("100"),
    )
    assert set(task.products.all()) == {hour, output}
    assert selectors.arrangement_models(bare) == ["availability", "output", "pxq", "task"]


@pytest.mark.parametrize(
    "model, unit, label, model_label",
    [
        ("pxq", "82", "82 stuks (output)", "Inspanningsgericht (PxQ)"),
        ("output", "04", "04 uur", "Outputgericht"),
        ("availability", "04", "04 uur", "Beschikbaarheid"),
    ],
)
def test_a_unit_that_does_not_fit_the_model_is_refused(
    world_a, bare, model, unit, label, model_label
):
    item = product(world_a, unit)
    extra = {}
    if model == "availability":
        extra = {"places": 2, "place_fee": D("100"), "occupancy_threshold_pct": D("50")}
    refused(
        services.arrangement_create,
        f"{item.code} heeft eenheid {label}; die past niet bij {model_label}",
        field="products",
        contract=bare,
        model=model,
        valid_from=date(2026, 1, 1),
        products=[item],
        **extra,
    )


def test_a_product_of_another_region_is_refused_in_an_arrangement(bare, world_b):
    refused(
        services.arrangement_create,
        f"{world_b.product.code} hoort bij een andere regio.",
        field="products",
        contract=bare,
        model="pxq",
        valid_from=date(2026, 1, 1),
        products=[world_b.product],
    )


def test_pxq_without_products_is_refused(bare):
    refused(
        services.arrangement_create,
        "Kies de producten die onder deze afspraak vallen.",
        field="products",
        contract=bare,
        model="pxq",
        valid_from=date(2026, 1, 1),
    )


AVAILABILITY = {"places": 4, "place_fee": D("1000.00"), "occupancy_threshold_pct": D("50")}


@pytest.mark.parametrize(
    "missing, message",
    [
        ("places", "Vul het aantal plaatsen in."),
        ("place_fee", "Vul de vergoeding per plaats per maand in."),
        ("occupancy_threshold_pct", "Vul de bezettingsdrempel in."),
    ],
)
def test_availability_needs_places_fee_and_threshold(world_a, bare, missing, message):
    fields = {k: v for k, v in AVAILABILITY.items() if k != missing}
    refused(
        services.arrangement_create,
        message,
        field=missing,
        contract=bare,
        model="availability",
        valid_from=date(2026, 1, 1),
        products=[product(world_a, "14")],
        **fields,
    )


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("occupancy_threshold_pct", D("100.01"), "Een bezettingsdrempel ligt tussen 0% en 100%."),
        ("places", 0, "Dit kan niet negatief of nul zijn."),
        ("place_fee", D("-1"), "Dit kan niet negatief of nul zijn."),
    ],
)
def test_availability_values_out_of_range_are_refused(world_a, bare, field, value, message):
    refused(
        services.arrangement_create,
        message,
        field=field,
        contract=bare,
        model="availability",
        valid_from=date(2026, 1, 1),
        products=[product(world_a, "14")],
        **{**AVAILABILITY, field: value},
    )


def test_a_product_in_two_overlapping_arrangements_is_refused(world_a, bare):
    hour = product(world_a)
    first = services.arrangement_create(
        contract=bare,
        model="pxq",
        name="PxQ 2026",
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
        products=[hour],
    )
    # Right after it: fine.
    services.arrangement_create(
        contract=bare, model="pxq", valid_from=date(2027, 1, 1), products=[hour]
    )
    refused(
        services.arrangement_create,
        f"{hour.code} valt al onder '{first.name}' in dezelfde periode.",
        field="products",
        contract=bare,
        model="pxq",
        valid_from=date(2026, 6, 1),
        valid_until=date(2026, 6, 30),
        products=[hour],
    )


def test_world_product_is_already_paid_under_the_pxq_arrangement(world_a):
    refused(
        services.arrangement_create,
        f"{world_a.product.code} valt al onder 'Inspanningsgericht (PxQ)' in dezelfde periode.",
        field="products",
        contract=world_a.con.contract,
        model="pxq",
        valid_from=date(2027, 1, 1),
        products=[world_a.product],
    )


def test_an_arrangement_outside_the_term_is_refused(world_a):
    for day in (date(2024, 12, 31), date(2030, 1, 1)):
        refused(
            services.arrangement_create,
            "Een afspraak geldt binnen de looptijd van het contract (01-01-2025 – 31-12-2029).",
            field="valid_from",
            contract=world_a.con.contract,
            model="task",
            valid_from=day,
        )


# ---------------------------------------------------------------- 9. budget_set


def test_budget_set_within_the_contract_years(world_a):
    # The contract runs 2025 – 2029 (with both options); both ends are allowed.
    for year in (2025, 2029):
        budget = services.budget_set(
            contract=world_a.con.contract, year=year, kind="lumpsum", amount=D("500000.00")
        )
        assert (budget.year, budget.kind, budget.amount) == (year, "lumpsum", D("500000.00"))


@pytest.mark.parametrize("year", [2024, 2030])
def test_budget_set_outside_the_contract_is_refused(world_a, year):
    refused(
        services.budget_set,
        f"Het contract loopt van 2025 tot en met 2029; een budget voor {year} valt daarbuiten.",
        field="year",
        contract=world_a.con.contract,
        year=year,
        kind="ceiling",
        amount=D("1.00"),
    )


def test_budget_set_on_a_terminated_contract_stops_at_the_termination_year(world_a):
    contract = world_a.con.contract
    services.contract_terminate(contract=contract, effective_on=date(2026, 6, 30), reason="Stop")
    refused(
        services.budget_set,
        "Het contract loopt van 2025 tot en met 2026; een budget voor 2027 valt daarbuiten.",
        field="year",
        contract=contract,
        year=2027,
        kind="ceiling",
        amount=D("1.00"),
    )
    services.budget_set(contract=contract, year=2026, kind="lumpsum", amount=D("1.00"))


def test_a_second_budget_of_the_same_kind_is_refused(world_a):
    refused(
        services.budget_set,
        "Voor 2026 bestaat dit budget al; herijk het met een reden",
        field="year",
        contract=world_a.con.contract,
        year=2026,
        kind="ceiling",
        amount=D("120000.00"),
    )
    # A lumpsum in the same year is another budget.
    services.budget_set(
        contract=world_a.con.contract, year=2026, kind="lumpsum", amount=D("50000.00")
    )


def test_a_negative_budget_is_refused(world_a):
    refused(
        services.budget_set,
        "Een budget kan niet negatief zijn.",
        field="amount",
        contract=world_a.con.contract,
        year=2027,
        kind="ceiling",
        amount=D("-0.01"),
    )


def test_a_profile_only_on_a_ceiling_and_of_the_same_region(world_a, world_b):
    profile = SupportProfile.objects.create(region=world_a.region, number=1, name="Licht")
    foreign = SupportProfile.objects.create(region=world_b.region, number=1, name="Licht")
    refused(
        services.budget_set,
        "Alleen een plafond kan per profiel gelden.",
        field="support_profile",
        contract=world_a.con.contract,
        year=2027,
        kind="lumpsum",
        amount=D("10.00"),
        support_profile=profile,
    )
    refused(
        services.budget_set,
        "Dit profiel hoort bij een andere regio.",
        field="support_profile",
        contract=world_a.con.contract,
        year=2027,
        kind="ceiling",
        amount=D("10.00"),
        support_profile=foreign,
    )
    # A profile ceiling next to the contract's ceiling of the same year is allowed, once.
    budget = services.budget_set(
        contract=world_a.con.contract,
        year=2026,
        kind="ceiling",
        amount=D("40000.00"),
        support_profile=profile,
    )
    assert budget.support_profile == profile
    refused(
        services.budget_set,
        "herijk",
        field="year",
        contract=world_a.con.contract,
        year=2026,
        kind="ceiling",
        amount=D("45000.00"),
        support_profile=profile,
    )


# ---------------------------------------------------------------- 10. budget_revise


def test_revisions_set_the_amount_from_their_date(world_a):
    ceiling = world_a.con.ceiling
    # The world: 100.000 from the start of 2026, 110.000 from 01-07-2026.
    assert Budget.objects.get(pk=ceiling.pk).amount_on(date(2026, 6, 30)) == D("100000.00")
    assert Budget.objects.get(pk=ceiling.pk).amount_on(date(2026, 7, 1)) == D("110000.00")
    revision = services.budget_revise(
        budget=ceiling, effective_on=date(2026, 3, 1), amount=D("105000.00"), reason="  Q1  "
    )
    assert (revision.reason, revision.amount) == ("Q1", D("105000.00"))
    budget = Budget.objects.get(pk=ceiling.pk)
    assert budget.amount == D("100000.00")  # the original amount is kept
    assert budget.amount_on(date(2026, 2, 28)) == D("100000.00")
    assert budget.amount_on(date(2026, 3, 1)) == D("105000.00")
    assert budget.amount_on(date(2026, 6, 30)) == D("105000.00")
    assert budget.amount_on(date(2026, 12, 31)) == D("110000.00")
    # Recorded later, but the July revision is still the latest in effect.
    assert budget.current_amount == D("110000.00")
    services.budget_revise(
        budget=ceiling, effective_on=date(2026, 10, 1), amount=D("0.00"), reason="Stop"
    )
    budget = Budget.objects.get(pk=ceiling.pk)
    assert budget.current_amount == D("0.00")
    assert budget.amount_on(date(2026, 9, 30)) == D("110000.00")


def test_a_budget_without_revisions_keeps_its_amount(world_a):
    budget = services.budget_set(
        contract=world_a.con.contract, year=2027, kind="ceiling", amount=D("90000.00")
    )
    assert budget.current_amount == D("90000.00")
    assert budget.amount_on(date(2027, 12, 31)) == D("90000.00")


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"reason": " "}, "reason", "Geef de reden van de herijking."),
        ({"amount": D("-1")}, "amount", "Een budget kan niet negatief zijn."),
        (
            {"effective_on": date(2027, 1, 1)},
            "effective_on",
            "Een herijking van het budget 2026 gaat in dat jaar in.",
        ),
        (
            {"effective_on": date(2025, 12, 31)},
            "effective_on",
            "Een herijking van het budget 2026 gaat in dat jaar in.",
        ),
    ],
)
def test_budget_revise_refusals(world_a, changes, field, message):
    kwargs = {
        "budget": world_a.con.ceiling,
        "effective_on": date(2026, 10, 1),
        "amount": D("120000.00"),
        "reason": "Herijking",
        **changes,
    }
    refused(services.budget_revise, message, field=field, **kwargs)


# ---------------------------------------------------------------- 11. lumpsum_plan


@pytest.fixture
def task(world_a):
    return services.arrangement_create(
        contract=world_a.con.contract,
        model="task",
        name="Taakgericht",
        valid_from=date(2025, 1, 1),
        products=[world_a.product],
    )


def test_lumpsum_plan_decreases_every_year_until_the_final_end(world_a, task):
    budgets = services.lumpsum_plan(
        arrangement=task, base_amount=D("1200000.00"), base_year=2027, decrease_pct=D("2.5")
    )
    # 1.200.000,00; × 0,975 = 1.170.000,00; × 0,975 = 1.140.750,00 (final end 31-12-2029).
    assert [(b.year, b.kind, b.amount) for b in budgets] == [
        (2027, BudgetKind.LUMPSUM, D("1200000.00")),
        (2028, BudgetKind.LUMPSUM, D("1170000.00")),
        (2029, BudgetKind.LUMPSUM, D("1140750.00")),
    ]
    assert budgets[0].note.startswith("Afnemende lumpsum: € 1.200.000,00 in 2027, ")
    task.refresh_from_db()
    assert task.lumpsum_decrease_pct == D("2.5")


def test_lumpsum_plan_rounds_each_year_from_the_year_before(world_a, task):
    budgets = services.lumpsum_plan(
        arrangement=task, base_amount=D("100000.01"), base_year=2028, decrease_pct=D("2.5")
    )
    # 100.000,01 × 0,975 = 97.500,00975 → 97.500,01.
    assert [(b.year, b.amount) for b in budgets] == [(2028, D("100000.01")), (2029, D("97500.01"))]


def test_lumpsum_plan_on_a_non_task_arrangement_is_refused(world_a):
    refused(
        services.lumpsum_plan,
        "Een lumpsum hoort bij een taakgerichte afspraak.",
        arrangement=world_a.con.pxq,
        base_amount=D("1000.00"),
        base_year=2027,
        decrease_pct=D("2"),
    )


@pytest.mark.parametrize("year", [2024, 2030])
def test_lumpsum_plan_outside_the_contract_is_refused(task, year):
    refused(
        services.lumpsum_plan,
        f"een budget voor {year} valt daarbuiten",
        field="year",
        arrangement=task,
        base_amount=D("1000.00"),
        base_year=year,
        decrease_pct=D("2"),
    )


def test_lumpsum_plan_over_an_existing_lumpsum_is_refused(world_a, task):
    services.budget_set(
        contract=world_a.con.contract, year=2029, kind="lumpsum", amount=D("1000.00")
    )
    refused(
        services.lumpsum_plan,
        "Er bestaat al een lumpsum voor 2029; herijk die.",
        field="base_year",
        arrangement=task,
        base_amount=D("1200000.00"),
        base_year=2027,
        decrease_pct=D("2.5"),
    )


@pytest.mark.parametrize("pct", [D("-1"), D("50")])
def test_lumpsum_plan_refuses_an_implausible_decrease(task, pct):
    refused(
        services.lumpsum_plan,
        "De jaarlijkse afname ligt tussen 0% en 50%.",
        field="decrease_pct",
        arrangement=task,
        base_amount=D("1000.00"),
        base_year=2027,
        decrease_pct=pct,
    )


def test_lumpsum_plan_stops_at_the_termination_year(world_a, task):
    services.contract_terminate(
        contract=world_a.con.contract, effective_on=date(2027, 6, 30), reason="Stop"
    )
    budgets = services.lumpsum_plan(
        arrangement=task, base_amount=D("1200000.00"), base_year=2026, decrease_pct=D("2.5")
    )
    assert [b.year for b in budgets] == [2026, 2027]


def test_lumpsum_plan_refuses_a_negative_base_amount(task):
    refused(
        services.lumpsum_plan,
        arrangement=task,
        base_amount=D("-1.00"),
        base_year=2027,
        decrease_pct=D("2"),
    )


# ---------------------------------------------------------------- 12. selectors


TODAY = date(2026, 11, 22)


@pytest.fixture
def landscape(world_a):
    """Contracts around TODAY (22-11-2026), one of each situation."""
    w = world_a
    c = {
        # ends 31-12-2026, no options left
        "ending": new_contract(w, "S-END", date(2024, 1, 1), 3),
        # current term ends 28-02-2027 (3 months + 6 days away), option to 29-02-2028
        "later": new_contract(w, "S-LATER", date(2023, 3, 1), 4, [1]),
        # option exercised: current term and the last option both end 31-12-2026
        "last_option": new_contract(w, "S-LAST", date(2021, 1, 1), 5, [1]),
        # runs until 2030
        "long": new_contract(w, "S-LONG", date(2026, 1, 1), 4),
        "planned": new_contract(w, "S-PLAN", date(2027, 1, 1), 2),
        "ended": new_contract(w, "S-OVER", date(2023, 1, 1), 2),
        # would end 31-12-2026, terminated 30-09-2026
        "terminated": new_contract(w, "S-TERM", date(2024, 1, 1), 3),
        # ends 31-12-2026, terminated on its last day: still excluded from 'expiring'
        "terminating": new_contract(w, "S-TERMING", date(2024, 1, 1), 3),
    }
    services.contract_extend(contract=c["last_option"], years=1, decided_on=date(2025, 6, 1))
    services.contract_terminate(
        contract=c["terminated"], effective_on=date(2026, 9, 30), reason="Stop"
    )
    services.contract_terminate(
        contract=c["terminating"], effective_on=date(2026, 12, 31), reason="Stop"
    )
    return {name: fresh(contract) for name, contract in c.items()}


def refs(qs) -> set[str]:
    return set(qs.values_list("reference", flat=True))


def test_expiring(world_a, landscape):
    qs = Contract.objects.filter(reference__startswith="S-")
    assert refs(selectors.expiring(qs, 3, today=TODAY)) == {"S-END", "S-LAST"}
    assert refs(selectors.expiring(qs, 4, today=TODAY)) == {"S-END", "S-LAST", "S-LATER"}
    # The world's contract ends 31-12-2028 (option 2 to 31-12-2029): not within 3 months.
    assert world_a.con.contract not in selectors.expiring(Contract.objects.all(), 3, today=TODAY)
    # From 01-10-2028 its current term (31-12-2028) ends within 3 months.
    world = Contract.objects.filter(pk=world_a.con.contract.pk)
    assert refs(selectors.expiring(world, 3, today=date(2028, 10, 1))) == {
        world_a.con.contract.reference
    }
    assert not selectors.expiring(world, 2, today=date(2028, 10, 1)).exists()
    # The horizon is inclusive: 28-02-2027 is exactly 3 months after 28-11-2026.
    assert "S-LATER" in refs(selectors.expiring(qs, 3, today=date(2026, 11, 28)))


def test_expiring_leaves_out_a_contract_that_already_ended(world_a):
    # 3 years from 01-01-2023 → ended 31-12-2025; the unexercised option would have run to
    # 31-12-2026, but an option is decided before the end, so it can no longer be exercised.
    lapsed = new_contract(world_a, "S-LAPSED", date(2023, 1, 1), 3, [1])
    assert fresh(lapsed).status_on(TODAY) == ContractStatus.ENDED
    assert not selectors.expiring(Contract.objects.filter(pk=lapsed.pk), 3, today=TODAY).exists()


@pytest.mark.parametrize(
    "status, expected",
    [
        (ContractStatus.PLANNED, {"S-PLAN"}),
        (ContractStatus.ACTIVE, {"S-END", "S-LATER", "S-LONG", "S-TERMING"}),
        (ContractStatus.EXTENDED, {"S-LAST"}),
        (ContractStatus.ENDED, {"S-OVER"}),
        (ContractStatus.TERMINATED, {"S-TERM"}),
    ],
)
def test_with_status(landscape, status, expected):
    qs = Contract.objects.filter(reference__startswith="S-")
    assert refs(selectors.with_status(qs, status, today=TODAY)) == expected
    # The filter agrees with the status each contract computes.
    for contract in landscape.values():
        assert (contract.status_on(TODAY) == status) == (contract.reference in expected)


def test_with_status_of_the_world_contract(world_a):
    qs = Contract.objects.filter(pk=world_a.con.contract.pk)
    assert refs(selectors.with_status(qs, "extended", today=date(2028, 6, 1))) == {
        world_a.con.contract.reference
    }
    assert not selectors.with_status(qs, "ended", today=date(2028, 6, 1)).exists()
    assert selectors.with_status(qs, "ended", today=date(2029, 1, 1)).exists()
    assert selectors.with_status(qs, "planned", today=date(2024, 12, 31)).exists()


# ---------------------------------------------------------------- 13. settlement_for


def declare(world, month: date, quantity: str):
    hours = D(quantity)
    Declaration.objects.create(
        region=world.region,
        contract=world.con.contract,
        municipality=world.municipality,
        product=world.product,
        client_key=f"extra-{month:%m}",
        month=month,
        quantity=hours,
        unit="04",
        amount=hours * D("72.10"),
    )
    refresh_settlement(world.region.pk, [month])  # as an import does


def test_settlement_q1_2026(world_a):
    result = selectors.settlement_for(world_a.con.contract, Period.months(2026, 1, 3))
    by_component = {line.component: line for line in result.lines}
    # PxQ: 3 × 10 hours × 72,10 = 2.163,00.
    pxq = by_component["pxq"]
    assert (pxq.quantity, pxq.unit_price, pxq.amount) == (D("30"), D("72.10"), D("2163.00"))
    assert pxq.product_code == world_a.product.code
    # Availability: 4 places × 1.000,00 × 3 months = 12.000,00.
    assert by_component["availability"].amount == D("12000.00")
    assert set(by_component) == {"pxq", "availability"}
    # Occupancy: 3 × 60 = 180 of 4 × (31 + 28 + 31) = 360 place-days = 50,0%: not under 50%.
    assert result.flags_of("occupancy") == []
    assert result.flags == ()
    assert result.total_due == D("14163.00")
    assert result.withheld == D("0")
    assert result.payable == D("14163.00")
    assert result.by_model() == {"pxq": D("2163.00"), "availability": D("12000.00")}


def test_settlement_withholds_above_the_ceiling(world_a):
    # 1.500 hours more in March: 1.500 × 72,10 = 108.150,00.
    declare(world_a, date(2026, 3, 1), "1500")
    result = selectors.settlement_for(world_a.con.contract, Period.months(2026, 1, 3))
    # Due 2.163,00 + 108.150,00 + 12.000,00 = 122.313,00; ceiling in Q1 100.000,00.
    assert result.total_due == D("122313.00")
    assert result.withheld == D("22313.00")
    assert result.payable == D("100000.00")
    (flag,) = result.flags_of("ceiling")
    assert flag.amount == D("22313.00")
    assert "€ 100.000,00" in flag.message
    assert "€ 22.313,00 boven het plafond" in flag.message


def test_settlement_of_q3_uses_the_revised_ceiling(world_a):
    # 1.000 hours in May: 72.100,00. January – June: PxQ 2.163,00 + 72.100,00, availability
    # 4 × 1.000 × 6 = 24.000,00 → 98.263,00 payable before Q3 (under either ceiling).
    declare(world_a, date(2026, 5, 1), "1000")
    q2 = selectors.settlement_for(world_a.con.contract, Period.months(2026, 4, 6))
    # Q2: 72.100,00 + 12.000,00 = 84.100,00; Q1 paid 14.163,00; ceiling 100.000: room 85.837.
    assert (q2.total_due, q2.withheld) == (D("84100.00"), D("0"))
    q3 = selectors.settlement_for(world_a.con.contract, Period.months(2026, 7, 9))
    # Q3: availability 12.000,00. With 110.000,00 the room is 110.000 − 98.263 = 11.737,00,
    # so 263,00 is withheld (with the old 100.000 it would have been 10.263,00).
    assert q3.total_due == D("12000.00")
    assert q3.withheld == D("263.00")
    assert q3.payable == D("11737.00")
    (flag,) = q3.flags_of("ceiling")
    assert "€ 110.000,00" in flag.message
    assert "eerder dit jaar € 98.263,00" in flag.message
