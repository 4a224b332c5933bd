"""The public pages of a region: no login, opt-in, nothing non-public, small cells suppressed,
cached, a bounded number of queries (docs/public.md)."""

import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract
from core.scoping import Scope
from procurement import models as pm
from providers.models import AnnualAccount
from segments.services import region_public_page_set
from tests.accounts.factories import provider_user
from tests.portal.conftest import portal_login

PAGES = ("public:region", "public:procedures", "public:contracts", "public:outcomes")


def url(name, region, **kwargs):
    return reverse(name, kwargs={"region": region.slug, **kwargs})


def row(body: str, provider: str) -> list[str]:
    """The cells of the outcome table's row of ``provider``, as text."""
    match = re.search(rf'<tr data-provider="{re.escape(provider)}">(.*?)</tr>', body, re.S)
    assert match, provider
    return [
        re.sub(r"\s+", " ", c).strip()
        for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", match[1], re.S)
    ]


@pytest.mark.django_db
def test_anonymous_reads_an_enabled_region_and_gets_404_for_a_disabled_one(
    client, public_world, world_a, world_b
):
    for name in PAGES:
        response = client.get(url(name, world_a.region))
        assert response.status_code == 200, name
        assert "Regio A" in response.content.decode()
        assert client.get(url(name, world_b.region)).status_code == 404, name
    body = client.get(url("public:region", world_a.region)).content.decode()
    # the care landscape: the segment, its care form, the contracted provider and where it serves
    assert "Hoog specialistisch A" in body and "Zorg A Dichtbij" in body
    assert "Begeleiding A" in body and "Gemeente A1" in body
    assert reverse("api:regio-ocds", kwargs={"code": world_a.region.slug}) in body
    index = client.get(reverse("public:index")).content.decode()
    assert "Regio A" in index and "Regio B" not in index
    # turned off again: 404
    region_public_page_set(region=world_a.region, enabled=False, min_cell=10)
    assert client.get(url("public:region", world_a.region)).status_code == 404


@pytest.mark.django_db
def test_a_provider_portal_user_may_read_the_public_pages(client, public_world, world_a):
    portal_login(client, provider_user(world_a.provider, "admin"))
    assert client.get(url("public:contracts", world_a.region)).status_code == 200
    # before the second factor too: the pages are public
    client.force_login(provider_user(world_a.provider, "employee"))
    assert client.get(url("public:region", world_a.region)).status_code == 200


@pytest.mark.django_db
def test_nothing_that_is_not_public_leaks(client, public_world, world_a):
    proc = world_a.proc
    now = timezone.now()
    # a draft procedure with a document and a lot, and a contract under that lot
    draft_doc = pm.TenderDocument(tender=proc.draft, title="Conceptleidraad")
    draft_doc.file.save("concept.txt", ContentFile(b"Concept"), save=True)
    draft_lot = pm.Lot.objects.create(tender=proc.draft, number=1, segment=world_a.segment)
    Contract.objects.create(
        region=world_a.region,
        reference="C-CONCEPT-1",
        provider=world_a.distant_provider,
        segment=world_a.segment,
        lot=draft_lot,
        start_date=date(2025, 1, 1),
        initial_term_years=1,
    )
    # a procedure before its deadline with a sealed submission and its file
    sealed = pm.Tender.objects.create(
        region=world_a.region,
        reference="SEALED-1",
        title="Lopende aanbesteding",
        procedure_type="tender",
        state="published",
        submission_deadline=now + timedelta(days=10),
    )
    sealed_lot = pm.Lot.objects.create(tender=sealed, number=1, segment=world_a.segment)
    submission = pm.Submission.objects.create(
        tender=sealed, lot=sealed_lot, provider=world_a.provider, number=1, received_at=now
    )
    # a provider's own document (its annual account)
    account = AnnualAccount.objects.filter(provider=world_a.provider).first()

    scope = Scope.public(world_a.region)
    assert not pm.Tender.objects.visible_to(scope).filter(state="draft").exists()
    assert not pm.TenderDocument.objects.visible_to(scope).filter(pk=draft_doc.pk).exists()
    assert not pm.Submission.objects.visible_to(scope).exists()
    assert not pm.SubmissionFile.objects.visible_to(scope).exists()
    assert not pm.Score.objects.visible_to(scope).exists()
    assert not pm.ConsensusScore.objects.visible_to(scope).exists()
    assert not pm.Question.objects.visible_to(scope).exists()
    assert not AnnualAccount.objects.visible_to(scope).exists()
    assert not Contract.objects.visible_to(scope).filter(reference="C-CONCEPT-1").exists()
    assert account is None or not AnnualAccount.objects.visible_to(scope).filter(pk=account.pk)
    # nothing of region B either
    assert (
        not Contract.objects.visible_to(scope)
        .filter(region=public_world.far.region)
        .exclude(region=world_a.region)
    )

    procedures = client.get(url("public:procedures", world_a.region)).content.decode()
    assert "Partners regio-a" in procedures and "Lopende aanbesteding" in procedures
    assert "Concept" not in procedures and "Conceptleidraad" not in procedures
    assert "Beste inschrijving" not in procedures  # an outcome reason of a submission
    assert "Inkoopleidraad" in procedures
    document = client.get(url("public:document", world_a.region, pk=proc.document.pk))
    assert document.status_code == 200
    assert b"".join(document.streaming_content) == b"Leidraad"
    assert client.get(url("public:document", world_a.region, pk=draft_doc.pk)).status_code == 404
    contracts = client.get(url("public:contracts", world_a.region)).content.decode()
    assert "C-regio-a-001" in contracts and "C-CONCEPT-1" not in contracts
    assert str(submission.pk) not in re.findall(r"inschrijving[^<]*", contracts)
    landscape = client.get(url("public:region", world_a.region)).content.decode()
    assert "C-CONCEPT-1" not in landscape


@pytest.mark.django_db
def test_small_cells_are_suppressed_at_the_regions_threshold(client, public_world, world_a):
    page = url("public:outcomes", world_a.region)
    body = client.get(page, {"periode": "2026-03"}).content.decode()
    assert "maart 2026" in body
    # 10 youths at threshold 10: the count and the mean goal realisation (700 / 10) are shown
    assert row(body, "Zorg A Dichtbij")[:3] == ["Zorg A Dichtbij", "10", "–"]
    assert row(body, "Zorg A Dichtbij")[3] == "70%"
    # 9 youths: no figure at all
    far = row(body, "Zorg A Veraf")
    assert far[1:] == ["te weinig jeugdigen"] * 4
    assert "80%" not in body
    # no total that would give the 9 away (19 - 10)
    assert "19" not in re.sub(r"<[^>]+>", " ", body).split()
    # the administrator lowers the threshold to 5: the 9 shows, at once (cache key)
    region_public_page_set(region=world_a.region, enabled=True, min_cell=5)
    body = client.get(page, {"periode": "2026-03"}).content.decode()
    assert row(body, "Zorg A Veraf")[1] == "9" and row(body, "Zorg A Veraf")[3] == "80%"


@pytest.mark.django_db
def test_the_period_selector_reads_a_quarter_and_a_year(client, public_world, world_a):
    page = url("public:outcomes", world_a.region)
    body = client.get(page, {"periode": "2026-K1"}).content.decode()
    assert "1e kwartaal 2026" in body and row(body, "Zorg A Dichtbij")[1] == "10"
    body = client.get(page).content.decode()  # default: the latest year with figures
    assert '<option value="2026" selected>' in body
    # an unknown period falls back to the default instead of failing
    assert client.get(page, {"periode": "1999-13"}).status_code == 200


@pytest.mark.django_db
def test_pages_are_cached_per_region_language_and_period(client, public_world, world_a):
    page = url("public:region", world_a.region)
    assert "Zorg A Dichtbij" in client.get(page).content.decode()
    provider = world_a.provider
    type(provider).objects.filter(pk=provider.pk).update(name="Zorg A Hernoemd")
    assert "Zorg A Dichtbij" in client.get(page).content.decode()  # from the cache
    english = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Zorg A Hernoemd" in english  # another language: its own entry
    cache.clear()
    assert "Zorg A Hernoemd" in client.get(page).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_queries_are_bounded(client, public_world, world_a, django_assert_max_num_queries, name):
    # more of everything adds no query
    for n in range(3):
        Contract.objects.create(
            region=world_a.region,
            reference=f"C-EXTRA-{n}",
            provider=world_a.consortium,
            segment=world_a.segment,
            start_date=date(2025, 1, 1),
            initial_term_years=3,
            end_date=date(2027, 12, 31),
        )
    page = url(name, world_a.region)
    with django_assert_max_num_queries(8):
        assert client.get(page, {"periode": "2026-03"}).status_code == 200
    with django_assert_max_num_queries(2):  # cached: the region (and the periods)
        assert client.get(page, {"periode": "2026-03"}).status_code == 200
