"""State-changing use cases for providers: the provider itself, its screenings and a
consortium's composition. Every function validates the model (the same checks as the forms)
before anything is written, in one transaction; django-auditlog records each save and delete."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from segments.models import CareForm, Municipality, Region

from .models import ConsortiumMembership, Provider, ProviderKind, Screening

# ---------------------------------------------------------------- providers


def _provider_save(
    provider: Provider,
    *,
    care_forms: Iterable[CareForm],
    municipalities_served: Iterable[Municipality],
    **fields,
) -> Provider:
    care_forms = list(care_forms)
    for name, value in fields.items():
        setattr(provider, name, value)
    errors: dict[str, list[str]] = {}
    if provider.kind == ProviderKind.CONSORTIUM and care_forms:
        errors["care_forms"] = [
            _(
                "De jeugdhulpvormen van een samenwerkingsverband volgen uit die van de leden; "
                "laat dit veld leeg."
            )
        ]
    try:
        provider.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    provider.save()
    provider.care_forms.set(care_forms)
    provider.municipalities_served.set(municipalities_served)
    return provider


@transaction.atomic
def provider_create(
    *,
    region: Region,
    name: str,
    kind: str = ProviderKind.INSTITUTION,
    kvk_number: str = "",
    agb_code: str = "",
    reach: str = "",
    identity_bound: bool = False,
    denomination: str = "",
    care_forms: Iterable[CareForm] = (),
    municipalities_served: Iterable[Municipality] = (),
    capacity_places: int | None = None,
    capacity_fte: Decimal | None = None,
    city: str = "",
    email: str = "",
    website: str = "",
) -> Provider:
    """A new provider or consortium of the region. A consortium names no care forms of its
    own: they follow from its members."""
    provider = Provider(region=region)
    return _provider_save(
        provider,
        care_forms=care_forms,
        municipalities_served=municipalities_served,
        name=name,
        kind=kind,
        kvk_number=kvk_number,
        agb_code=agb_code,
        reach=reach or provider.reach,
        identity_bound=identity_bound,
        denomination=denomination,
        capacity_places=capacity_places,
        capacity_fte=capacity_fte,
        city=city,
        email=email,
        website=website,
    )


@transaction.atomic
def provider_update(
    *,
    provider: Provider,
    name: str,
    kind: str,
    kvk_number: str = "",
    agb_code: str = "",
    reach: str,
    identity_bound: bool = False,
    denomination: str = "",
    care_forms: Iterable[CareForm] = (),
    municipalities_served: Iterable[Municipality] = (),
    capacity_places: int | None = None,
    capacity_fte: Decimal | None = None,
    city: str = "",
    email: str = "",
    website: str = "",
) -> Provider:
    return _provider_save(
        provider,
        care_forms=care_forms,
        municipalities_served=municipalities_served,
        name=name,
        kind=kind,
        kvk_number=kvk_number,
        agb_code=agb_code,
        reach=reach,
        identity_bound=identity_bound,
        denomination=denomination,
        capacity_places=capacity_places,
        capacity_fte=capacity_fte,
        city=city,
        email=email,
        website=website,
    )


@transaction.atomic
def provider_delete(*, provider: Provider) -> None:
    """Raises ``ProtectedError`` while anything (a contract, a submission) refers to it."""
    provider.delete()


# ---------------------------------------------------------------- screenings


def _screening_save(screening: Screening, **fields) -> Screening:
    for name, value in fields.items():
        setattr(screening, name, value)
    screening.full_clean()
    screening.save()
    return screening


@transaction.atomic
def screening_create(
    *,
    provider: Provider,
    kind: str,
    date: date,
    status: str = "",
    valid_until: date | None = None,
    outcome_note: str = "",
) -> Screening:
    screening = Screening(provider=provider)
    return _screening_save(
        screening,
        kind=kind,
        status=status or screening.status,
        date=date,
        valid_until=valid_until,
        outcome_note=outcome_note,
    )


@transaction.atomic
def screening_update(
    *,
    screening: Screening,
    kind: str,
    status: str,
    date: date,
    valid_until: date | None = None,
    outcome_note: str = "",
) -> Screening:
    return _screening_save(
        screening,
        kind=kind,
        status=status,
        date=date,
        valid_until=valid_until,
        outcome_note=outcome_note,
    )


@transaction.atomic
def screening_delete(*, screening: Screening) -> None:
    screening.delete()


# ---------------------------------------------------------------- consortia


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
