"""The inbox's unread count for the portal's navigation and overview."""

from django import template

from providers import inbox

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_unread(context, provider) -> int:
    request = context.get("request")
    if request is None or provider is None:
        return 0
    return inbox.unread_count(request.user, provider)


@register.simple_tag(takes_context=True)
def inbox_latest_unread(context, provider, limit: int = 5):
    request = context.get("request")
    if request is None or provider is None:
        return []
    return list(inbox.inbox_for(request.user, provider).filter(is_read=False)[:limit])
