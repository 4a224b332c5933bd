"""The portal after the award: the provider's contracts (tariffs now and earlier, budgets and
ceilings and their use, nothing region-internal), production deliveries through the import
service bound to the provider, and the provider's API keys.

World A's contract ``C-regio-a-001`` of ``world_a.provider`` runs from 01-01-2025; the product's
regional tariff is € 70,00 from 2025 and € 72,10 from 2026; its own tariff of the stay product
is € 150,00; its 2026 ceiling of € 100.000,00 is revised to € 110.000,00 per 01-07-2026
("Meer aanmeldingen"). Today is pinned at 15 June 2026.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from api.models import ApiClient, ApiKey, ClientKind
from contracts import services as contract_services
from contracts.models import Budget, ContractEvent, TariffVersion
from monitoring.models import Declaration, ImportBatch, ImportStatus, KpiRollup
from tests.monitoring.test_import_service import BSN, declaration_csv

from .conftest import portal_login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned_today(time_machine):
    time_machine.move_to(datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))


@pytest.fixture(autouse=True)
def spool_dir(settings, tmp_path):
    settings.IMPORT_SPOOL_DIR = tmp_path / "spool"
    return settings.IMPORT_SPOOL_DIR


def url(name, provider, **kwargs):
    return reverse(f"portal:{name}", kwargs={"provider": provider.pk, **kwargs})


def other_contract(world, provider, reference):
    return contract_services.contract_create(
        region=world.region,
        reference=reference,
        provider=provider,
        segment=world.segment,
        start_date=date(2025, 1, 1),
        initial_term_years=3,
    )


def upload(client, provider, text, *, kind="declaraties", name="productie.csv", **extra):
    content = text.encode() if isinstance(text, str) else text
    return client.post(
        url("production-upload", provider),
        {"kind": kind, "file": SimpleUploadedFile(name, content), **extra},
    )


# ---------------------------------------------------------------- contracts


def test_the_provider_sees_its_own_contracts_and_its_consortiums(client, world_a, portal):
    consortium = other_contract(world_a, world_a.consortium, "C-verband")
    distant = other_contract(world_a, world_a.distant_provider, "C-veraf")
    portal_login(client, portal.employee)
    html = client.get(url("contracts", world_a.provider)).content.decode()
    assert world_a.con.contract.reference in html
    assert consortium.reference in html  # the consortium it leads
    assert distant.reference not in html
    # the consortium's own page lists the consortium's contract only
    html = client.get(url("contracts", world_a.consortium)).content.decode()
    assert consortium.reference in html and world_a.con.contract.reference not in html


def test_the_contract_page_shows_tariffs_now_and_earlier_and_the_budgets(client, world_a, portal):
    portal_login(client, portal.employee)
    response = client.get(url("contract-detail", world_a.provider, pk=world_a.con.contract.pk))
    assert response.status_code == 200
    html = response.content.decode()
    tariffs = response.context["tariffs"]
    by_code = {row["product"].code: row for row in tariffs}
    regional = by_code[world_a.product.code]["lines"]
    # the history, oldest first, and only the 2026 version in force on 15 June 2026
    assert [(line["version"].amount, line["in_force"]) for line in regional] == [
        (Decimal("70.00"), False),
        (Decimal("72.10"), True),
    ]
    own = by_code[world_a.con.stay_product.code]["lines"]
    assert [(line["version"].amount, line["in_force"]) for line in own] == [
        (Decimal("150.00"), True)
    ]
    assert "€ 70,00" in html and "€ 72,10" in html and "€ 150,00" in html
    # the ceiling: original, current after the revision, and the revision's reason
    assert "€ 100.000,00" in html and "€ 110.000,00" in html and "Meer aanmeldingen" in html
    # term, extensions and KPI agreements
    assert "3 + 1 + 1" in html and "1 van 2 verlengingsopties benut" in html
    assert "Gemeente A1" in html and "Gemeente A2" not in html  # A2 takes no part
    assert response.context["kpis"][0].norm == Decimal("28")


def test_region_internal_notes_are_not_on_the_providers_page(client, world_a, portal):
    con = world_a.con
    Budget.objects.filter(pk=con.ceiling.pk).update(note="Intern: afbouwen na 2027")
    TariffVersion.objects.filter(pk=con.regional_tariff.pk).update(note="Intern: onderhandeld")
    ContractEvent.objects.filter(pk=con.extension.pk).update(reason="Intern: twijfel")
    portal_login(client, portal.admin)
    html = client.get(url("contract-detail", world_a.provider, pk=con.contract.pk)).content.decode()
    assert "Intern:" not in html
    # the region's own staff page does show them (they exist)
    assert Budget.objects.get(pk=con.ceiling.pk).note.startswith("Intern")


def test_another_providers_contract_is_a_404_through_every_door(client, world_a, world_b, portal):
    distant = other_contract(world_a, world_a.distant_provider, "C-veraf")
    portal_login(client, portal.admin)
    for pk in (distant.pk, world_b.con.contract.pk):
        assert client.get(url("contract-detail", world_a.provider, pk=pk)).status_code == 404
        assert client.get(url("contract-detail", world_a.consortium, pk=pk)).status_code == 404
    # the administrator of the distant provider does not see world A's provider's contract
    portal_login(client, portal.distant_admin)
    own = url("contract-detail", world_a.distant_provider, pk=world_a.con.contract.pk)
    assert client.get(own).status_code == 404
    assert (
        client.get(url("contract-detail", world_a.distant_provider, pk=distant.pk)).status_code
        == 200
    )


# ---------------------------------------------------------------- production


def test_an_upload_is_imported_for_the_provider_and_refreshes_the_figures(
    client, world_a, portal, spool_dir, django_capture_on_commit_callbacks
):
    portal_login(client, portal.employee)
    text = declaration_csv(world_a, [{}, {"referentie": "R2"}])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, world_a.provider, text)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("batch-detail", world_a.provider, pk=batch.pk)
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert (batch.provider, batch.created_by, batch.rows_added) == (
        world_a.provider,
        portal.employee,
        2,
    )
    assert Declaration.objects.filter(batch=batch).count() == 2
    assert list(spool_dir.iterdir()) == []  # the spooled file (with BSNs) is gone
    # the BSN is pseudonymised at the door: none stored
    assert not Declaration.objects.filter(client_key__in=BSN).exists()
    # the rollups of April 2026 are refreshed as for a staff import: 2 × € 721,00
    rollup = KpiRollup.objects.get(
        grain="provider", key=f"p{world_a.provider.pk}", month=date(2026, 4, 1)
    )
    assert rollup.amount == Decimal("1442.00")
    assert batch.months == ["2026-04-01"]
    # the delivery is audited with the acting user
    entry = LogEntry.objects.get_for_object(batch).order_by("timestamp").first()
    assert entry.action == LogEntry.Action.CREATE

    page = client.get(response["Location"]).content.decode()
    assert "Geïmporteerd" in page and "2 regels toegevoegd" in page
    listing = client.get(url("production", world_a.provider)).content.decode()
    assert "productie.csv" in listing

    # the same file again adds nothing
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, world_a.provider, text)
    again = ImportBatch.objects.exclude(pk=batch.pk).get()
    assert (again.status, again.rows_added, again.rows_unchanged) == (ImportStatus.SUCCEEDED, 0, 2)
    # the world's three and these two
    assert Declaration.objects.filter(contract=world_a.con.contract).count() == 3 + 2


def test_a_row_of_another_providers_contract_refuses_the_whole_file(
    client, world_a, portal, django_capture_on_commit_callbacks
):
    distant = other_contract(world_a, world_a.distant_provider, "C-veraf")
    before = Declaration.objects.count()
    portal_login(client, portal.admin)
    text = declaration_csv(world_a, [{}, {"contract": distant.reference}, {}])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, world_a.provider, text)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.REJECTED
    assert batch.errors == [
        {
            "row": 3,
            "column": "contract",
            "message": "Onbekend contract 'C-veraf': Zorg A Dichtbij heeft geen contract met "
            "dit kenmerk in Regio A; lever alleen regels van uw eigen contracten aan.",
        }
    ]
    assert Declaration.objects.count() == before  # all or nothing
    page = client.get(url("batch-detail", world_a.provider, pk=batch.pk)).content.decode()
    assert "Afgewezen" in page and "C-veraf" in page


def test_the_error_report_never_holds_a_bsn(
    client, world_a, portal, django_capture_on_commit_callbacks
):
    portal_login(client, portal.admin)
    # a BSN in the wrong column (contract) and a bad one in its own column
    text = declaration_csv(world_a, [{"contract": BSN[2]}, {"bsn": "123456789"}])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, world_a.provider, text)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.REJECTED
    response = client.get(url("batch-errors", world_a.provider, pk=batch.pk))
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0] == ["regel", "kolom", "melding"]
    assert {(r[0], r[1]) for r in rows[1:]} == {("2", "contract"), ("3", "bsn")}
    assert BSN[2] not in body and "123456789" not in body
    assert f"****{BSN[2][-4:]}" in body and "****6789" in body
    assert BSN[2] not in str(batch.errors)


@pytest.mark.parametrize(
    "name, content, field, fragment",
    [
        ("productie.pdf", b"%PDF-1.7 ...", "file_format", "niet te bepalen"),
        ("productie.csv", b"", "file", "leeg"),
        ("productie.csv", b"x" * 2048, "file", "het maximum is 1,0 kB"),
    ],
)
def test_a_file_of_the_wrong_type_or_size_is_refused_before_anything_is_stored(
    client, world_a, portal, settings, spool_dir, name, content, field, fragment
):
    settings.IMPORT_MAX_BYTES = 1024
    portal_login(client, portal.employee)
    response = upload(client, world_a.provider, content, name=name)
    assert response.status_code == 200
    assert any(fragment in e for e in response.context["form"].errors[field])
    assert not ImportBatch.objects.exists()
    assert not spool_dir.exists() or list(spool_dir.iterdir()) == []


def test_with_a_worker_the_delivery_is_queued_and_says_so(client, world_a, portal):
    portal_login(client, portal.employee)
    # the commit callbacks are not run here: as when a worker picks the task up later
    response = upload(client, world_a.provider, declaration_csv(world_a, [{}]))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.QUEUED and batch.provider == world_a.provider
    page = client.get(response["Location"]).content.decode()
    assert "In de wachtrij" in page and "http-equiv" not in page
    status = f"/portaal/{world_a.provider.pk}/productie/{batch.pk}/status/"
    assert f'data-status-url="{status}"' in page
    data = client.get(status).json()
    assert (data["state"], data["finished"], data["percentage"]) == ("queued", False, 0)
    listing = client.get(f"/portaal/{world_a.provider.pk}/productie/").content.decode()
    assert "1 aanlevering wordt nog verwerkt" in listing and "http-equiv" not in listing
    assert f'data-status-url="{status}"' in listing


def test_another_providers_or_the_regions_batch_is_a_404(client, world_a, world_b, portal):
    from monitoring.imports.services import batch_create

    def batch(provider, region):
        return batch_create(
            region=region,
            kind="declaraties",
            file_format="csv",
            file_name="x.csv",
            file_size=1,
            provider=provider,
        )

    staff = batch(None, world_a.region)
    distant = batch(world_a.distant_provider, world_a.region)
    other_region = batch(world_b.provider, world_b.region)
    own = batch(world_a.provider, world_a.region)
    portal_login(client, portal.admin)
    for foreign in (staff, distant, other_region):
        for name in ("batch-detail", "batch-errors"):
            assert client.get(url(name, world_a.provider, pk=foreign.pk)).status_code == 404
    # the consortium's page does not show the provider's own batch either
    assert client.get(url("batch-detail", world_a.consortium, pk=own.pk)).status_code == 404
    listing = client.get(url("production", world_a.provider))
    assert [b.pk for b in listing.context["batches"]] == [own.pk]


# ---------------------------------------------------------------- API keys


def create_key(client, provider, **data):
    return client.post(
        url("api-keys", provider),
        {
            "name": "Cliëntsysteem",
            "scopes": ["contracten-lezen", "productie-schrijven"],
            "contact_email": "ict@example.org",
            "expires_on": "2027-06-01",
            **data,
        },
    )


def test_the_administrator_creates_a_key_that_is_shown_once_and_reads_only_its_own(
    client, world_a, world_b, portal
):
    distant = other_contract(world_a, world_a.distant_provider, "C-veraf")
    portal_login(client, portal.admin)
    response = create_key(client, world_a.provider)
    assert response.status_code == 302
    api_client = ApiClient.objects.get(provider=world_a.provider)
    assert api_client.kind == ClientKind.PROVIDER
    assert api_client.name == "Zorg A Dichtbij: Cliëntsysteem"
    assert api_client.scopes == ["contracten-lezen", "productie-schrijven"]
    assert api_client.created_by == portal.admin
    assert LogEntry.objects.get_for_object(api_client).exists()

    page = client.get(url("api-keys", world_a.provider))
    token = page.context["new_token"]["token"]
    assert token.startswith("jk_") and token in page.content.decode()
    assert "no-cache" in page["Cache-Control"]
    again = client.get(url("api-keys", world_a.provider))
    assert again.context["new_token"] is None and token not in again.content.decode()

    api = Client(HTTP_HOST="testserver")
    answer = api.get("/api/v1/contracten", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    ids = {c["id"] for c in answer.json()["resultaten"]}
    assert ids == {world_a.con.contract.pk}
    assert distant.pk not in ids and world_b.con.contract.pk not in ids


def test_an_employee_sees_the_keys_but_cannot_create_or_revoke(client, world_a, portal):
    portal_login(client, portal.admin)
    create_key(client, world_a.provider)
    api_client = ApiClient.objects.get()
    portal_login(client, portal.employee)
    page = client.get(url("api-keys", world_a.provider))
    assert page.status_code == 200
    assert "Cliëntsysteem" in page.content.decode() and "form" not in page.context
    assert create_key(client, world_a.provider, name="Tweede").status_code == 403
    revoke = client.post(url("api-client-revoke", world_a.provider, pk=api_client.pk))
    assert revoke.status_code == 403
    assert ApiClient.objects.count() == 1 and ApiClient.objects.get().is_active


def test_revoking_stops_every_key_of_the_client(client, world_a, portal):
    portal_login(client, portal.admin)
    create_key(client, world_a.provider)
    token = client.get(url("api-keys", world_a.provider)).context["new_token"]["token"]
    api_client = ApiClient.objects.get()
    response = client.post(url("api-client-revoke", world_a.provider, pk=api_client.pk))
    assert response.status_code == 302
    api_client.refresh_from_db()
    assert not api_client.is_active
    assert ApiKey.objects.get(client=api_client).revoked_at is not None
    api = Client(HTTP_HOST="testserver")
    answer = api.get("/api/v1/contracten", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401


def test_a_key_form_with_bad_input_says_why_and_saves_nothing(client, world_a, portal):
    portal_login(client, portal.admin)
    response = create_key(client, world_a.provider, name="", scopes=[], expires_on="2020-01-01")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"name", "scopes", "expires_on"}
    # a scope a provider may not hold
    response = create_key(client, world_a.provider, scopes=["inrichting-schrijven"])
    assert "scopes" in response.context["form"].errors
    assert not ApiClient.objects.exists()
    # the same name twice
    create_key(client, world_a.provider)
    response = create_key(client, world_a.provider)
    assert response.context["form"].errors["name"] == ["U hebt al een sleutel met deze naam."]
    assert ApiClient.objects.count() == 1


def test_another_providers_client_cannot_be_revoked(client, world_a, portal):
    from api.services import api_client_create

    foreign, _token = api_client_create(
        region=world_a.region,
        name="Veraf-systeem",
        kind=ClientKind.PROVIDER,
        scopes=["productie-schrijven"],
        provider=world_a.distant_provider,
    )
    portal_login(client, portal.admin)
    response = client.post(url("api-client-revoke", world_a.provider, pk=foreign.pk))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active
    listing = client.get(url("api-keys", world_a.provider)).content.decode()
    assert "Veraf-systeem" not in listing


# ---------------------------------------------------------------- the overview panel


def test_the_overview_panel_shows_running_contracts_budget_use_and_the_last_delivery(
    client, world_a, portal, django_capture_on_commit_callbacks
):
    portal_login(client, portal.employee)
    html = client.get(url("overview", world_a.provider)).content.decode()
    assert "1 lopend contract (van 1)" in html
    assert "Nog geen productie aangeleverd." in html
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, world_a.provider, declaration_csv(world_a, [{}, {}]))
    html = client.get(url("overview", world_a.provider)).content.decode()
    # January–June 2026: the two April lines (2 × € 721,00) against the revised ceiling
    assert "Gedeclareerd in 2026: € 1.442,00" in html
    assert "van € 110.000,00 aan budgetten en plafonds" in html
    assert "productie.csv" in html
