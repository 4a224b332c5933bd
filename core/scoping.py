"""The one mechanism that decides what a user may see and change.

Every queryset a user can reach is built with ``Model.objects.restrict(user, action)``
(``visible_to(user)`` is the read shortcut). A model says how it hangs off a region
(``scope_region_lookup``), which region roles may change it (``scope_edit_roles``), what a
municipal user may read (``scope_municipal_q``), what a provider's API client or portal user
may read (``scope_provider_q``) and which rows are sealed for everyone but their provider
(``scope_sealed_q``: tenders before the deadline) and what anyone may read on a region's
public pages (``scope_public_q``, read with ``Scope.public(region)`` in place of a user).
Superusers see everything not sealed; anonymous users see nothing. The user's memberships are
turned into a :class:`Scope` once per request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .roles import ALL_REGION_ROLES, LANDSCAPE_EDITORS

VIEW = "view"
CHANGE = "change"
ACTIONS = (VIEW, CHANGE)


@dataclass(frozen=True)
class Scope:
    """What one user may reach: region roles and municipal memberships."""

    is_superuser: bool = False
    region_roles: Mapping[int, frozenset[str]] = field(default_factory=dict)
    municipality_ids: frozenset[int] = frozenset()
    municipality_region_ids: frozenset[int] = frozenset()
    #: a provider's API client or a provider portal user: the provider (and, for a user of a
    #: consortium's lead, the consortium) and its region
    provider_ids: frozenset[int] = frozenset()
    provider_region_ids: frozenset[int] = frozenset()
    #: the providers whose portal users this user manages (a provider administrator)
    provider_admin_ids: frozenset[int] = frozenset()
    #: the regions whose public pages are read (``Scope.public``): anyone, without a login
    public_region_ids: frozenset[int] = frozenset()

    @classmethod
    def public(cls, region) -> Scope:
        """The scope of a reader of ``region``'s public pages (no login): what each model's
        ``scope_public_q`` allows, nothing else, never sealed rows."""
        return cls(region_roles=MappingProxyType({}), public_region_ids=frozenset({region.pk}))

    def region_ids(self, roles: Iterable[str] = ALL_REGION_ROLES) -> frozenset[int]:
        wanted = frozenset(roles)
        return frozenset(rid for rid, held in self.region_roles.items() if held & wanted)

    def readable_region_ids(self) -> frozenset[int]:
        """Regions the user sees at all: by a role, or as the region of their municipality."""
        return self.region_ids() | self.municipality_region_ids | self.provider_region_ids

    def has_role(self, region_id: int, roles: Iterable[str]) -> bool:
        if self.is_superuser:
            return True
        return bool(self.region_roles.get(region_id, frozenset()) & frozenset(roles))

    @property
    def is_municipal(self) -> bool:
        return bool(self.municipality_ids)

    @property
    def is_provider(self) -> bool:
        return bool(self.provider_ids)

    def acts_for(self, provider_id: int) -> bool:
        """A provider user (or client) may act for this provider."""
        return provider_id in self.provider_ids


EMPTY_SCOPE = Scope(region_roles=MappingProxyType({}))
SUPERUSER_SCOPE = Scope(is_superuser=True, region_roles=MappingProxyType({}))


def scope_for(user) -> Scope:
    """The scope of a user (cached on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY_SCOPE
    if user.is_superuser:
        return SUPERUSER_SCOPE
    cached = getattr(user, "_jeugdinkoop_scope", None)
    if cached is None:
        build = getattr(user, "build_scope", None)
        cached = build() if build else EMPTY_SCOPE
        user._jeugdinkoop_scope = cached
    return cached


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = VIEW) -> ScopedQuerySet:
        """The rows ``user`` may reach for ``action``; ``user`` may be a :class:`Scope` (the
        public pages pass ``Scope.public(region)``)."""
        if action not in ACTIONS:
            raise ValueError(f"Unknown action {action!r}")
        scope = user if isinstance(user, Scope) else scope_for(user)
        model = self.model
        sealed = model.scope_sealed_q(timezone.now())
        if scope.is_superuser:
            return self if sealed is None else self.exclude(sealed)
        roles = ALL_REGION_ROLES if action == VIEW else model.scope_edit_roles
        condition = Q(**{f"{model.scope_region_lookup}__in": scope.region_ids(roles)})
        if sealed is not None:
            # sealed rows: no region role reads them yet (their own provider still does)
            condition &= ~sealed
        if action == VIEW and scope.is_municipal:
            municipal = model.scope_municipal_q(scope)
            if municipal is not None:
                condition |= municipal
        if action == VIEW and scope.is_provider:
            own = model.scope_provider_q(scope)
            if own is not None:
                condition |= own
        if action == VIEW and scope.public_region_ids:
            public = model.scope_public_q(scope)
            if public is not None:
                condition |= public if sealed is None else public & ~sealed
        return self.filter(condition)

    def visible_to(self, user) -> ScopedQuerySet:
        return self.restrict(user, VIEW)

    def editable_by(self, user) -> ScopedQuerySet:
        return self.restrict(user, CHANGE)


class ScopedModel(models.Model):
    """Base for every domain model a user can reach."""

    #: lookup from this model to the primary key of its Region
    scope_region_lookup = "region"
    #: region roles that may create, change and delete rows of this model
    scope_edit_roles = LANDSCAPE_EDITORS

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def scope_municipal_q(cls, scope: Scope) -> Q | None:
        """What a municipal user may read; ``None``: nothing."""
        return None

    @classmethod
    def scope_provider_q(cls, scope: Scope) -> Q | None:
        """What a provider's API client may read; ``None``: nothing."""
        return None

    @classmethod
    def scope_public_q(cls, scope: Scope) -> Q | None:
        """What anyone may read on the public pages of ``scope.public_region_ids``; ``None``:
        nothing (the default: a model is public only where it says so)."""
        return None

    @classmethod
    def scope_sealed_q(cls, now) -> Q | None:
        """Rows that are sealed at ``now``: no region role (nor a superuser) reads them until
        the seal is lifted, only the provider they belong to (``scope_provider_q``). A tender
        before its deadline is sealed. ``None``: nothing is sealed."""
        return None

    def scope_region_id(self) -> int | None:
        """The region this object belongs to (used for permission checks on one object)."""
        *path, last = self.scope_region_lookup.split("__")
        obj = self
        for part in path:
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        return obj.pk if last == "pk" else getattr(obj, f"{last}_id", None)

    def can_change(self, user) -> bool:
        scope = scope_for(user)
        region_id = self.scope_region_id()
        return region_id is not None and scope.has_role(region_id, self.scope_edit_roles)
