"""Availability per facility in monitoring: importing occupancy per facility (column
``voorziening``), the contract rollup over its facilities, each facility's signal against its
own norm, the page and the settlement of the imported lines.

World A's contract ``C-regio-a-001`` has an availability arrangement "Hoofdlocatie" (4 places,
threshold 50%, from 2025) and occupancy lines B1-B3 for 2026-01..03 from before facilities;
the fixture adds "De Eik" (3 places, € 3.000,00, threshold 60%) from April 2026.
April has 30 days, May 31.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from contracts import selectors as contract_selectors
from contracts import services
from contracts.models import KpiAgreement
from contracts.settlement import Period
from monitoring.models import Grain, ImportStatus, KpiRollup, Occupancy, Signal
from monitoring.steering import facilities
from tests.monitoring.test_import_service import line_counts, rejected_with, run, write

pytestmark = pytest.mark.django_db

D = Decimal
APR, MAY = date(2026, 4, 1), date(2026, 5, 1)
HEADER = "referentie;contract;voorziening;maand;plaatsen;bezette_dagen"


@pytest.fixture
def eik(world_a):
    return services.arrangement_create(
        contract=world_a.con.contract,
        model="availability",
        valid_from=APR,
        facility="De Eik",
        places=3,
        place_fee=D("3000.00"),
        occupancy_threshold_pct=D("60"),
    )


def csv(world, *rows: str, header: str = HEADER) -> str:
    ref = world.con.contract.reference
    return "\n".join([header, *(row.replace("{ref}", ref) for row in rows)]) + "\n"


def facility_signal(contract, arrangement, month):
    return Signal.objects.filter(
        key=f"kpi:c{contract.pk}:occupancy:f{arrangement.pk}:{month:%Y-%m}"
    ).first()


# --- the arrangement ----------------------------------------------------------------------------


def test_the_main_facility_by_default_and_no_facility_twice(world_a, eik):
    assert world_a.con.availability.facility == "Hoofdlocatie"
    with pytest.raises(ValidationError) as refused:
        services.arrangement_create(
            contract=world_a.con.contract,
            model="availability",
            valid_from=date(2026, 6, 1),
            facility="de eik",
            places=2,
            place_fee=D("1000"),
            occupancy_threshold_pct=D("50"),
        )
    assert refused.value.message_dict["facility"] == [
        "Voorziening 'de eik' heeft al een beschikbaarheidsafspraak in dezelfde periode "
        "(Beschikbaarheid, 01-04-2026 – …); kies een andere naam of laat de afspraken niet "
        "overlappen."
    ]
    with pytest.raises(ValidationError) as refused:
        services.arrangement_create(
            contract=world_a.con.contract,
            model="task",
            valid_from=date(2026, 6, 1),
            facility="De Eik",
        )
    assert "facility" in refused.value.message_dict


# --- import ------------------------------------------------------------------------------------


def test_bad_facility_input_imports_nothing(world_a, eik, tmp_path):
    before = line_counts()
    text = csv(
        world_a,
        "F1;{ref};;2026-04;4;100",  # two facilities in April: which one?
        "F2;{ref};De Beuk;2026-04;4;100",  # not a facility of the contract
        "F3;{ref};De Eik;2026-04;5;100",  # 5 × 30 = 150, but De Eik has 3 places: 90
        "F4;{ref};De Eik;2026-03;3;10",  # De Eik starts in April
        "F5;{ref};Hoofdlocatie;2026-05;4;20",
        "F6;{ref};hoofdlocatie;2026-05;4;21",  # the same facility and month twice
    )
    batch = run(world_a, "bezetting", write(tmp_path, text))
    ref = world_a.con.contract.reference
    rejected_with(
        batch,
        "voorziening",
        f"Contract {ref} heeft in 2026-04 meer dan één voorziening (De Eik, Hoofdlocatie); "
        "vul kolom voorziening in.",
        row=2,
    )
    rejected_with(
        batch,
        "voorziening",
        f"Contract {ref} heeft geen voorziening 'De Beuk'; wel: De Eik, Hoofdlocatie.",
        row=3,
    )
    rejected_with(
        batch,
        "bezette_dagen",
        "Bezette dagen 100 is meer dan de 3 afgesproken plaatsen van voorziening De Eik × 30 "
        "dagen = 90 in 2026-04.",
        row=4,
    )
    rejected_with(
        batch,
        "voorziening",
        f"Contract {ref} heeft voor voorziening 'De Eik' geen beschikbaarheidsafspraak in "
        "2026-03; wel voor: Hoofdlocatie.",
        row=5,
    )
    rejected_with(
        batch,
        "maand",
        f"Contract {ref} heeft voor 2026-05 al een geldende bezettingsregel (referentie F5) "
        "voor voorziening Hoofdlocatie; per voorziening per maand geldt één regel.",
        row=7,
    )
    assert batch.error_count == 5
    assert line_counts() == before


def test_occupancy_per_facility_rollup_signal_and_repeat(world_a, eik, tmp_path):
    contract = world_a.con.contract
    text = csv(
        world_a,
        "F1;{ref};Hoofdlocatie;2026-04;4;100",  # 100 / 120 = 83,3%
        "F2;{ref};de eik;2026-04;3;50",  # 50 / 90 = 55,6%: under 60 (amber), not under 50
        "F3;{ref};Hoofdlocatie;2026-05;4;110",  # 110 / 124 = 88,7%
        "F4;{ref};De Eik;2026-05;3;36",  # 36 / 93 = 38,7%: under 60 − 10 = 50 (red)
    )
    batch = run(world_a, "bezetting", write(tmp_path, text))
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    f2 = Occupancy.objects.get(reference="F2")
    assert (f2.facility, f2.arrangement_id) == ("De Eik", eik.pk)
    assert Occupancy.objects.get(reference="F1").arrangement_id == world_a.con.availability.pk

    # the contract's occupancy KPI: both facilities summed
    april = KpiRollup.objects.get(grain=Grain.CONTRACT, contract=contract, month=APR)
    assert (april.occupied_days, april.place_days) == (D("150"), 210)  # 100 + 50; 120 + 90

    amber = facility_signal(contract, eik, APR)
    assert (amber.level, amber.value, amber.norm, amber.topic) == (
        "amber",
        D("55.6"),
        D("60"),
        "occupancy",
    )
    assert amber.message == (
        f"Oranje: bezettingsgraad van voorziening De Eik bij contract {contract.reference} "
        f"({contract.provider.name}) in april 2026 is 55,6% (50 van 90 plaatsdagen); onder de "
        "afgesproken drempel van 60% is oranje, onder 50% rood."
    )
    red = facility_signal(contract, eik, MAY)
    assert (red.level, red.value) == ("red", D("38.7"))
    assert facility_signal(contract, world_a.con.availability, APR) is None  # 83,3% ≥ 50%

    # the same file again adds nothing and leaves the signals as they are
    again = run(world_a, "bezetting", write(tmp_path, text, "opnieuw.csv"))
    assert (again.status, again.rows_added, again.rows_unchanged) == (ImportStatus.SUCCEEDED, 0, 4)
    assert Signal.objects.filter(key__contains=":occupancy:f").count() == 2

    # a correction brings De Eik in April to 60/90 = 66,7%: its signal closes
    fix = csv(
        world_a,
        "F2-C;F2;{ref};De Eik;2026-04;3;60",
        header="referentie;corrigeert;contract;voorziening;maand;plaatsen;bezette_dagen",
    )
    corrected = run(world_a, "bezetting", write(tmp_path, fix, "correctie.csv"))
    assert corrected.status == ImportStatus.SUCCEEDED, corrected.errors
    assert facility_signal(contract, eik, APR).status == "closed"
    assert facility_signal(contract, eik, MAY).status == "open"

    # settlement of April-May: De Eik 96 of 3 × 61 = 183 place-days = 52,4% < 60%; the main
    # location (210 of 4 × 61 = 244 = 86,1%) is above its 50%
    settlement = contract_selectors.settlement_for(contract, Period.months(2026, 4, 5))
    [flag] = settlement.flags_of("occupancy")
    assert flag.message.startswith(
        "Voorziening De Eik: bezetting 52,4% (96 van 183 plaatsdagen) ligt onder de "
        "afgesproken drempel van 60%"
    )


def test_a_stricter_contract_norm_is_the_facility_norm(world_a, eik, tmp_path):
    contract = world_a.con.contract
    KpiAgreement.objects.create(
        contract=contract,
        kpi="occupancy",
        direction="higher",
        norm=D("85"),
        amber_threshold=D("75"),
        red_threshold=D("65"),
    )
    text = csv(
        world_a,
        "F1;{ref};Hoofdlocatie;2026-04;4;84",  # 84 / 120 = 70,0%: ≥ 50 but ≤ 75 (amber)
        "F2;{ref};De Eik;2026-04;3;50",  # 55,6%: ≤ 65 (red)
    )
    assert run(world_a, "bezetting", write(tmp_path, text)).status == ImportStatus.SUCCEEDED
    main = facility_signal(contract, world_a.con.availability, APR)
    assert (main.level, main.value, main.norm) == ("amber", D("70.0"), D("85"))
    assert main.message.endswith("norm 85%, oranje vanaf 75%, rood vanaf 65%.")
    assert "in april 2026 is 70%" in main.message
    with translation.override("en"):  # written in the reader's language from its figures
        assert "in April 2026 is 70%" in main.text
        assert main.text.endswith("norm 85%, amber from 75%, red from 65%.")
    assert facility_signal(contract, eik, APR).level == "red"
    # and the contract as a whole: 134 / 210 = 63,8% ≤ 65: its own signal, next to these
    whole = Signal.objects.get(key=f"kpi:c{contract.pk}:occupancy:2026-04")
    assert (whole.level, whole.value) == ("red", D("63.8"))


def test_facility_norm_rule():
    own = facilities.facility_norm(D("60"), None)
    assert (own.norm, own.amber, own.red, own.source) == (D("60"), D("60"), D("50"), "facility")
    assert facilities.facility_level(D("60.0"), own) == "green"  # at the threshold: not under
    assert facilities.facility_level(D("59.9"), own) == "amber"
    assert facilities.facility_level(D("49.9"), own) == "red"
    looser = facilities.Norm("occupancy", "higher", D("70"), D("55"), D("40"), "segment")
    assert facilities.facility_norm(D("60"), looser) == own  # 55 < 60: the threshold holds
    stricter = facilities.Norm("occupancy", "higher", D("85"), D("65"), D("50"), "segment")
    assert facilities.facility_norm(D("60"), stricter) == stricter


def test_occupancy_page_per_facility(client, world_a, eik, users, tmp_path):
    text = csv(world_a, "F1;{ref};Hoofdlocatie;2026-04;4;100", "F2;{ref};De Eik;2026-04;3;50")
    assert run(world_a, "bezetting", write(tmp_path, text)).status == ImportStatus.SUCCEEDED
    client.force_login(users.contract_manager)
    contract = world_a.con.contract
    detail = client.get(contract.get_absolute_url()).content.decode()
    link = reverse(
        "monitoring:contract-occupancy", kwargs={"region": world_a.region.slug, "pk": contract.pk}
    )
    assert link in detail and "Voorziening De Eik" in detail
    page = client.get(link).content.decode()
    assert "<h2" in page and "Voorziening De Eik" in page and "Voorziening Hoofdlocatie" in page
    assert "55,6%" in page and "83,3%" in page
    assert "bezettingsdrempel van de afspraak" in page
    assert "71,4%" in page  # the contract total: 150 / 210


def test_arrangement_form_asks_for_the_facility(client, world_a, eik, users):
    client.force_login(users.contract_manager)
    contract = world_a.con.contract
    link = reverse(
        "contracts:arrangement-create", kwargs={"region": world_a.region.slug, "pk": contract.pk}
    )
    assert "Voorziening (beschikbaarheid)" in client.get(link).content.decode()
    data = {
        "model": "availability",
        "valid_from": "2026-06-01",
        "output_payment": "start",
        "facility": "De Eik",
        "places": "2",
        "place_fee": "1000",
        "occupancy_threshold_pct": "50",
    }
    refused = client.post(link, data).content.decode()
    assert 'id="id_facility_error"' in refused
    assert "Voorziening &#x27;De Eik&#x27; heeft al een beschikbaarheidsafspraak" in refused
    response = client.post(link, {**data, "facility": "De Beuk"}, follow=True)
    assert "Voorziening De Beuk" in response.content.decode()
    assert contract.arrangements.get(facility="De Beuk").places == 2
