"""The authorisation matrix of the API: every endpoint × every kind of client × every scope.

For each kind of client (municipality, provider, regional system) and each scope it can hold
alone, and with all its scopes, every endpoint answers:

* 401 without a key, with an unknown, expired or revoked key, or for a deactivated client;
* 403 when the client lacks the endpoint's scope;
* with the scope: the list holds exactly the objects of its own region that core.scoping lets
  this kind of client see, a member outside that is a 404, and region B is never seen.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from api import services
from api.models import ALLOWED_SCOPES, ClientKind

from .conftest import C, F, W, make_client

MUNI, PROV, REG = ClientKind.MUNICIPALITY, ClientKind.PROVIDER, ClientKind.REGIONAL

# (collection path, member path template or None, scope needed (None: any client),
#  the Objects attributes of the resource, the kinds that see each of them)
RESOURCES = [
    ("/api/v1/regios", "/api/v1/regios/{slug}", None, {"region": {MUNI, PROV, REG}}),
    (
        "/api/v1/gemeenten",
        "/api/v1/gemeenten/{pk}",
        None,
        {"municipality": {MUNI, PROV, REG}, "other_municipality": {PROV, REG}},
    ),
    ("/api/v1/segmenten", "/api/v1/segmenten/{pk}", None, {"segment": {MUNI, PROV, REG}}),
    (
        "/api/v1/jeugdhulpvormen",
        "/api/v1/jeugdhulpvormen/{pk}",
        None,
        {"care_form": {MUNI, PROV, REG}},
    ),
    ("/api/v1/producten", "/api/v1/producten/{pk}", None, {"product": {MUNI, PROV, REG}}),
    (
        "/api/v1/aanbieders",
        "/api/v1/aanbieders/{pk}",
        None,
        {"provider": {MUNI, PROV, REG}, "distant_provider": {REG}},
    ),
    (
        "/api/v1/screeningssoorten",
        "/api/v1/screeningssoorten/{pk}",
        None,
        {"screening_kind": {MUNI, PROV, REG}},
    ),
    (
        "/api/v1/aanbestedingen",
        "/api/v1/aanbestedingen/{pk}",
        None,
        {"tender": {MUNI, PROV, REG}, "draft": set()},
    ),
    ("/api/v1/contracten", "/api/v1/contracten/{pk}", C, {"contract": {MUNI, PROV, REG}}),
    (
        "/api/v1/tarieven",
        "/api/v1/tarieven/{pk}",
        C,
        {"regional_tariff": {MUNI, PROV, REG}, "contract_tariff": {MUNI, PROV, REG}},
    ),
    ("/api/v1/budgetten", "/api/v1/budgetten/{pk}", C, {"budget": {MUNI, PROV, REG}}),
    ("/api/v1/signalen", "/api/v1/signalen/{pk}", F, {"signal": {PROV, REG}}),
    (
        "/api/v1/rapportages",
        "/api/v1/rapportages/{pk}",
        F,
        {
            "provider_report": {PROV, REG},
            "municipal_report": {MUNI, REG},
            "other_municipal_report": {REG},
            "board_report": {MUNI, REG},
        },
    ),
]
# endpoints without members
COLLECTIONS = [
    ("/api/v1/kpis", F),
    ("/api/v1/kpi-waarden?kpi=wachttijd", F),
    ("/api/v1/productie-aanleveringen", W),
]
ALL_PATHS = [r[0] for r in RESOURCES] + [p for p, _s in COLLECTIONS]


def scope_sets():
    """Every (kind, scopes): each scope the kind may hold alone, and all of them."""
    cases = []
    for kind in (MUNI, PROV, REG):
        allowed = sorted(ALLOWED_SCOPES[kind])
        cases += [(kind, frozenset({s})) for s in allowed]
        cases.append((kind, frozenset(allowed)))
    return cases


CASES = scope_sets()


def ids_of(payload):
    rows = payload["resultaten"] if isinstance(payload, dict) else payload
    return {row.get("id", row.get("code")) for row in rows}


def key_of(obj):
    return obj.slug if hasattr(obj, "slug") and not hasattr(obj, "cbs_code") else obj.pk


def member_path(template, obj):
    return template.format(slug=getattr(obj, "slug", ""), pk=obj.pk)


@pytest.mark.parametrize(
    ("kind", "scopes"), CASES, ids=lambda v: str(v) if isinstance(v, str) else "+".join(sorted(v))
)
def test_matrix(api, world_a, world_b, objects, kind, scopes):
    own, other = objects
    _client, token = make_client(world_a, kind, scopes)
    caller = api(token)
    for collection, member, needed, visible in RESOURCES:
        response = caller.get(collection)
        if needed is not None and needed not in scopes:
            assert response.status_code == 403, (kind, scopes, collection)
            assert response["Content-Type"] == "application/problem+json"
            for name in visible:
                path = member_path(member, getattr(own, name))
                assert caller.get(path).status_code == 403, (kind, scopes, path)
            continue
        assert response.status_code == 200, (kind, scopes, collection, response.content[:300])
        listed = ids_of(response.json())
        for name, kinds in visible.items():
            obj = getattr(own, name)
            path = member_path(member, obj)
            detail = caller.get(path)
            if kind in kinds:
                assert key_of(obj) in listed, (kind, collection, name)
                assert detail.status_code == 200, (kind, path)
            else:
                assert key_of(obj) not in listed, (kind, collection, name)
                assert detail.status_code == 404, (kind, path)
            # region B: never listed, a member is a 404
            foreign = getattr(other, name)
            assert key_of(foreign) not in listed, (kind, collection, name, "region B")
            assert caller.get(member_path(member, foreign)).status_code == 404
    for path, needed in COLLECTIONS:
        response = caller.get(path)
        expected = 200 if needed in scopes else 403
        assert response.status_code == expected, (kind, scopes, path, response.content[:300])


@pytest.mark.parametrize("path", ALL_PATHS)
def test_no_key_is_401(api, world_a, path):
    response = api().get(path)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401


def test_bad_expired_revoked_and_inactive_keys_are_401(api, world_a, world_b):
    client, token = make_client(world_a, REG, {F, C})
    assert api(token).get("/api/v1/gemeenten").status_code == 200
    # a wrong secret with a real prefix, garbage, another scheme
    prefix = token.split("_")[1]
    for bad in (f"jk_{prefix}_wrong", "garbage", token + "x"):
        assert api(bad).get("/api/v1/gemeenten").status_code == 401
    assert api().get("/api/v1/gemeenten", Authorization=f"Token {token}").status_code == 401
    key = client.keys.get()
    key.expires_at = timezone.now() - timedelta(seconds=1)
    key.save()
    assert api(token).get("/api/v1/gemeenten").status_code == 401
    key.expires_at = timezone.now() + timedelta(days=1)
    key.save()
    client.is_active = False
    client.save()
    assert api(token).get("/api/v1/gemeenten").status_code == 401
    client.is_active = True
    client.save()
    services.api_key_revoke(key=key)
    assert api(token).get("/api/v1/gemeenten").status_code == 401


def test_rotation_keeps_the_old_key_for_the_overlap(api, world_a):
    client, old = make_client(world_a, REG, {F})
    new = services.api_key_rotate(client=client)
    assert api(old).get("/api/v1/kpis").status_code == 200
    assert api(new).get("/api/v1/kpis").status_code == 200
    newest = services.api_key_rotate(client=client, overlap=timedelta(0))
    assert api(old).get("/api/v1/kpis").status_code == 401
    assert api(new).get("/api/v1/kpis").status_code == 401
    assert api(newest).get("/api/v1/kpis").status_code == 200


def test_keys_are_stored_hashed(world_a):
    client, token = make_client(world_a, REG, {F})
    key = client.keys.get()
    secret = token.split("_", 2)[2]
    assert secret not in key.secret_hash and token not in key.secret_hash
    assert len(key.secret_hash) == 64


def test_a_browser_session_is_no_api_client(client, users):
    """A logged-in user of the UI gets no data from the API without a key."""
    client.force_login(users.superuser)
    assert client.get("/api/v1/gemeenten").status_code == 401


def test_municipality_a_never_sees_b_figures(api, world_a, world_b):
    """A municipality's client asking for another municipality's figures gets nothing."""
    from tests.monitoring.test_selectors import fill

    fill(world_a)
    fill(world_b)
    _client, token = make_client(world_a, MUNI, {F})
    caller = api(token)
    own = caller.get("/api/v1/kpi-waarden", {"kpi": "unieke-jeugdigen"}).json()
    assert own["aantal"] == 10
    assert {r["gemeente"] for r in own["resultaten"]} == {world_a.municipality.pk}
    for other in (world_a.other_municipality, world_b.municipality):
        response = caller.get(
            "/api/v1/kpi-waarden", {"kpi": "unieke-jeugdigen", "gemeente": other.pk}
        )
        assert response.status_code == 200 and response.json()["aantal"] == 0
    for level in ("regio", "segment", "aanbieder", "contract"):
        response = caller.get("/api/v1/kpi-waarden", {"kpi": "unieke-jeugdigen", "niveau": level})
        assert response.json()["aantal"] == 0, level
