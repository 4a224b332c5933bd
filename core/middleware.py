"""``Cache-Control: private, no-store`` on every response to a signed-in user or an API client.

What a signed-in user sees (pages, downloads, the API with a key) is theirs alone: no shared
cache (a proxy, a CDN) may keep it, and the browser may not write it to disk. Responses to
anonymous visitors keep their own caching: the public pages (``/openbaar/``, their content
cached on the server, see ``public/views.py``), the login page (``never_cache``), the open API
(``core.api.middleware``) and the static files (WhiteNoise answers those before this runs).
"""

PRIVATE_NO_STORE = "private, no-store"


def _is_signed_in(request) -> bool:
    # DRF puts the API client it authenticated on the request as ``user``; an ApiClient has no
    # ``is_authenticated``, so look at the header as well
    if request.headers.get("Authorization"):
        return True
    user = getattr(request, "user", None)
    return bool(getattr(user, "is_authenticated", False))


def _private_no_store(response) -> bool:
    directives = {
        d.strip().split("=")[0].lower() for d in response.get("Cache-Control", "").split(",")
    }
    return {"private", "no-store"} <= directives


class PrivateCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # asked before the view too: DRF replaces ``request.user`` with the API's own user
        # (``None`` on the open endpoints), so a session user is only seen here
        signed_in = _is_signed_in(request)
        response = self.get_response(request)
        if (signed_in or _is_signed_in(request)) and not _private_no_store(response):
            # replaces what a view said (a max-age, ``public``); a header that already says
            # private and no-store (never_cache's longer form) is kept
            response["Cache-Control"] = PRIVATE_NO_STORE
        return response
