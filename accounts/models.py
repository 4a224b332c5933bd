"""Users and what they belong to: a region with a role, or a municipality."""

from types import MappingProxyType

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from core.scoping import Scope
from segments.models import Municipality, Region


class User(AbstractUser):
    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def build_scope(self) -> Scope:
        """Every membership in one query: region roles, municipalities, and the provider
        organisation of a portal user with the consortia it leads (the lead acts for the
        consortium). ``provider_memberships`` is the reverse relation of the providers app's
        ``ProviderUser`` (accounts sits beside providers and does not import it)."""
        text, number = models.CharField(), models.BigIntegerField()

        def row(queryset, kind, obj, role, region):
            return queryset.order_by().values_list(
                Value(kind, output_field=text),
                Cast(obj, number),
                Cast(role, text) if role else Value("", output_field=text),
                Cast(region, number),
            )

        rows = row(self.region_memberships.all(), "r", "region_id", "role", "region_id").union(
            row(
                self.municipality_memberships.all(),
                "m",
                "municipality_id",
                "",
                "municipality__region_id",
            ),
            row(self.provider_memberships.all(), "p", "provider_id", "role", "provider__region_id"),
            row(
                self.provider_memberships.filter(provider__consortium_memberships__is_lead=True),
                "c",
                "provider__consortium_memberships__consortium_id",
                "",
                "provider__region_id",
            ),
            all=True,
        )
        region_roles: dict[int, set[str]] = {}
        municipal, organisations, led = [], [], []
        for kind, obj, role, region in rows:
            if kind == "r":
                region_roles.setdefault(region, set()).add(role)
            elif kind == "m":
                municipal.append((obj, region))
            elif kind == "p":
                organisations.append((obj, region, role))
            else:
                led.append(obj)
        return Scope(
            is_superuser=self.is_superuser,
            region_roles=MappingProxyType({k: frozenset(v) for k, v in region_roles.items()}),
            municipality_ids=frozenset(m for m, _r in municipal),
            municipality_region_ids=frozenset(r for _m, r in municipal),
            provider_ids=frozenset([p for p, _r, _role in organisations] + led),
            provider_region_ids=frozenset(r for _p, r, _role in organisations),
            provider_admin_ids=frozenset(p for p, _r, role in organisations if role == "admin"),
        )

    @property
    def role_labels(self) -> list[str]:
        labels = [
            f"{m.get_role_display()} – {m.region.name}"
            for m in self.region_memberships.select_related("region")
        ]
        labels += [
            f"{_('Gemeente')} – {m.municipality.name}"
            for m in self.municipality_memberships.select_related("municipality")
        ]
        return labels


class RegionMembership(models.Model):
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="region_memberships",
        verbose_name=_("gebruiker"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("regio")
    )
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("regiorol")
        verbose_name_plural = _("regiorollen")
        ordering = ["region__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "region", "role"], name="membership_unique"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} ({self.region})"


class MunicipalityMembership(models.Model):
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="municipality_memberships",
        verbose_name=_("gebruiker"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("gemeente"),
    )

    class Meta:
        verbose_name = _("gemeentelijke gebruiker")
        verbose_name_plural = _("gemeentelijke gebruikers")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality"], name="municipal_membership_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.municipality}"


class RegionUser(models.Model):
    """A user's standing in one region beyond their roles: who invited them and when, and
    whether the region deactivated them. A deactivated user has no roles left in the region
    but stays on its user list, with the roles they had, so they can be reactivated."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="region_users", verbose_name=_("gebruiker")
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="region_users", verbose_name=_("regio")
    )
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uitgenodigd door"),
    )
    invited_at = models.DateTimeField(_("uitgenodigd op"), null=True, blank=True)
    deactivated_at = models.DateTimeField(_("gedeactiveerd op"), null=True, blank=True)
    deactivated_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gedeactiveerd door"),
    )
    #: the roles (and municipality) held when deactivated, offered again on reactivation
    previous_roles = models.JSONField(_("eerdere rollen"), default=list, blank=True)
    previous_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eerdere gemeente"),
    )

    class Meta:
        verbose_name = _("gebruiker van een regio")
        verbose_name_plural = _("gebruikers van een regio")
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="region_user_unique"),
        ]

    def __str__(self):
        return f"{self.user} ({self.region})"
