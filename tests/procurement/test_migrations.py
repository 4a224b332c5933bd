"""Migration 0003: the three fixed opening conditions of existing windows become condition rows
of each window's procedure, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("procurement", "0002_event_state_labels")]
AFTER = [("procurement", "0003_admission_conditions_strategy_was")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_fixed_conditions_become_rows_of_their_procedure_and_back():
    try:
        old = migrate(BEFORE)
        region = old.get_model("segments", "Region").objects.create(
            name="Regio M", slug="regio-m", contracting_authority="Inkoopbureau M"
        )
        Tender = old.get_model("procurement", "Tender")
        Window = old.get_model("procurement", "AdmissionWindow")
        t1 = Tender.objects.create(
            region=region, title="Eén", reference="TV-1", procedure_type="conditional"
        )
        t2 = Tender.objects.create(
            region=region, title="Twee", reference="TV-2", procedure_type="conditional"
        )
        for tender, condition, opened, closed in (
            (t1, "wait_times", "2025-01-06", "2025-02-01"),
            (t1, "wait_times", "2025-03-03", "2025-04-01"),
            (t2, "ceasing", "2025-01-06", "2025-02-01"),
        ):
            Window.objects.create(
                tender=tender,
                condition=condition,
                decision="Besluit",
                opened_on=opened,
                closed_on=closed,
            )

        new = migrate(AFTER)
        Condition = new.get_model("procurement", "AdmissionCondition")
        rows = sorted(Condition.objects.values_list("tender_id", "code", "text", "region_id"))
        assert rows == [
            (t1.pk, "wait_times", "Oplopende wachttijden", region.pk),
            (t2.pk, "ceasing", "Een aanbieder stopt", region.pk),
        ]
        windows = new.get_model("procurement", "AdmissionWindow").objects.order_by("pk")
        assert [(w.tender_id, w.condition.code) for w in windows] == [
            (t1.pk, "wait_times"),
            (t1.pk, "wait_times"),
            (t2.pk, "ceasing"),
        ]

        back = migrate(BEFORE)
        codes = back.get_model("procurement", "AdmissionWindow").objects.order_by("pk")
        assert [w.condition for w in codes] == ["wait_times", "wait_times", "ceasing"]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
