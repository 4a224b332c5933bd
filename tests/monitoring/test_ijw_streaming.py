"""A large iJw delivery is read in bounded memory: the parser clears every element it has
read, so memory does not grow with the file.

50,000 declaration lines (≈ 25 MB of XML) are read through ``IjwRows``. Limits:

- ``tracemalloc`` peak (Python objects) below 8 MB: a line's values are a few hundred bytes and
  the only state that grows is the location index (8 bytes per client: 40 kB here) and the
  contract cache (one entry per provider × product × date); keeping the lines (or their text)
  would take well over 20 MB;
- growth of the resident set (which also counts libxml2's own tree, invisible to tracemalloc)
  below 40 MB: a tree of the whole file would take several times the file's 25 MB.
"""

from __future__ import annotations

import os
import tracemalloc

import pytest

from monitoring.imports.ijw import IjwRows
from monitoring.imports.validate import Lookups
from providers.models import Provider
from tests.monitoring import ijw_xml as x
from tests.monitoring.test_import_service import BSN

pytestmark = pytest.mark.django_db

AGB = "12345678"
LINES = 50_000
PER_CLIENT = 10


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def write_delivery(path, world) -> int:
    code = world.product.code
    gemeente = world.municipality.cbs_code[2:]
    head = x.jw323(AGB, gemeente, "GROOT-1", [], total=LINES * 7210).split("<Clienten>")[0]
    with open(path, "w", encoding="utf-8") as out:
        out.write(head + "<Clienten>")
        for c in range(LINES // PER_CLIENT):
            out.write(f"<Client><Bsn>{BSN[c % len(BSN)]}</Bsn><Prestaties>")
            for i in range(PER_CLIENT):
                out.write(x.prestatie(f"G{c}-{i}", code, 7210, volume=1))
            out.write("</Prestaties></Client>")
        out.write("</Clienten></Declaratie></Bericht>")
    return os.path.getsize(path)


def test_a_large_delivery_streams_in_bounded_memory(world_a, tmp_path):
    Provider.objects.filter(pk=world_a.provider.pk).update(agb_code=AGB)
    path = tmp_path / "groot.xml"
    size = write_delivery(path, world_a)
    assert size > 24 << 20
    lookups = Lookups.for_region(world_a.region)
    source = IjwRows(path, lookups, file_name="groot.xml")
    start = rss()
    highest = start
    tracemalloc.start()
    try:
        count = 0
        for _row, values, problem in source.rows():
            assert values is not None, problem
            count += 1
            if count % 5000 == 0:
                highest = max(highest, rss())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        source.close()
    assert count == LINES
    assert values[2] == world_a.con.contract.reference
    assert peak < 8 << 20, f"tracemalloc peak {peak / (1 << 20):.1f} MB"
    assert highest - start < 40 << 20, f"RSS grew {(highest - start) / (1 << 20):.1f} MB"
