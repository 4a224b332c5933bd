"""The steering panel of the portal's overview (filled without changing the overview view)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def steering_headline(context) -> dict:
    """Open signals, open dialogue actions with due dates and headline KPIs of the page's
    provider, read through the user's scope."""
    from portal.views_steering import headline

    return headline(context["request"].user, context["provider"])
