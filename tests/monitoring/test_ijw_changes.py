"""iJw changes to earlier messages: a JW301 allocation changed (same ToewijzingNummer with
RedenWijziging), a JW305/JW307 corrected (StatusAanlevering 2) or removed (3), each checked on
the stored rows; a change to an allocation that was never read is refused whole.

World A's contract ``C-regio-a-001`` covers ``world.product`` from 01-01-2025 (see
test_ijw_import.py, whose helpers these tests share).
"""

from __future__ import annotations

from datetime import date

import pytest

from monitoring.models import Allocation, ImportStatus, Trajectory
from providers.models import Provider
from tests.monitoring import ijw_xml as x
from tests.monitoring.test_ijw_import import AGB, gm, line_counts, run
from tests.monitoring.test_import_service import BSN

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world_a):
    Provider.objects.filter(pk=world_a.provider.pk).update(agb_code=AGB)
    return world_a


def allocation_message(world, ident, products, dated="2026-01-20"):
    return x.jw301(gm(world), AGB, ident, BSN[2], products, dated=dated)


def rows(model, **filters):
    return {r.reference: r for r in model.objects.filter(**filters)}


# --- JW301: a changed allocation --------------------------------------------------------------


def test_an_allocation_shortened_in_a_later_delivery(world, tmp_path):
    p = world.product.code
    first = run(
        world,
        tmp_path,
        {"t1.xml": allocation_message(world, "T-1", [x.toegewezen("700001", p, end="2026-12-31")])},
    )
    assert first.status == ImportStatus.SUCCEEDED, first.errors
    shortened = x.toegewezen(
        "700001", p, end="2026-05-31", decided="2026-03-01", at="11:15:00", reason="02"
    )
    second = run(
        world, tmp_path, {"t2.xml": allocation_message(world, "T-2", [shortened], "2026-03-01")}
    )
    assert second.status == ImportStatus.SUCCEEDED, second.errors
    assert (second.rows_added, second.rows_corrected) == (0, 1)
    stored = rows(Allocation)
    assert set(stored) == {"700001", "700001~20260301T111500"}
    old, new = stored["700001"], stored["700001~20260301T111500"]
    assert not old.active and old.end == date(2026, 12, 31)
    assert new.active and new.corrects == "700001" and new.batch_id == second.pk
    assert (new.start, new.end) == (date(2026, 2, 1), date(2026, 5, 31))
    assert new.client_key == old.client_key

    # the same change again, and the first message again: nothing is added or changed
    again = run(
        world, tmp_path, {"t2.xml": allocation_message(world, "T-2", [shortened], "2026-03-01")}
    )
    assert again.status == ImportStatus.SUCCEEDED, again.errors
    assert (again.rows_added, again.rows_corrected, again.rows_unchanged) == (0, 0, 1)
    # a later change corrects the line that holds now, not the original
    withdrawn = x.toegewezen(
        "700001", p, end="2026-02-01", decided="2026-04-02", at="09:00:00", reason="13"
    )
    third = run(
        world,
        tmp_path,
        {
            "t1.xml": allocation_message(
                world, "T-1", [x.toegewezen("700001", p, end="2026-12-31")]
            ),
            "t3.xml": allocation_message(world, "T-3", [withdrawn], "2026-04-02"),
        },
    )
    assert third.status == ImportStatus.SUCCEEDED, third.errors
    assert (third.rows_added, third.rows_corrected, third.rows_unchanged) == (0, 1, 1)
    stored = rows(Allocation)
    assert len(stored) == 3
    latest = stored["700001~20260402T090000"]
    assert latest.active and latest.corrects == "700001~20260301T111500"
    assert latest.start == latest.end == date(2026, 2, 1)  # a withdrawal (13): end = start
    assert [r.reference for r in Allocation.objects.filter(active=True)] == [latest.reference]


def test_a_change_earlier_in_the_same_delivery(world, tmp_path):
    p = world.product.code
    original = allocation_message(
        world,
        "T-1",
        [x.toegewezen("700001", p, end="2026-12-31"), x.toegewezen("700002", p)],
    )
    # OP087: the later message repeats the unchanged 700002 next to the changed 700001; its
    # file name sorts first, the Toewijzingsdatum/-tijd puts it after the original
    changed = allocation_message(
        world,
        "T-2",
        [
            x.toegewezen(
                "700001", p, end="2026-06-30", decided="2026-02-10", at="08:30:00", reason="02"
            ),
            x.toegewezen("700002", p),
        ],
        dated="2026-02-10",
    )
    batch = run(world, tmp_path, {"a-later.xml": changed, "b-first.xml": original})
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert (batch.rows_added, batch.rows_corrected) == (2, 1)
    assert "1 toewijzingsregel" in batch.message  # the repeated 700002, left out
    stored = rows(Allocation, batch=batch)
    assert set(stored) == {"700001", "700002", "700001~20260210T083000"}
    assert not stored["700001"].active
    change = stored["700001~20260210T083000"]
    assert change.active and change.corrects == "700001" and change.end == date(2026, 6, 30)
    assert stored["700002"].active and stored["700002"].end is None


def test_an_older_change_after_a_newer_one_is_left_out(world, tmp_path):
    p = world.product.code
    run(world, tmp_path, {"t1.xml": allocation_message(world, "T-1", [x.toegewezen("7", p)])})
    newer = x.toegewezen("7", p, end="2026-05-31", decided="2026-03-05", reason="02")
    run(world, tmp_path, {"t2.xml": allocation_message(world, "T-2", [newer], "2026-03-05")})
    older = x.toegewezen("7", p, end="2026-09-30", decided="2026-03-01", reason="02")
    batch = run(
        world, tmp_path, {"t3.xml": allocation_message(world, "T-3", [older], "2026-03-06")}
    )
    assert batch.status == ImportStatus.REJECTED  # nothing left to read
    assert "nieuwere versie" in batch.errors[0]["message"]
    active = Allocation.objects.get(active=True)
    assert active.reference == "7~20260305T100000" and active.end == date(2026, 5, 31)


def test_a_change_to_an_allocation_that_was_never_read_is_refused(world, tmp_path):
    p = world.product.code
    before = line_counts()
    changed = x.toegewezen("799999", p, end="2026-05-31", decided="2026-03-01", reason="02")
    fine = x.toegewezen("700003", p)
    batch = run(
        world, tmp_path, {"t.xml": allocation_message(world, "T-9", [fine, changed], "2026-03-01")}
    )
    assert batch.status == ImportStatus.REJECTED
    assert line_counts() == before
    (error,) = batch.errors
    assert "Toewijzing 799999 wordt gewijzigd" in error["message"]
    assert "niet eerder ingelezen" in error["message"]
    assert error["column"].endswith(
        "/Bericht/Client/ToegewezenProducten/ToegewezenProduct[2]/ToewijzingNummer"
    )
    assert "t.xml · bericht T-9" in error["column"]


# --- JW305/JW307: StatusAanlevering 2 and 3 ------------------------------------------------------


def start(world, ident, bsn=BSN[3], status="1", dated="2026-05-02"):
    p = world.product.code
    return x.jw305(
        AGB, gm(world), ident, bsn, [x.start_product("700001", p, status=status)], dated=dated
    )


def stop(world, ident, end="2026-04-30", reason="31", status="1", dated="2026-05-02"):
    p = world.product.code
    return x.jw307(
        AGB,
        gm(world),
        ident,
        BSN[3],
        [x.stop_product("700001", p, end=end, reason=reason, status=status)],
        dated=dated,
    )


KEY = "700001-2026-02-03"


def test_a_jw305_corrected_with_status_2(world, tmp_path):
    first = run(world, tmp_path, {"s1.xml": start(world, "S-1")})
    assert first.status == ImportStatus.SUCCEEDED, first.errors
    fixed = run(world, tmp_path, {"s2.xml": start(world, "S-2", bsn=BSN[4], status="2")})
    assert fixed.status == ImportStatus.SUCCEEDED, fixed.errors
    assert (fixed.rows_added, fixed.rows_corrected) == (0, 1)
    stored = rows(Trajectory)
    assert set(stored) == {KEY, f"{KEY}~S2"}
    assert not stored[KEY].active
    new = stored[f"{KEY}~S2"]
    assert new.active and new.corrects == KEY and new.ended_on is None
    assert new.client_key != stored[KEY].client_key  # the corrected BSN
    # then the stop closes the corrected start
    closed = run(world, tmp_path, {"e1.xml": stop(world, "E-1")})
    assert closed.status == ImportStatus.SUCCEEDED, closed.errors
    stop_row = Trajectory.objects.get(active=True)
    assert (stop_row.reference, stop_row.corrects) == (f"{KEY}-stop", f"{KEY}~S2")
    # a correction of the start after the stop: refused (OP033), nothing imported
    before = line_counts()
    late = run(world, tmp_path, {"s3.xml": start(world, "S-3", status="2")})
    assert late.status == ImportStatus.REJECTED
    assert "al beëindigd" in late.errors[0]["message"]
    assert late.errors[0]["column"].endswith("/StartProduct[1]/StatusAanlevering")
    assert line_counts() == before


def test_a_jw307_corrected(world, tmp_path):
    both = {"s.xml": start(world, "S-1"), "e.xml": stop(world, "E-1")}
    assert run(world, tmp_path, both).status == ImportStatus.SUCCEEDED
    # status 2: a new end date and reason for the stop
    fixed = run(
        world,
        tmp_path,
        {"e2.xml": stop(world, "E-2", end="2026-05-15", reason="32", status="2")},
    )
    assert fixed.status == ImportStatus.SUCCEEDED, fixed.errors
    assert fixed.rows_corrected == 1
    stored = rows(Trajectory)
    assert not stored[f"{KEY}-stop"].active
    new = stored[f"{KEY}-stop~E2"]
    assert new.active and new.corrects == f"{KEY}-stop"
    assert (new.ended_on, new.end_reason) == (date(2026, 5, 15), "03")  # 32 → CBS 03
    # the iJw way (OP033x2): remove the stop (3), then a new stop (1), in one delivery
    files = {
        "e3.xml": stop(world, "E-3", status="3", dated="2026-06-01"),
        "e4.xml": stop(world, "E-4", end="2026-06-12", reason="31", dated="2026-06-02"),
    }
    again = run(world, tmp_path, files)
    assert again.status == ImportStatus.SUCCEEDED, again.errors
    assert again.rows_corrected == 2
    stored = rows(Trajectory)
    reopened, restopped = stored[f"{KEY}-open~E3"], stored[f"{KEY}-stop~E4"]
    assert reopened.corrects == f"{KEY}-stop~E2" and not reopened.active
    assert reopened.ended_on is None and reopened.end_reason == ""
    assert restopped.corrects == f"{KEY}-open~E3" and restopped.active
    assert (restopped.ended_on, restopped.end_reason) == (date(2026, 6, 12), "01")
    assert Trajectory.objects.filter(active=True).count() == 1
    # the same delivery again adds nothing
    repeat = run(world, tmp_path, files)
    assert repeat.status == ImportStatus.SUCCEEDED, repeat.errors
    assert (repeat.rows_added, repeat.rows_corrected, repeat.rows_unchanged) == (0, 0, 2)
    assert Trajectory.objects.count() == 5


def test_removals_status_3(world, tmp_path):
    both = {"s.xml": start(world, "S-1"), "e.xml": stop(world, "E-1")}
    assert run(world, tmp_path, both).status == ImportStatus.SUCCEEDED
    # removing the stop opens the trajectory again
    removed = run(world, tmp_path, {"e2.xml": stop(world, "E-2", status="3")})
    assert removed.status == ImportStatus.SUCCEEDED, removed.errors
    open_row = Trajectory.objects.get(active=True)
    assert (open_row.reference, open_row.corrects) == (f"{KEY}-open~E2", f"{KEY}-stop")
    assert open_row.started_on == date(2026, 2, 3) and open_row.ended_on is None
    # removing it twice: there is no stop left to remove
    before = line_counts()
    twice = run(world, tmp_path, {"e3.xml": stop(world, "E-3", status="3")})
    assert twice.status == ImportStatus.REJECTED
    assert "geen stop (JW307) om te verwijderen" in twice.errors[0]["message"]
    # removing a start: our trajectories cannot express it; refused, the region handles it
    gone = run(world, tmp_path, {"s2.xml": start(world, "S-2", status="3")})
    assert gone.status == ImportStatus.REJECTED
    (error,) = gone.errors
    assert "StatusAanlevering 3" in error["message"] and "regio" in error["message"]
    assert error["column"].endswith("/StartProduct[1]/StatusAanlevering")
    assert line_counts() == before
