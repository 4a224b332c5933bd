"""State-changing use cases for providers."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import ConsortiumMembership, Provider


def consortium_validate_members(
    *, consortium: Provider, lead: Provider | None, members: Iterable[Provider]
) -> list[Provider]:
    """Check a consortium's composition; returns the subcontractors. Raises with field errors."""
    members = list(members)
    errors: dict[str, list[str]] = {}
    if not consortium.is_consortium:
        raise ValidationError(_("%(name)s is geen samenwerkingsverband.") % {"name": consortium})
    if lead is None:
        errors.setdefault("lead", []).append(_("Een samenwerkingsverband heeft een hoofdaannemer."))
    everyone = ([lead] if lead else []) + members
    seen: set[int] = set()
    for provider in everyone:
        if provider.pk == consortium.pk:
            errors.setdefault("members", []).append(
                _("Een samenwerkingsverband kan niet lid van zichzelf zijn.")
            )
        elif provider.is_consortium:
            errors.setdefault("members", []).append(
                _("%(name)s is zelf een samenwerkingsverband en kan geen lid zijn.")
                % {"name": provider}
            )
        elif provider.region_id != consortium.region_id:
            errors.setdefault("members", []).append(
                _("%(name)s hoort bij een andere regio.") % {"name": provider}
            )
        if provider.pk in seen:
            errors.setdefault("members", []).append(
                _(
                    "%(name)s is twee keer genoemd "
                    "(de hoofdaannemer hoort niet ook bij de onderaannemers)."
                )
                % {"name": provider}
            )
        seen.add(provider.pk)
    if errors:
        raise ValidationError(errors)
    return members


@transaction.atomic
def consortium_set_members(
    *, consortium: Provider, lead: Provider | None, members: Iterable[Provider]
) -> list[ConsortiumMembership]:
    """Replace a consortium's lead contractor and subcontractors in one step."""
    members = consortium_validate_members(consortium=consortium, lead=lead, members=members)
    wanted = {lead.pk: True, **{m.pk: False for m in members}}
    existing = {m.member_id: m for m in ConsortiumMembership.objects.filter(consortium=consortium)}
    for member_id, membership in existing.items():
        if member_id not in wanted:
            membership.delete()
    # Demote first so the "one lead" constraint holds at every statement.
    for member_id, membership in existing.items():
        if member_id in wanted and membership.is_lead and not wanted[member_id]:
            membership.is_lead = False
            membership.save(update_fields=["is_lead"])
    result = []
    for member_id, is_lead in wanted.items():
        membership = existing.get(member_id) or ConsortiumMembership(
            consortium=consortium, member_id=member_id
        )
        if membership.pk is None or membership.is_lead != is_lead:
            membership.is_lead = is_lead
            membership.save()
        result.append(membership)
    return result
