"""``{% portal_contracts_panel as panel %}``: the figures of the overview's contracts panel
(``portal/_overview_contracts.html``) for the page's provider and user."""

from django import template

from portal.selectors_contracts import contracts_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_contracts_panel(context):
    return contracts_panel(user=context["request"].user, provider=context["provider"])
