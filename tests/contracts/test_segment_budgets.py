"""A segment's free budget and the budget reserved for new providers per year
(contracts.segment_budgets), and the budget page per segment: contracted + free + reserved =
the segment's budget.

World A: the contract C-regio-a-001 in segment 1 has a ceiling 2026 of € 100.000, revised to
€ 110.000 from 1 July 2026.
"""

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts import services
from contracts.models import SegmentBudget
from contracts.segment_budgets import (
    segment_budget_create,
    segment_budget_delete,
    segment_budget_overview,
    segment_budget_update,
)

pytestmark = pytest.mark.django_db


def create(w, kind="free", amount="25000", year=2026, segment=None, **kwargs):
    return segment_budget_create(
        region=w.region,
        segment=segment or w.segment,
        year=year,
        kind=kind,
        amount=Decimal(amount),
        **kwargs,
    )


def test_create_update_delete_are_audited(world_a, users):
    budget = create(world_a, note=" Uitzonderlijke gezinnen ", user=users.officer)
    assert budget.note == "Uitzonderlijke gezinnen" and budget.created_by == users.officer
    segment_budget_update(budget=budget, amount=Decimal("30000"), note="Meer")
    budget.refresh_from_db()
    assert budget.amount == Decimal("30000.00")
    actions = list(
        LogEntry.objects.get_for_object(budget).order_by("pk").values_list("action", flat=True)
    )
    assert actions == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    pk = budget.pk
    segment_budget_delete(budget=budget)
    assert not SegmentBudget.objects.filter(pk=pk).exists()
    assert LogEntry.objects.filter(
        object_pk=str(pk), action=LogEntry.Action.DELETE, content_type__model="segmentbudget"
    ).exists()


def test_refusals(world_a, world_b):
    with pytest.raises(ValidationError) as error:
        create(world_a, amount="-0.01")
    assert error.value.message_dict == {"amount": ["Een budget kan niet negatief zijn."]}
    with pytest.raises(ValidationError) as error:
        create(world_a, segment=world_b.segment)
    assert "hoort niet bij Regio A" in error.value.message_dict["segment"][0]
    create(world_a, kind="reserved")
    with pytest.raises(ValidationError) as error:
        create(world_a, kind="reserved", amount="1")
    assert error.value.message_dict["kind"] == [
        "Gereserveerd voor nieuwe aanbieders van segment 1 Hoog specialistisch A voor 2026 "
        "bestaat al (€ 25.000,00); wijzig dat bedrag in plaats van een tweede vast te leggen."
    ]
    # one per segment, year and kind: another year or kind is fine
    create(world_a, kind="reserved", year=2027)
    create(world_a, kind="free")
    with pytest.raises(ValidationError):
        segment_budget_update(budget=SegmentBudget.objects.get(kind="free"), amount=Decimal("-1"))
    assert SegmentBudget.objects.get(kind="free").amount == Decimal("25000.00")
    assert SegmentBudget.objects.count() == 3


def test_overview_adds_contracted_free_and_reserved(world_a, users):
    w = world_a
    # a second contract on the sub-segment with two profile ceilings and no whole budget
    from segments.models import SupportProfile

    other = services.contract_create(
        region=w.region,
        reference="K-SUB",
        provider=w.distant_provider,
        segment=w.sub_segment,
        start_date=date(2026, 1, 1),
        initial_term_years=1,
    )
    for number, amount in ((1, "3000"), (2, "4500.50")):
        services.budget_set(
            contract=other,
            year=2026,
            kind="ceiling",
            amount=Decimal(amount),
            support_profile=SupportProfile.objects.create(
                region=w.region, number=number, name=f"Profiel {number}"
            ),
        )
    create(w, kind="free", amount="25000")
    create(w, kind="reserved", amount="40000.25")
    create(w, kind="free", amount="999", year=2027)  # another year
    overview = segment_budget_overview(w.region, 2026, users.viewer)
    rows = {r.segment.code: r for r in overview["rows"]}
    assert list(rows) == ["1", "1a"]
    # segment 1: the ceiling after its revision (€ 110.000) + 25.000 + 40.000,25
    assert rows["1"].contracted == Decimal("110000.00") and rows["1"].contracts == 1
    assert rows["1"].free.amount == Decimal("25000.00")
    assert rows["1"].total == Decimal("175000.25")
    # segment 1a: only profile ceilings: 3.000 + 4.500,50
    assert rows["1a"].contracted == Decimal("7500.50") and rows["1a"].free is None
    assert overview["contracted"] == Decimal("117500.50")
    assert overview["total"] == Decimal("182500.75")
    assert overview["free"] + overview["reserved"] == Decimal("65000.25")


def url(w, name="segment-budgets", **kwargs):
    return reverse(f"contracts:{name}", kwargs={"region": w.region.slug, **kwargs})


def test_the_page_and_its_form(client, world_a, users):
    w = world_a
    client.force_login(users.contract_manager)
    page = client.get(url(w) + "?jaar=2026").content.decode()
    assert "Budget per segment 2026" in page and "€ 110.000,00" in page
    response = client.post(
        url(w, "segment-budget-create"),
        {"segment": w.segment.pk, "year": 2026, "kind": "reserved", "amount": "12500"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?jaar=2026")
    # the same again: the service's refusal at its field, nothing saved
    response = client.post(
        url(w, "segment-budget-create"),
        {"segment": w.segment.pk, "year": 2026, "kind": "reserved", "amount": "1"},
    )
    assert response.status_code == 200 and "bestaat al" in response.content.decode()
    budget = SegmentBudget.objects.get()
    response = client.post(
        url(w, "segment-budget-update", pk=budget.pk), {"amount": "-5", "note": ""}
    )
    assert response.status_code == 200 and SegmentBudget.objects.get().amount == 12500
    client.post(url(w, "segment-budget-update", pk=budget.pk), {"amount": "15000", "note": "x"})
    assert SegmentBudget.objects.get().amount == 15000
    page = client.get(url(w) + "?jaar=2026").content.decode()
    # 110.000 + 15.000 = 125.000
    assert "€ 15.000,00" in page and "€ 125.000,00" in page
    client.post(url(w, "segment-budget-delete", pk=budget.pk))
    assert not SegmentBudget.objects.exists()
    # a viewer reads, without the form
    client.force_login(users.viewer)
    page = client.get(url(w) + "?jaar=2026").content.decode()
    assert "€ 110.000,00" in page and "segmentbudgetten/nieuw/" not in page
    assert client.get(url(w, "segment-budget-create")).status_code == 403


def test_another_regions_budget_is_not_found(client, world_a, world_b, users):
    theirs = create(world_b)
    client.force_login(users.officer)
    for name in ("segment-budget-update", "segment-budget-delete"):
        assert client.get(url(world_a, name, pk=theirs.pk)).status_code == 404
    response = client.post(
        url(world_a, "segment-budget-create"),
        {"segment": world_b.segment.pk, "year": 2026, "kind": "free", "amount": "1"},
    )
    assert response.status_code == 200 and not SegmentBudget.objects.filter(region=world_a.region)
