from django.apps import apps
from django.conf import settings

from core.navigation import region_menu
from core.roles import (
    HISTORY_READERS,
    LETTER_SIGNATORY_MANAGERS,
    PUBLIC_PAGE_MANAGERS,
    USER_MANAGERS,
    Role,
)
from core.scoping import scope_for


def navigation(request):
    """The current region (from the URL) and the regions the user may switch to.

    Computed once per request: every template rendered with the request (a table's template
    columns render one per cell) would otherwise run its queries again."""
    cached = getattr(request, "_navigation_context", None)
    if cached is not None:
        return cached
    context = _navigation(request)
    request._navigation_context = context
    return context


def _navigation(request):
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("region") if match else None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_region_slug": slug}
    # core sits below segments: the models are looked up by name, never imported.
    regions = list(
        apps.get_model("segments", "Region").objects.visible_to(user).only("pk", "name", "slug")
    )
    current = next((r for r in regions if r.slug == slug), None)
    scope = scope_for(user)
    flags = {
        # Pages built from every municipality's figures are for region roles only.
        "region_role": current is not None
        and (scope.is_superuser or current.pk in scope.region_ids()),
        # Monitoring: region roles open the regional overview, municipal users their own view.
        "municipality_pk": _own_municipality(scope, current),
        # The region's API clients are managed by its administrator.
        "api_clients": current is not None and scope.has_role(current.pk, {Role.ADMINISTRATOR}),
        # ...and its users; the installation administrator (a superuser) makes new regions.
        "users": current is not None and scope.has_role(current.pk, USER_MANAGERS),
        # ...and its public page and who signs its letters (the same checks as those pages).
        "public_page": current is not None and scope.has_role(current.pk, PUBLIC_PAGE_MANAGERS),
        "signatory": current is not None and scope.has_role(current.pk, LETTER_SIGNATORY_MANAGERS),
    }
    return {
        "nav_regions": regions,
        "current_region": current,
        "current_region_slug": slug,
        "nav_can_admin": user.is_staff,
        "nav_is_municipal": scope.is_municipal and not scope.region_roles,
        "nav_region_role": flags["region_role"],
        "nav_municipality_pk": flags["municipality_pk"],
        "nav_api_clients": flags["api_clients"],
        "nav_users": flags["users"],
        # the "Geschiedenis" buttons: the same check as the history page (segments.HistoryView)
        "nav_history": current is not None and scope.has_role(current.pk, HISTORY_READERS),
        # the region menu, grouped by the work (core/navigation.py)
        "nav_menu": region_menu(slug=current.slug, path=request.path, **flags) if current else [],
        "nav_installation": user.is_superuser,
        # a provider portal user: the portal's own navigation, no region menu
        "nav_portal": scope.is_provider and not scope.region_roles and not user.is_superuser,
        "environment_label": "" if not settings.DEBUG else "ontwikkelomgeving",
    }


def _own_municipality(scope, region):
    if region is None or not scope.is_municipal or region.pk in scope.region_ids():
        return None
    return (
        apps.get_model("segments", "Municipality")
        .objects.filter(region=region, pk__in=scope.municipality_ids)
        .order_by("name")
        .values_list("pk", flat=True)
        .first()
    )


def notifications(request):
    """The bell's unread count: one query per page, only when a template reads it (a template
    calls the function; the count is kept on the request)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        cached = getattr(request, "_unread_notifications", None)
        if cached is None:
            from core.notifications import unread_count

            cached = request._unread_notifications = unread_count(user)
        return cached

    return {"nav_unread_notifications": count}
