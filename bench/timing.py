"""Server time of a page in this process, shared by the benches (``run.py``, ``pages.py``)."""

from __future__ import annotations

import time


def timed_gets(client, url: str, requests: int, warmup: int) -> tuple[list[float], object]:
    """GET ``url`` ``warmup`` times untimed, then ``requests`` times timed: the times in ms,
    sorted, and the last response. Anything but a 200 ends the bench."""
    times = []
    response = None
    for n in range(warmup + requests):
        started = time.perf_counter()
        response = client.get(url)
        took = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"GET {url}: HTTP {response.status_code}")
        if n >= warmup:
            times.append(took)
    times.sort()
    return times, response


def p95(times: list[float]) -> float:
    """The 95th percentile of sorted ``times`` (nearest rank)."""
    return times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
