"""What went to the providers' inboxes, for the staff pages of a procedure."""

from django import template

from providers import inbox

register = template.Library()


@register.simple_tag(takes_context=True)
def nota_delivery(context, tender) -> dict:
    """``{number: (sent, opened)}`` of the procedure's notas van inlichtingen."""
    request = context.get("request")
    if request is None:
        return {}
    return inbox.nota_delivery(request.user, tender_id=tender.pk)
