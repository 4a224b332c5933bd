import random
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from providers.admissibility import (
    Instrument,
    KindRule,
    ScreeningFact,
    judge,
    judge_consortium,
    valid_until_for,
)
from providers.models import Provider
from providers.selectors import with_admissibility
from tests.providers.factories import (
    ConsortiumFactory,
    MembershipFactory,
    ProviderFactory,
    ScreeningFactory,
    ScreeningKindFactory,
    screen_fully,
    standard_instrument,
)
from tests.segments.factories import RegionFactory, SegmentFactory

TODAY = date(2026, 6, 1)
BIBOB, VOG, QUALITY, FINANCIAL = (
    KindRule(1, "Integriteit (Bibob)"),
    KindRule(2, "Verklaring omtrent gedrag (VOG)"),
    KindRule(3, "Kwaliteit"),
    KindRule(4, "Financiële gezondheid"),
)
FOUR = (BIBOB, VOG, QUALITY, FINANCIAL)


def facts(**overrides):
    base = {k.name: ScreeningFact(k.id, "passed", date(2026, 1, 1), date(2027, 1, 1)) for k in FOUR}
    base.update(
        {next(k.name for k in FOUR if k.id == i): f for i, f in overrides.get("by_id", {}).items()}
    )
    return [f for f in base.values() if f is not None]


def test_all_current_and_passed_is_admissible():
    judgement = judge(facts(), FOUR, TODAY)
    assert judgement.admissible and judgement.reasons == ()


def test_each_shortfall_is_named_by_the_kinds_name():
    judgement = judge(
        facts(
            by_id={
                1: None,
                2: ScreeningFact(2, "passed", date(2024, 1, 1), date(2026, 5, 31)),
                3: ScreeningFact(3, "pending", date(2026, 5, 1), None),
                4: ScreeningFact(4, "failed", date(2026, 5, 1), None),
            }
        ),
        FOUR,
        TODAY,
    )
    assert not judgement.admissible
    assert judgement.reasons == (
        "Integriteit (Bibob): geen screening vastgelegd",
        "Verklaring omtrent gedrag (VOG): verlopen op 31-05-2026",
        "Kwaliteit: nog in behandeling",
        "Financiële gezondheid: voldoet niet",
    )


def test_valid_until_today_still_counts_and_the_latest_screening_wins():
    older_fail = ScreeningFact(4, "failed", date(2025, 1, 1), None)
    newer_pass = ScreeningFact(4, "passed", date(2026, 1, 1), TODAY)
    assert judge(facts(by_id={4: newer_pass}) + [older_fail], FOUR, TODAY).admissible
    assert not judge(
        facts(by_id={4: newer_pass}) + [older_fail], FOUR, TODAY + timedelta(days=1)
    ).admissible
    # same date: the later record (higher id) wins
    same_day = [
        ScreeningFact(4, "passed", date(2026, 1, 1), None, id=5),
        ScreeningFact(4, "failed", date(2026, 1, 1), None, id=9),
    ]
    assert not judge(same_day, [FINANCIAL], TODAY).admissible


def test_only_required_kinds_count():
    """A kind the region does not require is no reason, whatever its screening says."""
    screenings = [ScreeningFact(1, "passed", date(2026, 1, 1), None)]
    assert judge(screenings, [BIBOB], TODAY).admissible
    assert judge([], [], TODAY).admissible  # a region without required kinds


def test_region_wide_and_per_segment_requirements_with_ancestors():
    # segment tree: 10 (root) → 11 (sub) → 12 (sub-sub); 20 a second root
    parents = {10: None, 11: 10, 12: 11, 20: None}
    bibob = KindRule(1, "Bibob", requirement="all")
    visit = KindRule(2, "Kwaliteitsbezoek", requirement="segments", segment_ids=frozenset({11}))
    spare = KindRule(3, "Extra", requirement="none")
    retired = KindRule(4, "Oud", requirement="all", active=False)
    instrument = Instrument(kinds=(bibob, visit, spare, retired), parents=parents)
    assert instrument.lineage(12) == (12, 11, 10)
    assert instrument.required() == (bibob,)
    assert instrument.required(10) == (bibob,)
    assert instrument.required(11) == (bibob, visit)
    assert instrument.required(12) == (bibob, visit)  # inherited from the ancestor 11
    assert instrument.required(20) == (bibob,)
    assert instrument.segments_with_extra_requirements() == (11,)
    only_bibob = [ScreeningFact(1, "passed", date(2026, 1, 1), None)]
    assert judge(only_bibob, instrument.required(), TODAY).admissible
    reasons = judge(only_bibob, instrument.required(12), TODAY).reasons
    assert reasons == ("Kwaliteitsbezoek: geen screening vastgelegd",)
    # a retired kind is required nowhere, not even for a segment it once named
    old_visit = KindRule(2, "Kwaliteitsbezoek", "segments", frozenset({11}), active=False)
    assert Instrument(kinds=(bibob, old_visit), parents=parents).required(12) == (bibob,)


def test_validity_in_months():
    assert valid_until_for(date(2026, 1, 15), 24) == date(2028, 1, 14)
    assert valid_until_for(date(2026, 1, 31), 1) == date(2026, 2, 27)
    assert valid_until_for(date(2026, 1, 15), None) is None


def test_consortium_needs_a_lead_and_admissible_members():
    ok = judge(facts(), FOUR, TODAY)
    bad = judge(facts(by_id={1: None}), FOUR, TODAY)
    assert judge_consortium({"A": ok, "B": ok}, has_lead=True).admissible
    no_lead = judge_consortium({"A": ok}, has_lead=False)
    assert not no_lead.admissible and "hoofdaannemer" in no_lead.reasons[0]
    with_bad = judge_consortium({"A": ok, "B": bad}, has_lead=True)
    assert with_bad.reasons == ("B: Integriteit (Bibob): geen screening vastgelegd",)


def _random_population(rng, region, today, codes):
    organisations = []
    for _ in range(30):
        provider = ProviderFactory(region=region)
        for kind in rng.sample(codes, k=rng.randint(1, len(codes))):
            for _n in range(rng.randint(1, 2)):
                screened = today - timedelta(days=rng.randint(0, 900))
                ScreeningFactory(
                    provider=provider,
                    kind=kind,
                    status=rng.choice(["passed", "passed", "passed", "failed", "pending"]),
                    date=screened,
                    valid_until=rng.choice([None, screened + timedelta(days=rng.randint(0, 1000))]),
                )
        organisations.append(provider)
    for provider in organisations[:5]:
        for kind in codes:
            ScreeningFactory(provider=provider, kind=kind, date=today, valid_until=None)
    for index in range(5):
        consortium = ConsortiumFactory(region=region)
        for position, member in enumerate(rng.sample(organisations, k=3)):
            MembershipFactory(
                consortium=consortium, member=member, is_lead=position == 0 and index % 3 != 0
            )
    return organisations


@pytest.mark.django_db
def test_database_verdict_equals_the_python_verdict_on_mixed_regions_and_segments():
    """The list filter (SQL) and the detail page (Python) never disagree: over two regions
    with different instruments (one per-segment kind, one retired kind), region-wide and per
    segment, in one list spanning both regions (as a superuser's)."""
    rng = random.Random(7)
    today = date.today()
    standard = RegionFactory()
    standard_instrument(standard)
    own = RegionFactory()
    root = SegmentFactory(region=own, code="1")
    sub = SegmentFactory(region=own, parent=root, code="1a")
    other_root = SegmentFactory(region=own, code="2")
    ScreeningKindFactory(region=own, code="bibob-eigen", name="Bibob", requirement="all")
    ScreeningKindFactory(
        region=own,
        code="bezoek",
        name="Kwaliteitsbezoek",
        requirement="segments",
        for_segments=[root],
    )
    ScreeningKindFactory(region=own, code="oud", name="Oud", requirement="all", active=False)
    ScreeningKindFactory(region=own, code="vrij", name="Vrijwillig", requirement="none")
    _random_population(rng, standard, today, ["bibob", "vog", "quality", "financial"])
    _random_population(rng, own, today, ["bibob-eigen", "bezoek", "oud", "vrij"])

    with CaptureQueriesContext(connection) as queries:
        annotated = {
            p.pk: p.is_admissible for p in with_admissibility(Provider.objects.all(), today)
        }
    assert len(queries) == 1  # one query, whatever the number of regions and kinds
    assert any(annotated.values()) and not all(annotated.values())
    for provider in Provider.objects.all():
        assert annotated[provider.pk] == provider.admissibility(today).admissible, provider
    for segment in (root, sub, other_root):
        per_segment = {
            p.pk: p.is_admissible
            for p in with_admissibility(Provider.objects.filter(region=own), today, segment=segment)
        }
        for provider in Provider.objects.filter(region=own):
            python = provider.admissibility(today, segment=segment).admissible
            assert per_segment[provider.pk] == python, (provider, segment)
    # the per-segment requirement bites somewhere: fewer admissible for the root than region-wide
    region_wide = sum(annotated[p.pk] for p in Provider.objects.filter(region=own))
    for_root = sum(
        p.is_admissible
        for p in with_admissibility(Provider.objects.filter(region=own), today, segment=root)
    )
    assert for_root < region_wide


@pytest.mark.django_db
def test_a_region_with_bibob_for_all_and_a_visit_only_for_one_segment():
    """The issue's region: Bibob for every provider, an on-site quality visit only for
    segment X, no VOG. A provider with only those passes region-wide and for X; without the
    visit it passes region-wide but not for X (nor for X's sub-segment)."""
    region = RegionFactory()
    x = SegmentFactory(region=region, code="X")
    x_sub = SegmentFactory(region=region, parent=x, code="X1")
    y = SegmentFactory(region=region, code="Y")
    ScreeningKindFactory(region=region, code="integriteit", name="Bibob-toets", requirement="all")
    ScreeningKindFactory(
        region=region,
        code="bezoek",
        name="Kwaliteitsbezoek op locatie",
        requirement="segments",
        for_segments=[x],
    )
    complete = ProviderFactory(region=region)
    ScreeningFactory(provider=complete, kind="integriteit")
    ScreeningFactory(provider=complete, kind="bezoek")
    without_visit = ProviderFactory(region=region)
    ScreeningFactory(provider=without_visit, kind="integriteit")

    assert complete.admissibility().admissible
    assert complete.admissibility(segment=x).admissible
    assert without_visit.admissibility().admissible
    assert without_visit.admissibility(segment=y).admissible
    for segment in (x, x_sub):
        judgement = without_visit.admissibility(segment=segment)
        assert judgement.reasons == ("Kwaliteitsbezoek op locatie: geen screening vastgelegd",)
    listed = {
        p.pk: p.is_admissible
        for p in with_admissibility(Provider.objects.filter(region=region), segment=x_sub)
    }
    assert listed == {complete.pk: True, without_visit.pk: False}
    assert all(p.is_admissible for p in with_admissibility(Provider.objects.filter(region=region)))


@pytest.mark.django_db
def test_expired_and_retired():
    region = RegionFactory()
    bibob = ScreeningKindFactory(region=region, code="bibob", name="Bibob", requirement="all")
    provider = ProviderFactory(region=region)
    ScreeningFactory(
        provider=provider, kind=bibob, date=date(2024, 1, 1), valid_until=date(2025, 12, 31)
    )
    assert provider.admissibility(date(2025, 12, 31)).admissible
    assert provider.admissibility(date(2026, 1, 1)).reasons == ("Bibob: verlopen op 31-12-2025",)
    bibob.active = False
    bibob.save()
    assert provider.admissibility(date(2026, 1, 1)).admissible
    assert (
        with_admissibility(Provider.objects.filter(pk=provider.pk), date(2026, 1, 1))
        .get()
        .is_admissible
    )


@pytest.mark.django_db
def test_screen_fully_makes_a_provider_admissible():
    provider = screen_fully(ProviderFactory())
    assert provider.admissibility().admissible
