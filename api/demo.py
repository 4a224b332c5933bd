"""Demo API clients of region West-Brabant Oost (wbo), for the demo user ``regiobeheerder``.

Repeatable: running it again adds nothing. Tokens are never printed."""

from __future__ import annotations

import os

from django.db import transaction

from accounts.models import User
from contracts.models import Contract
from providers.models import ProviderKind
from segments.models import Municipality, Region

from . import services
from .models import ApiClient, ApiScope, ClientKind

DEMO_REGION = "wbo"
DEMO_MUNICIPALITY = "GM0758"  # Breda
DEMO_ADMINISTRATOR = "regiobeheerder"
#: set to 1 for keys with the fixed demo tokens below (a demo or a test against a demo database)
TOKENS_ENV = "API_DEMO_TOKENS"
#: prefix and 43-character secret of each demo client's key when ``API_DEMO_TOKENS=1``
DEMO_SECRETS = {
    "demobreda": "breda-BI-alleen-voor-de-demo-niet-geheim-01",
    "demoaanbieder": "aanbieder-alleen-voor-demo-niet-geheim-0002",
    "demoregio": "regio-dwh-alleen-voor-demo-niet-geheim-0003",
}


def demo_token(prefix: str) -> str:
    return f"{services.TOKEN_START}{prefix}_{DEMO_SECRETS[prefix]}"


def load_api_clients(stdout=None) -> dict:
    """Three API clients of region wbo, each with a valid key:

    * "Gemeente Breda – BI": municipality Breda (GM0758); cijfers-lezen, contracten-lezen;
    * "<provider> – zorgadministratie": the provider of the region's first contract (by
      reference) with a provider that is not a consortium (else any); all three scopes;
    * "Regionaal datawarehouse WBO": the regional system; cijfers-lezen, contracten-lezen.

    Without ``API_DEMO_TOKENS=1`` a client without a valid key gets a random one (its token is
    shown to nobody: the administrator makes a new key on the client's page). With
    ``API_DEMO_TOKENS=1`` each client has a key with a fixed token, never to be used outside a
    demo:

    * Breda: ``jk_demobreda_breda-BI-alleen-voor-de-demo-niet-geheim-01``
    * provider: ``jk_demoaanbieder_aanbieder-alleen-voor-demo-niet-geheim-0002``
    * region: ``jk_demoregio_regio-dwh-alleen-voor-demo-niet-geheim-0003``

    (an expired or revoked demo key is made valid again). Returns counts of clients and keys
    made; writes a summary, never a token, to ``stdout`` if given.
    """
    region = Region.objects.filter(slug=DEMO_REGION).first()
    if region is None:
        return {"clients": 0, "keys": 0}
    user = User.objects.filter(username=DEMO_ADMINISTRATOR).first()
    fixed = os.environ.get(TOKENS_ENV) == "1"
    wanted = []
    breda = Municipality.objects.filter(region=region, cbs_code=DEMO_MUNICIPALITY).first()
    if breda is not None:
        wanted.append(
            (
                "demobreda",
                {
                    "name": "Gemeente Breda – BI",
                    "kind": ClientKind.MUNICIPALITY,
                    "municipality": breda,
                    "scopes": [ApiScope.READ_FIGURES, ApiScope.READ_CONTRACTS],
                    "contact_email": "bi@breda.example",
                },
            )
        )
    contracts = Contract.objects.filter(region=region).select_related("provider")
    # a single organisation's own administration rather than a consortium's, if there is one
    contract = (
        contracts.exclude(provider__kind=ProviderKind.CONSORTIUM)
        .order_by("reference", "pk")
        .first()
        or contracts.order_by("reference", "pk").first()
    )
    if contract is not None:
        wanted.append(
            (
                "demoaanbieder",
                {
                    "name": f"{contract.provider.name} – zorgadministratie",
                    "kind": ClientKind.PROVIDER,
                    "provider": contract.provider,
                    "scopes": [
                        ApiScope.READ_FIGURES,
                        ApiScope.READ_CONTRACTS,
                        ApiScope.WRITE_PRODUCTION,
                    ],
                    "contact_email": "ict@aanbieder.example",
                },
            )
        )
    wanted.append(
        (
            "demoregio",
            {
                "name": "Regionaal datawarehouse WBO",
                "kind": ClientKind.REGIONAL,
                "scopes": [ApiScope.READ_FIGURES, ApiScope.READ_CONTRACTS],
                "contact_email": "datawarehouse@wbo.example",
            },
        )
    )
    counts = {"clients": 0, "keys": 0}
    with transaction.atomic():
        for prefix, fields in wanted:
            name = fields.pop("name")
            client = ApiClient.objects.filter(region=region, name=name).first()
            if client is None:
                client, _token = services.api_client_create(
                    region=region,
                    name=name,
                    user=user,
                    token=demo_token(prefix) if fixed else None,
                    **fields,
                )
                counts["clients"] += 1
                counts["keys"] += 1
            elif fixed:
                counts["keys"] += _fixed_key(client, prefix, user)
            elif not any(key.is_valid() for key in client.keys.all()):
                services.api_key_issue(client=client, user=user)
                counts["keys"] += 1
    if stdout is not None:
        stdout.write(
            f"  {region.name}: {counts['clients']} API-clients, {counts['keys']} sleutels"
            + (" (vaste demosleutels, zie api/demo.py)" if fixed else "")
        )
    return counts


def _fixed_key(client: ApiClient, prefix: str, user) -> int:
    """The key with the fixed demo token; 1 if it was made (or made valid again)."""
    _key, changed = services.api_key_set_token(
        client=client, token=demo_token(prefix), user=user, replace=True
    )
    return int(changed)
