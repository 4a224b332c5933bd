"""API clients, keys and import batches through the provider scope (the portal's API-key and
production pages read them with ``visible_to``): a provider's users see their own provider's
clients, keys and batches, never another provider's, a municipality's or a regional system's."""

import pytest

from api.models import ApiClient, ApiKey, ClientKind
from monitoring.imports.services import batch_create
from monitoring.models import ImportBatch
from tests.accounts.factories import provider_user

from .conftest import C, F, W, make_client

pytestmark = pytest.mark.django_db


def test_a_provider_user_sees_only_its_own_providers_clients_and_keys(world_a, world_b):
    own, _token = make_client(world_a, ClientKind.PROVIDER, {C, W}, name="eigen")
    make_client(world_a, ClientKind.MUNICIPALITY, {F}, name="gemeente")
    make_client(world_a, ClientKind.REGIONAL, {F}, name="regio")
    make_client(world_b, ClientKind.PROVIDER, {W}, name="andere regio")
    distant = ApiClient.objects.create(
        region=world_a.region,
        name="veraf",
        kind=ClientKind.PROVIDER,
        scopes=[W],
        provider=world_a.distant_provider,
    )
    user = provider_user(world_a.provider, "employee")
    assert list(ApiClient.objects.visible_to(user)) == [own]
    assert set(ApiKey.objects.visible_to(user)) == set(own.keys.all())
    assert distant not in ApiClient.objects.visible_to(provider_user(world_a.provider, "admin"))


def test_a_provider_user_sees_only_its_own_batches(world_a, world_b):
    def batch(provider, region):
        return batch_create(
            region=region,
            kind="declaraties",
            file_format="csv",
            file_name="x.csv",
            file_size=1,
            provider=provider,
        )

    own = batch(world_a.provider, world_a.region)
    batch(None, world_a.region)  # the region's own import
    batch(world_a.distant_provider, world_a.region)
    batch(world_b.provider, world_b.region)
    user = provider_user(world_a.provider, "employee")
    assert list(ImportBatch.objects.visible_to(user)) == [own]
