"""A case director's consent for a stacked profile or a profile switch (seed 004, §3.3).

Amsterdam's rule: one perspective plan, one profile, one tariff per family at a time; a stacked
profile (in the exceptions the strategy names) and a switch to another profile-intensity
combination need the consent of the family's case director (regisseur: the local team or the
GI), and the burden of proof lies with the provider. The region records that consent here;
settlement (``contracts.settlement``, pure) gets the consents as facts next to the allocations
and reports a consented stacking or switch as a note instead of a breach.

A family is its pseudonym as settlement shows it: the first 12 characters of the client key of
its allocations (``monitoring`` pseudonymises at import). A consent names only families and
products the contract's allocations hold in the period it covers; the staff picks the family
from those, never types an identifier, and a refusal never echoes what was typed.

Services (keyword-only, one transaction, audited by django-auditlog): ``profile_consent_record``
and ``profile_consent_revoke``. Reads: ``profile_families``, ``consent_facts`` and
``consents_on``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.ui.formatting import format_date as _d
from segments.models import Product

from .codes import ConsentKind
from .models import Contract, ProfileConsent
from .production import production_for
from .settlement import Allocation, Consent

#: the end of an open consent's window, when its allocations are looked up
OPEN_END = date(9999, 12, 31)


# ---------------------------------------------------------------- reads


def _contract_span(contract: Contract) -> tuple[date, date]:
    end = contract.terminated_on or contract.final_end_date or contract.end_date or OPEN_END
    return contract.start_date, end


def _profile_allocations(contract: Contract, start: date, end: date) -> list[Allocation]:
    """The contract's allocations of profile products that run on a day of ``start`` … ``end``."""
    profile_codes = set(
        Product.objects.filter(
            arrangements__contract=contract, support_profile__isnull=False
        ).values_list("code", flat=True)
    )
    allocations = production_for([contract.pk], start, end)[contract.pk].allocations
    return [
        a
        for a in allocations
        if a.product_code in profile_codes and a.start <= end and (a.end is None or a.end >= start)
    ]


def profile_families(contract: Contract) -> dict[str, list[str]]:
    """Families with allocations of two or more profile products on the contract (over its
    whole term): the ones a stacking or a switch can concern, with their product codes."""
    codes: dict[str, set[str]] = defaultdict(set)
    for allocation in _profile_allocations(contract, *_contract_span(contract)):
        codes[allocation.family].add(allocation.product_code)
    return {family: sorted(c) for family, c in sorted(codes.items()) if len(c) > 1}


def consent_facts(contract: Contract) -> tuple[Consent, ...]:
    """The contract's consents in force (not revoked), as settlement facts."""
    rows = (
        ProfileConsent.objects.filter(contract=contract, revoked_at__isnull=True)
        .prefetch_related("products")
        .order_by("given_on", "pk")
    )
    return tuple(
        Consent(
            family=row.family,
            kind=row.kind,
            product_codes=frozenset(p.code for p in row.products.all()),
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            given_on=row.given_on,
            case_director=row.case_director,
        )
        for row in rows
    )


def consents_on(contract: Contract, user):
    """The consents on ``contract`` that ``user`` may see (revoked ones too), newest first."""
    return (
        ProfileConsent.objects.restrict(user)
        .filter(contract=contract)
        .select_related("recorded_by", "revoked_by")
        .prefetch_related("products")
    )


# ---------------------------------------------------------------- services


def _check(
    *,
    contract: Contract,
    region,
    family: str,
    kind: str,
    products: list[Product],
    given_on: date | None,
    case_director: str,
    reason: str,
    valid_from: date | None,
    valid_until: date | None,
) -> None:
    errors: dict[str, str] = {}
    if region is not None and contract.region_id != region.pk:
        raise ValidationError(_("Dit contract hoort bij een andere regio."))
    if not reason.strip():
        errors["reason"] = _("Geef de reden van de instemming (verplicht).")
    if not case_director.strip():
        errors["case_director"] = _("Geef de naam en functie van de regisseur.")
    if kind not in ConsentKind.values:
        errors["kind"] = _("Kies stapeling of profielwissel.")
    if given_on is None:
        errors["given_on"] = _("Geef de datum waarop de regisseur instemde.")
    elif given_on > timezone.localdate():
        errors["given_on"] = _("De datum van instemming ligt in de toekomst.")
    if valid_from is None:
        errors["valid_from"] = _("Geef de dag vanaf wanneer de instemming geldt.")
    elif valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = _(
            "De instemming eindigt (%(until)s) vóór ze ingaat (%(from)s)."
        ) % {"until": _d(valid_until), "from": _d(valid_from)}
    needed = 2 if kind == ConsentKind.STACKING else 1
    if len(products) < needed:
        errors["products"] = (
            _("Een instemming met stapeling noemt beide profielen die naast elkaar lopen.")
            if kind == ConsentKind.STACKING
            else _("Noem het profiel waarnaar het gezin overstapt.")
        )
    foreign = [p.code for p in products if p.region_id != contract.region_id]
    if foreign:
        errors["products"] = _("Deze producten horen bij een andere regio: %(codes)s.") % {
            "codes": ", ".join(foreign)
        }
    if errors:
        raise ValidationError(errors)
    held = _profile_allocations(contract, *_contract_span(contract))
    if family not in {a.family for a in held}:
        # never echo what was typed: it could be an identifier that must not be shown
        raise ValidationError(
            {
                "family": _(
                    "Dit gezin heeft op dit contract geen toewijzing van een profiel; kies een "
                    "gezin uit de lijst."
                )
            }
        )
    window_end = valid_until or OPEN_END
    in_window = {
        a.product_code
        for a in held
        if a.family == family and a.start <= window_end and (a.end is None or a.end >= valid_from)
    }
    missing = [p.code for p in products if p.code not in in_window]
    if missing:
        raise ValidationError(
            {
                "products": _(
                    "Gezin %(family)s heeft op dit contract geen toewijzing van %(codes)s "
                    "tussen %(from)s en %(until)s; een instemming kan alleen gelden voor een "
                    "profiel dat het gezin in die periode heeft."
                )
                % {
                    "family": family,
                    "codes": ", ".join(missing),
                    "from": _d(valid_from),
                    "until": _d(valid_until) if valid_until else _("het einde van het contract"),
                }
            }
        )


@transaction.atomic
def profile_consent_record(
    *,
    contract: Contract,
    family: str,
    kind: str,
    products: Iterable[Product],
    given_on: date,
    case_director: str,
    reason: str,
    valid_from: date,
    valid_until: date | None = None,
    region=None,
    user=None,
) -> ProfileConsent:
    """Record a case director's consent for ``family``'s stacked profiles or profile switch on
    ``contract``. Refused, with the reason next to the field, for another region's contract, a
    missing reason or case director, dates out of order, or a product the family does not hold
    on this contract in the period the consent covers."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    products = list(products)
    family = (family or "").strip()
    _check(
        contract=contract,
        region=region,
        family=family,
        kind=kind,
        products=products,
        given_on=given_on,
        case_director=case_director or "",
        reason=reason or "",
        valid_from=valid_from,
        valid_until=valid_until,
    )
    consent = ProfileConsent.objects.create(
        region_id=contract.region_id,
        contract=contract,
        family=family,
        kind=kind,
        given_on=given_on,
        case_director=case_director.strip(),
        reason=reason.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        recorded_by=user,
    )
    consent.products.set(products)
    return consent


@transaction.atomic
def profile_consent_revoke(*, consent: ProfileConsent, reason: str, user=None) -> ProfileConsent:
    """Revoke a consent (the case director withdrew it, or it was recorded in error); the row
    stays, with who revoked it, when and why. Settlement then reports the stacking or switch
    as a breach again."""
    consent = ProfileConsent.objects.select_for_update().get(pk=consent.pk)
    if consent.revoked_at is not None:
        raise ValidationError(
            _("Deze instemming is al ingetrokken op %(day)s.")
            % {"day": _d(timezone.localtime(consent.revoked_at).date())}
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Geef de reden van de intrekking.")})
    consent.revoked_at = timezone.now()
    consent.revoked_by = user
    consent.revoke_reason = reason.strip()
    consent.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return consent
