"""The pages of the region's own KPIs (issue 17): define one, see its figures, change it (its
rollups follow), a refused definition shows why and saves nothing, measurement kinds, and a
segment that steers on it leads its dashboard with it. The world and its figures are those of
``tests.monitoring.test_region_kpis`` (read its docstring)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.roles import Role
from monitoring.imports.models import MeasurementKind
from monitoring.kpis import rollups
from monitoring.kpis import services as kpi_services
from monitoring.kpis.models import Grain, RegionKpi, RegionKpiRollup
from monitoring.steering.models import KpiNorm
from tests.accounts.factories import municipal_user, user_with_role
from tests.monitoring.test_rollups import FEB, MAR, build_kpi_world

pytestmark = pytest.mark.django_db

SHARE = {
    "name": "Volgens plan binnen 90 dagen",
    "code": "volgens-plan",
    "definition": "Aandeel beëindigd met reden 01 binnen 90 dagen.",
    "unit": "procent",
    "direction": "higher",
    "computation": "trajectory_share",
    "population": "ended",
    "end_reasons": ["01"],
    "max_duration_days": "90",
    "later": "",
    "scale": "1",
}


@pytest.fixture
def kw(db):
    w = build_kpi_world()
    rollups.refresh_region(w.region.pk, signals=False)
    return w


@pytest.fixture
def manager(kw, client):
    client.force_login(user_with_role(kw.region, Role.CONTRACT_MANAGER, username="carla"))
    return client


def url(kw, name, **kwargs):
    return reverse(f"monitoring:{name}", kwargs={"region": kw.region.slug, **kwargs})


def counts(kpi, month, grain=Grain.REGION, key="r"):
    row = RegionKpiRollup.objects.get(kpi=kpi, grain=grain, key=key, month=month)
    return (row.numerator, row.denominator)


def test_define_see_and_change_a_kpi(kw, manager):
    response = manager.post(url(kw, "regionkpi-create"), SHARE)
    kpi = RegionKpi.objects.get(region=kw.region, code="volgens-plan")
    assert response.status_code == 302 and response.url == kpi.get_absolute_url()
    assert counts(kpi, MAR) == (1, 3) and counts(kpi, FEB) == (1, 2)
    page = manager.get(kpi.get_absolute_url()).content.decode()
    assert "Volgens plan binnen 90 dagen" in page
    assert "33,3%" in page and "50%" in page  # March and February of the region
    assert "reden einde 01; duur hoogstens 90 dagen" in page  # the formula in words
    # reason 02 too: February's y9 (reason 02, 50 days) now counts
    response = manager.post(
        url(kw, "regionkpi-update", pk=kpi.pk), {**SHARE, "end_reasons": ["01", "02"]}
    )
    assert response.status_code == 302
    assert counts(kpi, FEB) == (2, 2)
    listing = manager.get(url(kw, "regionkpi-list")).content.decode()
    assert "volgens-plan" in listing and "Trajecten" not in listing.split("<table")[0]
    definitions = manager.get(url(kw, "definitions")).content.decode()
    assert "eigen KPI van de regio" in definitions and "Volgens plan binnen 90 dagen" in definitions


def test_a_refused_definition_says_why_and_saves_nothing(kw, manager):
    response = manager.post(
        url(kw, "regionkpi-create"),
        {
            **SHARE,
            "computation": "ratio",
            "numerator": "amount",
            "denominator": "amount",
            "unit": "aantal",
        },
    )
    assert response.status_code == 200
    assert "Teller en noemer zijn dezelfde maat" in response.content.decode()
    response = manager.post(
        url(kw, "regionkpi-create"), {**SHARE, "end_reasons": [], "max_duration_days": ""}
    )
    assert response.status_code == 200
    assert "minstens één voorwaarde" in response.content.decode()
    assert not RegionKpi.objects.exists()


def test_a_viewer_reads_but_cannot_define(kw, client):
    client.force_login(user_with_role(kw.region, Role.VIEWER, username="vera"))
    assert client.get(url(kw, "regionkpi-list")).status_code == 200
    assert client.post(url(kw, "regionkpi-create"), SHARE).status_code == 403
    assert not RegionKpi.objects.exists()


def test_a_municipality_gets_403_but_reads_the_definitions(kw, client):
    kpi_services.region_kpi_create(region=kw.region, **{**SHARE, "max_duration_days": 90})
    client.force_login(municipal_user(kw.m1, username="gerda"))
    assert client.get(url(kw, "regionkpi-list")).status_code == 403
    page = client.get(url(kw, "definitions")).content.decode()
    assert "Volgens plan binnen 90 dagen" in page


def test_measurement_kinds(kw, manager):
    response = manager.post(
        url(kw, "measurementkind-create"),
        {"name": "Veiligheid thuis", "code": "Veiligheid", "value_type": "number", "maximum": "10"},
    )
    assert response.status_code == 302
    kind = MeasurementKind.objects.get(region=kw.region)
    assert (kind.code, kind.maximum) == ("veiligheid", Decimal("10"))
    kpi_services.region_kpi_create(
        region=kw.region,
        code="veilig",
        name="Veiligheid",
        definition="Gemiddelde.",
        unit="cijfer",
        direction="higher",
        computation="measurement_average",
        measurement_kind=kind,
    )
    response = manager.post(url(kw, "measurementkind-delete", pk=kind.pk), follow=True)
    assert "KPI Veiligheid rekent met deze soort meting" in response.content.decode()
    assert MeasurementKind.objects.filter(pk=kind.pk).exists()


def test_norm_on_the_norms_page_and_the_segment_leads_with_its_steering_kpis(kw, manager):
    kpi = kpi_services.region_kpi_create(region=kw.region, **{**SHARE, "max_duration_days": 90})
    page = manager.get(url(kw, "norms") + f"?kpi={kpi.topic}").content.decode()
    assert f'<option value="{kpi.topic}" selected>Volgens plan binnen 90 dagen</option>' in page
    response = manager.post(
        url(kw, "norms"),
        {
            "form": "norm",
            "norm-segment": kw.s1.pk,
            "norm-kpi": kpi.topic,
            "norm-direction": "higher",
            "norm-norm": "70",
            "norm-amber_threshold": "60",
            "norm-red_threshold": "45",
            "norm-note": "",
        },
    )
    assert response.status_code == 302
    assert KpiNorm.objects.get(segment=kw.s1).kpi == kpi.topic
    response = manager.post(
        url(kw, "segment-steering", pk=kw.s1.pk), {"kpis": [kpi.topic, "dropout"]}
    )
    assert response.status_code == 302
    page = manager.get(url(kw, "segment", pk=kw.s1.pk)).content.decode()
    tiles = page.split('class="tiles"')[1]
    first, second = tiles.split('<li class="tile')[1:3]
    assert f'id="kpi-{kpi.topic}"' in first and "Sturingsdoel" in first
    assert 'id="kpi-dropout"' in second and "Sturingsdoel" in second
    assert "Dit segment stuurt op" in page
    # C1 and C2 of S1 in March: 1 of 3 ended as planned within 90 days (33,3%) against 70%
    assert "33,3%" in first


def test_in_a_large_region_the_kpi_page_shows_the_background_computation(
    kw, manager, settings, django_capture_on_commit_callbacks
):
    settings.REGION_KPI_SYNC_LINES = 5
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(url(kw, "regionkpi-create"), SHARE, follow=True)
    page = response.content.decode()  # rendered before the commit: the task is queued
    assert "worden op de achtergrond berekend" in page
    assert "Berekening van de KPI" in page and "staat in de wachtrij" in page
    kpi = RegionKpi.objects.get(region=kw.region)
    page = manager.get(kpi.get_absolute_url()).content.decode()  # after it ran
    assert "Klaar:" in page
    assert "33,3%" in page  # the figures are there once it is done


def test_a_measurement_average_links_to_its_own_measurements(kw, manager):
    """The figure of a measurement-average KPI links to the outcome lines of its kind only."""
    from datetime import date

    from monitoring.dashboards import selectors
    from monitoring.models import OutcomeMeasurement

    kind = kpi_services.measurement_kind_create(
        region=kw.region, code="school", name="Naar school", value_type="yes_no"
    )
    for n, value in enumerate(("1", "0", "1")):
        OutcomeMeasurement.objects.create(
            region=kw.region,
            contract=kw.c1,
            municipality=kw.m1,
            client_key=f"s{n}",
            reference=f"S{n}",
            moment="einde",
            measured_on=date(2025, 3, 10 + n),
            measurement_kind=kind,
            measurement_value=Decimal(value),
        )
    kpi = kpi_services.region_kpi_create(
        region=kw.region,
        code="school",
        name="Naar school",
        definition="Aandeel ja.",
        unit="procent",
        direction="higher",
        computation="measurement_average",
        measurement_kind=kind,
    )
    query = selectors.drill_query(selectors.Subject.region(kw.region), month=MAR, kpi=kpi.topic)
    assert query == {"soort": "uitkomsten", "maand": "2025-03", "meting": "school"}
    page = manager.get(url(kw, "lines"), query).content.decode()
    # the world's four other outcome measurements of March are not the KPI's
    assert "3 regels" in page and "met meting Naar school" in page
    assert page.count(">ja<") == 2 and page.count(">nee<") == 1
