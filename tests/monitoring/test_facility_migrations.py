"""Migrations contracts 0006 and monitoring 0005: existing availability arrangements get a
facility (their name, else "Hoofdlocatie"; a name an overlapping one already has gets its
number), and existing occupancy lines the arrangement of their month and its facility."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("contracts", "0005_kpi_step_up"), ("monitoring", "0004_import_batch_provider")]
AFTER = [("contracts", "0006_facility"), ("monitoring", "0005_occupancy_facility")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_arrangements_and_occupancy_get_their_facility():
    try:
        old = migrate(BEFORE)
        region = old.get_model("segments", "Region").objects.create(
            name="Regio F", slug="regio-f", contracting_authority="Inkoopbureau F"
        )
        provider = old.get_model("providers", "Provider").objects.create(
            region=region, name="Aanbieder F", kvk_number="12345678"
        )
        segment = old.get_model("segments", "Segment").objects.create(
            region=region, code="1", name="Verblijf"
        )
        contract = old.get_model("contracts", "Contract").objects.create(
            region=region,
            reference="C-F-1",
            provider=provider,
            segment=segment,
            start_date=date(2025, 1, 1),
            initial_term_years=3,
        )
        Arrangement = old.get_model("contracts", "FundingArrangement")
        common = {
            "contract": contract,
            "model": "availability",
            "places": 4,
            "place_fee": Decimal("1000"),
            "occupancy_threshold_pct": Decimal("50"),
        }
        unnamed = Arrangement.objects.create(
            valid_from=date(2025, 1, 1), valid_until=date(2025, 12, 31), **common
        )
        named = Arrangement.objects.create(
            name="Groep Noord", valid_from=date(2026, 1, 1), **common
        )
        twin = Arrangement.objects.create(name="Groep Noord", valid_from=date(2026, 6, 1), **common)
        pxq = Arrangement.objects.create(
            contract=contract, model="pxq", valid_from=date(2025, 1, 1)
        )
        Occupancy = old.get_model("monitoring", "Occupancy")
        for reference, month in (("B1", date(2025, 3, 1)), ("B2", date(2026, 3, 1))):
            Occupancy.objects.create(
                region=region,
                contract=contract,
                reference=reference,
                month=month,
                places=4,
                occupied_days=Decimal("60"),
            )

        new = migrate(AFTER)
        facilities = dict(
            new.get_model("contracts", "FundingArrangement").objects.values_list("pk", "facility")
        )
        assert facilities == {
            unnamed.pk: "Hoofdlocatie",
            named.pk: "Groep Noord",
            twin.pk: f"Groep Noord ({twin.pk})",  # overlaps Groep Noord from June 2026
            pxq.pk: "",
        }
        lines = new.get_model("monitoring", "Occupancy").objects.order_by("reference")
        assert [(o.reference, o.facility, o.arrangement_id) for o in lines] == [
            ("B1", "Hoofdlocatie", unnamed.pk),
            ("B2", "Groep Noord", named.pk),
        ]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
