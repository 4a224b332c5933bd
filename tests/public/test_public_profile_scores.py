"""Goal realisation and client experience per provider × support profile × intensity on the
public results page (seed 004: "de scores per aanbieder per profiel per intensiteit"), from the
outcome measurements linked to the youths' trajectories, small cells suppressed
(monitoring.dashboards.public, docs/public.md). Threshold 10 (tests/public/conftest.py)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring.dashboards.public import (
    END_MEASUREMENT_DAYS,
    Cell,
    Period,
    ProfileRow,
    _hide_one_more_mean,
    linked_measurements,
    mean_cell,
)
from monitoring.kpis.definitions import Measures
from monitoring.kpis.models import KpiRollup
from monitoring.models import OutcomeMeasurement, Trajectory
from segments.models import Intensity, SupportProfile
from tests.public.test_public_pages import row
from tests.segments.factories import ProductFactory

MARCH = Period.month(date(2026, 3, 1))
HIDDEN = "te weinig jeugdigen"


@pytest.fixture
def products(public_world, world_a):
    """Profile 1 "Licht" with the intensities Perspectief and Intensief, profile 2 "Zwaar"
    with Intensief: one product each (a product is one profile × intensity)."""
    region = world_a.region
    light = SupportProfile.objects.create(region=region, number=1, name="Licht")
    heavy = SupportProfile.objects.create(region=region, number=2, name="Zwaar")
    perspective = Intensity.objects.create(
        region=region, code="perspectief", name="Perspectief", position=1
    )
    intensive = Intensity.objects.create(
        region=region, code="intensief", name="Intensief", position=2
    )

    def product(profile, intensity):
        return ProductFactory(
            region=region,
            care_form=world_a.product.care_form,
            support_profile=profile,
            intensity=intensity,
        )

    return {
        "A": product(light, perspective),  # "1. Licht|Perspectief"
        "C": product(light, intensive),  # "1. Licht|Intensief"
        "D": product(heavy, intensive),  # "2. Zwaar|Intensief"
    }


def trajectory(world, contract, product, key, started, ended=None, reason="01"):
    return Trajectory.objects.create(
        region=world.region,
        contract=contract,
        municipality=world.municipality,
        product=product,
        client_key=key,
        reference=f"T-{key}-{product.pk}-{started}",
        started_on=started,
        ended_on=ended,
        end_reason=reason if ended else "",
    )


def measurement(world, contract, key, day, goal=None, grade=None, moment="einde"):
    return OutcomeMeasurement.objects.create(
        region=world.region,
        contract=contract,
        municipality=world.municipality,
        client_key=key,
        reference=f"O-{key}-{day}-{moment}",
        moment=moment,
        measured_on=day,
        goal_realisation=goal,
        client_experience=grade,
    )


def cell_of(world, contract, product, prefix, youths, goals, grades=None):
    """``youths`` youths with a trajectory of ``product`` ended on 10 March 2026 (as planned)
    and an end measurement five days later with the goal realisations ``goals`` (one per
    measured youth) and grades ``grades``."""
    grades = grades or [None] * len(goals)
    for n in range(youths):
        key = f"{prefix}{n}"
        trajectory(world, contract, product, key, date(2026, 1, 15), date(2026, 3, 10))
        if n < len(goals):
            measurement(world, contract, key, date(2026, 3, 15), goals[n], grades[n])


def profile_row(body: str, provider: str, profile: str, intensity: str) -> list[str]:
    """The cells (as text) of ``provider``'s profile table's row of profile × intensity."""
    caption = re.escape(f"{provider}: per profiel en intensiteit")
    table = re.search(rf"<caption>{caption}.*?</table>", body, re.S)
    assert table, provider
    match = re.search(
        rf'<tr data-profile="{re.escape(profile)}\|{re.escape(intensity)}">(.*?)</tr>',
        table[0],
        re.S,
    )
    assert match, (provider, profile, intensity)
    return [c.strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", match[1], re.S)]


def outcomes_page(client, world_a, **params):
    page = reverse("public:outcomes", kwargs={"region": world_a.region.slug})
    return client.get(page, {"periode": "2026-03", **params}).content.decode()


@pytest.mark.django_db
def test_a_cell_of_ten_youths_shows_the_exact_means_and_one_of_nine_nothing(
    client, public_world, world_a, products
):
    near = world_a.con.contract
    # 10 youths: goals 50, 52, … 68 (mean 59), grades five 7s and five 8s (mean 7.5)
    cell_of(
        world_a, near, products["A"], "a", 10, [50 + 2 * n for n in range(10)], [7] * 5 + [8] * 5
    )
    # a measurement of no trajectory of the provider counts for the provider only
    measurement(world_a, near, "unknown", date(2026, 3, 15), 0, 1)
    # a start measurement is no end measurement
    measurement(world_a, near, "a0", date(2026, 3, 2), 0, 1, moment="start")
    # 9 youths of another provider, every one measured: no figure at all
    cell_of(world_a, public_world.far_contract, products["A"], "f", 9, [90] * 9, [9] * 9)

    body = outcomes_page(client, world_a)
    assert profile_row(body, "Zorg A Dichtbij", "1. Licht", "Perspectief") == [
        "1. Licht",
        "Perspectief",
        "10",
        "0%",  # 10 ended as planned
        "59%",
        "7,5",
    ]
    assert profile_row(body, "Zorg A Veraf", "1. Licht", "Perspectief")[2:] == [HIDDEN] * 4
    assert "90%" not in body and ">9<" not in body
    # the table says what the columns are
    assert "Doelrealisatie (%)" in body and "Cliëntervaring" in body


@pytest.mark.django_db
def test_the_profile_download_holds_the_scores_as_the_page(client, public_world, world_a, products):
    from tests.test_exports import csv_rows

    near = world_a.con.contract
    cell_of(
        world_a, near, products["A"], "a", 10, [50 + 2 * n for n in range(10)], [7] * 5 + [8] * 5
    )
    cell_of(world_a, public_world.far_contract, products["A"], "f", 9, [90] * 9, [9] * 9)
    page = reverse("public:outcomes", kwargs={"region": world_a.region.slug})
    header, *lines = csv_rows(
        client.get(page, {"periode": "2026-03", "export": "csv", "tabel": "profielen"})
    )
    assert header == [
        "Aanbieder",
        "Ondersteuningsprofiel",
        "Intensiteit",
        "Jeugdigen",
        "Uitval (%)",
        "Doelrealisatie (%)",
        "Cliëntervaring (rapportcijfer)",
    ]
    by_provider = {line[0]: line for line in lines if line[1:3] == ["1. Licht", "Perspectief"]}
    assert by_provider["Zorg A Dichtbij"][3:] == ["10", "0,0", "59,0", "7,5"]
    assert by_provider["Zorg A Veraf"][3:] == [HIDDEN] * 4


@pytest.mark.django_db
def test_one_hidden_mean_of_a_provider_hides_the_shown_mean_with_fewest_measurements(
    client, public_world, world_a, products
):
    near = world_a.con.contract
    # A: 12 youths, 10 measured (mean 60); C: 11 youths, 11 measured (mean 80);
    # D: 9 youths, 9 measured — hidden, so one more mean and one more count must go
    cell_of(world_a, near, products["A"], "a", 12, [60] * 10, [6] * 10)
    cell_of(world_a, near, products["C"], "c", 11, [80] * 11, [8] * 11)
    cell_of(world_a, near, products["D"], "d", 9, [40] * 9, [5] * 9)
    # the provider's own means (from its rollup) are shown: 30 grades, mean 6.4
    KpiRollup.objects.filter(provider=world_a.provider).update(
        experience_sum=Decimal("192.0"), experience_count=30
    )

    body = outcomes_page(client, world_a)
    assert row(body, "Zorg A Dichtbij")[3:] == ["70%", "6,4"]
    a = profile_row(body, "Zorg A Dichtbij", "1. Licht", "Perspectief")
    c = profile_row(body, "Zorg A Dichtbij", "1. Licht", "Intensief")
    d = profile_row(body, "Zorg A Dichtbij", "2. Zwaar", "Intensief")
    assert d[2:] == [HIDDEN] * 4
    # the youths: the smallest shown count (C, 11) goes; A's 12 stays
    assert (a[2], c[2]) == ("12", HIDDEN)
    # the means: the one with the fewest measurements (A, 10) goes; C's 80% and 8 stay
    assert a[4:] == [HIDDEN, HIDDEN]
    assert c[4:] == ["80%", "8"]
    assert "60%" not in body and "40%" not in body and ">6<" not in body


@pytest.mark.django_db
def test_a_measurement_belongs_to_the_one_trajectory_covering_its_date(
    public_world, world_a, products
):
    near, far = world_a.con.contract, public_world.far_contract
    a, c = products["A"], products["C"]
    # y: ended 1 March, measured 19 days later: A's
    trajectory(world_a, near, a, "y", date(2026, 1, 5), date(2026, 3, 1))
    measurement(world_a, near, "y", date(2026, 3, 20), Decimal("75.0"), Decimal("7.0"))
    # o: open trajectory, measured while it runs: A's
    trajectory(world_a, near, a, "o", date(2026, 2, 1))
    measurement(world_a, near, "o", date(2026, 3, 3), Decimal("65.0"))
    # x: stepped down from A to C before the end measurement: two products, no cell
    trajectory(world_a, near, a, "x", date(2026, 1, 5), date(2026, 3, 5))
    trajectory(world_a, near, c, "x", date(2026, 3, 6))
    measurement(world_a, near, "x", date(2026, 3, 10), Decimal("10.0"))
    # z: ended more than END_MEASUREMENT_DAYS before the measurement: no trajectory
    trajectory(world_a, near, a, "z", date(2025, 11, 1), date(2026, 1, 20))
    assert (date(2026, 3, 1) - date(2026, 1, 20)).days > END_MEASUREMENT_DAYS
    measurement(world_a, near, "z", date(2026, 3, 1), Decimal("10.0"))
    # w: measured under another contract than the trajectory's: no trajectory
    trajectory(world_a, near, a, "w", date(2026, 1, 5), date(2026, 3, 1))
    measurement(world_a, far, "w", date(2026, 3, 2), Decimal("10.0"))
    # s: measured before the trajectory started: no trajectory
    trajectory(world_a, near, c, "s", date(2026, 3, 20))
    measurement(world_a, near, "s", date(2026, 3, 19), Decimal("10.0"))
    # an inactive (corrected) trajectory links nothing
    old = trajectory(world_a, near, c, "i", date(2026, 2, 1))
    Trajectory.objects.filter(pk=old.pk).update(active=False)
    measurement(world_a, near, "i", date(2026, 3, 4), Decimal("10.0"))

    rows = list(linked_measurements(world_a.region, MARCH))
    assert rows == [
        {
            "contract__provider": world_a.provider.pk,
            "product": a.pk,
            "goal_sum": Decimal("140.0"),
            "goal_count": 2,
            "goal_youths": 2,
            "experience_sum": Decimal("7.0"),
            "experience_count": 1,
            "experience_youths": 1,
        }
    ]
    # another period: none of them
    assert not list(linked_measurements(world_a.region, Period.month(date(2026, 4, 1))))


def test_a_mean_of_a_cell_needs_as_many_measured_youths_as_the_threshold():
    ten = Measures(goal_sum=600, goal_count=10)
    assert mean_cell("goal_realisation", ten, 12, 10, 10).text == "60%"
    # 10 measurements of 9 youths (one measured twice): not shown
    assert mean_cell("goal_realisation", ten, 12, 9, 10).hidden
    # 9 youths in the cell: not shown either
    assert mean_cell("goal_realisation", ten, 9, 10, 10).hidden
    assert mean_cell("goal_realisation", Measures(), 12, 0, 10).text == "–"


def test_secondary_suppression_of_a_mean():
    def row(name, measured, shown):
        goal = Cell(Decimal(70), "procent") if shown else Cell(None, "procent", hidden=True)
        r = ProfileRow(name, "Intensief", Cell(20, "aantal"), Cell(None, "procent"), 20, goal)
        r.measured = {"goal": measured}
        return r

    rows = [row("1", 30, True), row("2", 12, True), row("3", 4, False)]
    _hide_one_more_mean(rows, "goal")
    assert [r.goal.hidden for r in rows] == [False, True, True]
    # a hidden cell without measurements gives nothing away
    rows = [row("1", 30, True), row("2", 12, True), row("3", 0, False)]
    _hide_one_more_mean(rows, "goal")
    assert [r.goal.hidden for r in rows] == [False, False, True]
    # two hidden: their sum is all the rest gives away
    rows = [row("1", 30, True), row("2", 3, False), row("3", 4, False)]
    _hide_one_more_mean(rows, "goal")
    assert [r.goal.hidden for r in rows] == [False, True, True]


@pytest.mark.django_db
def test_the_profile_scores_cost_one_query(
    client, public_world, world_a, products, django_assert_max_num_queries
):
    near = world_a.con.contract
    for key, product in (("a", "A"), ("c", "C"), ("d", "D")):
        cell_of(world_a, near, products[product], key, 10, [70] * 10, [7] * 10)
    page = reverse("public:outcomes", kwargs={"region": world_a.region.slug})
    # region, periods, providers, rollups, youths, cells, linked measurements, profiles,
    # intensities: one more than without profiles (tests/public/test_public_pages.py)
    with django_assert_max_num_queries(9):
        assert client.get(page, {"periode": "2026-03"}).status_code == 200


@pytest.mark.django_db
def test_a_corrected_trajectory_counts_once(client, public_world, world_a, products):
    """A correction replaces its line (the old one is inactive): the youths and the ended
    trajectories behind drop-out count the active lines only, as the KPIs do."""
    near = world_a.con.contract
    cell_of(world_a, near, products["A"], "a", 10, [60] * 10, [7] * 10)
    # one youth's trajectory was corrected: its old line (ended early, a drop-out) is inactive
    old = trajectory(world_a, near, products["A"], "a0", date(2026, 1, 2), date(2026, 3, 5), "03")
    Trajectory.objects.filter(pk=old.pk).update(active=False)
    body = outcomes_page(client, world_a)
    cells = profile_row(body, "Zorg A Dichtbij", "1. Licht", "Perspectief")
    assert cells[2:4] == ["10", "0%"]  # 10 youths, none dropped out: the inactive line is gone
