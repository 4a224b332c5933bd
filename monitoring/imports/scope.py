"""The production lines a contract has per municipality, for narrowing its municipality scope
(registered in ``contracts.scope`` by ``MonitoringConfig.ready``: contracts never imports
monitoring).

On PostgreSQL the count first takes the region's import lock (``load.LOCK_CLASS``) for the
rest of the caller's transaction: an import that is checking and writing lines in the region
finishes first, and the next import checks its lines against the narrowed scope after its own
lock (``Stage._check_scope``), so no line outside a contract's municipalities slips in between.
"""

from collections import Counter
from collections.abc import Iterable

from django.db import connection
from django.db.models import Count

from monitoring.imports.load import LOCK_CLASS
from monitoring.imports.models import LINE_MODELS


def lines_by_municipality(contract, municipality_ids: Iterable[int]) -> dict[int, int]:
    """{municipality id: number of valid lines of ``contract`` there} (only those with lines)."""
    ids = list(municipality_ids)
    if not ids:
        return {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, contract.region_id])
    found: Counter = Counter()
    for model in LINE_MODELS.values():
        if not any(f.name == "municipality" for f in model._meta.fields):
            continue
        for municipality_id, n in (
            model.objects.filter(contract=contract, active=True, municipality__in=ids)
            .order_by()
            .values("municipality")
            .annotate(n=Count("pk"))
            .values_list("municipality", "n")
        ):
            found[municipality_id] += n
    return dict(found)
