"""The demo turns on Amsterdam's public page (seed 004 promises the scores per provider per
profile per intensity on the regional website), through the administrator's service."""

import re

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from segments.models import Region


@pytest.mark.django_db
@pytest.mark.xdist_group("demo")  # the worker that recorded the demo replays it
def test_the_demo_publishes_amsterdam_only(client, demo_data, django_assert_max_num_queries):
    ams = Region.objects.get(slug="ams")
    assert ams.public_page_enabled and ams.public_min_cell == 10
    assert any(
        "public_page_enabled" in e.changes_dict for e in LogEntry.objects.get_for_object(ams)
    )
    assert list(Region.objects.filter(public_page_enabled=True)) == [ams]
    page = reverse("public:outcomes", kwargs={"region": "ams"})
    # 9: the 8 of a page without profiles and the outcome measurements linked to trajectories
    with django_assert_max_num_queries(9):
        body = client.get(page, {"periode": "2025"}).content.decode()
    assert "Per ondersteuningsprofiel en intensiteit" in body
    # every count of youths shown (per provider, per profile × intensity) reaches the threshold
    cells = re.findall(r"<td class=\"num\" data-youths>([^<]*)</td>", body)
    counts = [int(c) for c in cells if c.isdigit()]
    assert len(counts) >= 6 and min(counts) >= 10
    assert "te weinig jeugdigen" in cells
    # the scores per provider per profile per intensity: in the latest year, a goal realisation
    # and a client experience of several providers' main profiles, each of 10 youths or more
    body = client.get(page, {"periode": "2026"}).content.decode()
    scored = re.findall(
        r'<tr data-profile="[^"]*"><th scope="row">[^<]*</th><td>[^<]*</td>\s*'
        r'<td class="num" data-youths>(\d+)</td><td class="num">[^<]*</td>'
        r'<td class="num">(\d[^<]*%)</td><td class="num">(\d[^<]*)</td></tr>',
        body,
    )
    assert len(scored) >= 3, scored
    assert min(int(youths) for youths, _goal, _grade in scored) >= 10
    assert client.get(reverse("public:region", kwargs={"region": "wbo"})).status_code == 404
