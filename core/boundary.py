"""The provider portal's boundary: what a provider user may reach at all.

A provider portal user (a user whose scope is a provider's: ``Scope.is_provider``) works in
``/portaal/`` only. Every staff page of a region answers 403 — whatever its own queryset would
show — so a staff page never has to reason about provider users. Inside the portal a provider
user must have passed two-factor authentication (TOTP, django-otp) in this session; until then
every portal page sends them to enrol an authenticator app or to enter its code.

core is the lowest layer: the portal's pages are named by URL name, never imported.
"""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from core.scoping import scope_for

PORTAL_PREFIX = "/portaal/"
#: pages a provider user may open besides the portal: sign-in and password, language, health,
#: the API and the regions' public pages
OPEN_PREFIXES = ("/account/", "/i18n/", "/healthz", "/static/", "/api/", "/openbaar/")
#: portal pages reachable before the second factor: enrolling and verifying it
SECOND_FACTOR_PREFIX = "/portaal/tweestapsverificatie/"


def is_portal_user(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or user.is_superuser:
        return False
    scope = scope_for(user)
    return scope.is_provider and not scope.region_roles and not scope.is_municipal


def second_factor_passed(user) -> bool:
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


class ProviderBoundaryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if is_portal_user(user):
            path = request.path_info
            if path == "/":
                return redirect("portal:home")
            if path.startswith(PORTAL_PREFIX):
                if not path.startswith(SECOND_FACTOR_PREFIX) and not second_factor_passed(user):
                    query = urlencode({"next": request.get_full_path()})
                    return redirect(f"{reverse('portal:otp-verify')}?{query}")
            elif not path.startswith(OPEN_PREFIXES):
                raise PermissionDenied("provider users work in the portal only")
        return self.get_response(request)
