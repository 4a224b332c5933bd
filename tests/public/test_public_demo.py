"""The demo turns on Amsterdam's public page (seed 004 promises the scores per provider per
profile per intensity on the regional website), through the administrator's service."""

import re

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from segments.models import Region


@pytest.mark.django_db
def test_the_demo_publishes_amsterdam_only(client, demo_data, django_assert_max_num_queries):
    ams = Region.objects.get(slug="ams")
    assert ams.public_page_enabled and ams.public_min_cell == 10
    assert any(
        "public_page_enabled" in e.changes_dict for e in LogEntry.objects.get_for_object(ams)
    )
    assert list(Region.objects.filter(public_page_enabled=True)) == [ams]
    page = reverse("public:outcomes", kwargs={"region": "ams"})
    with django_assert_max_num_queries(8):
        body = client.get(page, {"periode": "2025"}).content.decode()
    assert "Per ondersteuningsprofiel en intensiteit" in body
    # every count of youths shown (per provider, per profile × intensity) reaches the threshold
    cells = re.findall(r"<td class=\"num\" data-youths>([^<]*)</td>", body)
    counts = [int(c) for c in cells if c.isdigit()]
    assert len(counts) >= 6 and min(counts) >= 10
    assert "te weinig jeugdigen" in cells
    assert client.get(reverse("public:region", kwargs={"region": "wbo"})).status_code == 404
