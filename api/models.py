"""API clients of a region, their keys, and the production data they deliver.

An :class:`ApiClient` belongs to one organisation of a region: a municipality, a provider or a
regional system. Its scopes say which groups of endpoints it may use; *what* it sees there is
decided by the one scoping mechanism (``core.scoping``) through :meth:`ApiClient.build_scope`,
exactly as for a user: a municipality's client sees what a municipal user of that municipality
sees, a regional system what a region viewer sees, a provider's client its own provider.

A client authenticates with a key (``jk_<prefix>_<secret>``). Only the prefix and a SHA-256
hash of the secret are stored; the secret is shown once. Keys expire and can be rotated (a new
key; the old one keeps working for an overlap period) or revoked.
"""

from __future__ import annotations

from types import MappingProxyType

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.api.scopes import ApiScope
from core.roles import Role
from core.scoping import Scope, ScopedModel
from monitoring.models import DatasetKind, ImportBatch
from providers.models import Provider
from segments.models import Municipality, Region


class ClientKind(models.TextChoices):
    MUNICIPALITY = "gemeente", _("Gemeente")
    PROVIDER = "aanbieder", _("Aanbieder")
    REGIONAL = "regionaal", _("Regionaal systeem")


#: which scopes each kind of client may hold (a municipality delivers no production data; only
#: the region's own system keeps the region's configuration)
ALLOWED_SCOPES = {
    ClientKind.MUNICIPALITY: frozenset({ApiScope.READ_FIGURES, ApiScope.READ_CONTRACTS}),
    ClientKind.PROVIDER: frozenset(
        {ApiScope.READ_FIGURES, ApiScope.READ_CONTRACTS, ApiScope.WRITE_PRODUCTION}
    ),
    ClientKind.REGIONAL: frozenset(ApiScope.values),
}

#: region roles that manage the region's API clients
CLIENT_MANAGERS = frozenset({Role.ADMINISTRATOR})


class ApiClient(ScopedModel):
    scope_edit_roles = CLIENT_MANAGERS

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="api_clients", verbose_name=_("regio")
    )
    name = models.CharField(_("naam"), max_length=120)
    kind = models.CharField(_("soort organisatie"), max_length=10, choices=ClientKind.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_clients",
        verbose_name=_("gemeente"),
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_clients",
        verbose_name=_("aanbieder"),
    )
    scopes = models.JSONField(_("rechten"), default=list)
    contact_email = models.EmailField(_("e-mailadres technisch contact"), blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("API-client")
        verbose_name_plural = _("API-clients")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="api_client_unique_name"),
            models.CheckConstraint(
                condition=(
                    Q(kind="gemeente", municipality__isnull=False, provider__isnull=True)
                    | Q(kind="aanbieder", provider__isnull=False, municipality__isnull=True)
                    | Q(kind="regionaal", provider__isnull=True, municipality__isnull=True)
                ),
                name="api_client_kind_organisation",
            ),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def scope_provider_q(cls, scope):
        """A provider (its portal users) sees its own provider's clients."""
        return Q(kind=ClientKind.PROVIDER, provider__in=scope.provider_ids)

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == ClientKind.MUNICIPALITY:
            if not self.municipality_id:
                errors["municipality"] = _("Kies de gemeente van deze client.")
            elif self.region_id and self.municipality.region_id != self.region_id:
                errors["municipality"] = _("Deze gemeente hoort niet bij de regio.")
        if self.kind == ClientKind.PROVIDER:
            if not self.provider_id:
                errors["provider"] = _("Kies de aanbieder van deze client.")
            elif self.region_id and self.provider.region_id != self.region_id:
                errors["provider"] = _("Deze aanbieder hoort niet bij de regio.")
        if self.kind != ClientKind.MUNICIPALITY and self.municipality_id:
            errors["municipality"] = _("Alleen een client van een gemeente hoort bij een gemeente.")
        if self.kind != ClientKind.PROVIDER and self.provider_id:
            errors["provider"] = _("Alleen een client van een aanbieder hoort bij een aanbieder.")
        scopes = self.scopes if isinstance(self.scopes, list) else None
        if not scopes:
            errors["scopes"] = _("Kies ten minste één recht.")
        elif self.kind in ALLOWED_SCOPES:
            unknown = [s for s in scopes if s not in ApiScope.values]
            refused = [
                s for s in scopes if s in ApiScope.values and s not in ALLOWED_SCOPES[self.kind]
            ]
            if unknown:
                errors["scopes"] = _("Onbekend recht: %(s)s.") % {"s": ", ".join(unknown)}
            elif refused:
                errors["scopes"] = _("Een %(kind)s kan dit recht niet krijgen: %(s)s.") % {
                    "kind": self.get_kind_display().lower(),
                    "s": ", ".join(str(ApiScope(s).label) for s in refused),
                }
        if errors:
            raise ValidationError(errors)

    # An authenticated client stands in for ``request.user`` in the API: core.scoping reads
    # these attributes and calls build_scope(), as it does for a user.
    is_authenticated = True
    is_anonymous = False
    is_superuser = False
    is_staff = False

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    @property
    def scope_labels(self) -> list[str]:
        return [str(ApiScope(s).label) for s in self.scopes or [] if s in ApiScope.values]

    @property
    def organisation(self):
        return self.municipality or self.provider or self.region

    def build_scope(self) -> Scope:
        """What this client sees, in the terms of the one scoping mechanism."""
        if self.kind == ClientKind.MUNICIPALITY:
            return Scope(
                region_roles=MappingProxyType({}),
                municipality_ids=frozenset({self.municipality_id}),
                municipality_region_ids=frozenset({self.region_id}),
            )
        if self.kind == ClientKind.PROVIDER:
            return Scope(
                region_roles=MappingProxyType({}),
                provider_ids=frozenset({self.provider_id}),
                provider_region_ids=frozenset({self.region_id}),
            )
        # a regional system reads the whole region, as a region viewer does
        return Scope(region_roles=MappingProxyType({self.region_id: frozenset({Role.VIEWER})}))


class ApiKey(ScopedModel):
    """One credential of a client. The secret itself is never stored."""

    scope_region_lookup = "client__region"
    scope_edit_roles = CLIENT_MANAGERS

    client = models.ForeignKey(
        ApiClient, on_delete=models.CASCADE, related_name="keys", verbose_name=_("client")
    )
    prefix = models.CharField(_("sleutel-id"), max_length=16, unique=True)
    secret_hash = models.CharField(_("hash van het geheim"), max_length=64)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    expires_at = models.DateTimeField(_("verloopt op"))
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")

    def __str__(self):
        return f"jk_{self.prefix}_…"

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(client__kind=ClientKind.PROVIDER, client__provider__in=scope.provider_ids)

    def is_valid(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    @property
    def status(self) -> str:
        now = timezone.now()
        if self.revoked_at is not None and self.revoked_at <= now:
            return "ingetrokken"
        if self.expires_at <= now:
            return "verlopen"
        return "geldig"


class SubmissionStatus(models.TextChoices):
    """The status of a delivery as the API reports it (mirrors the import batch)."""

    QUEUED = "in-wachtrij", _("In de wachtrij")
    RUNNING = "bezig", _("Bezig")
    SUCCEEDED = "geimporteerd", _("Geïmporteerd")
    REJECTED = "afgewezen", _("Afgewezen")
    FAILED = "mislukt", _("Mislukt")


class ProductionSubmission(ScopedModel):
    """One delivery of production data by an API client, idempotent by the client's key.

    The data goes through the monitoring import service as an :class:`ImportBatch`; this row
    ties the client's idempotency key and the hash of what it sent to that batch."""

    scope_region_lookup = "client__region"
    scope_edit_roles = CLIENT_MANAGERS

    client = models.ForeignKey(
        ApiClient, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("client")
    )
    idempotency_key = models.CharField(_("idempotentiesleutel"), max_length=100)
    payload_sha256 = models.CharField(_("SHA-256 van de aanlevering"), max_length=64)
    kind = models.CharField(_("soort gegevens"), max_length=12, choices=DatasetKind.choices)
    batch = models.OneToOneField(
        ImportBatch, on_delete=models.PROTECT, related_name="api_submission"
    )
    created_at = models.DateTimeField(_("aangeboden op"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("aanlevering via de API")
        verbose_name_plural = _("aanleveringen via de API")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "idempotency_key"], name="api_submission_unique_key"
            ),
        ]

    def __str__(self):
        return f"{self.client} {self.idempotency_key}"

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(client__provider__in=scope.provider_ids)
