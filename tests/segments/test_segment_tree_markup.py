"""The segment tree (region overview and the segments page) puts no link inside a <summary>:
a link inside a disclosure's toggle is a nested interactive control (axe-core
``nested-interactive``, WCAG 4.1.2), found by the browser sweep (tests/e2e/test_sweep.py)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["segments:region-detail", "segments:segment-tree"])
def test_no_link_inside_a_summary_and_every_segment_still_linked(client, world_a, users, name):
    client.force_login(users.officer)
    html = client.get(reverse(name, kwargs={"region": world_a.region.slug})).content.decode()
    summaries = re.findall(r"<summary\b.*?</summary>", html, flags=re.S)
    assert summaries, "the segment with a sub-segment folds open"
    assert not [s for s in summaries if "<a " in s], summaries
    for segment in (world_a.segment, world_a.sub_segment):
        assert f'href="{segment.get_absolute_url()}"' in html
