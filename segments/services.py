"""State-changing use cases of the landscape: municipalities, segments, care forms, products
and participation. Every function validates the model (the same checks as the forms) before
anything is written, in one transaction; django-auditlog records each save and delete."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.ui.formatting import format_date

from . import cbs
from .codes import ParallelRule, ParticipationLevel
from .models import (
    CareForm,
    Intensity,
    Municipality,
    Participation,
    Product,
    Region,
    Segment,
    SupportProfile,
)


def _save(obj, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


# ---------------------------------------------------------------- regions


@transaction.atomic
def region_create(
    *, name: str, slug: str, contracting_authority: str, description: str = ""
) -> Region:
    """A new region (the installation administrator's). A code (slug) or name already in use
    is an error at that field; nothing is saved."""
    slug, name = slug.strip().lower(), name.strip()
    taken = {}
    if Region.objects.filter(slug__iexact=slug).exists():
        taken["slug"] = _("Er is al een regio met de code %(code)s.") % {"code": slug}
    if Region.objects.filter(name__iexact=name).exists():
        taken["name"] = _("Er is al een regio met de naam %(name)s.") % {"name": name}
    if taken:
        raise ValidationError(taken)
    return _save(
        Region(),
        name=name,
        slug=slug,
        contracting_authority=contracting_authority.strip(),
        description=description.strip(),
    )


@transaction.atomic
def region_update(
    *, region: Region, name: str, contracting_authority: str, description: str = ""
) -> Region:
    """Name, contracting authority and description; the code stays (it is in every URL)."""
    return _save(
        region,
        name=name.strip(),
        contracting_authority=contracting_authority.strip(),
        description=description.strip(),
    )


@transaction.atomic
def region_public_page_set(
    *, region: Region, enabled: bool, min_cell: int, intro: str = ""
) -> Region:
    """Turn the region's public pages on or off, with the small-cell threshold (at least 5:
    a figure about fewer youths is not published) and an introduction. A threshold below 5 is
    an error at that field; nothing is saved. django-auditlog records the change."""
    return _save(
        region,
        public_page_enabled=bool(enabled),
        public_min_cell=min_cell,
        public_intro=intro.strip(),
    )


@transaction.atomic
def region_letter_signatory_set(
    *, region: Region, name: str, function: str, contracting_authority: str
) -> Region:
    """Who signs the region's decision letters (name and function) and the contracting
    authority the letters speak for. All three are required: a letter does not go out without
    them (docs/letters.md); an empty one is an error at its field and nothing is saved.
    django-auditlog records the change."""
    values = {
        "letter_signatory_name": name.strip(),
        "letter_signatory_function": function.strip(),
        "contracting_authority": contracting_authority.strip(),
    }
    labels = {
        "letter_signatory_name": _("Vul de naam van de ondertekenaar in."),
        "letter_signatory_function": _("Vul de functie van de ondertekenaar in."),
        "contracting_authority": _("Vul de aanbestedende dienst in."),
    }
    missing = {field: labels[field] for field, value in values.items() if not value}
    if missing:
        raise ValidationError(missing)
    return _save(region, **values)


# ---------------------------------------------------------------- municipalities


@transaction.atomic
def municipality_create(*, region: Region, cbs_code: str, name: str) -> Municipality:
    return _save(Municipality(region=region), cbs_code=cbs_code, name=name)


def _code_problem(code: str, entry, region: Region, seen: set[str], user) -> str | None:
    """Why ``code`` cannot be added to ``region`` (``None``: it can)."""
    if entry is None:
        normalised = cbs.normalise(code)
        if not cbs.is_well_formed(normalised):
            return _(
                "%(code)s is geen CBS-gemeentecode: een code is 'GM' gevolgd door vier cijfers, "
                "bijvoorbeeld GM0505."
            ) % {"code": code}
        return _("%(code)s is geen gemeente in de CBS-lijst.") % {"code": normalised}
    if entry.code in seen:
        return _("%(code)s staat meer dan eens in de invoer.") % {"code": entry.code}
    if not entry.is_current:
        return _("%(entry)s is opgeheven per %(date)s, opgegaan in %(successors)s.") % {
            "entry": entry,
            "date": format_date(entry.dissolved_on),
            "successors": ", ".join(str(s) for s in cbs.successors(entry)),
        }
    existing = Municipality.objects.filter(cbs_code=entry.code).select_related("region").first()
    if existing is None:
        return None
    if existing.region_id == region.pk:
        return _("%(entry)s hoort al bij deze regio.") % {"entry": entry}
    visible = user is not None and Region.objects.visible_to(user).filter(pk=existing.region_id)
    if visible and visible.exists():
        return _("%(entry)s hoort bij de regio %(region)s.") % {
            "entry": entry,
            "region": existing.region.name,
        }
    return _("%(entry)s hoort bij een andere regio.") % {"entry": entry}


@transaction.atomic
def municipality_add_by_codes(
    *, region: Region, codes: Iterable[str], user=None, field: str = "codes"
) -> list[Municipality]:
    """Add municipalities to ``region`` by CBS code, their names taken from the shipped CBS
    list (``segments/cbs.py``). All or nothing: every code that cannot be added is named in one
    ``ValidationError`` at ``field`` — not a municipality code, a historic code (with the date
    and the municipality it went into), already in this region, in another region (named only
    if ``user`` may see that region), or given twice — and then nothing is saved."""
    codes = [c.strip() for c in codes if c and c.strip()]
    if not codes:
        raise ValidationError({field: _("Vul ten minste één CBS-gemeentecode in.")})
    problems, entries, seen = [], [], set()
    for code in codes:
        entry = cbs.lookup(code)
        problem = _code_problem(code, entry, region, seen, user)
        if entry is not None:
            seen.add(entry.code)
        if problem:
            problems.append(problem)
        else:
            entries.append(entry)
    if problems:
        raise ValidationError({field: problems})
    return [
        _save(Municipality(region=region), cbs_code=entry.code, name=entry.name)
        for entry in entries
    ]


@transaction.atomic
def municipality_update(*, municipality: Municipality, cbs_code: str, name: str) -> Municipality:
    return _save(municipality, cbs_code=cbs_code, name=name)


@transaction.atomic
def municipality_delete(*, municipality: Municipality) -> None:
    """Raises ``ProtectedError`` while anything still refers to the municipality."""
    municipality.delete()


# ---------------------------------------------------------------- care forms


@transaction.atomic
def care_form_create(*, region: Region, code: str, name: str, description: str = "") -> CareForm:
    return _save(CareForm(region=region), code=code, name=name, description=description)


@transaction.atomic
def care_form_update(
    *, care_form: CareForm, code: str, name: str, description: str = ""
) -> CareForm:
    return _save(care_form, code=code, name=name, description=description)


@transaction.atomic
def care_form_delete(*, care_form: CareForm) -> None:
    """Raises ``ProtectedError`` while anything still refers to the care form."""
    care_form.delete()


# ---------------------------------------------------------------- segments


def _segment_save(segment: Segment, *, care_forms: Iterable[CareForm] | None, **fields) -> Segment:
    _save(segment, **fields)
    if care_forms is not None:
        segment.care_forms.set(care_forms)
    return segment


@transaction.atomic
def segment_create(
    *,
    region: Region,
    code: str,
    name: str,
    parent: Segment | None = None,
    description: str = "",
    target_group: str = "",
    development_assignments: str = "",
    care_forms: Iterable[CareForm] = (),
    bought_regionally: bool = True,
) -> Segment:
    return _segment_save(
        Segment(region=region),
        care_forms=care_forms,
        parent=parent,
        code=code,
        name=name,
        description=description,
        target_group=target_group,
        development_assignments=development_assignments,
        bought_regionally=bought_regionally,
    )


@transaction.atomic
def segment_update(
    *,
    segment: Segment,
    code: str,
    name: str,
    parent: Segment | None = None,
    description: str = "",
    target_group: str = "",
    development_assignments: str = "",
    care_forms: Iterable[CareForm] | None = None,
    bought_regionally: bool = True,
) -> Segment:
    """``care_forms=None`` leaves the segment's care forms as they are."""
    return _segment_save(
        segment,
        care_forms=care_forms,
        parent=parent,
        code=code,
        name=name,
        description=description,
        target_group=target_group,
        development_assignments=development_assignments,
        bought_regionally=bought_regionally,
    )


@transaction.atomic
def segment_delete(*, segment: Segment) -> None:
    """Raises ``ProtectedError`` while anything still refers to the segment."""
    segment.delete()


# ---------------------------------------------------------------- products


@transaction.atomic
def product_create(
    *,
    region: Region,
    code: str,
    name: str,
    care_form: CareForm,
    category: str,
    unit: str,
    support_profile: SupportProfile | None = None,
    intensity: Intensity | None = None,
) -> Product:
    return _save(
        Product(region=region),
        code=code,
        name=name,
        care_form=care_form,
        category=category,
        unit=unit,
        support_profile=support_profile,
        intensity=intensity,
    )


@transaction.atomic
def product_update(
    *,
    product: Product,
    code: str,
    name: str,
    care_form: CareForm,
    category: str,
    unit: str,
    support_profile: SupportProfile | None = None,
    intensity: Intensity | None = None,
) -> Product:
    return _save(
        product,
        code=code,
        name=name,
        care_form=care_form,
        category=category,
        unit=unit,
        support_profile=support_profile,
        intensity=intensity,
    )


@transaction.atomic
def product_delete(*, product: Product) -> None:
    """Raises ``ProtectedError`` while anything still refers to the product."""
    product.delete()


# ---------------------------------------------------------------- support profiles


def _refuse_while_products(obj, message) -> None:
    """A profile or intensity that products still use is retired, not deleted; ``message(n)``
    says so for n products."""
    count = obj.products.count()
    if count:
        raise ValidationError(message(count) % {"count": count})


@transaction.atomic
def support_profile_create(
    *, region: Region, number: int, name: str, description: str = "", retired: bool = False
) -> SupportProfile:
    return _save(
        SupportProfile(region=region),
        number=number,
        name=name,
        description=description,
        retired=retired,
    )


@transaction.atomic
def support_profile_update(
    *,
    support_profile: SupportProfile,
    number: int,
    name: str,
    description: str = "",
    retired: bool | None = None,
) -> SupportProfile:
    """``retired``: ``None`` leaves it as it is (the page's form does not show it)."""
    if retired is not None:
        support_profile.retired = retired
    return _save(support_profile, number=number, name=name, description=description)


@transaction.atomic
def support_profile_retire(
    *, support_profile: SupportProfile, retired: bool = True
) -> SupportProfile:
    """Retire a profile (or bring it back): its products and contracts stay as they are, but it
    is no longer offered for new products."""
    return _save(support_profile, retired=retired)


@transaction.atomic
def support_profile_delete(*, support_profile: SupportProfile) -> None:
    """Only a profile without products can be deleted; otherwise retire it."""
    _refuse_while_products(
        support_profile,
        lambda n: ngettext(
            "Dit profiel heeft %(count)d product; zet het op 'niet meer in gebruik'.",
            "Dit profiel heeft %(count)d producten; zet het op 'niet meer in gebruik'.",
            n,
        ),
    )
    support_profile.delete()


# ---------------------------------------------------------------- intensities


@transaction.atomic
def intensity_create(
    *,
    region: Region,
    code: str,
    name: str,
    description: str = "",
    position: int = 1,
    parallel: str = ParallelRule.EXCLUSIVE,
    parallel_max_days: int | None = None,
    retired: bool = False,
) -> Intensity:
    return _save(
        Intensity(region=region),
        retired=retired,
        code=code,
        name=name,
        description=description,
        position=position,
        parallel=ParallelRule(parallel),
        parallel_max_days=parallel_max_days,
    )


@transaction.atomic
def intensity_update(
    *,
    intensity: Intensity,
    code: str,
    name: str,
    description: str = "",
    position: int = 1,
    parallel: str = ParallelRule.EXCLUSIVE,
    parallel_max_days: int | None = None,
    retired: bool | None = None,
) -> Intensity:
    """``retired``: ``None`` leaves it as it is (the page's form does not show it)."""
    if retired is not None:
        intensity.retired = retired
    return _save(
        intensity,
        code=code,
        name=name,
        description=description,
        position=position,
        parallel=ParallelRule(parallel),
        parallel_max_days=parallel_max_days,
    )


@transaction.atomic
def intensity_retire(*, intensity: Intensity, retired: bool = True) -> Intensity:
    return _save(intensity, retired=retired)


@transaction.atomic
def intensity_delete(*, intensity: Intensity) -> None:
    """Only an intensity without products can be deleted; otherwise retire it."""
    _refuse_while_products(
        intensity,
        lambda n: ngettext(
            "Deze intensiteit heeft %(count)d product; zet haar op 'niet meer in gebruik'.",
            "Deze intensiteit heeft %(count)d producten; zet haar op 'niet meer in gebruik'.",
            n,
        ),
    )
    intensity.delete()


# ---------------------------------------------------------------- participation


@transaction.atomic
def participation_set(
    *, municipality: Municipality, segment: Segment, level: str, note: str = ""
) -> Participation:
    """Record how a municipality takes part in a (sub-)segment. Validates the cross-region
    rule and the note for partial participation before anything is written."""
    participation = Participation.objects.filter(municipality=municipality, segment=segment).first()
    participation = participation or Participation(municipality=municipality, segment=segment)
    participation.level = ParticipationLevel(level)
    participation.note = note.strip()
    participation.full_clean()
    participation.save()
    return participation
