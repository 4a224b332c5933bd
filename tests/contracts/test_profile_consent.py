"""A case director's consent for a stacked profile or a profile switch (seed 004, §3.3).

The rule in the engine (pure facts, hand-computed amounts), then the services with their
refusals and audit, then the pages: the settlement's signal leads to a prefilled form, the
contract page lists the consents, and only the contract editors record or revoke one.
"""

from datetime import date
from decimal import Decimal as D

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts import services
from contracts.codes import ArrangementModel as Model
from contracts.consent import (
    consent_facts,
    profile_consent_record,
    profile_consent_revoke,
    profile_families,
)
from contracts.models import ProfileConsent
from contracts.selectors import settlement_for
from contracts.settlement import (
    Allocation,
    ArrangementTerms,
    Consent,
    ContractTerms,
    Period,
    Production,
    ProductTerms,
    Trajectory,
    profile_switches,
    settle,
    stacking_breaches,
)
from contracts.tariffs import Validity
from monitoring.models import Allocation as AllocationLine
from monitoring.models import Trajectory as TrajectoryLine
from segments.codes import ParallelRule, Unit
from segments.models import Intensity, SupportProfile
from tests.segments.factories import ProductFactory

Q1 = Period.months(2026, 1, 3)
Q2 = Period.months(2026, 4, 6)
STACKING, SWITCH = "stapeling", "profielwissel"


# --- the engine: facts in, flags and amounts out ---------------------------------------------


def profile(code, number, intensity, price, parallel=ParallelRule.EXCLUSIVE, max_days=None):
    return ProductTerms(
        code,
        f"Profiel {number} {intensity}",
        Unit.PIECES_OUTPUT,
        profile=number,
        intensity=intensity,
        parallel=parallel,
        parallel_max_days=max_days,
        regional_tariffs=(Validity(date(2026, 1, 1), None, D(price)),),
    )


P03_PER = profile("P03-PER", 3, "Perspectief", "3100.00")
P06_INT = profile("P06-INT", 6, "Intensief", "8500.00")
P06_ACU = profile("P06-ACU", 6, "Acuut", "1450.00", ParallelRule.LIMITED, 14)
PRODUCTS = (P03_PER, P06_INT, P06_ACU)
TERMS = ContractTerms(
    reference="AMS-T",
    start=date(2024, 1, 1),
    end=date(2027, 12, 31),
    arrangements=(
        ArrangementTerms(
            Model.OUTPUT, date(2024, 1, 1), product_codes=frozenset(p.code for p in PRODUCTS)
        ),
    ),
    products={p.code: p for p in PRODUCTS},
)
STACKED = (
    Allocation("F1", "P03-PER", date(2026, 1, 10), date(2026, 3, 31)),
    Allocation("F1", "P06-INT", date(2026, 3, 1)),
)
# paid at the start (the arrangement's default): 3.100,00 + 8.500,00
STACKED_TRAJECTORIES = (
    Trajectory("t1", "P03-PER", date(2026, 1, 10), date(2026, 3, 31)),
    Trajectory("t2", "P06-INT", date(2026, 3, 1)),
)


def consent(kind=STACKING, codes=("P03-PER", "P06-INT"), start=None, end=None, family="F1"):
    return Consent(
        family=family,
        kind=kind,
        product_codes=frozenset(codes),
        valid_from=start or date(2026, 3, 1),
        valid_until=end,
        given_on=date(2026, 2, 20),
        case_director="J. de Vries, regisseur lokaal team",
    )


def test_stacking_without_consent_is_a_breach_and_the_stacked_profile_is_held():
    production = Production(trajectories=STACKED_TRAJECTORIES, allocations=STACKED)
    settlement = settle(TERMS, production, Q1)
    assert [line.amount for line in settlement.lines] == [D("3100.00"), D("8500.00")]
    assert settlement.total_due == D("11600.00")  # 3.100 + 8.500
    # the later profile (P06-INT from 01-03) is held until the case director consents
    assert settlement.withheld == D("8500.00")
    assert settlement.payable == D("3100.00")
    assert settlement.payable_by_profile == {3: D("3100.00"), 6: D("0.00")}
    [flag] = settlement.flags
    assert flag.kind == "stacking"
    assert flag.amount == D("8500.00")
    assert flag.message == (
        "Gezin F1: P03-PER (vanaf 10-01-2026) en P06-INT (vanaf 01-03-2026) overlappen van "
        "01-03-2026 tot en met 31-03-2026 (31 dagen); één profieltarief per gezin tegelijk. "
        "€ 8.500,00 voor P06-INT ingehouden tot de regisseur instemt."
    )
    # what the page needs to offer the consent for exactly this
    assert (flag.family, flag.product_codes, flag.start, flag.end) == (
        "F1",
        ("P03-PER", "P06-INT"),
        date(2026, 3, 1),
        date(2026, 3, 31),
    )


def test_stacking_with_consent_is_a_note_and_paid():
    production = Production(
        trajectories=STACKED_TRAJECTORIES, allocations=STACKED, consents=(consent(),)
    )
    settlement = settle(TERMS, production, Q1)
    assert settlement.total_due == D("11600.00")  # 3.100 + 8.500
    assert settlement.payable == D("11600.00")
    assert settlement.flags_of("stacking") == []
    [note] = settlement.flags_of("stacking_consented")
    assert note.message == (
        "Gezin F1: P03-PER en P06-INT lopen 31 dagen naast elkaar (01-03-2026 tot en met "
        "31-03-2026), met instemming regisseur d.d. 20-02-2026 (J. de Vries, regisseur lokaal "
        "team); betaald."
    )


@pytest.mark.parametrize(
    "other",
    [
        consent(start=date(2026, 3, 2)),  # from the second day of the overlap: 1 day uncovered
        consent(end=date(2026, 3, 30)),  # until the day before its last
        consent(codes=("P06-INT",)),  # names only one of the two profiles
        consent(family="F2"),  # another family
        consent(kind=SWITCH),  # a switch is not a stacking
    ],
    ids=["starts-late", "ends-early", "one-product", "other-family", "other-kind"],
)
def test_a_consent_that_does_not_cover_the_stacking_leaves_the_breach(other):
    flags = stacking_breaches(TERMS, STACKED, Q1, (other,))
    assert [f.kind for f in flags] == ["stacking"]


def test_consent_covers_the_overlap_within_the_period_only():
    """Open-ended overlap: in Q1 the overlap seen is 01-03 … 31-03; a consent until 31-03
    covers Q1, and in Q2 (01-04 … 30-06) the stacking is a breach again."""
    until_march = consent(end=date(2026, 3, 31))
    assert [f.kind for f in stacking_breaches(TERMS, STACKED, Q1, (until_march,))] == [
        "stacking_consented"
    ]
    allocations = (
        Allocation("F1", "P03-PER", date(2026, 1, 10)),
        Allocation("F1", "P06-INT", date(2026, 3, 1)),
    )
    assert [f.kind for f in stacking_breaches(TERMS, allocations, Q2, (until_march,))] == [
        "stacking"
    ]
    open_consent = consent()
    assert [f.kind for f in stacking_breaches(TERMS, allocations, Q2, (open_consent,))] == [
        "stacking_consented"
    ]


def test_acute_beyond_its_days_with_consent_is_a_note():
    allocations = (
        Allocation("F2", "P03-PER", date(2026, 1, 1)),
        Allocation("F2", "P06-ACU", date(2026, 3, 1), date(2026, 3, 15)),  # 15 days
    )
    [flag] = stacking_breaches(TERMS, allocations, Q1)
    assert flag.kind == "stacking"
    given = consent(codes=("P03-PER", "P06-ACU"), family="F2")
    [note] = stacking_breaches(TERMS, allocations, Q1, (given,))
    # the overlap seen in the period: 01-03-2026 … 15-03-2026 = 15 days
    assert note.kind == "stacking_consented"
    assert note.message.startswith("Gezin F2: P03-PER en P06-ACU lopen 15 dagen naast elkaar")


SWITCHED = (
    Allocation("F3", "P03-PER", date(2026, 1, 5), date(2026, 2, 14)),
    Allocation("F3", "P06-INT", date(2026, 2, 20)),  # 6 days after the end
)


def test_a_switch_without_consent_is_flagged_with_the_burden_of_proof():
    [flag] = profile_switches(TERMS, SWITCHED, Q1)
    assert flag.kind == "switch"
    assert flag.message == (
        "Gezin F3: profielwissel van P03-PER (tot en met 14-02-2026) naar P06-INT (vanaf "
        "20-02-2026) zonder vastgelegde instemming van de regisseur; de aanbieder moet de "
        "wissel aantonen."
    )
    assert (flag.family, flag.product_codes, flag.start) == (
        "F3",
        ("P03-PER", "P06-INT"),
        date(2026, 2, 20),
    )
    # unapproved until consent: the next quarter reports it again while the new profile runs
    assert [f.kind for f in profile_switches(TERMS, SWITCHED, Q2)] == ["switch"]


def test_a_switch_with_consent_passes_and_pays():
    given = consent(kind=SWITCH, codes=("P06-INT",), start=date(2026, 2, 20), family="F3")
    production = Production(
        trajectories=(
            Trajectory("t1", "P03-PER", date(2026, 1, 5), date(2026, 2, 14)),
            Trajectory("t2", "P06-INT", date(2026, 2, 20)),
        ),
        allocations=SWITCHED,
        consents=(given,),
    )
    settlement = settle(TERMS, production, Q1)
    assert settlement.payable == D("11600.00")  # 3.100 + 8.500, both started in Q1
    assert settlement.flags_of("switch") == []
    [note] = settlement.flags_of("switch_consented")
    assert note.message == (
        "Gezin F3: profielwissel van P03-PER (tot en met 14-02-2026) naar P06-INT (vanaf "
        "20-02-2026), met instemming regisseur d.d. 20-02-2026 (J. de Vries, regisseur lokaal "
        "team)."
    )
    # a consent that starts after the new profile started does not cover the switch
    late = consent(kind=SWITCH, codes=("P06-INT",), start=date(2026, 2, 21), family="F3")
    assert [f.kind for f in profile_switches(TERMS, SWITCHED, Q1, (late,))] == ["switch"]


@pytest.mark.parametrize(
    "allocations",
    [
        # the same product again: a renewal, not a switch
        (
            Allocation("F4", "P06-INT", date(2026, 1, 1), date(2026, 1, 31)),
            Allocation("F4", "P06-INT", date(2026, 2, 1)),
        ),
        # more than 31 days between the end and the new start: a new trajectory
        (
            Allocation("F4", "P03-PER", date(2026, 1, 1), date(2026, 1, 31)),
            Allocation("F4", "P06-INT", date(2026, 3, 4)),  # 32 days after
        ),
        # Acuut (the emergency procedure) neither makes nor ends a switch
        (
            Allocation("F4", "P06-ACU", date(2026, 1, 1), date(2026, 1, 10)),
            Allocation("F4", "P03-PER", date(2026, 1, 11)),
        ),
        # another family
        (
            Allocation("F4", "P03-PER", date(2026, 1, 1), date(2026, 1, 31)),
            Allocation("F5", "P06-INT", date(2026, 2, 1)),
        ),
    ],
    ids=["same-product", "long-gap", "acute", "other-family"],
)
def test_not_a_switch(allocations):
    assert profile_switches(TERMS, allocations, Q1) == []


def test_a_switch_at_exactly_the_window_is_one():
    allocations = (
        Allocation("F4", "P03-PER", date(2026, 1, 1), date(2026, 1, 31)),
        Allocation("F4", "P06-INT", date(2026, 3, 3)),  # 31 days after the end
    )
    assert [f.kind for f in profile_switches(TERMS, allocations, Q1)] == ["switch"]


# --- the services and the pages --------------------------------------------------------------

KEY = "ab12cd34ef56" + "0" * 52  # a client key (pseudonym) as imported
FAMILY = KEY[:12]  # the family as settlement shows it


@pytest.fixture
def ams(world_a):
    return build_ams(world_a)


def build_ams(w):
    """World ``w`` with an output contract over three profile products (paid at the start) and
    family FAMILY holding P03-PER from 10-01-2026 to 31-03-2026 and P06-INT from 01-03-2026."""
    per = Intensity.objects.create(region=w.region, code="perspectief", name="Perspectief")
    intensive = Intensity.objects.create(region=w.region, code="intensief", name="Intensief")
    acute = Intensity.objects.create(
        region=w.region, code="acuut", name="Acuut", parallel="limited", parallel_max_days=14
    )
    p3 = SupportProfile.objects.create(region=w.region, number=3, name="Profiel 3")
    p6 = SupportProfile.objects.create(region=w.region, number=6, name="Profiel 6")
    products = {}
    for code, prof, intensity in (
        ("P03-PER", p3, per),
        ("P06-INT", p6, intensive),
        ("P06-ACU", p6, acute),
    ):
        products[code] = ProductFactory(
            region=w.region,
            care_form=w.care_form,
            code=code,
            unit="82",
            support_profile=prof,
            intensity=intensity,
        )
    contract = services.contract_create(
        region=w.region,
        reference="AMS-T-001",
        provider=w.provider,
        segment=w.segment,
        start_date=date(2025, 1, 1),
        initial_term_years=3,
        extension_options=[],
    )
    for code, price in (("P03-PER", "3100.00"), ("P06-INT", "8500.00"), ("P06-ACU", "1450.00")):
        services.tariff_version_create(
            product=products[code], contract=contract, valid_from=date(2025, 1, 1), amount=D(price)
        )
    services.arrangement_create(
        contract=contract,
        model="output",
        valid_from=date(2025, 1, 1),
        products=list(products.values()),
        output_payment="start",
    )
    w.ams_contract, w.ams_products = contract, products
    line(w, "P03-PER", date(2026, 1, 10), date(2026, 3, 31), n=1)
    line(w, "P06-INT", date(2026, 3, 1), None, n=2)
    return w


def line(w, code, start, end, *, n, key=KEY):
    common = {
        "region": w.region,
        "contract": w.ams_contract,
        "municipality": w.municipality,
        "product": w.ams_products[code],
        "client_key": key,
    }
    TrajectoryLine.objects.create(
        reference=f"T{n}", started_on=start, ended_on=end, end_reason="01" if end else "", **common
    )
    AllocationLine.objects.create(reference=f"A{n}", start=start, end=end, **common)


def record(w, **overrides):
    fields = {
        "contract": w.ams_contract,
        "region": w.region,
        "family": FAMILY,
        "kind": STACKING,
        "products": [w.ams_products["P03-PER"], w.ams_products["P06-INT"]],
        "given_on": date(2026, 2, 20),
        "case_director": "J. de Vries, regisseur lokaal team",
        "reason": "Klinische behandeling gevolgd door intensieve extramurale fase.",
        "valid_from": date(2026, 3, 1),
        "valid_until": date(2026, 3, 31),
    }
    fields.update(overrides)
    return profile_consent_record(**fields)


def messages_of(error: ValidationError) -> dict:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


@pytest.mark.django_db
def test_recorded_consent_turns_the_breach_into_a_paid_note(ams, users):
    contract = ams.ams_contract
    before = settlement_for(contract, Q1)
    assert before.total_due == D("11600.00")  # 3.100 + 8.500 at the start
    assert before.payable == D("3100.00")  # P06-INT's 8.500 held until consent
    assert [f.kind for f in before.flags] == ["stacking"]
    assert before.flags[0].message.startswith(f"Gezin {FAMILY}: P03-PER (vanaf 10-01-2026)")

    given = record(ams, user=users.officer)
    assert (given.family, given.recorded_by, given.region) == (
        FAMILY,
        users.officer,
        ams.region,
    )
    assert sorted(p.code for p in given.products.all()) == ["P03-PER", "P06-INT"]
    after = settlement_for(contract, Q1)
    assert after.total_due == after.payable == D("11600.00")
    assert after.flags_of("stacking") == []
    [note] = after.flags_of("stacking_consented")
    assert "met instemming regisseur d.d. 20-02-2026 (J. de Vries" in note.message
    # audited, with the products
    entries = LogEntry.objects.get_for_object(given)
    assert entries.filter(action=LogEntry.Action.CREATE).count() == 1


@pytest.mark.django_db
def test_revoking_brings_the_breach_back_and_keeps_the_row(ams, users):
    given = record(ams)
    with pytest.raises(ValidationError) as error:
        profile_consent_revoke(consent=given, reason="  ")
    assert messages_of(error.value) == {"reason": ["Geef de reden van de intrekking."]}
    profile_consent_revoke(consent=given, reason="Ten onrechte vastgelegd.", user=users.officer)
    given.refresh_from_db()
    assert given.revoked_by == users.officer and given.revoke_reason == "Ten onrechte vastgelegd."
    assert consent_facts(ams.ams_contract) == ()
    assert [f.kind for f in settlement_for(ams.ams_contract, Q1).flags] == ["stacking"]
    with pytest.raises(ValidationError, match="al ingetrokken"):
        profile_consent_revoke(consent=given, reason="Nogmaals")
    revocations = [
        e
        for e in LogEntry.objects.get_for_object(given).filter(action=LogEntry.Action.UPDATE)
        if "revoke_reason" in e.changes_dict
    ]
    assert [e.changes_dict["revoke_reason"] for e in revocations] == [
        ["", "Ten onrechte vastgelegd."]
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"products": ("P03-PER", "P06-ACU")},
            "products",
            f"Gezin {FAMILY} heeft op dit contract geen toewijzing van P06-ACU tussen 01-03-2026 "
            "en 31-03-2026; een instemming kan alleen gelden voor een profiel dat het gezin in "
            "die periode heeft.",
        ),
        (
            # the family held P06-INT, but not before 01-03-2026
            {"valid_from": date(2026, 1, 10), "valid_until": date(2026, 2, 28)},
            "products",
            f"Gezin {FAMILY} heeft op dit contract geen toewijzing van P06-INT tussen 10-01-2026 "
            "en 28-02-2026; een instemming kan alleen gelden voor een profiel dat het gezin in "
            "die periode heeft.",
        ),
        (
            {"valid_until": date(2026, 2, 28)},
            "valid_until",
            "De instemming eindigt (28-02-2026) vóór ze ingaat (01-03-2026).",
        ),
        ({"reason": " "}, "reason", "Geef de reden van de instemming (verplicht)."),
        ({"case_director": ""}, "case_director", "Geef de naam en functie van de regisseur."),
        (
            {"given_on": date(2999, 1, 1)},
            "given_on",
            "De datum van instemming ligt in de toekomst.",
        ),
        (
            {"products": ("P06-INT",)},
            "products",
            "Een instemming met stapeling noemt beide profielen die naast elkaar lopen.",
        ),
        (
            {"family": "123456782"},  # typed in by mistake (a BSN-like number): never echoed
            "family",
            "Dit gezin heeft op dit contract geen toewijzing van een profiel; kies een gezin uit "
            "de lijst.",
        ),
    ],
    ids=[
        "profile-not-held",
        "not-held-in-period",
        "dates-out-of-order",
        "no-reason",
        "no-case-director",
        "future",
        "stacking-needs-two",
        "unknown-family",
    ],
)
def test_refusals_say_why_and_save_nothing(ams, overrides, field, message):
    if "products" in overrides:
        overrides = {**overrides, "products": [ams.ams_products[c] for c in overrides["products"]]}
    with pytest.raises(ValidationError) as error:
        record(ams, **overrides)
    assert messages_of(error.value) == {field: [message]}
    assert "123456782" not in str(error.value)
    assert not ProfileConsent.objects.exists()


@pytest.mark.django_db
def test_a_consent_on_another_regions_contract_is_refused(ams, world_b):
    with pytest.raises(ValidationError) as error:
        record(ams, region=world_b.region)
    assert error.value.messages == ["Dit contract hoort bij een andere regio."]
    assert not ProfileConsent.objects.exists()


@pytest.mark.django_db
def test_a_switch_from_last_year_needs_consent_this_year(ams):
    """P03-PER ended on 20-12-2025, P06-INT started on 05-01-2026 (16 days later): settlement
    of 2026 reads allocations from a month before January, so it sees the switch."""
    other = "99" * 32
    line(ams, "P03-PER", date(2025, 6, 2), date(2025, 12, 20), n=3, key=other)
    line(ams, "P06-INT", date(2026, 1, 5), None, n=4, key=other)
    before = settlement_for(ams.ams_contract, Q1)
    flags = before.flags_of("switch")
    assert [f.message for f in flags] == [
        "Gezin 999999999999: profielwissel van P03-PER (tot en met 20-12-2025) naar P06-INT "
        "(vanaf 05-01-2026) zonder vastgelegde instemming van de regisseur; de aanbieder moet "
        "de wissel aantonen. € 8.500,00 voor P06-INT ingehouden tot de regisseur instemt."
    ]
    # held: the world's own stacked family (P06-INT, 8.500) and this switch (P06-INT, 8.500)
    assert before.withheld == D("17000.00")
    record(
        ams,
        family="999999999999",
        kind=SWITCH,
        products=[ams.ams_products["P06-INT"]],
        valid_from=date(2026, 1, 5),
        valid_until=None,
    )
    settlement = settlement_for(ams.ams_contract, Q1)
    assert settlement.flags_of("switch") == []
    assert len(settlement.flags_of("switch_consented")) == 1
    # with the consent the switched-to profile is paid; only the family's stacking (the
    # world's own F1 family) is still held
    assert settlement.payable - before.payable == D("8500.00")


@pytest.mark.django_db
def test_profile_families_are_those_with_two_profiles(ams):
    line(ams, "P03-PER", date(2026, 2, 1), None, n=5, key="77" * 32)  # one profile only
    assert profile_families(ams.ams_contract) == {FAMILY: ["P03-PER", "P06-INT"]}


# --- pages ------------------------------------------------------------------------------------


def url(w, name, **kwargs):
    return reverse(name, kwargs={"region": w.region.slug, "pk": w.ams_contract.pk, **kwargs})


@pytest.mark.django_db
def test_settlement_signal_leads_to_a_prefilled_form_and_the_consent_is_listed(client, ams, users):
    client.force_login(users.contract_manager)
    page = client.get(
        url(ams, "contracts:contract-settlement"), {"year": 2026, "first_month": 1, "last_month": 3}
    )
    body = page.content.decode()
    [flag] = page.context["flags"]
    assert flag["kind"] == "stacking"
    create = url(ams, "contracts:profile-consent-create")
    assert flag["consent_url"] == (
        f"{create}?family={FAMILY}&kind=stapeling&products=P03-PER%2CP06-INT"
        "&valid_from=2026-03-01&valid_until=2026-03-31"
    )
    assert "Instemming vastleggen" in body
    form = client.get(flag["consent_url"]).context["form"]
    assert form.initial["family"] == FAMILY and form.initial["kind"] == STACKING
    assert [p.code for p in form.initial["products"]] == ["P03-PER", "P06-INT"]
    assert (form.initial["valid_from"], form.initial["valid_until"]) == (
        date(2026, 3, 1),
        date(2026, 3, 31),
    )
    assert form.fields["family"].choices[1:] == [(FAMILY, f"{FAMILY} (P03-PER, P06-INT)")]
    response = client.post(
        flag["consent_url"],
        {
            "family": FAMILY,
            "kind": STACKING,
            "products": [ams.ams_products["P03-PER"].pk, ams.ams_products["P06-INT"].pk],
            "given_on": "2026-02-20",
            "case_director": "J. de Vries, regisseur lokaal team",
            "reason": "Afgestemd en vastgelegd in het perspectiefplan.",
            "valid_from": "2026-03-01",
            "valid_until": "2026-03-31",
        },
    )
    assert response.status_code == 302
    assert response.url == ams.ams_contract.get_absolute_url() + "#instemmingen"
    given = ProfileConsent.objects.get()
    assert given.recorded_by == users.contract_manager
    assert {e.actor for e in LogEntry.objects.get_for_object(given)} == {users.contract_manager}
    page = client.get(
        url(ams, "contracts:contract-settlement"), {"year": 2026, "first_month": 1, "last_month": 3}
    )
    assert page.context["flags"] == []
    [note] = page.context["notes"]
    assert note["kind"] == "stacking_consented"
    assert "met instemming regisseur d.d. 20-02-2026" in page.content.decode()
    detail = client.get(ams.ams_contract.get_absolute_url()).content.decode()
    assert 'id="instemming-' in detail and "Afgestemd en vastgelegd" in detail
    assert "Intrekken" in detail


@pytest.mark.django_db
def test_a_form_refusal_is_shown_at_the_field(client, ams, users):
    client.force_login(users.officer)
    response = client.post(
        url(ams, "contracts:profile-consent-create"),
        {
            "family": FAMILY,
            "kind": STACKING,
            "products": [ams.ams_products["P03-PER"].pk, ams.ams_products["P06-INT"].pk],
            "given_on": "2026-02-20",
            "case_director": "J. de Vries",
            "reason": "",
            "valid_from": "2026-03-01",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [
        "Geef de reden van de instemming (verplicht)."
    ]
    assert not ProfileConsent.objects.exists()


@pytest.mark.django_db
def test_who_may_see_and_record_consents(client, ams, users, world_b):
    given = record(ams)
    create = url(ams, "contracts:profile-consent-create")
    revoke = url(ams, "contracts:profile-consent-revoke", consent=given.pk)
    settlement = url(ams, "contracts:contract-settlement") + "?year=2026&first_month=1&last_month=3"
    # a reader sees the consent but gets no action
    client.force_login(users.viewer)
    assert client.get(create).status_code == 403
    assert client.get(revoke).status_code == 403
    detail = client.get(ams.ams_contract.get_absolute_url()).content.decode()
    assert 'id="instemming-' in detail and revoke not in detail
    assert "Instemming vastleggen" not in client.get(settlement).content.decode()
    # the municipal user sees the consents of contracts it sees, and changes nothing
    client.force_login(users.municipal)
    assert 'id="instemming-' in client.get(ams.ams_contract.get_absolute_url()).content.decode()
    assert client.get(create).status_code == 403
    # another region: nothing
    client.force_login(users.other_region_officer)
    assert client.get(ams.ams_contract.get_absolute_url()).status_code == 404
    assert client.get(revoke).status_code == 404
    # the revoke form, for an editor
    client.force_login(users.officer)
    response = client.post(revoke, {"reason": "Regisseur trok de instemming in."})
    assert response.status_code == 302
    given.refresh_from_db()
    assert given.is_revoked and given.revoked_by == users.officer


@pytest.mark.django_db
def test_a_municipality_outside_the_segment_does_not_see_the_consents(client, ams, world_a):
    from tests.accounts.factories import municipal_user

    outside = municipal_user(world_a.other_municipality)  # takes no part in the segment
    record(ams)
    assert ProfileConsent.objects.visible_to(outside).count() == 0
    client.force_login(outside)
    assert client.get(ams.ams_contract.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_a_switch_signal_prefills_the_new_profile_and_the_consent_is_accepted(client, ams, users):
    other = "88" * 32
    line(ams, "P03-PER", date(2026, 1, 2), date(2026, 1, 20), n=6, key=other)
    line(ams, "P06-INT", date(2026, 2, 1), date(2026, 6, 30), n=7, key=other)
    client.force_login(users.officer)
    page = client.get(
        url(ams, "contracts:contract-settlement"), {"year": 2026, "first_month": 1, "last_month": 3}
    )
    [switch] = [f for f in page.context["flags"] if f["kind"] == "switch"]
    assert switch["label"] == "Profielwissel zonder instemming"
    create = url(ams, "contracts:profile-consent-create")
    assert switch["consent_url"] == (
        f"{create}?family=888888888888&kind=profielwissel&products=P06-INT"
        "&valid_from=2026-02-01&valid_until=2026-06-30"
    )
    response = client.post(
        switch["consent_url"],
        {
            "family": "888888888888",
            "kind": SWITCH,
            "products": [ams.ams_products["P06-INT"].pk],
            "given_on": "2026-01-25",
            "case_director": "A. Jansen, jeugdbeschermer GI",
            "reason": "Verkeerd ingeschaald; de aanbieder toonde de zwaardere zorgvraag aan.",
            "valid_from": "2026-02-01",
            "valid_until": "2026-06-30",
        },
    )
    assert response.status_code == 302
    page = client.get(
        url(ams, "contracts:contract-settlement"), {"year": 2026, "first_month": 1, "last_month": 3}
    )
    assert [f["kind"] for f in page.context["flags"]] == ["stacking"]  # the other family
    assert [n["kind"] for n in page.context["notes"]] == ["switch_consented"]
