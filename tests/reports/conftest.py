"""Fixtures of the report tests: monitoring figures in the test database.

``monitoring_data``: rollup rows of every grain of ``world_a.con.contract`` (and of world_b's)
for January–October 2026, made by ``tests.monitoring.test_selectors.fill``: per month 20
youths, € 10.000,00 declared, a wait time of 30 days (300 / 10), 18 running trajectories.
"""

import pytest

from tests.monitoring.test_selectors import fill

#: the months ``monitoring_data`` fills (of 2026)
DATA_MONTHS = range(1, 11)


@pytest.fixture
def monitoring_data(world_a, world_b):
    fill(world_a, months=DATA_MONTHS)
    fill(world_b, months=DATA_MONTHS)
    return world_a
