"""The demo's iJw sample messages (monitoring/demo/ijw.py) import end to end in every demo
region that has a provider with an AGB code, and a second import adds nothing."""

from __future__ import annotations

import pytest

from monitoring.demo.ijw import eleven_test_bsns, write_samples
from monitoring.imports.pseudonym import is_valid_bsn
from monitoring.imports.services import import_offer
from monitoring.models import Allocation, Declaration, ImportStatus, Trajectory
from segments.models import Region

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


def test_generated_bsns_pass_the_eleven_test():
    numbers = eleven_test_bsns(50, seed=3)
    assert len(set(numbers)) == 50
    assert all(is_valid_bsn(n) for n in numbers)


def test_the_demo_samples_import_end_to_end(demo_data, tmp_path):
    imported = 0
    for region in Region.objects.order_by("slug"):
        paths = write_samples(region, tmp_path / region.slug)
        if not paths:
            continue
        assert [p.name for p in paths] == [
            "ijw-toewijzingen.zip",
            "ijw-trajecten.zip",
            "ijw-declaraties.zip",
        ]
        for path in paths:
            for attempt in (1, 2):
                batch = import_offer(
                    region=region,
                    kind="declaraties",
                    file_format="ijw",
                    path=path,
                    file_name=path.name,
                    run="now",
                    delete_file=False,
                )
                batch.refresh_from_db()
                assert batch.status == ImportStatus.SUCCEEDED, (path.name, batch.errors)
                if attempt == 2:
                    assert batch.rows_added == batch.rows_corrected == 0
                    assert "al eerder ingelezen" in batch.message
        imported += 1
        reference = "DEMO192C"
        credit = Declaration.objects.get(region=region, reference=reference)
        assert credit.corrects == "DEMO192" and credit.amount == 0
        assert not Declaration.objects.get(region=region, reference="DEMO192").active
        assert Allocation.objects.filter(region=region, reference__startswith="19").count() == 1
        stop = Trajectory.objects.get(region=region, reference__endswith="-stop")
        assert stop.active and stop.end_reason == "01"
    assert imported >= 1
