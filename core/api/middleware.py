"""Headers on every response under /api/: the API version (API-57) and security headers."""

from django.conf import settings

from . import API_VERSION

#: the API's own responses are data: nothing in them may run or be framed
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
#: the documentation pages load only the vendored Swagger UI / Redoc from our own static files
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


class ApiHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = getattr(settings, "API_PATH_PREFIX", "/api/")

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(self.prefix):
            return response
        response["API-Version"] = API_VERSION
        is_docs = request.path.rstrip("/").endswith(("/docs", "/redoc"))
        response.setdefault("Content-Security-Policy", DOCS_CSP if is_docs else API_CSP)
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("X-Frame-Options", "DENY")
        response.setdefault("Referrer-Policy", "no-referrer")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if "Cache-Control" not in response:
            response["Cache-Control"] = (
                "no-store"
                if request.headers.get("Authorization")
                else ("public, max-age=300" if response.status_code == 200 else "no-store")
            )
        return response
