"""The demo regions' signature on decision letters (docs/letters.md): who signs and for which
contracting authority. Set through the service, before the procurement demo sends its
decisions (``procurement.demo.load_procurement`` calls :func:`load_letter_signatory` first).

The seeds name no signing officers: the names below are invented for the demo; the functions
are generic and the contracting authority is the region's own (segments/demo/seed_data.py).
"""

from __future__ import annotations

from segments import services as region_services
from segments.models import Region

#: region code → (name, function) of the signing officer; invented for the demo
SIGNATORIES = {
    "zhz": ("drs. M. Verbeek", "manager inkoop en contractmanagement Jeugd"),
    "wbo": ("mr. S. Hendriks", "teamleider inkoop, Team WBO"),
    "ams": ("ir. L. Kramer", "afdelingshoofd inkoop jeugd"),
}


def load_letter_signatory(region: Region) -> bool:
    """Give a demo region its signatory (once: a region that has one keeps it). Returns
    whether it was set now. ``region`` is set in place (the procurement demo goes on with it);
    anything else with a region's code (``slug``) is looked up."""
    if not isinstance(region, Region):
        region = Region.objects.filter(slug=region.slug).first()
    if region is None or region.slug not in SIGNATORIES or region.letter_signatory_name:
        return False
    name, function = SIGNATORIES[region.slug]
    region_services.region_letter_signatory_set(
        region=region,
        name=name,
        function=function,
        contracting_authority=region.contracting_authority,
    )
    return True
