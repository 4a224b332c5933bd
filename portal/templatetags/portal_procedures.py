"""``{% procedures_panel as panel %}``: the overview's procedures panel (open procedures and
windows of the region, the provider's live submissions), read through the provider scope."""

from django import template
from django.utils import timezone

from portal.views_procedures import own_submissions, procedure_timing, published_procedures

register = template.Library()


@register.simple_tag(takes_context=True)
def procedures_panel(context):
    request, provider = context["request"], context["provider"]
    now = timezone.now()
    tenders = published_procedures(user=request.user, region=provider.region)
    rows = [(t, procedure_timing(t, now)) for t in tenders]
    live = own_submissions(user=request.user, provider=provider).filter(is_live=True)
    return {
        "open": [(t, timing) for t, timing in rows if timing.open][:5],
        "live": list(live[:5]),
    }
