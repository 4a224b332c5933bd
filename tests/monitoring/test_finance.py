"""The pure checks on annual accounts (providers.finance)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from providers import finance

D = Decimal


def account(result="0", revenue="1000", year=2024, pay=None, maximum=None):
    return SimpleNamespace(
        year=year,
        revenue=D(revenue),
        result=D(result),
        executive_pay=None if pay is None else D(pay),
        wnt_maximum=None if maximum is None else D(maximum),
    )


def test_margin():
    assert finance.margin(account("49")) == D("4.9")
    assert finance.margin(account("-60")) == D("-6.0")
    assert finance.margin(account("1", revenue="3")) == D("33.3")  # 33.33…, one decimal
    assert finance.margin(account("1", revenue="0")) is None


@pytest.mark.parametrize(
    ("result", "level"),
    [
        ("49", "green"),  # 4.9%
        ("50", "green"),  # exactly 5.0%: the lower band
        ("51", "amber"),  # 5.1%
        ("150", "amber"),  # exactly 15.0%
        ("151", "red"),  # 15.1%
        ("0", "green"),
        ("-50", "green"),  # −5.0%
        ("-60", "amber"),  # −6.0%: continuity risk
        ("-500", "amber"),
    ],
)
def test_check_margin(result, level):
    assert finance.check_margin(account(result)).level == level


def test_margin_messages():
    assert finance.check_margin(account("151")).message == (
        "Marge 15,1% in 2024 is hoger dan 15%: bovenmatige winst."
    )
    check = finance.check_margin(account("-60"))
    assert "continuïteit" in check.message
    assert (check.value, check.limit) == (D("-6.0"), D("-5"))
    assert finance.check_margin(account("1", revenue="0")).level is None


def test_wnt_maximum():
    assert finance.wnt_maximum(account(year=2025)) == D("246000")
    assert finance.wnt_maximum(account(year=2019)) == D("194000")
    assert finance.wnt_maximum(account(year=2025, maximum="180000")) == D("180000")
    assert finance.wnt_maximum(account(year=2026)) is None  # later years: the account's own
    assert finance.wnt_maximum(account(year=2026, maximum="255000")) == D("255000")


def test_check_wnt():
    assert finance.check_wnt(account(year=2025, pay="246000")).level == "green"  # at the max
    red = finance.check_wnt(account(year=2025, pay="246000.01"))
    assert red.level == "red"
    assert red.message == (
        "Bezoldiging topfunctionaris € 246.000,01 in 2025 is hoger dan het WNT-maximum van "
        "€ 246.000,00."
    )
    assert (red.value, red.limit) == (D("246000.01"), D("246000"))
    # a lower sector maximum of its own
    assert finance.check_wnt(account(year=2025, pay="190000", maximum="180000")).level == "red"
    assert finance.check_wnt(account(year=2025)).level is None  # no pay
    no_max = finance.check_wnt(account(year=2027, pay="300000"))
    assert no_max.level is None
    assert "WNT-maximum" in no_max.message
