import random
from datetime import date, timedelta

import pytest

from providers.admissibility import ScreeningFact, judge, judge_consortium
from providers.models import Provider
from providers.selectors import with_admissibility
from tests.providers.factories import (
    ConsortiumFactory,
    MembershipFactory,
    ProviderFactory,
    ScreeningFactory,
    screen_fully,
)

TODAY = date(2026, 6, 1)


def facts(**overrides):
    base = {
        k: ScreeningFact(k, "passed", date(2026, 1, 1), date(2027, 1, 1))
        for k in ("bibob", "vog", "quality", "financial")
    }
    base.update(overrides)
    return [f for f in base.values() if f is not None]


def test_all_current_and_passed_is_admissible():
    judgement = judge(facts(), TODAY)
    assert judgement.admissible and judgement.reasons == ()


def test_each_shortfall_is_named():
    judgement = judge(
        facts(
            bibob=None,
            vog=ScreeningFact("vog", "passed", date(2024, 1, 1), date(2026, 5, 31)),
            quality=ScreeningFact("quality", "pending", date(2026, 5, 1), None),
            financial=ScreeningFact("financial", "failed", date(2026, 5, 1), None),
        ),
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
    older_fail = ScreeningFact("financial", "failed", date(2025, 1, 1), None)
    newer_pass = ScreeningFact("financial", "passed", date(2026, 1, 1), TODAY)
    assert judge(facts(financial=newer_pass) + [older_fail], TODAY).admissible
    assert not judge(
        facts(financial=newer_pass) + [older_fail], TODAY + timedelta(days=1)
    ).admissible


def test_consortium_needs_a_lead_and_admissible_members():
    ok = judge(facts(), TODAY)
    bad = judge(facts(bibob=None), TODAY)
    assert judge_consortium({"A": ok, "B": ok}, has_lead=True).admissible
    no_lead = judge_consortium({"A": ok}, has_lead=False)
    assert not no_lead.admissible and "hoofdaannemer" in no_lead.reasons[0]
    with_bad = judge_consortium({"A": ok, "B": bad}, has_lead=True)
    assert with_bad.reasons == ("B: Integriteit (Bibob): geen screening vastgelegd",)


@pytest.mark.django_db
def test_database_verdict_equals_the_python_verdict_on_random_data():
    """The list filter (SQL) and the detail page (Python) must never disagree."""
    rng = random.Random(7)
    today = date.today()
    organisations = []
    for _ in range(40):
        provider = ProviderFactory()
        for kind in rng.sample(["bibob", "vog", "quality", "financial"], k=rng.randint(2, 4)):
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
        screen_fully(
            provider, **{k: {"date": today} for k in ("bibob", "vog", "quality", "financial")}
        )
    for index in range(6):
        consortium = ConsortiumFactory(region=organisations[0].region)
        members = rng.sample(organisations, k=3)
        for position, member in enumerate(members):
            Provider.objects.filter(pk=member.pk).update(region=consortium.region)
            MembershipFactory(
                consortium=consortium, member=member, is_lead=position == 0 and index % 3 != 0
            )
    annotated = {p.pk: p.is_admissible for p in with_admissibility(Provider.objects.all(), today)}
    assert any(annotated.values()) and not all(annotated.values())
    for provider in Provider.objects.all():
        assert annotated[provider.pk] == provider.admissibility(today).admissible, provider
