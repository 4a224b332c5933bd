"""Settlement reads the settlement rollup (contract × product × month × unit), refreshed with the
KPI rollups: its figures equal those of the GROUP BY over the declaration lines it replaced, with
corrections (inactive lines) in the data, on the page too."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts import selectors
from contracts.settlement import Delivery, Period, settle_year_to_date
from monitoring.kpis import rollups
from monitoring.kpis.production import production_source
from monitoring.models import Declaration, SettlementRollup

pytestmark = pytest.mark.django_db

D = Decimal
JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)
Q1 = Period.months(2026, 1, 3)


def declare(w, reference, month, hours, *, active=True, corrects=""):
    Declaration.objects.create(
        region=w.region,
        contract=w.con.contract,
        municipality=w.municipality,
        product=w.product,
        client_key=f"k-{reference}",
        reference=reference,
        corrects=corrects,
        month=month,
        quantity=D(hours),
        unit="04",
        amount=D(hours) * D("72.10"),
        active=active,
    )


def from_lines(contract, start, end):
    """The production as settlement had it before the rollup: a GROUP BY over the lines."""
    production = production_source([contract.pk], start, end)[contract.pk]
    rows = (
        Declaration.objects.filter(contract=contract, active=True, month__gte=start, month__lte=end)
        .values("product__code", "month", "unit")
        .annotate(quantity=Sum("quantity"))
        .order_by("product__code", "month", "unit")
    )
    deliveries = tuple(
        Delivery(r["product__code"], r["month"], r["quantity"], r["unit"]) for r in rows
    )
    return replace(production, deliveries=deliveries)


def expected(contract, period):
    terms = selectors.contract_terms(contract, on=period.end)
    return settle_year_to_date(terms, from_lines(contract, JAN, period.end), period)


def test_settlement_equals_the_group_by_of_the_lines(client, world_a, users):
    w = world_a
    contract = w.con.contract
    # the world: 10 hours in each of January .. March; here February gets 5 more, and 7 hours
    # corrected away by a line of 4
    declare(w, "F1", FEB, "5")
    declare(w, "F2", FEB, "7", active=False)
    declare(w, "F3", FEB, "4", corrects="F2")
    rollups.refresh_region(w.region.pk, signals=False)
    assert SettlementRollup.objects.get(contract=contract, month=FEB).quantity == D("19")
    assert SettlementRollup.objects.get(contract=contract, month=FEB).lines == 3

    with CaptureQueriesContext(connection) as ctx:
        settlement = selectors.settlement_for(contract, Q1)
    # the rollup, not the lines
    assert not [q for q in ctx.captured_queries if "monitoring_declaration" in q["sql"]]
    assert any("monitoring_settlementrollup" in q["sql"] for q in ctx.captured_queries)
    assert settlement == expected(contract, Q1)
    pxq = next(line for line in settlement.lines if line.component == "pxq")
    # (3 × 10 + 5 + 4) hours × 72,10
    assert (pxq.quantity, pxq.amount) == (D("39"), D("2811.90"))

    client.force_login(users.contract_manager)
    response = client.get(
        reverse(
            "contracts:contract-settlement",
            kwargs={"region": w.region.slug, "pk": contract.pk},
        ),
        {"year": 2026, "first_month": 1, "last_month": 3},
    )
    assert response.context["settlement"] == expected(contract, Q1)
    assert "2.811,90" in response.content.decode()


def test_an_import_refreshes_the_settlement_rollup(world_a):
    """A correction that makes a line inactive: ``refresh_for_import`` of its month (what the
    import service calls) updates settlement as it updates the dashboards."""
    w = world_a
    contract = w.con.contract
    declare(w, "M1", MAR, "6")
    rollups.refresh_for_import(w.region.pk, "declaraties", [(MAR, MAR)])
    before = selectors.settlement_for(contract, Q1)
    assert before == expected(contract, Q1)
    Declaration.objects.filter(reference="M1").update(active=False)
    declare(w, "M2", MAR, "2", corrects="M1")
    rollups.refresh_for_import(w.region.pk, "declaraties", [(MAR, MAR)])
    after = selectors.settlement_for(contract, Q1)
    assert after == expected(contract, Q1)
    pxq = next(line for line in after.lines if line.component == "pxq")
    assert pxq.quantity == D("32")  # 3 × 10 + 2
    assert SettlementRollup.objects.get(contract=contract, month=MAR).quantity == D("12")


def test_refresh_region_removes_rows_of_months_without_lines(world_a):
    w = world_a
    declare(w, "O1", date(2026, 10, 1), "3")
    rollups.refresh_region(w.region.pk, signals=False)
    assert SettlementRollup.objects.filter(month=date(2026, 10, 1)).exists()
    Declaration.objects.filter(reference="O1").delete()
    rollups.refresh_region(w.region.pk, signals=False)
    assert not SettlementRollup.objects.filter(month=date(2026, 10, 1)).exists()
    assert SettlementRollup.objects.filter(contract=w.con.contract).count() == 3
