"""State-changing use cases for providers: the provider itself, its screenings and a
consortium's composition. Every function validates the model (the same checks as the forms)
before anything is written, in one transaction; django-auditlog records each save and delete."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from segments.models import CareForm, Municipality, Region, Segment

from .admissibility import Requirement, ScreeningStatus, valid_until_for
from .models import ConsortiumMembership, Provider, ProviderKind, Screening, ScreeningKind

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


# ---------------------------------------------------------------- the screening instrument


def _screening_kind_save(
    kind: ScreeningKind, *, segments: Iterable[Segment], **fields
) -> ScreeningKind:
    segments = list(segments)
    for name, value in fields.items():
        setattr(kind, name, value)
    errors: dict[str, list[str]] = {}
    if kind.requirement == Requirement.SEGMENTS and not segments:
        errors["segments"] = [_("Kies de segmenten waarvoor deze screening vereist is.")]
    if kind.requirement != Requirement.SEGMENTS:
        segments = []  # only a per-segment requirement names segments
    if any(s.region_id != kind.region_id for s in segments):
        errors.setdefault("segments", []).append(_("Kies alleen segmenten van de eigen regio."))
    duplicate = (
        ScreeningKind.objects.filter(region_id=kind.region_id, code=kind.code)
        .exclude(pk=kind.pk)
        .exists()
    )
    if kind.code and duplicate:
        errors.setdefault("code", []).append(_("Deze code is in de regio al in gebruik."))
    try:
        # The (region, code) constraint is checked just above, with the message at the field.
        kind.full_clean(validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    kind.save()
    kind.segments.set(segments)
    return kind


@transaction.atomic
def screening_kind_create(
    *,
    region: Region,
    code: str,
    name: str,
    description: str = "",
    validity_months: int | None = None,
    requirement: str = Requirement.ALL,
    segments: Iterable[Segment] = (),
    active: bool = True,
) -> ScreeningKind:
    """A new kind of screening in the region's instrument, in use from now on."""
    return _screening_kind_save(
        ScreeningKind(region=region, active=active),
        segments=segments,
        code=code.strip(),
        name=name.strip(),
        description=description,
        validity_months=validity_months,
        requirement=requirement,
    )


@transaction.atomic
def screening_kind_update(
    *,
    screening_kind: ScreeningKind,
    code: str,
    name: str,
    description: str = "",
    validity_months: int | None = None,
    requirement: str,
    segments: Iterable[Segment] = (),
    active: bool | None = None,
) -> ScreeningKind:
    """Change a kind, its requirement included: the verdicts follow at once (they are
    computed, never stored). Screenings already recorded keep their dates. ``active``:
    ``None`` leaves it as it is (the page retires a kind with its own button)."""
    if active is not None:
        screening_kind.active = active
    return _screening_kind_save(
        screening_kind,
        segments=segments,
        code=code.strip(),
        name=name.strip(),
        description=description,
        validity_months=validity_months,
        requirement=requirement,
    )


@transaction.atomic
def screening_kind_retire(*, screening_kind: ScreeningKind, retired: bool = True) -> ScreeningKind:
    """Put a kind out of use (no longer offered for new screenings, required nowhere), or back
    into use. Its screenings stay on record."""
    screening_kind.active = not retired
    screening_kind.full_clean()
    screening_kind.save(update_fields=["active"])
    return screening_kind


@transaction.atomic
def screening_kind_delete(*, screening_kind: ScreeningKind) -> None:
    """Only a kind no screening was ever recorded for can go; otherwise it is refused with
    how many screenings of how many providers use it."""
    used = Screening.objects.filter(kind=screening_kind)
    screenings = used.count()
    if screenings:
        providers = used.values("provider").distinct().count()
        used_by = ngettext("%(screenings)s screening", "%(screenings)s screenings", screenings) % {
            "screenings": screenings
        }
        of = ngettext("%(providers)s aanbieder", "%(providers)s aanbieders", providers) % {
            "providers": providers
        }
        raise ValidationError(
            _(
                "%(kind)s wordt gebruikt door %(used)s van %(of)s; zet hem op 'niet meer in "
                "gebruik'."
            )
            % {"kind": screening_kind, "used": used_by, "of": of}
        )
    screening_kind.delete()


# ---------------------------------------------------------------- screenings


def _screening_save(screening: Screening, *, previous_kind_id: int | None, **fields) -> Screening:
    for name, value in fields.items():
        setattr(screening, name, value)
    kind = screening.kind
    if not kind.active and kind.pk != previous_kind_id:
        raise ValidationError(
            {"kind": _("%(kind)s is niet meer in gebruik; kies een andere soort.") % {"kind": kind}}
        )
    if (
        screening.valid_until is None
        and screening.status == ScreeningStatus.PASSED
        and screening.date
        and kind.region_id == screening.provider.region_id
    ):
        screening.valid_until = valid_until_for(screening.date, kind.validity_months)
    screening.full_clean()
    screening.save()
    return screening


@transaction.atomic
def screening_create(
    *,
    provider: Provider,
    kind: ScreeningKind,
    date: date,
    status: str = "",
    valid_until: date | None = None,
    outcome_note: str = "",
) -> Screening:
    """Record a screening of one of the region's kinds in use. A passed screening without
    'geldig tot en met' is valid as long as its kind says."""
    screening = Screening(provider=provider)
    return _screening_save(
        screening,
        previous_kind_id=None,
        kind=kind,
        status=status or screening.status,
        date=date,
        valid_until=valid_until,
        outcome_note=outcome_note,
    )


@transaction.atomic
def screenings_record(
    *,
    providers: Iterable[Provider],
    kind: ScreeningKind,
    date: date,
    status: str = "",
    valid_until: date | None = None,
    outcome_note: str = "",
) -> list[Screening]:
    """Record one screening of ``kind`` for each of ``providers`` (a batch), each through
    :func:`screening_create`, in one transaction: a refusal for one provider names it and
    nothing is saved."""
    providers = list(providers)
    if not providers:
        raise ValidationError({"providers": _("Kies ten minste één aanbieder.")})
    made = []
    for provider in providers:
        try:
            made.append(
                screening_create(
                    provider=provider,
                    kind=kind,
                    date=date,
                    status=status,
                    valid_until=valid_until,
                    outcome_note=outcome_note,
                )
            )
        except ValidationError as exc:
            raise ValidationError(
                _("%(provider)s: %(reason)s Er is niets opgeslagen.")
                % {"provider": provider.name, "reason": " ".join(exc.messages)}
            ) from exc
    return made


@transaction.atomic
def screening_update(
    *,
    screening: Screening,
    kind: ScreeningKind,
    status: str,
    date: date,
    valid_until: date | None = None,
    outcome_note: str = "",
) -> Screening:
    return _screening_save(
        screening,
        previous_kind_id=screening.kind_id,
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
