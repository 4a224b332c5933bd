"""The demo's public page: Amsterdam (seed 004 promises the scores per provider per profile per
intensity "op de regionale website"), turned on through the region administrator's service."""

from segments.models import Region
from segments.services import region_public_page_set

PUBLIC_REGION = "ams"
INTRO = (
    "Op deze pagina ziet u welke jeugdhulp de regio inkoopt, bij welke "
    "aanbieders, welke procedures open staan en hoe aanbieders scoren per ondersteuningsprofiel "
    "en intensiteit. Cijfers over minder dan 10 jeugdigen tonen we niet."
)


def load_public_page() -> Region | None:
    """Turn the public page of the demo's Amsterdam region on (repeatable)."""
    region = Region.objects.filter(slug=PUBLIC_REGION).first()
    if region is None or region.public_page_enabled:
        return region
    return region_public_page_set(region=region, enabled=True, min_cell=10, intro=INTRO)
