"""Manage API clients from the command line (operators, CI), as the region administrator does in
the UI (Beheer → API-clients).

    python manage.py api_client create --region <regio> --kind gemeente --municipality GM0758 \\
        --name "Breda BI" --scopes cijfers-lezen,contracten-lezen [--expires 2027-12-31]
    python manage.py api_client create --region <regio> --kind aanbieder --provider 12345678 ...
    python manage.py api_client list [--region <regio>]
    python manage.py api_client revoke --prefix 3f9a0c1b2d4e

``create`` prints the new key once; only its prefix and a hash are stored. ``--token`` sets the
key instead of drawing a random one: for tests and CI only (a known key is no secret).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from api import services
from api.models import ApiClient, ApiKey, ApiScope, ClientKind
from providers.models import Provider
from segments.models import Municipality, Region


def _expiry(value: str | None) -> dt.datetime:
    """The end of the given day (the key works through that date), or the default validity."""
    now = timezone.now()
    if not value:
        return now + services.DEFAULT_VALIDITY
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"Ongeldige datum voor --expires: {value} (gebruik JJJJ-MM-DD)."
        ) from None
    expires_at = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
    if expires_at <= now:
        raise CommandError("--expires ligt in het verleden.")
    if expires_at - now > services.MAX_VALIDITY + dt.timedelta(days=1):
        raise CommandError(
            f"Een sleutel is ten hoogste {services.MAX_VALIDITY.days} dagen geldig; kies een "
            "eerdere datum voor --expires."
        )
    return expires_at


def _provider(region: Region, value: str) -> Provider:
    """A provider of the region by id, AGB code, KvK number or exact name."""
    providers = Provider.objects.filter(region=region)
    by_code = Q(agb_code=value) | Q(kvk_number=value)
    if value.isdigit():
        by_code |= Q(pk=int(value))
    matches = providers.filter(by_code) if value else providers.none()
    if not matches.exists():
        matches = providers.filter(name=value)
    found = list(matches[:2])
    if not found:
        raise CommandError(f"Geen aanbieder '{value}' in regio {region.slug}.")
    if len(found) > 1:
        raise CommandError(f"'{value}' past op meer dan één aanbieder; gebruik het id.")
    return found[0]


class Command(BaseCommand):
    help = "Beheer API-clients en hun sleutels: create, list, revoke."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)

        create = sub.add_parser("create", help="Een nieuwe client met een sleutel.")
        create.add_argument("--region", required=True, help="Korte code (slug) van de regio.")
        create.add_argument("--kind", required=True, choices=ClientKind.values)
        create.add_argument("--name", required=True, help="Naam van de client (uniek per regio).")
        create.add_argument(
            "--scopes",
            required=True,
            help=f"Komma-gescheiden, uit: {', '.join(ApiScope.values)}.",
        )
        create.add_argument(
            "--municipality", help="CBS-code van de gemeente (bij --kind gemeente)."
        )
        create.add_argument(
            "--provider", help="Id, AGB-code, KvK-nummer of naam van de aanbieder (bij aanbieder)."
        )
        create.add_argument("--email", default="", help="E-mailadres van het technisch contact.")
        create.add_argument("--expires", help="Laatste geldige dag van de sleutel (JJJJ-MM-DD).")
        create.add_argument(
            "--token",
            help="Alleen voor tests en CI: deze sleutel (jk_…) in plaats van een willekeurige.",
        )

        listing = sub.add_parser("list", help="Alle clients met hun sleutels.")
        listing.add_argument("--region", help="Alleen deze regio.")

        revoke = sub.add_parser("revoke", help="Trek een sleutel in.")
        revoke.add_argument("--prefix", required=True, help="Het sleutel-id (of jk_<id>…).")

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    @transaction.atomic
    def handle_create(self, *, region, kind, name, scopes, municipality, provider, email,
                      expires, token, **_options):  # fmt: skip
        try:
            region_obj = Region.objects.get(slug=region)
        except Region.DoesNotExist:
            raise CommandError(f"Onbekende regio: {region}") from None
        fields = {
            "region": region_obj,
            "name": name,
            "kind": kind,
            "scopes": [s.strip() for s in scopes.split(",") if s.strip()],
            "contact_email": email,
        }
        if municipality:
            found = Municipality.objects.filter(cbs_code=municipality).first()
            if found is None:
                raise CommandError(f"Onbekende gemeente: {municipality}")
            fields["municipality"] = found
        if provider:
            fields["provider"] = _provider(region_obj, provider)
        expires_at = _expiry(expires)
        if token and services.parse_token(token) is None:
            raise CommandError(
                "--token heeft de vorm jk_<sleutel-id>_<geheim> (sleutel-id ≤ 16 tekens)."
            )
        try:
            client, token = services.api_client_create(
                **fields, expires_at=expires_at, token=token or None
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise CommandError(" ".join(error.messages)) from None
            messages = "; ".join(
                f"{field}: {' '.join(errs)}" for field, errs in error.message_dict.items()
            )
            raise CommandError(f"Ongeldige client: {messages}") from None
        key = client.keys.get()
        until = timezone.localtime(key.expires_at)
        self.stdout.write(
            self.style.SUCCESS(
                f"Client '{client.name}' ({client.get_kind_display()}, {client.organisation}) "
                f"aangemaakt; sleutel {key} verloopt op {until:%Y-%m-%d %H:%M}."
            )
        )
        self.stdout.write("De sleutel (wordt niet nog eens getoond):")
        self.stdout.write(token)

    def handle_list(self, *, region=None, **_options):
        clients = ApiClient.objects.select_related("region", "municipality", "provider")
        clients = clients.prefetch_related("keys").order_by("region__slug", "name")
        if region:
            clients = clients.filter(region__slug=region)
        if not clients:
            self.stdout.write("Geen API-clients.")
        for client in clients:
            state = "actief" if client.is_active else "niet actief"
            self.stdout.write(
                f"{client.region.slug}\t{client.name}\t{client.kind}\t{client.organisation}\t"
                f"{','.join(client.scopes)}\t{state}"
            )
            for key in client.keys.all():
                expires = timezone.localtime(key.expires_at)
                self.stdout.write(f"    {key.prefix}\t{key.status}\ttot {expires:%Y-%m-%d}")

    def handle_revoke(self, *, prefix, **_options):
        if prefix.startswith(services.TOKEN_START):
            prefix = prefix[len(services.TOKEN_START) :].split("_", 1)[0]
        key = ApiKey.objects.select_related("client").filter(prefix=prefix).first()
        if key is None:
            raise CommandError(f"Geen sleutel met sleutel-id {prefix}.")
        if key.revoked_at is not None:
            self.stdout.write(f"Sleutel {key} van '{key.client}' was al ingetrokken.")
            return
        services.api_key_revoke(key=key)
        self.stdout.write(self.style.SUCCESS(f"Sleutel {key} van '{key.client}' ingetrokken."))
