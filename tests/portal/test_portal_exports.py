"""The provider portal's lists download as CSV and Excel, with the provider's own rows only and
no cell a formula; every portal page that shows a table of records offers its download (found
by what the page shows: ``tests.test_exports.tables_without_downloads``)."""

import pytest
from django.urls import reverse

from tests.test_exports import (  # noqa: F401 - the world with names that are formulas
    EVIL,
    csv_rows,
    evil,
    tables_without_downloads,
    xlsx_cells,
)
from tests.test_scoping_matrix import world_a  # noqa: F401 - the matrix world

from .conftest import portal_login
from .test_portal_matrix import EXPECT, OK, ROLES, portal_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal_ids(portal):
    from providers.models import ProviderUser

    portal.employee_membership = ProviderUser.objects.get(user=portal.employee)
    return portal


def portal_urls(w, portal, role):
    for name, kwargs, kind in portal_pages(w, portal):
        if EXPECT[kind][ROLES.index(role)] == OK:
            yield name, reverse(name, kwargs=kwargs)


def test_every_portal_page_with_downloads_is_in_the_portal_matrix():
    from tests.test_exports import exporting_pages

    class Fake:
        def __getattr__(self, item):
            return Fake()

        pk = 1

    covered = {name for name, _kwargs, _kind in portal_pages(Fake())}
    portal = {name for name in exporting_pages() if name.startswith("portal:")}
    assert portal and portal - covered == set()


def test_every_portal_page_with_a_table_of_records_offers_downloads(client, evil, portal_ids):  # noqa: F811
    for role, person in (("admin", portal_ids.admin), ("distant_admin", portal_ids.distant_admin)):
        portal_login(client, person)
        missing = tables_without_downloads(client, portal_urls(evil, portal_ids, role))
        assert missing == {}, "\n".join(sorted(missing))


def test_portal_downloads_hold_only_the_providers_own_rows(client, evil, portal_ids):  # noqa: F811
    from monitoring.imports.services import batch_create

    w = evil
    batch_create(
        region=w.region,
        kind="declaraties",
        file_format="csv",
        file_name="eigen.csv",
        file_size=10,
        provider=w.provider,
    )
    batch_create(
        region=w.region,
        kind="declaraties",
        file_format="csv",
        file_name="van-een-ander.csv",
        file_size=10,
        provider=w.distant_provider,
    )
    portal_login(client, portal_ids.admin)
    own = {"provider": w.provider.pk}
    files = {
        row[2]
        for row in csv_rows(
            client.get(
                reverse("portal:production", kwargs=own),
                {"export": "csv", "tabel": "aanleveringen"},
            )
        )[1:]
    }
    assert "eigen.csv" in files and "van-een-ander.csv" not in files
    contracts = csv_rows(
        client.get(
            reverse("portal:contracts", kwargs=own), {"export": "csv", "tabel": "contracten"}
        )
    )
    assert contracts[0][0] == "Kenmerk"
    assert {row[0] for row in contracts[1:]} == {"'" + EVIL["contract"]}  # neutralised
    # another provider's page: no download either
    other = reverse("portal:contracts", kwargs={"provider": w.distant_provider.pk})
    assert client.get(other, {"export": "csv", "tabel": "contracten"}).status_code == 404


def test_the_api_keys_download_holds_no_key_material(client, evil, portal_ids):  # noqa: F811
    from api.models import ApiKey
    from api.services import api_client_create

    w = evil
    _client, token = api_client_create(
        region=w.region,
        name="koppeling",
        kind="aanbieder",
        scopes=["productie-schrijven"],
        provider=w.provider,
    )
    key = ApiKey.objects.filter(client=_client).first()
    portal_login(client, portal_ids.admin)
    url = reverse("portal:api-keys", kwargs={"provider": w.provider.pk})
    rows = csv_rows(client.get(url, {"export": "csv", "tabel": "sleutels"}))
    body = repr(rows)
    assert any("koppeling" in cell for row in rows for cell in row)
    assert token not in body
    assert key.prefix not in body and key.secret_hash not in body
    cells = [c.value for c in xlsx_cells(client.get(url, {"export": "xlsx", "tabel": "sleutels"}))]
    assert token not in repr(cells)
