"""contracts.settlement: availability per facility, hand-computed.

One contract keeps places available in two facilities, each under its own availability
arrangement; each facility's occupancy is judged against that arrangement's own threshold.
Q1 2026 has 31 + 28 + 31 = 90 days.
"""

from datetime import date
from decimal import Decimal as D

from contracts.codes import ArrangementModel as Model
from contracts.settlement import (
    ArrangementTerms,
    ContractTerms,
    Delivery,
    Occupancy,
    Period,
    Production,
    ProductTerms,
    settle,
)
from contracts.tariffs import Validity
from segments.codes import Unit

Q1 = Period.months(2026, 1, 3)
JAN = date(2026, 1, 1)

LINDE_STAY = ProductTerms(
    "43L01", "Verblijf De Linde", Unit.ETMAAL, regional_tariffs=(Validity(JAN, None, D("200")),)
)
EIK_STAY = ProductTerms(
    "43E01", "Verblijf De Eik", Unit.ETMAAL, regional_tariffs=(Validity(JAN, None, D("190")),)
)


def m(month):
    return date(2026, month, 1)


def terms():
    return ContractTerms(
        reference="C-2F",
        start=JAN,
        end=date(2028, 12, 31),
        products={p.code: p for p in (LINDE_STAY, EIK_STAY)},
        arrangements=(
            ArrangementTerms(
                id=1,
                model=Model.AVAILABILITY,
                valid_from=JAN,
                product_codes=frozenset({"43L01"}),
                facility="De Linde",
                places=6,
                place_fee=D("4000.00"),
                occupancy_threshold_pct=D("60"),
            ),
            ArrangementTerms(
                id=2,
                model=Model.AVAILABILITY,
                valid_from=JAN,
                product_codes=frozenset({"43E01"}),
                facility="De Eik",
                places=4,
                place_fee=D("3500.00"),
                occupancy_threshold_pct=D("50"),
            ),
        ),
    )


LINDE = (140, 130, 150)  # 420 of 6 × 90 = 540 place-days = 77,8%
EIK = (50, 45, 50)  # 145 of 4 × 90 = 360 place-days = 40,28%


def occupancy(by_name=False):
    """The imported lines: resolved to their arrangement (or, ``by_name``, only named)."""
    lines = []
    for arrangement_id, facility, days in ((1, "De Linde", LINDE), (2, "De Eik", EIK)):
        for month, n in zip((1, 2, 3), days, strict=True):
            lines.append(
                Occupancy(
                    m(month),
                    D(n),
                    facility=facility.upper() if by_name else facility,
                    arrangement_id=None if by_name else arrangement_id,
                )
            )
    return tuple(lines)


def declarations():
    return tuple(
        Delivery(code, m(month), D(n), Unit.ETMAAL)
        for code, days in (("43L01", LINDE), ("43E01", EIK))
        for month, n in zip((1, 2, 3), days, strict=True)
    )


def test_two_facilities_each_paid_and_judged_on_its_own():
    settlement = settle(terms(), Production(deliveries=declarations(), occupancy=occupancy()), Q1)
    fees = [line for line in settlement.lines if line.component == "availability"]
    assert [(f.amount, f.quantity, f.arrangement) for f in fees] == [
        (D("72000.00"), D("18"), "Beschikbaarheid"),  # 6 × 4.000,00 × 3
        (D("42000.00"), D("12"), "Beschikbaarheid"),  # 4 × 3.500,00 × 3
    ]
    assert fees[0].description == (
        "Beschikbaarheid De Linde: 6 plaatsen × € 4.000,00 × 3 maanden = € 72.000,00"
    )
    assert fees[1].description == (
        "Beschikbaarheid De Eik: 4 plaatsen × € 3.500,00 × 3 maanden = € 42.000,00"
    )
    occupied = {
        line.product_code: line.amount for line in settlement.lines if line.component == "occupied"
    }
    # PxQ for the occupied days per facility: 420 × 200,00 = 84.000,00; 145 × 190,00 = 27.550,00
    assert occupied == {"43L01": D("84000.00"), "43E01": D("27550.00")}
    assert settlement.total_due == D("225550.00")  # 72.000 + 42.000 + 84.000 + 27.550

    # De Eik: 145 / 360 = 40,27...% < 50% (shown rounded down); De Linde 77,8% ≥ 60%: no flag
    [flag] = settlement.flags_of("occupancy")
    assert flag.amount == D("40.2")
    assert flag.message == (
        "Voorziening De Eik: bezetting 40,2% (145 van 360 plaatsdagen) ligt onder de "
        "afgesproken drempel van 50%: bespreek samen het samenvoegen of sluiten van groepen."
    )


def test_lines_named_only_by_facility_match_case_insensitively():
    settlement = settle(terms(), Production(occupancy=occupancy(by_name=True)), Q1)
    [flag] = settlement.flags_of("occupancy")
    assert flag.message.startswith("Voorziening De Eik: bezetting 40,2% (145 van 360")


def test_before_facilities_all_days_were_judged_against_each_arrangement():
    """The bug this fixes: lines without a facility count for the whole contract, so 565
    occupied days made De Eik look 156,9% occupied. (Kept for lines imported before.)"""
    lines = tuple(
        Occupancy(m(month), D(a + b)) for month, a, b in zip((1, 2, 3), LINDE, EIK, strict=True)
    )
    assert settle(terms(), Production(occupancy=lines), Q1).flags_of("occupancy") == []


def test_a_facility_without_occupancy_or_declarations_is_named():
    only_linde = tuple(o for o in occupancy() if o.arrangement_id == 1)
    settlement = settle(terms(), Production(occupancy=only_linde), Q1)
    [missing] = settlement.flags_of("no_occupancy")
    assert missing.message == (
        "Voorziening De Eik: geen bezettingsgegevens voor 01-2026, 02-2026, 03-2026; die "
        "maanden tellen niet mee in de bezetting."
    )
    assert settlement.flags_of("occupancy") == []
