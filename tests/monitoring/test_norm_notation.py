"""Norms in the notation of their unit (issue 22: "38000 / 42000 / 46000" on the norms page)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.models import KpiAgreement
from monitoring.steering.models import KpiNorm
from tests.pagetext import visible_text

pytestmark = pytest.mark.django_db


def test_euro_norms_show_euros_with_thousands(client, world_a, users):
    KpiNorm.objects.create(
        segment=world_a.segment,
        kpi="cost_per_client",
        direction="lower",
        norm=Decimal("38000"),
        amber_threshold=Decimal("42000"),
        red_threshold=Decimal("46000"),
    )
    KpiAgreement.objects.create(
        contract=world_a.con.contract,
        kpi="cost_per_client",
        direction="lower",
        norm=Decimal("36000"),
        amber_threshold=Decimal("40000"),
        red_threshold=Decimal("44500.50"),
    )
    client.force_login(users.viewer)
    page = reverse("monitoring:norms", kwargs={"region": world_a.region.slug})
    text = visible_text(client.get(page).content.decode())
    assert "€ 38.000 € 42.000 € 46.000" in text  # the segment's own norm
    assert "€ 36.000 € 40.000 € 44.500,50" in text  # the contract's agreement
    assert "€ 38.000 / € 42.000 / € 46.000" in text  # the segment norm it replaces
    assert "38000" not in text
