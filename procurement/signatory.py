"""Who signs a procedure's decision letters, and the contracting authority they speak for.

The region holds them (``Region.letter_signatory_name``, ``letter_signatory_function`` and
``contracting_authority``, set by the region administrator on the page "Ondertekening van
brieven"); a procedure may override each of them (``Tender.letter_*``, empty: the region's). A
decision letter does not go out while one of the three is missing: the workflow refuses the
transitions after which letters go out (guard ``workflow.signatory_known``), a decision on an
application is refused (``services.submission_decide_admission``), and sending a letter again
refuses too (``letters.submission_letter_send``). Reads, and the one service that sets a
procedure's override (:func:`tender_letter_signatory_set`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from segments.models import Region

from .models import Tender


@dataclass(frozen=True)
class Signatory:
    name: str
    function: str
    contracting_authority: str

    def missing(self) -> list[str]:
        """The labels of what is missing, in the order of the signature."""
        labels = []
        if not self.contracting_authority:
            labels.append(_("de aanbestedende dienst"))
        if not self.name:
            labels.append(_("de naam van de ondertekenaar"))
        if not self.function:
            labels.append(_("de functie van de ondertekenaar"))
        return labels


def signatory_for(tender: Tender, region: Region | None = None) -> Signatory:
    """The signatory of ``tender``'s letters: the procedure's own where set, else the
    region's. ``region`` saves a query when the caller has it."""
    if region is None and Tender.region.is_cached(tender):
        region = tender.region
    if region is None or region.pk != tender.region_id:
        region = Region.objects.only(
            "contracting_authority", "letter_signatory_name", "letter_signatory_function"
        ).get(pk=tender.region_id)
    return Signatory(
        name=(tender.letter_signatory_name or region.letter_signatory_name).strip(),
        function=(tender.letter_signatory_function or region.letter_signatory_function).strip(),
        contracting_authority=(
            tender.letter_contracting_authority or region.contracting_authority
        ).strip(),
    )


def region_signatory(region: Region) -> Signatory:
    """The region's own signatory (documents of the region, not of one procedure)."""
    return Signatory(
        name=region.letter_signatory_name.strip(),
        function=region.letter_signatory_function.strip(),
        contracting_authority=region.contracting_authority.strip(),
    )


def signatory_problem(tender: Tender, region: Region | None = None) -> str | None:
    """Why ``tender``'s letters cannot go out for want of a signature, or ``None``."""
    missing = signatory_for(tender, region).missing()
    if not missing:
        return None
    return _(
        "De brieven kunnen niet uit: de ondertekening is niet compleet (ontbreekt: %(what)s). "
        "Vul haar in bij de regio (Ondertekening van brieven) of bij deze procedure."
    ) % {"what": ", ".join(missing)}


@transaction.atomic
def tender_letter_signatory_set(
    *, tender: Tender, name: str = "", function: str = "", contracting_authority: str = ""
) -> Tender:
    """Override who signs ``tender``'s letters; an empty value takes the region's again.
    Letters already sent keep the signature they went out with (``DecisionLetter``).
    django-auditlog records the change."""
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    tender.letter_signatory_name = name.strip()
    tender.letter_signatory_function = function.strip()
    tender.letter_contracting_authority = contracting_authority.strip()
    fields = ["letter_signatory_name", "letter_signatory_function", "letter_contracting_authority"]
    tender.clean_fields(exclude=[f.name for f in Tender._meta.fields if f.name not in fields])
    tender.save(update_fields=fields)
    return tender
