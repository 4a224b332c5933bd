"""Tariff, settlement and procurement-effect pages, at HTTP level.

The world (tests/conftest.py build_contracts): contract ``world.con.contract`` from 01-01-2025
with a PxQ arrangement on ``world.product`` (unit 04 uur; regional tariff € 70,00 in 2025 and
€ 72,10 from 01-01-2026) and an availability arrangement (4 places × € 1.000,00 a month,
occupancy threshold 50%, on the etmaal product ``stay_product`` with the contract's own tariff
€ 150,00). Production Q1 2026: 10 hours of ``world.product`` and 60 occupied days per month;
no declarations of the etmaal product. Every expected amount is computed by hand next to it.
"""

import csv
import html
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts import services
from contracts.models import TariffIndexation, TariffVersion
from monitoring.kpis.rollups import refresh_settlement
from monitoring.models import Declaration, Occupancy
from tests.segments.factories import CareFormFactory, ProductFactory

pytestmark = pytest.mark.django_db

Q1_2026 = {"year": 2026, "first_month": 1, "last_month": 3}


def url(name, w, **kw):
    return reverse(f"contracts:{name}", kwargs={"region": w.region.slug, **kw})


def text(response) -> str:
    """The page's main content as plain text (tags stripped, whitespace collapsed)."""
    body = response.content.decode()
    main = body.split('<main id="main"', 1)[-1].split("</main>", 1)[0]
    plain = html.unescape(re.sub(r"<[^>]+>", " ", main))
    return re.sub(r"\s+", " ", plain)


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def contract_path(w) -> str:
    return f"/regios/{w.region.slug}/contracten/{w.con.contract.pk}/"


# ---------------------------------------------------------------- tariff list and detail


def test_tariff_list_shows_versions_valid_on_a_day_and_the_history(client, world_a, users):
    client.force_login(users.officer)
    code = world_a.product.code
    page = text(client.get(url("tariff-list", world_a), {"valid_on": "2025-06-01"}))
    assert f"{code} Product A" in page and "€ 70,00" in page and "€ 72,10" not in page
    assert "regionaal" in page and "31-12-2025" in page
    # The contract's own etmaal tariff, with its contract.
    assert "€ 150,00" in page and world_a.con.contract.reference in page
    history = text(client.get(url("tariff-list", world_a), {"versions": "all"}))
    assert "€ 70,00" in history and "€ 72,10" in history and "doorlopend" in history
    assert "3 tariefversies" in history
    regional = text(
        client.get(url("tariff-list", world_a), {"versions": "all", "kind": "regional"})
    )
    assert "€ 150,00" not in regional and "2 tariefversies" in regional
    contract_only = text(
        client.get(url("tariff-list", world_a), {"valid_on": "2026-02-01", "kind": "contract"})
    )
    assert "€ 150,00" in contract_only and "€ 72,10" not in contract_only
    search = text(client.get(url("tariff-list", world_a), {"versions": "all", "q": "Verblijf"}))
    assert "1 tariefversie" in search and "€ 150,00" in search


def test_tariff_list_defaults_to_today(client, world_a, users):
    client.force_login(users.viewer)
    response = client.get(url("tariff-list", world_a))
    assert response.status_code == 200
    page = text(response)
    # Both current versions are open-ended, so they are valid today; 70,00 ended in 2025.
    assert "€ 72,10" in page and "€ 150,00" in page and "€ 70,00" not in page
    # A viewer reads, but gets no buttons to change.
    assert "Tarieven indexeren" not in page and "Nieuw regionaal tarief" not in page


def test_tariff_detail_shows_the_chain_and_the_other_versions(client, world_a, users):
    client.force_login(users.municipal)
    version = world_a.con.regional_tariff
    page = text(client.get(url("tariff-detail", world_a, pk=version.pk)))
    assert "€ 70,00 (vastgesteld, 2025) → nieuw tarief vastgesteld per 01-01-2026 → € 72,10" in (
        page
    )
    assert "01-01-2025" in page and "31-12-2025" in page and "deze versie" in page


# ---------------------------------------------------------------- creating tariffs


def build_up_data(product, **extra):
    # Build-up per hour: (50,00 + 8,00 + 2,00) = 60,00 direct; overhead 15% = 9,00 → 69,00;
    # indexation 3% of 69,00 = 2,07 → tariff 71,07.
    return {
        "product": product.pk,
        "valid_from": "2025-01-01",
        "staff_client_bound": "50,00",
        "staff_not_client_bound": "8,00",
        "other_client_bound": "2,00",
        "overhead_pct": "15",
        "indexation_pct": "3",
        "note": "Reële prijs 2025",
        **extra,
    }


def test_build_up_tariff_is_computed_and_shown(client, world_a, users):
    product = ProductFactory(region=world_a.region, care_form=world_a.care_form, name="Dyslexie")
    client.force_login(users.contract_manager)
    response = client.post(url("tariff-create", world_a), build_up_data(product))
    version = TariffVersion.objects.get(product=product)
    assert response.status_code == 302
    assert response["Location"] == url("tariff-detail", world_a, pk=version.pk)
    assert version.amount == Decimal("71.07") and version.origin == "build_up"
    assert version.contract is None and version.created_by == users.contract_manager
    page = text(client.get(response["Location"]))
    assert "€ 71,07" in page and "Kostprijsopbouw" in page
    assert "Overhead 15% € 9,00" in page and "Indexatie 3% € 2,07" in page
    assert "Tarief € 71,07" in page


def test_build_up_with_an_amount_that_does_not_follow_from_it_is_refused(client, world_a, users):
    product = ProductFactory(region=world_a.region, care_form=world_a.care_form)
    client.force_login(users.officer)
    response = client.post(url("tariff-create", world_a), build_up_data(product, amount="75,00"))
    assert response.status_code == 200
    assert "Het tarief volgt uit de opbouw: € 71,07, niet € 75,00." in text(response)
    assert not TariffVersion.objects.filter(product=product).exists()


def test_tariff_without_amount_or_build_up_is_refused(client, world_a, users):
    product = ProductFactory(region=world_a.region, care_form=world_a.care_form)
    client.force_login(users.officer)
    response = client.post(
        url("tariff-create", world_a), {"product": product.pk, "valid_from": "2025-01-01"}
    )
    assert response.status_code == 200
    assert "Vul het tarief in, of de kostprijsopbouw." in text(response)
    assert not TariffVersion.objects.filter(product=product).exists()


def test_tariff_with_an_overlapping_period_is_refused(client, world_a, users):
    client.force_login(users.officer)
    before = TariffVersion.objects.count()
    response = client.post(
        url("tariff-create", world_a),
        {
            "product": world_a.product.pk,
            "valid_from": "2025-06-01",
            "valid_until": "2025-08-31",
            "amount": "71,00",
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert (
        f"Deze versie overlapt met de tariefversie € 70,00 van {world_a.product.code} die "
        "geldt van 01-01-2025 – 31-12-2025." in page
    )
    assert TariffVersion.objects.count() == before


def test_new_regional_version_closes_the_open_one(client, world_a, users):
    client.force_login(users.officer)
    response = client.post(
        url("tariff-create", world_a),
        {"product": world_a.product.pk, "valid_from": "2027-01-01", "amount": "75,25"},
    )
    assert response.status_code == 302
    new = TariffVersion.objects.get(product=world_a.product, valid_from=date(2027, 1, 1))
    assert new.amount == Decimal("75.25") and new.previous == world_a.con.regional_tariff
    world_a.con.regional_tariff.refresh_from_db()
    assert world_a.con.regional_tariff.valid_until == date(2026, 12, 31)


def test_contract_tariff_create_redirects_to_the_contract(client, world_a, users):
    client.force_login(users.contract_manager)
    stay = world_a.con.stay_product
    response = client.post(
        url("contract-tariff-create", world_a, pk=world_a.con.contract.pk),
        {"product": stay.pk, "valid_from": "2027-01-01", "amount": "160,00"},
    )
    assert response.status_code == 302
    assert response["Location"] == contract_path(world_a)
    new = TariffVersion.objects.get(product=stay, valid_from=date(2027, 1, 1))
    assert new.contract == world_a.con.contract and new.amount == Decimal("160.00")
    world_a.con.contract_tariff.refresh_from_db()
    assert world_a.con.contract_tariff.valid_until == date(2026, 12, 31)
    # Regional tariffs are untouched.
    assert not TariffVersion.objects.filter(contract__isnull=True, product=stay).exists()


# ---------------------------------------------------------------- indexation


def test_indexation_preview_then_post_creates_the_next_versions(client, world_a, users):
    client.force_login(users.officer)
    params = {"percentage": "3,4", "valid_from": "2027-01-01", "note": "OVA 2027"}
    before = TariffVersion.objects.count()
    preview = client.get(url("tariff-index", world_a), params)
    page = text(preview)
    # Regional tariffs on 31-12-2026: only world.product, € 72,10 (the € 150,00 is the
    # contract's own). 72,10 × 1,034 = 74,5514 → € 74,55; difference € 2,45.
    assert "1 tarief wordt geïndexeerd met 3,4% per 01-01-2027" in page
    assert "€ 72,10 € 74,55 € 2,45" in page
    assert "De huidige versies eindigen op 31-12-2026." in page
    assert TariffVersion.objects.count() == before  # a preview changes nothing

    assert "Bevestigen: 1 tarief indexeren" in page
    # A POST without the confirmation shows the preview again and records nothing.
    unconfirmed = client.post(url("tariff-index", world_a), params)
    assert unconfirmed.status_code == 200
    assert "1 tarief wordt geïndexeerd met 3,4% per 01-01-2027" in text(unconfirmed)
    assert TariffVersion.objects.count() == before
    assert not TariffIndexation.objects.exists()

    response = client.post(url("tariff-index", world_a), {**params, "_confirm": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == url("tariff-list", world_a)
    assert "1 tarief geïndexeerd met 3,4% per 01-01-2027." in messages_of(response)
    indexation = TariffIndexation.objects.get(region=world_a.region)
    assert indexation.percentage == Decimal("3.40") and indexation.performed_by == users.officer
    new = TariffVersion.objects.get(product=world_a.product, valid_from=date(2027, 1, 1))
    assert new.amount == Decimal("74.55") and new.origin == "indexation"
    assert new.previous == world_a.con.regional_tariff and new.indexation == indexation
    world_a.con.regional_tariff.refresh_from_db()
    assert world_a.con.regional_tariff.valid_until == date(2026, 12, 31)
    assert world_a.con.contract_tariff.valid_until is None
    # The list names the indexation; the detail shows how the tariff came about.
    listing = text(client.get(url("tariff-list", world_a)))
    assert "Recente indexaties" in listing and "01-01-2027 3,4% regionaal 1" in listing
    detail = text(client.get(url("tariff-detail", world_a, pk=new.pk)))
    assert (
        "€ 70,00 (vastgesteld, 2025) → nieuw tarief vastgesteld per 01-01-2026 → € 72,10 → "
        "+3,4% indexatie per 01-01-2027 → € 74,55" in detail
    )

    # The same indexation again is refused, next to the date, and creates nothing.
    count = TariffVersion.objects.count()
    again = client.post(url("tariff-index", world_a), {**params, "_confirm": "1"})
    assert again.status_code == 200
    assert (
        f"Voor {world_a.product.code} bestaat al een tariefversie vanaf 01-01-2027; is deze "
        "indexatie al uitgevoerd? Er is niets gewijzigd." in text(again)
    )
    assert again.context["form"].errors["valid_from"]
    assert TariffVersion.objects.count() == count
    assert TariffIndexation.objects.count() == 1
    # The preview already warns.
    warned = text(client.get(url("tariff-index", world_a), params))
    assert "al een versie vanaf 01-01-2027" in warned
    assert "Deze indexatie kan zo niet worden uitgevoerd" in warned


def test_indexation_of_build_up_tariff_in_one_care_form(client, world_a, users):
    care_form = CareFormFactory(region=world_a.region, name="Dyslexiezorg")
    product = ProductFactory(region=world_a.region, care_form=care_form, name="Dyslexie")
    client.force_login(users.officer)
    client.post(url("tariff-create", world_a), build_up_data(product))
    response = client.post(
        url("tariff-index", world_a),
        {
            "percentage": "3,4",
            "valid_from": "2026-01-01",
            "care_form": care_form.pk,
            "_confirm": "1",
        },
    )
    assert response.status_code == 302
    # Only the care form's product: 71,07 × 1,034 = 73,48638 → € 73,49. (All regional
    # tariffs would clash with world.product's version from 01-01-2026.)
    new = TariffVersion.objects.get(product=product, valid_from=date(2026, 1, 1))
    assert new.amount == Decimal("73.49")
    assert TariffVersion.objects.filter(product=world_a.product).count() == 2
    detail = text(client.get(url("tariff-detail", world_a, pk=new.pk)))
    assert "€ 71,07 (kostprijsopbouw, 2025) → +3,4% indexatie per 01-01-2026 → € 73,49" in detail


def test_implausible_indexation_is_refused_next_to_the_percentage(client, world_a, users):
    client.force_login(users.officer)
    response = client.post(
        url("tariff-index", world_a),
        {"percentage": "30", "valid_from": "2027-01-01", "_confirm": "1"},
    )
    assert response.status_code == 200
    assert "niet aannemelijk" in " ".join(response.context["form"].errors["percentage"])
    assert not TariffIndexation.objects.exists()


def test_contract_tariff_indexation_redirects_to_the_contract(client, world_a, users):
    client.force_login(users.contract_manager)
    response = client.post(
        url("contract-tariff-index", world_a, pk=world_a.con.contract.pk),
        {"percentage": "2", "valid_from": "2027-01-01", "_confirm": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == contract_path(world_a)
    # The contract's own € 150,00 × 1,02 = € 153,00; the regional tariff is not indexed.
    new = TariffVersion.objects.get(product=world_a.con.stay_product, valid_from=date(2027, 1, 1))
    assert new.amount == Decimal("153.00") and new.contract == world_a.con.contract
    assert not TariffVersion.objects.filter(
        product=world_a.product, valid_from=date(2027, 1, 1)
    ).exists()


# ---------------------------------------------------------------- settlement


def test_settlement_q1_2026_by_hand(client, world_a, users):
    # Q1 2026, computed by hand:
    # - PxQ: 3 × 10 = 30 uur × € 72,10 (regional tariff from 01-01-2026) = € 2.163,00
    # - availability: 4 places × € 1.000,00 × 3 months = € 12.000,00
    # - occupancy: 3 × 60 = 180 occupied days ÷ (4 places × 90 days) = 50,0%: not under the
    #   threshold of 50% → no occupancy flag
    # - the etmaal product has no declarations → no 'occupied' PxQ line
    # - total due € 14.163,00; ceiling 2026 € 100.000,00 not reached → withheld € 0,00
    client.force_login(users.contract_manager)
    response = client.get(url("contract-settlement", world_a, pk=world_a.con.contract.pk), Q1_2026)
    assert response.status_code == 200
    page = text(response)
    assert f"{world_a.product.code} Product A: 30 uur × € 72,10 = € 2.163,00" in page
    assert "Beschikbaarheid: 4 plaatsen × € 1.000,00 × 3 maanden = € 12.000,00" in page
    assert "Totaal verschuldigd € 14.163,00" in page
    assert "Ingehouden (boven plafonds, of zonder instemming regisseur) € 0,00" in page
    assert "Te betalen € 14.163,00" in page
    assert "Inspanningsgericht (PxQ) € 2.163,00" in page  # per model
    assert "Bezetting" not in page and "Verblijf" not in page
    settlement = response.context["settlement"]
    assert settlement.total_due == Decimal("14163.00") and settlement.flags == ()


def test_settlement_flags_occupancy_under_the_threshold(client, world_a, users):
    # 3 × 30 = 90 occupied days ÷ (4 × 90 = 360 place days) = 25% < 50%.
    Occupancy.objects.filter(contract=world_a.con.contract).update(occupied_days=Decimal("30"))
    client.force_login(users.viewer)
    page = text(
        client.get(url("contract-settlement", world_a, pk=world_a.con.contract.pk), Q1_2026)
    )
    assert "Bezetting onder de drempel:" in page
    assert "Bezetting 25% (90 van 360 plaatsdagen) ligt onder de afgesproken drempel van 50%" in (
        page
    )
    assert "Totaal verschuldigd € 14.163,00" in page  # the fee does not change


def test_settlement_with_a_unit_that_does_not_fit_shows_the_error(client, world_a, users):
    Declaration.objects.create(
        region=world_a.region,
        contract=world_a.con.contract,
        municipality=world_a.municipality,
        product=world_a.product,
        client_key="k9",
        reference="D9",
        month=date(2026, 2, 1),
        quantity=Decimal("90"),
        unit="01",
        amount=Decimal("108.15"),
    )
    refresh_settlement(world_a.region.pk, [date(2026, 1, 1), date(2026, 2, 1)])  # as an import does
    client.force_login(users.officer)
    response = client.get(url("contract-settlement", world_a, pk=world_a.con.contract.pk), Q1_2026)
    page = text(response)
    assert "Deze productie kan niet worden afgerekend" in page
    assert (
        f"product {world_a.product.code} wordt geleverd in eenheid 04 uur, niet in 01 minuut."
        in page
    )
    assert "€ 14.163,00" not in page and response.context["settlement"] is None
    # The CSV of production that cannot be settled leads back to the page with the errors.
    csv_response = client.get(
        url("contract-settlement-csv", world_a, pk=world_a.con.contract.pk), Q1_2026
    )
    assert csv_response.status_code == 302
    assert csv_response["Location"].startswith(
        url("contract-settlement", world_a, pk=world_a.con.contract.pk)
    )


def test_settlement_period_backwards_is_refused(client, world_a, users):
    client.force_login(users.officer)
    response = client.get(
        url("contract-settlement", world_a, pk=world_a.con.contract.pk),
        {"year": 2026, "first_month": 3, "last_month": 1},
    )
    assert response.status_code == 200
    assert "De laatste maand ligt vóór de eerste" in text(response)
    assert "settlement" not in response.context


def test_settlement_csv(client, world_a, users):
    client.force_login(users.officer)
    response = client.get(
        url("contract-settlement-csv", world_a, pk=world_a.con.contract.pk), Q1_2026
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, *lines = rows
    assert header[:3] == ["contract", "periode", "bekostigingsafspraak"]
    by_component = {row[4]: row for row in lines}
    pxq = by_component["PxQ"]
    assert pxq[5] == world_a.product.code
    assert pxq[7:10] == ["30", "72,10", "2163,00"]  # decimal commas, no thousands separator
    availability = by_component["Beschikbaarheid"]
    assert availability[7:10] == ["12", "1000,00", "12000,00"]  # 4 places × 3 months
    assert len(lines) == 2


# ---------------------------------------------------------------- procurement effect


def effect(client, w, **params):
    return client.get(url("effect", w), {**Q1_2026, **params})


def test_effect_warns_about_production_the_alternative_cannot_price(client, world_a, users):
    # On 01-01-2020 no tariff exists: the alternative leaves the 30 hours unpriced. The page
    # says so instead of presenting the missing € 2.163,00 as a saving.
    client.force_login(users.officer)
    response = effect(client, world_a, scenario="tariffs_on", on="2020-01-01")
    page = text(response)
    assert "Let op: productie die niet is geprijsd" in page
    assert f"Alternatief: Geen tarief voor {world_a.product.code}" in page
    assert response.context["total"]["alternative"] == Decimal("12000.00")


def test_effect_of_a_tariff_change(client, world_a, users):
    # +10%: 72,10 × 1,10 = 79,31; 30 × 79,31 = 2.379,30 instead of 2.163,00 → + € 216,30;
    # availability (12.000,00) stays. 216,30 ÷ 14.163,00 = 1,527% → +1,5%.
    client.force_login(users.officer)
    response = effect(client, world_a, scenario="tariff_change", percentage="10")
    assert response.status_code == 200
    total = response.context["total"]
    assert total["current"] == Decimal("14163.00")
    assert total["alternative"] == Decimal("14379.30")
    assert total["difference"] == Decimal("216.30") and total["pct"] == Decimal("1.5")
    [segment] = response.context["by_segment"]
    assert segment["name"] == str(world_a.segment) and segment["difference"] == Decimal("216.30")
    [provider] = response.context["by_provider"]
    assert provider["name"] == world_a.provider.name
    page = text(response)
    assert f"{world_a.segment} € 14.163,00 € 14.379,30 +€ 216,30 +1,5%" in page  # per segment
    assert f"{world_a.provider.name} € 14.163,00 € 14.379,30 +€ 216,30 +1,5%" in page
    assert "Tariefwijziging (+10%)" in page


def test_effect_of_tariffs_on_a_day(client, world_a, users):
    # The tariffs of 01-06-2025: 30 uur × € 70,00 = 2.100,00 (instead of 2.163,00) → − € 63,00;
    # 63 ÷ 14.163 = 0,445% → −0,4%.
    client.force_login(users.contract_manager)
    response = effect(client, world_a, scenario="tariffs_on", on="2025-06-01")
    total = response.context["total"]
    assert total["alternative"] == Decimal("14100.00")
    assert total["difference"] == Decimal("-63.00") and total["pct"] == Decimal("-0.4")
    page = text(response)
    assert "€ 14.100,00 -€ 63,00 -0,4%" in page and "(tarieven van 01-06-2025)" in page


def test_effect_of_all_as_pxq(client, world_a, users):
    # Everything PxQ: the availability fee goes (− € 12.000,00); occupied places would be paid
    # per etmaal, but there are no etmaal declarations → alternative € 2.163,00.
    # −12.000 ÷ 14.163 = −84,73% → −84,7%.
    client.force_login(users.viewer)
    response = effect(client, world_a, scenario="pxq")
    total = response.context["total"]
    assert total["alternative"] == Decimal("2163.00")
    assert total["difference"] == Decimal("-12000.00") and total["pct"] == Decimal("-84.7")
    assert "-€ 12.000,00 -84,7%" in text(response)


def test_effect_per_segment_includes_sub_segments(client, world_a, users):
    # A second contract in the sub-segment with 5 hours in January 2026: 5 × 72,10 = 360,50;
    # +10%: 5 × 79,31 = 396,55 → + € 36,05.
    second = services.contract_create(
        region=world_a.region,
        reference="C-regio-a-002",
        provider=world_a.distant_provider,
        segment=world_a.sub_segment,
        start_date=date(2025, 1, 1),
        initial_term_years=3,
    )
    services.arrangement_create(
        contract=second, model="pxq", valid_from=date(2025, 1, 1), products=[world_a.product]
    )
    Declaration.objects.create(
        region=world_a.region,
        contract=second,
        municipality=world_a.other_municipality,
        product=world_a.product,
        client_key="x1",
        reference="X1",
        month=date(2026, 1, 1),
        quantity=Decimal("5"),
        unit="04",
        amount=Decimal("360.50"),
    )
    refresh_settlement(world_a.region.pk, [date(2026, 1, 1), date(2026, 2, 1)])  # as an import does
    client.force_login(users.officer)
    whole = effect(
        client, world_a, scenario="tariff_change", percentage="10", segment=world_a.segment.pk
    )
    by_segment = {row["name"]: row for row in whole.context["by_segment"]}
    assert by_segment[str(world_a.segment)]["difference"] == Decimal("216.30")
    assert by_segment[str(world_a.sub_segment)]["difference"] == Decimal("36.05")
    assert whole.context["total"]["difference"] == Decimal("252.35")
    by_provider = {row["name"]: row for row in whole.context["by_provider"]}
    assert by_provider[world_a.distant_provider.name]["current"] == Decimal("360.50")
    assert len(whole.context["by_contract"]) == 2
    sub = effect(
        client, world_a, scenario="tariff_change", percentage="10", segment=world_a.sub_segment.pk
    )
    assert [row["name"] for row in sub.context["by_contract"]] == ["C-regio-a-002"]
    assert sub.context["total"]["difference"] == Decimal("36.05")


def test_effect_needs_the_scenario_argument(client, world_a, users):
    client.force_login(users.officer)
    response = effect(client, world_a, scenario="tariff_change")
    assert "Vul het percentage van de tariefwijziging in." in text(response)
    assert "total" not in response.context
    response = effect(client, world_a, scenario="tariffs_on")
    assert "Kies de peildatum" in text(response)


def test_effect_leaves_out_a_contract_whose_production_cannot_be_settled(client, world_a, users):
    Declaration.objects.create(
        region=world_a.region,
        contract=world_a.con.contract,
        municipality=world_a.municipality,
        product=world_a.product,
        client_key="k9",
        reference="D9",
        month=date(2026, 2, 1),
        quantity=Decimal("1"),
        unit="01",
        amount=Decimal("1.20"),
    )
    refresh_settlement(world_a.region.pk, [date(2026, 1, 1), date(2026, 2, 1)])  # as an import does
    client.force_login(users.officer)
    response = effect(client, world_a, scenario="pxq")
    page = text(response)
    assert "Niet meegerekend" in page
    where = f"{world_a.con.contract.reference}: {world_a.product.code} in 02-2026"
    assert where in page and "niet in 01 minuut" in page
    assert response.context["by_contract"] == []


# ---------------------------------------------------------------- who may do what


def test_who_may_read_and_change_tariffs(client, world_a, world_b, users):
    regional = world_a.con.regional_tariff
    reading = [url("tariff-list", world_a), url("tariff-detail", world_a, pk=regional.pk)]
    pk = world_a.con.contract.pk
    changing = [
        url("tariff-create", world_a),
        url("tariff-index", world_a),
        url("contract-tariff-create", world_a, pk=pk),
        url("contract-tariff-index", world_a, pk=pk),
    ]
    expect = {
        "officer": (200, 200),
        "contract_manager": (200, 200),
        "viewer": (200, 403),
        "municipal": (200, 403),
        "other_region_officer": (404, 404),
        "superuser": (200, 200),
    }
    for role, (read, change) in expect.items():
        client.force_login(getattr(users, role))
        for address in reading:
            assert client.get(address).status_code == read, (role, address)
        for address in changing:
            assert client.get(address).status_code == change, (role, address)
    # A POST by a reader changes nothing.
    client.force_login(users.viewer)
    before = TariffVersion.objects.count()
    response = client.post(
        url("tariff-index", world_a),
        {"percentage": "3", "valid_from": "2027-01-01", "_confirm": "1"},
    )
    assert response.status_code == 403 and TariffVersion.objects.count() == before
    # Another region's tariff through this region's URL is not found.
    client.force_login(users.officer)
    other = world_b.con.regional_tariff
    assert client.get(url("tariff-detail", world_a, pk=other.pk)).status_code == 404
    assert (
        client.get(url("contract-tariff-create", world_a, pk=world_b.con.contract.pk)).status_code
        == 404
    )


def test_settlement_and_effect_are_for_region_roles_only(client, world_a, users):
    pk = world_a.con.contract.pk
    settlement = [
        url("contract-settlement", world_a, pk=pk),
        url("contract-settlement-csv", world_a, pk=pk),
    ]
    expect = {
        # role: (settlement, effect)
        "officer": (200, 200),
        "contract_manager": (200, 200),
        "viewer": (200, 200),
        "municipal": (404, 403),
        "other_region_officer": (404, 404),
        "superuser": (200, 200),
    }
    for role, (settle_code, effect_code) in expect.items():
        client.force_login(getattr(users, role))
        for address in settlement:
            assert client.get(address, Q1_2026).status_code == settle_code, (role, address)
        assert client.get(url("effect", world_a)).status_code == effect_code, role
        assert effect(client, world_a, scenario="pxq").status_code == effect_code, role


def test_municipal_user_does_not_see_settlement_amounts_on_the_tariff_pages(client, world_a, users):
    client.force_login(users.municipal)
    page = text(client.get(url("tariff-list", world_a)))
    assert "€ 72,10" in page and "14.163" not in page


def test_anonymous_user_is_sent_to_login(client, world_a):
    response = client.get(url("effect", world_a))
    assert response.status_code == 302 and "/account/login/" in response["Location"]
