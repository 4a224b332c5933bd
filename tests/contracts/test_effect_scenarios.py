"""Saved procurement-effect scenarios under another funding model: services and pages.

The world (tests/conftest.py build_contracts): contract ``world.con.contract`` with a PxQ
arrangement on ``world.product`` (unit 04 uur, regional tariff € 72,10 from 01-01-2026) and an
availability arrangement (4 places × € 1.000,00 a month on the etmaal product ``stay``).
Production Q1 2026: 10 hours a month of ``world.product`` (30 × € 72,10 = € 2.163,00) and
60 occupied days a month; the availability fee is 3 × 4 × € 1.000 = € 12.000,00. Here 20
trajectories of ``world.product`` start in Q1 2026. Every amount is computed by hand.
"""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts import services
from contracts.models import EffectScenario, EffectScenarioPrice
from monitoring.models import Trajectory

pytestmark = pytest.mark.django_db

Q1 = {"year": 2026, "first_month": 1, "last_month": 3}


def url(name, w, **kw):
    return reverse(f"contracts:{name}", kwargs={"region": w.region.slug, **kw})


@pytest.fixture
def trajectories(world_a):
    w = world_a
    for i in range(20):
        Trajectory.objects.create(
            region=w.region,
            contract=w.con.contract,
            municipality=w.municipality,
            product=w.product,
            client_key=f"{i:02d}" * 32,
            reference=f"T{i}",
            started_on=date(2026, 1, 5) + timedelta(days=4 * i),
        )
    # started in 2025: not paid again under output at the start
    Trajectory.objects.create(
        region=w.region,
        contract=w.con.contract,
        municipality=w.municipality,
        product=w.product,
        client_key="ff" * 32,
        reference="T-old",
        started_on=date(2025, 11, 1),
    )
    return w


def output_scenario(w, **overrides):
    fields = {
        "region": w.region,
        "name": "Vaste prijs per traject",
        "model": "output",
        **Q1,
        "products": [w.product],
        "prices": [{"product": w.product, "amount": Decimal("100.00")}],
    }
    return services.effect_scenario_create(**{**fields, **overrides})


# ---------------------------------------------------------------- services


def test_output_scenario_twenty_trajectories_against_their_pxq_declarations(
    client, trajectories, users
):
    w = trajectories
    scenario = output_scenario(w, user=users.contract_manager)
    assert scenario.created_by == users.contract_manager
    assert LogEntry.objects.get_for_object(scenario).exists()
    client.force_login(users.officer)
    response = client.get(url("effect-scenario-detail", w, pk=scenario.pk))
    total = response.context["total"]
    # now: 30 hours × € 72,10 = € 2.163,00 (the availability fee belongs to no product and is
    # left out of a product scope); alternative: 20 trajectories × € 100,00 = € 2.000,00
    assert total["current"] == Decimal("2163.00")
    assert total["alternative"] == Decimal("2000.00")
    assert total["difference"] == Decimal("-163.00")
    # -163 / 2.163 = -7,535…% → -7,5%
    assert total["pct"] == Decimal("-7.5")
    page = response.content.decode()
    code = w.product.code
    assert f"{code} Product A: 20 trajecten gestart × € 100,00 = € 2.000,00" in page
    assert f"{code} Product A: 30 uur × € 72,10 = € 2.163,00" in page
    assert "Niet meegeteld (hoort bij geen enkel product): Beschikbaarheid" in page


def test_a_segment_scenario_counts_the_whole_contract(client, trajectories, users):
    w = trajectories
    scenario = output_scenario(w, products=[], segment=w.segment)
    client.force_login(users.viewer)
    response = client.get(url("effect-scenario-detail", w, pk=scenario.pk))
    total = response.context["total"]
    # now € 2.163,00 + € 12.000,00 availability = € 14.163,00; under output € 2.000,00
    assert total["current"] == Decimal("14163.00")
    assert total["alternative"] == Decimal("2000.00")
    [provider] = response.context["by_provider"]
    assert provider["name"] == w.provider.name and provider["difference"] == Decimal("-12163.00")


def test_a_scenario_without_prices_for_its_products_is_refused_and_nothing_saved(trajectories):
    w = trajectories
    with pytest.raises(ValidationError) as refused:
        output_scenario(w, products=[], segment=w.segment, prices=[])
    [message] = refused.value.message_dict["prices"]
    assert w.product.code in message and "Product A" in message
    assert "er is niets opgeslagen" in message
    assert not EffectScenario.objects.exists() and not EffectScenarioPrice.objects.exists()


def test_pxq_scenario_needs_a_price_only_for_products_with_production(world_a):
    # The etmaal product has no declarations in Q1 2026: it needs no price.
    w = world_a
    scenario = services.effect_scenario_create(
        region=w.region,
        name="Andere tarieven",
        model="pxq",
        **Q1,
        segment=w.segment,
        prices=[{"product": w.product, "amount": Decimal("75.00")}],
    )
    assert scenario.prices.count() == 1


def test_task_scenario_needs_an_amount_per_provider_or_one_regional_sum(client, world_a, users):
    w = world_a
    with pytest.raises(ValidationError) as refused:
        services.effect_scenario_create(
            region=w.region, name="Lumpsum", model="task", **Q1, segment=w.segment
        )
    assert w.provider.name in refused.value.message_dict["prices"][0]
    assert not EffectScenario.objects.exists()
    scenario = services.effect_scenario_create(
        region=w.region,
        name="Lumpsum",
        model="task",
        **Q1,
        segment=w.segment,
        prices=[{"provider": w.provider, "amount": Decimal("50000.10")}],
    )
    client.force_login(users.officer)
    total = client.get(url("effect-scenario-detail", w, pk=scenario.pk)).context["total"]
    # € 50.000,10 × 3/12 = € 12.500,025 → € 12.500,03
    assert total["alternative"] == Decimal("12500.03")
    regional = services.effect_scenario_update(
        scenario=scenario, regional_amount=Decimal("120000"), prices=[]
    )
    total = client.get(url("effect-scenario-detail", w, pk=regional.pk)).context["total"]
    assert total["alternative"] == Decimal("30000.00")  # € 120.000 × 3/12, one provider


def test_availability_scenario_needs_places_and_a_fee(client, world_a, users):
    w = world_a
    with pytest.raises(ValidationError) as refused:
        services.effect_scenario_create(
            region=w.region,
            name="Beschikbaarheid",
            model="availability",
            **Q1,
            segment=w.segment,
            prices=[
                {"provider": w.provider, "amount": Decimal("900")},
                {"product": w.product, "amount": Decimal("70")},
            ],
        )
    assert "plaatsen" in refused.value.message_dict["prices"][0]
    scenario = services.effect_scenario_create(
        region=w.region,
        name="Beschikbaarheid",
        model="availability",
        **Q1,
        segment=w.segment,
        prices=[
            {"provider": w.provider, "amount": Decimal("900"), "places": 5},
            {"product": w.product, "amount": Decimal("70")},
        ],
    )
    client.force_login(users.officer)
    total = client.get(url("effect-scenario-detail", w, pk=scenario.pk)).context["total"]
    # 5 places × € 900 × 3 months = € 13.500 + 30 hours × € 70 = € 2.100 → € 15.600,00
    assert total["alternative"] == Decimal("15600.00")


def test_names_are_unique_and_rows_stay_in_the_region(world_a, world_b):
    w = world_a
    output_scenario(w)
    with pytest.raises(ValidationError) as refused:
        output_scenario(w)
    assert "name" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        output_scenario(
            w, name="Anders", prices=[{"product": world_b.product, "amount": Decimal("1")}]
        )
    assert "andere regio" in refused.value.message_dict["prices"][0]
    assert EffectScenario.objects.count() == 1


def test_update_replaces_the_rows_and_delete_removes_them(world_a):
    w = world_a
    scenario = output_scenario(w)
    services.effect_scenario_update(
        scenario=scenario,
        name="Duurder",
        prices=[{"product": w.product, "amount": Decimal("150.00")}],
    )
    scenario.refresh_from_db()
    assert scenario.name == "Duurder"
    assert [r.amount for r in scenario.prices.all()] == [Decimal("150.00")]
    services.effect_scenario_delete(scenario=scenario)
    assert not EffectScenario.objects.exists() and not EffectScenarioPrice.objects.exists()


# ---------------------------------------------------------------- pages


def form_data(w, **overrides):
    data = {
        "name": "Output via het scherm",
        "description": "",
        "segment": w.segment.pk,
        "model": "output",
        "output_payment": "start",
        "regional_amount": "",
        **{k: str(v) for k, v in Q1.items()},
        "prices-TOTAL_FORMS": "1",
        "prices-INITIAL_FORMS": "0",
        "prices-MIN_NUM_FORMS": "0",
        "prices-MAX_NUM_FORMS": "1000",
        "prices-0-product": w.product.pk,
        "prices-0-amount": "4500,00",
    }
    data.update(overrides)
    return data


def test_create_page_saves_and_shows_the_result(client, trajectories, users):
    w = trajectories
    client.force_login(users.contract_manager)
    response = client.post(url("effect-scenario-create", w), form_data(w))
    scenario = EffectScenario.objects.get()
    assert response.status_code == 302
    assert response.url == url("effect-scenario-detail", w, pk=scenario.pk)
    assert scenario.prices.get().amount == Decimal("4500.00")
    response = client.get(response.url)
    # 20 × € 4.500,00 = € 90.000,00 against € 14.163,00 now → + € 75.837,00
    assert response.context["total"]["difference"] == Decimal("75837.00")


def test_create_page_names_the_missing_prices_and_saves_nothing(client, trajectories, users):
    w = trajectories
    client.force_login(users.officer)
    response = client.post(
        url("effect-scenario-create", w),
        form_data(w, **{"prices-0-product": "", "prices-0-amount": ""}),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Geen prijs voor het product met productie in 01-01-2026 – 31-03-2026" in page
    assert w.product.code in page
    assert not EffectScenario.objects.exists()


def test_prefill_fills_the_rows_with_the_products_of_the_scope(client, world_a, users):
    w = world_a
    client.force_login(users.officer)
    data = form_data(w, name="", prefill="1", **{"prices-0-product": "", "prices-0-amount": ""})
    response = client.post(url("effect-scenario-create", w), data)
    assert response.status_code == 200
    formset = response.context["formset"]
    products = [f.initial.get("product") for f in formset.forms if f.initial]
    assert products == sorted([w.product, w.con.stay_product], key=lambda p: p.code)
    assert not EffectScenario.objects.exists()


def test_compare_shows_scenarios_side_by_side(client, trajectories, users):
    w = trajectories
    a = output_scenario(w)
    b = services.effect_scenario_create(
        region=w.region,
        name="PxQ € 75",
        model="pxq",
        **Q1,
        products=[w.product],
        prices=[{"product": w.product, "amount": Decimal("75.00")}],
    )
    client.force_login(users.viewer)
    response = client.get(url("effect-scenario-compare", w), {"scenarios": [a.pk, b.pk]})
    results = {r["scenario"].name: r["total"] for r in response.context["results"]}
    assert results["Vaste prijs per traject"]["alternative"] == Decimal("2000.00")
    assert results["PxQ € 75"]["alternative"] == Decimal("2250.00")  # 30 × € 75
    assert response.context["same_period"]
    [row] = response.context["provider_rows"]
    assert [c["difference"] for c in row["cells"]] == [Decimal("87.00"), Decimal("-163.00")]
    one = client.get(url("effect-scenario-compare", w), {"scenarios": [a.pk]})
    assert "Kies twee of drie scenario" in one.content.decode()


def test_csv_export_explains_and_keeps_formulas_text(client, trajectories, users):
    w = trajectories
    scenario = output_scenario(w, name="=HYPERLINK(1)")
    client.force_login(users.officer)
    response = client.get(url("effect-scenario-csv", w, pk=scenario.pk))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "scenario"
    total = next(r for r in rows[1:] if r[5] == "totaal")
    assert total[0] == "'=HYPERLINK(1)"
    assert total[6:9] == ["2163,00", "2000,00", "-163,00"]
    assert any("20 trajecten gestart" in r[9] for r in rows if r[5] == "alternatief")


def test_list_links_the_effect_page_and_the_scenarios(client, world_a, users):
    w = world_a
    scenario = output_scenario(w)
    client.force_login(users.viewer)
    page = client.get(url("effect-scenario-list", w)).content.decode()
    assert url("effect-scenario-detail", w, pk=scenario.pk) in page
    assert url("effect", w) in page
    assert url("effect-scenario-create", w) not in page  # a viewer makes none
    assert url("effect-scenario-list", w) in client.get(url("effect", w)).content.decode()


def test_viewer_cannot_delete_and_another_regions_scenario_is_hidden(
    client, world_a, world_b, users
):
    scenario = output_scenario(world_a)
    other = output_scenario(world_b)
    client.force_login(users.viewer)
    assert client.post(url("effect-scenario-delete", world_a, pk=scenario.pk)).status_code == 403
    assert EffectScenario.objects.filter(pk=scenario.pk).exists()
    client.force_login(users.officer)
    for name in ("effect-scenario-detail", "effect-scenario-csv", "effect-scenario-update"):
        assert client.get(url(name, world_a, pk=other.pk)).status_code == 404, name
    response = client.post(url("effect-scenario-delete", world_a, pk=scenario.pk))
    assert response.status_code == 302 and not EffectScenario.objects.filter(pk=scenario.pk)


def test_output_priced_per_profile_and_intensity(client, trajectories, users):
    from segments import services as segment_services

    w = trajectories
    profile = segment_services.support_profile_create(region=w.region, number=3, name="Herstel")
    intensity = segment_services.intensity_create(region=w.region, code="licht", name="Licht")
    w.product.support_profile, w.product.intensity = profile, intensity
    w.product.save(update_fields=["support_profile", "intensity"])
    scenario = output_scenario(
        w,
        prices=[{"support_profile": profile, "intensity": intensity, "amount": Decimal("250.00")}],
    )
    client.force_login(users.officer)
    total = client.get(url("effect-scenario-detail", w, pk=scenario.pk)).context["total"]
    assert total["alternative"] == Decimal("5000.00")  # 20 × € 250,00
    # A profile price belongs to output only.
    with pytest.raises(ValidationError) as refused:
        services.effect_scenario_update(scenario=scenario, model="pxq")
    assert "profiel" in refused.value.message_dict["prices"][0]


def test_a_row_with_an_amount_but_no_product_is_named(client, world_a, users):
    w = world_a
    client.force_login(users.officer)
    response = client.post(
        url("effect-scenario-create", w),
        form_data(w, **{"prices-0-product": "", "prices-0-amount": "12"}),
    )
    assert response.status_code == 200
    assert "Rij 1" in response.content.decode()
    assert "Kies het product, profiel of de aanbieder bij dit bedrag." in response.content.decode()
    assert not EffectScenario.objects.exists()
