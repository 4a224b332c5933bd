"""The charts on the procurement-effect and settlement pages: present, named, and drawn from
the figures the tables show (the world of tests/contracts/test_money_pages.py: Q1 2026 costs
€ 4.721,00 a month — 10 hours × € 72,10 plus 4 places × € 1.000,00 — under a 2026 ceiling of
€ 100.000,00)."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from tests.contracts.test_money_pages import Q1_2026, effect, url

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def chart(response, uid: str) -> ET.Element:
    """The page's SVG whose accessible name has id ``<uid>-t``."""
    body = response.content.decode()
    match = re.search(rf'<svg[^>]*aria-labelledby="{uid}-t {uid}-d".*?</svg>', body, re.S)
    assert match, f"no chart {uid}"
    root = ET.fromstring(match.group(0))
    assert root.get("role") == "img"
    return root


def name(root) -> str:
    return root.find(f"{SVG}title").text


def desc(root) -> str:
    return root.find(f"{SVG}desc").text


def test_settlement_page_charts_each_month_against_the_ceiling(client, world_a, users):
    client.force_login(users.contract_manager)
    response = client.get(url("contract-settlement", world_a, pk=world_a.con.contract.pk), Q1_2026)
    root = chart(response, "settlement-months")
    assert name(root) == "Afgerekend per maand in 2026, opgeteld, tegen het budget"
    bars = [D for D in root.iter(f"{SVG}rect") if D.get("data-value")]
    assert [Decimal(b.get("data-value")) for b in bars] == [
        Decimal("4721.00"),
        Decimal("9442.00"),
        Decimal("14163.00"),
    ]
    assert "Budget € 100.000,00; besteed 14,2%." in desc(root)
    # the same figures as a table, behind "Toon als tabel"
    body = response.content.decode()
    table = body.split('id="settlement-months"', 1)[1].split("</table>", 1)[0]
    assert "Toon als tabel" in body
    assert re.findall(r"<td class=\"num\">([^<]+)</td>", table) == [
        "€ 4.721,00", "€ 4.721,00", "4,7%",
        "€ 4.721,00", "€ 9.442,00", "9,4%",
        "€ 4.721,00", "€ 14.163,00", "14,2%",
    ]  # fmt: skip
    assert "januari 2026" in table and "maart 2026" in table


def test_effect_page_charts_the_difference_per_segment_and_provider(client, world_a, users):
    # +10%: + € 216,30 in the one segment and at the one provider (test_money_pages)
    client.force_login(users.officer)
    response = effect(client, world_a, scenario="tariff_change", percentage="10")
    for key, label in (("segment", str(world_a.segment)), ("provider", world_a.provider.name)):
        root = chart(response, f"effect-{key}")
        assert name(root).startswith(
            {"segment": "Inkoopeffect per segment", "provider": "Inkoopeffect per aanbieder"}[key]
        )
        assert f"{label}: € 216,30" in desc(root)
        [bar] = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
        assert float(bar.get("width")) > 0
        texts = [t.text for t in root.iter(f"{SVG}text")]
        assert "€ 216,30" in texts
