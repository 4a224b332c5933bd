"""The provider's use cases after the award: delivering production and managing its own API
keys.

Both go through the existing doors: a production file through the import service
(``monitoring.imports.services.import_offer``, the same door as the region's upload page, the
API and the command), bound to the provider so that only its own contracts may be named; an API
client through ``api.services``. Every function is keyword-only; django-auditlog records the
rows written (``ImportBatch``, ``ApiClient``, ``ApiKey``) with the acting user.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api import services as api_services
from api.models import ALLOWED_SCOPES, ApiClient, ClientKind
from core.scoping import scope_for
from monitoring.imports import services as imports
from monitoring.imports.models import ImportBatch
from providers.models import Provider

#: longest own name of a key (the client is named "<provider>: <name>")
NAME_MAX = 60


def _check_acts_for(user, provider: Provider) -> None:
    if user is None or not scope_for(user).acts_for(provider.pk):
        raise ValidationError(_("U handelt niet namens %(provider)s.") % {"provider": provider})


def _check_admin(user, provider: Provider) -> None:
    if user is None or provider.pk not in scope_for(user).provider_admin_ids:
        raise ValidationError(
            _("Alleen een beheerder van %(provider)s beheert de API-sleutels.")
            % {"provider": provider}
        )


# ---------------------------------------------------------------- production


def provider_production_offer(
    *,
    provider: Provider,
    user,
    kind: str,
    file_format: str,
    upload,
    run: str = "queue",
    uploads: list | None = None,
) -> ImportBatch:
    """Offer an uploaded production file for ``provider``: spooled (owner-only, deleted after
    the import) and imported by the import service with the batch bound to the provider. With
    a worker it is queued; without one (the embedded mode) it runs when the transaction
    commits. Size and format are the import form's checks (``IMPORT_MAX_BYTES``, CSV, JSON
    or iJw messages: one .xml, several at once (``uploads``) or a .zip); the rows are the
    import's: whole or nothing, a repeat adds nothing, the BSN
    pseudonymised at the door, a contract that is not the provider's refused per row."""
    _check_acts_for(user, provider)
    uploads = uploads or [upload]  # several iJw messages are imported as one delivery
    path, file_name = imports.spool_upload(uploads, file_format)
    return imports.import_offer(
        region=provider.region,
        kind=kind,
        file_format=file_format,
        path=path,
        file_name=file_name,
        file_size=sum(u.size for u in uploads),
        user=user,
        provider=provider,
        run=run,
    )


# ---------------------------------------------------------------- API keys


def provider_api_client_create(
    *,
    provider: Provider,
    user,
    name: str,
    scopes: list[str],
    contact_email: str = "",
    expires_at: datetime | None = None,
) -> tuple[ApiClient, str]:
    """A new API client of kind *aanbieder* for ``provider`` with its first key; ``(client,
    token)``. The token is shown once and never stored. Only the provider's administrator."""
    _check_admin(user, provider)
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Geef de sleutel een naam, bijvoorbeeld de naam van uw systeem.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("Hoogstens %(max)s tekens.") % {"max": NAME_MAX}
    allowed = ALLOWED_SCOPES[ClientKind.PROVIDER]
    refused = [s for s in scopes or [] if s not in allowed]
    if not scopes:
        errors["scopes"] = _("Kies ten minste één recht.")
    elif refused:
        errors["scopes"] = _("Een aanbieder kan dit recht niet krijgen: %(s)s.") % {
            "s": ", ".join(refused)
        }
    full_name = f"{provider.name}: {name}"[:120]
    if not errors and ApiClient.objects.filter(region=provider.region, name=full_name).exists():
        errors["name"] = _("U hebt al een sleutel met deze naam.")
    if errors:
        raise ValidationError(errors)
    return api_services.api_client_create(
        region=provider.region,
        name=full_name,
        kind=ClientKind.PROVIDER,
        scopes=sorted(scopes),
        contact_email=contact_email,
        provider=provider,
        user=user,
        expires_at=expires_at,
    )


def provider_api_client_revoke(*, client: ApiClient, user) -> ApiClient:
    """Revoke a provider's API client: every key of it stops working now and the client is
    deactivated. Only the provider's administrator, only its own clients."""
    if client.kind != ClientKind.PROVIDER or client.provider_id is None:
        raise ValidationError(_("Dit is geen API-client van een aanbieder."))
    _check_admin(user, client.provider)
    now = timezone.now()
    with transaction.atomic():
        for key in client.keys.select_for_update().filter(revoked_at__isnull=True):
            if key.expires_at > now:
                api_services.api_key_revoke(key=key)
        api_services.api_client_set_active(client=client, active=False)
    return client
