"""Reads of the region's user pages: who belongs to a region, with which roles and status."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from core.roles import Role
from segments.models import Region

from .models import MunicipalityMembership, RegionMembership, RegionUser, User
from .services import user_status

STATUS_LABELS = {"active": "actief", "invited": "uitgenodigd", "deactivated": "gedeactiveerd"}


@dataclass
class RegionUserRow:
    user: User
    status: str
    roles: list[str] = field(default_factory=list)  # role values held in the region
    municipality: object = None
    standing: RegionUser | None = None

    @property
    def role_labels(self) -> list[str]:
        return [Role(r).label for r in self.roles]

    @property
    def previous_role_labels(self) -> list[str]:
        roles = self.standing.previous_roles if self.standing else []
        return [Role(r).label for r in roles if r in Role.values]


def region_users_queryset(*, region: Region):
    """Every user who has (or had, until the region deactivated them) a role in ``region`` or
    is a municipal user of one of its municipalities. Nothing of other regions is loaded."""
    return (
        User.objects.filter(
            Q(region_memberships__region=region)
            | Q(municipality_memberships__municipality__region=region)
            | Q(region_users__region=region)
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
        .prefetch_related(
            Prefetch(
                "region_memberships",
                queryset=RegionMembership.objects.filter(region=region),
                to_attr="roles_here",
            ),
            Prefetch(
                "municipality_memberships",
                queryset=MunicipalityMembership.objects.filter(
                    municipality__region=region
                ).select_related("municipality"),
                to_attr="municipal_here",
            ),
            Prefetch(
                "region_users",
                queryset=RegionUser.objects.filter(region=region).select_related(
                    "invited_by", "deactivated_by", "previous_municipality"
                ),
                to_attr="standing_here",
            ),
        )
    )


def _row(user: User, region: Region) -> RegionUserRow:
    roles = sorted(m.role for m in user.roles_here)
    municipal = user.municipal_here[0].municipality if user.municipal_here else None
    standing = user.standing_here[0] if user.standing_here else None
    if not user.is_active or not (roles or municipal):
        status = "deactivated"
    elif not user.has_usable_password() and user.last_login is None:
        status = "invited"
    else:
        status = "active"
    return RegionUserRow(user, status, roles, municipal, standing)


def region_users(*, region: Region, status: str = "") -> list[RegionUserRow]:
    rows = [_row(u, region) for u in region_users_queryset(region=region)]
    return [r for r in rows if r.status == status] if status else rows


def region_user(*, region: Region, pk: int) -> RegionUserRow | None:
    user = region_users_queryset(region=region).filter(pk=pk).first()
    return _row(user, region) if user else None


__all__ = ["region_users", "region_user", "region_users_queryset", "user_status"]
