"""The region administrator's API-client pages: list, create (with the first key, its token
shown once), edit, rotate, revoke, deactivate; who may open them; and the audit log."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from api import services
from api.models import ALLOWED_SCOPES, ApiClient, ApiKey, ApiScope, ClientKind
from api.views import SESSION_TOKEN
from core.roles import Role
from tests.accounts.factories import user_with_role

pytestmark = pytest.mark.django_db


def url(name, region, **kwargs):
    return reverse(f"apiclients:{name}", kwargs={"region": region.slug, **kwargs})


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def make_client(world, **kwargs):
    fields = {
        "region": world.region,
        "name": "Gemeente BI",
        "kind": ClientKind.MUNICIPALITY,
        "municipality": world.municipality,
        "scopes": [ApiScope.READ_FIGURES],
    }
    fields.update(kwargs)
    return ApiClient.objects.create(**fields)


def create_data(world, **overrides):
    data = {
        "name": "Gemeente A1 – BI",
        "kind": ClientKind.MUNICIPALITY,
        "municipality": world.municipality.pk,
        "provider": "",
        "scopes": [ApiScope.READ_FIGURES],
        "contact_email": "bi@gemeente.example.nl",
        "expires_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
    }
    data.update(overrides)
    return data


def shown_token(response) -> str | None:
    return response.context["new_token"]


# ---------------------------------------------------------------- who may open the pages


def test_only_the_region_administrator_and_superusers_manage_clients(
    client, world_a, world_b, users
):
    own = make_client(world_a)
    services.api_key_issue(client=own)
    key = own.keys.get()
    pages = [
        ("get", url("client-list", world_a.region)),
        ("get", url("client-create", world_a.region)),
        ("get", url("client-detail", world_a.region, pk=own.pk)),
        ("get", url("client-update", world_a.region, pk=own.pk)),
        ("post", url("client-rotate", world_a.region, pk=own.pk)),
        ("post", url("client-active", world_a.region, pk=own.pk)),
        ("post", url("key-revoke", world_a.region, pk=own.pk, key=key.pk)),
    ]
    for role in ("officer", "contract_manager", "viewer", "municipal"):
        client.force_login(getattr(users, role))
        for method, page in pages:
            assert getattr(client, method)(page).status_code == 403, (role, page)
    other_admin = user_with_role(world_b.region, Role.ADMINISTRATOR)
    for user in (users.other_region_officer, other_admin):
        client.force_login(user)
        for method, page in pages:
            assert getattr(client, method)(page).status_code == 404, page
    for user in (users.administrator, users.superuser):
        client.force_login(user)
        for name in ("client-list", "client-create"):
            assert client.get(url(name, world_a.region)).status_code == 200
        assert client.get(url("client-detail", world_a.region, pk=own.pk)).status_code == 200
        # actions are POST only
        assert client.get(url("client-rotate", world_a.region, pk=own.pk)).status_code == 405
    # nothing changed by anyone who was refused
    key.refresh_from_db()
    own.refresh_from_db()
    assert key.revoked_at is None and own.is_active and own.keys.count() == 1
    client.logout()
    assert client.get(url("client-list", world_a.region)).status_code == 302  # to the login


def test_a_client_of_another_region_is_not_found(client, world_a, world_b, users):
    other = make_client(world_b, name="B", municipality=world_b.municipality)
    client.force_login(users.administrator)
    assert client.get(url("client-detail", world_a.region, pk=other.pk)).status_code == 404
    assert client.post(url("client-active", world_a.region, pk=other.pk)).status_code == 404
    assert client.get(url("client-list", world_b.region)).status_code == 404
    other.refresh_from_db()
    assert other.is_active


def test_nav_link_only_for_the_region_administrator(client, world_a, users):
    link = url("client-list", world_a.region)
    region_page = reverse("segments:region-detail", args=[world_a.region.slug])
    for role, shown in (
        ("administrator", True),
        ("superuser", True),
        ("officer", False),
        ("viewer", False),
        ("municipal", False),
    ):
        client.force_login(getattr(users, role))
        body = client.get(region_page).content.decode()
        assert (link in body) == shown, role
        if shown:
            assert ">API-clients</a>" in body


# ---------------------------------------------------------------- list


def test_list_shows_the_regions_clients_with_their_keys(client, world_a, world_b, users):
    bi = make_client(world_a, scopes=[ApiScope.READ_FIGURES, ApiScope.READ_CONTRACTS])
    provider = make_client(
        world_a,
        name="Zorgsysteem",
        kind=ClientKind.PROVIDER,
        municipality=None,
        provider=world_a.provider,
        scopes=sorted(ALLOWED_SCOPES[ClientKind.PROVIDER]),
        is_active=False,
    )
    make_client(world_b, name="Niet van A", municipality=world_b.municipality)
    soon = timezone.now() + timedelta(days=10)
    services.api_key_issue(client=bi, expires_at=soon)
    services.api_key_issue(client=bi, expires_at=timezone.now() + timedelta(days=100))
    revoked = services.api_key_issue(client=bi, expires_at=timezone.now() + timedelta(days=5))
    services.api_key_revoke(key=services.key_for_token(revoked))

    client.force_login(users.administrator)
    response = client.get(url("client-list", world_a.region))
    assert response.status_code == 200
    rows = {c.name: c for c in response.context["clients"]}
    assert set(rows) == {"Gemeente BI", "Zorgsysteem"}
    assert rows["Gemeente BI"].valid_keys == 2
    assert rows["Gemeente BI"].nearest_expiry == soon
    assert rows["Gemeente BI"].last_used is not None  # key_for_token above used a key
    assert rows["Zorgsysteem"].valid_keys == 0 and rows["Zorgsysteem"].last_used is None
    body = response.content.decode()
    assert "Niet van A" not in body
    assert world_a.municipality.name in body and world_a.provider.name in body
    assert "Cijfers lezen" in body and "Contracten lezen" in body
    assert "Productiegegevens aanleveren" in body
    assert "gedeactiveerd" in body
    assert '<th scope="col">' in body
    assert url("client-detail", world_a.region, pk=provider.pk) in body


# ---------------------------------------------------------------- create, token once


def test_administrator_creates_a_client_and_sees_its_token_once(client, world_a, users):
    client.force_login(users.administrator)
    form = client.get(url("client-create", world_a.region)).context["form"]
    assert form["expires_on"].value() == timezone.localdate() + timedelta(days=365)
    assert set(form.fields["municipality"].queryset) == {
        world_a.municipality,
        world_a.other_municipality,
    }
    response = client.post(url("client-create", world_a.region), create_data(world_a))
    api_client = ApiClient.objects.get()
    detail = url("client-detail", world_a.region, pk=api_client.pk)
    assert response.status_code == 302 and response.url == detail
    assert "jk_" not in response.url  # the token is never in a URL
    assert (api_client.region, api_client.kind, api_client.municipality) == (
        world_a.region,
        ClientKind.MUNICIPALITY,
        world_a.municipality,
    )
    assert api_client.scopes == [ApiScope.READ_FIGURES]
    assert api_client.created_by == users.administrator and api_client.is_active
    key = api_client.keys.get()
    assert key.created_by == users.administrator
    assert timezone.localtime(key.expires_at).date() == timezone.localdate() + timedelta(days=90)

    page = client.get(detail)
    token = shown_token(page)
    assert token and token.startswith(f"jk_{key.prefix}_")
    body = page.content.decode()
    assert token in body
    assert "niet nog eens getoond" in body
    assert 'aria-live="polite"' in body
    assert "no-store" in page["Cache-Control"]
    assert "API-client Gemeente A1 – BI is aangemaakt" in " ".join(messages_of(page))
    # stored: only the prefix and a hash, not the secret
    assert key.secret_hash != token and token.split("_", 2)[2] not in key.secret_hash
    assert len(key.secret_hash) == 64
    assert SESSION_TOKEN not in client.session
    # once: the next view of the page does not show it
    again = client.get(detail)
    assert shown_token(again) is None and token not in again.content.decode()
    assert f"jk_{key.prefix}_…" in again.content.decode()
    # the token works until the key is revoked
    assert services.key_for_token(token) == key
    client.post(url("key-revoke", world_a.region, pk=api_client.pk, key=key.pk))
    assert services.key_for_token(token) is None
    key.refresh_from_db()
    assert key.status == "ingetrokken"


def test_a_token_stops_working_when_its_key_expires(world_a):
    api_client = make_client(world_a)
    token = services.api_key_issue(client=api_client, expires_at=timezone.now() + timedelta(days=1))
    assert services.key_for_token(token) is not None
    ApiKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.key_for_token(token) is None


def test_a_token_handed_over_for_another_client_is_not_shown(client, world_a, users):
    first = make_client(world_a)
    second = make_client(world_a, name="Tweede", municipality=world_a.other_municipality)
    client.force_login(users.administrator)
    session = client.session
    session[SESSION_TOKEN] = {"client": first.pk, "token": "jk_x_y"}
    session.save()
    assert shown_token(client.get(url("client-detail", world_a.region, pk=second.pk))) is None


@pytest.mark.parametrize(
    "overrides, field",
    [
        (
            {"scopes": [ApiScope.READ_FIGURES, ApiScope.WRITE_PRODUCTION]},
            "scopes",
        ),
        ({"kind": ClientKind.PROVIDER, "provider": "other-region"}, "provider"),
        ({"expires_on": "far"}, "expires_on"),
        ({"expires_on": "past"}, "expires_on"),
        ({"municipality": ""}, "municipality"),
        ({"kind": ClientKind.PROVIDER, "provider": ""}, "provider"),
        ({"scopes": []}, "scopes"),
        ({"name": "Bestaat al"}, "name"),
    ],
)
def test_invalid_clients_are_refused_next_to_the_field_and_nothing_is_saved(
    client, world_a, world_b, users, overrides, field
):
    existing = make_client(world_a, name="Bestaat al")
    today = timezone.localdate()
    special = {
        "other-region": world_b.provider.pk,
        "far": (today + timedelta(days=731)).isoformat(),
        "past": (today - timedelta(days=1)).isoformat(),
    }
    values = {k: special.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}
    data = create_data(world_a, **values)
    client.force_login(users.administrator)
    response = client.post(url("client-create", world_a.region), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body  # the error next to its field
    assert 'role="alert"' in body  # and in the summary at the top
    assert list(ApiClient.objects.all()) == [existing]
    assert not ApiKey.objects.exists()


def test_municipality_cannot_get_production_writing_message(client, world_a, users):
    client.force_login(users.administrator)
    data = create_data(world_a, scopes=[ApiScope.WRITE_PRODUCTION])
    response = client.post(url("client-create", world_a.region), data)
    assert "Een gemeente kan dit recht niet krijgen" in " ".join(
        response.context["form"].errors["scopes"]
    )


def test_the_latest_expiry_allowed_is_two_years(client, world_a, users):
    client.force_login(users.administrator)
    latest = timezone.localdate() + timedelta(days=730)
    data = create_data(world_a, expires_on=latest.isoformat())
    assert client.post(url("client-create", world_a.region), data).status_code == 302
    assert timezone.localtime(ApiKey.objects.get().expires_at).date() == latest


def test_only_the_organisation_of_the_kind_is_kept(client, world_a, users):
    """A provider picked earlier does not stick to a municipality's client."""
    client.force_login(users.administrator)
    data = create_data(world_a, provider=world_a.provider.pk)
    assert client.post(url("client-create", world_a.region), data).status_code == 302
    api_client = ApiClient.objects.get()
    assert api_client.provider is None and api_client.municipality == world_a.municipality


def test_regional_and_provider_clients(client, world_a, users):
    client.force_login(users.administrator)
    regional = create_data(
        world_a,
        name="Datawarehouse",
        kind=ClientKind.REGIONAL,
        municipality="",
        scopes=[ApiScope.READ_FIGURES, ApiScope.READ_CONTRACTS],
    )
    provider = create_data(
        world_a,
        name="Zorgsysteem",
        kind=ClientKind.PROVIDER,
        municipality="",
        provider=world_a.provider.pk,
        scopes=sorted(ALLOWED_SCOPES[ClientKind.PROVIDER]),
    )
    for data in (regional, provider):
        assert client.post(url("client-create", world_a.region), data).status_code == 302
    assert ApiClient.objects.get(name="Datawarehouse").organisation == world_a.region
    assert ApiClient.objects.get(name="Zorgsysteem").provider == world_a.provider
    assert ApiKey.objects.count() == 2


def test_superuser_creates_a_client(client, world_a, users):
    client.force_login(users.superuser)
    response = client.post(url("client-create", world_a.region), create_data(world_a))
    assert response.status_code == 302
    assert ApiClient.objects.get().created_by == users.superuser


# ---------------------------------------------------------------- edit


def test_edit_name_scopes_and_contact_with_the_same_checks(client, world_a, users):
    api_client = make_client(world_a)
    make_client(world_a, name="Andere", municipality=world_a.other_municipality)
    edit = url("client-update", world_a.region, pk=api_client.pk)
    client.force_login(users.administrator)
    page = client.get(edit)
    assert page.status_code == 200
    assert "kind" not in page.context["form"].fields
    refused = client.post(
        edit, {"name": "Nieuw", "scopes": [ApiScope.WRITE_PRODUCTION], "contact_email": ""}
    )
    assert "scopes" in refused.context["form"].errors
    taken = client.post(edit, {"name": "andere", "scopes": [ApiScope.READ_FIGURES]})
    assert "name" in taken.context["form"].errors
    api_client.refresh_from_db()
    assert api_client.name == "Gemeente BI" and api_client.scopes == [ApiScope.READ_FIGURES]

    response = client.post(
        edit,
        {
            "name": "Gemeente BI (nieuw)",
            "scopes": [ApiScope.READ_CONTRACTS, ApiScope.READ_FIGURES],
            "contact_email": "data@example.nl",
        },
    )
    assert response.status_code == 302
    api_client.refresh_from_db()
    assert api_client.name == "Gemeente BI (nieuw)"
    assert api_client.scopes == [ApiScope.READ_FIGURES, ApiScope.READ_CONTRACTS]
    assert api_client.contact_email == "data@example.nl"
    assert api_client.kind == ClientKind.MUNICIPALITY


# ---------------------------------------------------------------- rotate, revoke, deactivate


def rotate(client, world, api_client, overlap, days=365):
    expires = (timezone.localdate() + timedelta(days=days)).isoformat()
    return client.post(
        url("client-rotate", world.region, pk=api_client.pk),
        {"overlap": str(overlap), "expires_on": expires},
    )


def test_rotate_with_overlap_keeps_the_old_key_for_a_week(client, world_a, users):
    api_client = make_client(world_a)
    old = services.api_key_issue(client=api_client)
    client.force_login(users.administrator)
    response = rotate(client, world_a, api_client, 7)
    detail = url("client-detail", world_a.region, pk=api_client.pk)
    assert response.status_code == 302 and response.url == detail
    page = client.get(detail)
    new = shown_token(page)
    assert new and new != old and new in page.content.decode()
    assert "werken nog 7 dagen" in " ".join(messages_of(page))
    assert shown_token(client.get(detail)) is None
    # both work during the overlap; the old one ends within a week
    assert services.key_for_token(new) is not None
    old_key = services.key_for_token(old)
    assert old_key is not None
    assert old_key.expires_at <= timezone.now() + timedelta(days=7)
    assert api_client.keys.count() == 2


def test_rotate_directly_stops_the_old_key(client, world_a, users):
    api_client = make_client(world_a)
    old = services.api_key_issue(client=api_client)
    client.force_login(users.administrator)
    assert rotate(client, world_a, api_client, 0).status_code == 302
    page = client.get(url("client-detail", world_a.region, pk=api_client.pk))
    new = shown_token(page)
    assert services.key_for_token(old) is None
    assert services.key_for_token(new) is not None
    assert "ingetrokken" in page.content.decode()


def test_rotate_refuses_a_too_late_expiry(client, world_a, users):
    api_client = make_client(world_a)
    services.api_key_issue(client=api_client)
    client.force_login(users.administrator)
    response = rotate(client, world_a, api_client, 7, days=800)
    assert response.status_code == 200
    assert "expires_on" in response.context["rotate_form"].errors
    assert 'id="id_expires_on_error"' in response.content.decode()
    assert api_client.keys.count() == 1


def test_deactivate_and_activate(client, world_a, users):
    api_client = make_client(world_a)
    token = services.api_key_issue(client=api_client)
    active = url("client-active", world_a.region, pk=api_client.pk)
    client.force_login(users.administrator)
    response = client.post(active, {"actief": "0"})
    assert response.status_code == 302
    api_client.refresh_from_db()
    assert not api_client.is_active
    assert services.key_for_token(token) is None
    page = client.get(response.url)
    assert "Client activeren" in page.content.decode()
    client.post(active, {"actief": "1"})
    api_client.refresh_from_db()
    assert api_client.is_active and services.key_for_token(token) is not None


def test_revoke_a_key_of_another_client_is_not_found(client, world_a, users):
    first = make_client(world_a)
    second = make_client(world_a, name="Tweede", municipality=world_a.other_municipality)
    services.api_key_issue(client=second)
    key = second.keys.get()
    client.force_login(users.administrator)
    response = client.post(url("key-revoke", world_a.region, pk=first.pk, key=key.pk))
    assert response.status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None


# ---------------------------------------------------------------- audit


def test_changes_are_audited_without_the_secret(client, world_a, users):
    client.force_login(users.administrator)
    client.post(url("client-create", world_a.region), create_data(world_a))
    api_client = ApiClient.objects.get()
    token = shown_token(client.get(url("client-detail", world_a.region, pk=api_client.pk)))
    key = api_client.keys.get()
    client.post(url("key-revoke", world_a.region, pk=api_client.pk, key=key.pk))
    client.post(url("client-active", world_a.region, pk=api_client.pk), {"actief": "0"})

    client_log = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ApiClient), object_pk=str(api_client.pk)
    )
    key_log = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ApiKey), object_pk=str(key.pk)
    )
    assert client_log.count() == 2 and key_log.count() == 2  # created, changed
    assert all(e.actor == users.administrator for e in [*client_log, *key_log])
    assert "revoked_at" in key_log.order_by("timestamp", "pk").last().changes_dict
    assert "is_active" in client_log.order_by("timestamp", "pk").last().changes_dict
    for entry in LogEntry.objects.all():
        text = str(entry.changes)
        assert key.secret_hash not in text and token not in text
        assert "secret_hash" not in text


# ---------------------------------------------------------------- demo


@pytest.fixture
def wbo(world_a):
    """world_a dressed as the demo's region wbo, with Breda."""
    world_a.region.slug = "wbo"
    world_a.region.save()
    world_a.municipality.cbs_code = "GM0758"
    world_a.municipality.save()
    return world_a


def test_demo_clients_with_fixed_tokens(wbo, monkeypatch):
    from api.demo import demo_token, load_api_clients

    monkeypatch.setenv("API_DEMO_TOKENS", "1")
    assert load_api_clients() == {"clients": 3, "keys": 3}
    assert load_api_clients() == {"clients": 0, "keys": 0}  # repeatable
    breda = services.key_for_token(demo_token("demobreda")).client
    assert breda.name == "Gemeente Breda – BI" and breda.municipality == wbo.municipality
    assert breda.scopes == [ApiScope.READ_FIGURES, ApiScope.READ_CONTRACTS]
    provider = services.key_for_token(demo_token("demoaanbieder")).client
    assert provider.provider == wbo.con.contract.provider
    assert provider.scopes == [
        ApiScope.READ_FIGURES,
        ApiScope.READ_CONTRACTS,
        ApiScope.WRITE_PRODUCTION,
    ]
    regional = services.key_for_token(demo_token("demoregio")).client
    assert regional.name == "Regionaal datawarehouse WBO" and regional.kind == "regionaal"
    for api_client in ApiClient.objects.all():
        api_client.full_clean()
    # a revoked demo key is made valid again
    services.api_key_revoke(key=ApiKey.objects.get(prefix="demobreda"))
    assert load_api_clients()["keys"] == 1
    assert services.key_for_token(demo_token("demobreda")) is not None


def test_demo_clients_with_random_keys(wbo, monkeypatch):
    from api.demo import demo_token, load_api_clients

    monkeypatch.delenv("API_DEMO_TOKENS", raising=False)
    assert load_api_clients() == {"clients": 3, "keys": 3}
    assert load_api_clients() == {"clients": 0, "keys": 0}
    assert not ApiKey.objects.filter(prefix__startswith="demo").exists()
    assert services.key_for_token(demo_token("demobreda")) is None
