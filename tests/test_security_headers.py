"""Headers and markup of every page (docs/security.md): the Content-Security-Policy (django-csp)
on every HTML page, no inline script, event handler or style attribute that it would block, and
``Cache-Control: private, no-store`` on every response to a signed-in user while the public
pages keep their own caching.

The pages are the scoping matrices' (``tests/test_scoping_matrix.py``,
``tests/portal/test_portal_matrix.py``): a page added there is checked here too."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import test_scoping_matrix as matrix
from tests.portal import conftest as portal_conftest
from tests.portal import test_portal_matrix as portal_matrix
from tests.portal.conftest import portal_login
from tests.portal.test_portal_matrix import portal_pages
from tests.test_scoping_matrix import pages as staff_pages
from tests.test_scoping_matrix import public_pages

# the matrices' fixtures: world A with its reports, files and API client; the portal's users
world_a = matrix.world_a
portal = portal_conftest.portal
portal_with_ids = portal_matrix.portal_with_ids

REQUIRED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
#: script types that are data, not code (json_script): the CSP does not run or block them
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def directives(header: str) -> dict[str, str]:
    parts = (p.strip().split(None, 1) for p in header.split(";") if p.strip())
    return {p[0]: (p[1] if len(p) > 1 else "") for p in parts}


class InlineCode(HTMLParser):
    """What a rendered page holds that ``script-src 'self'`` / ``style-src 'self'`` would block."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") not in DATA_SCRIPT_TYPES:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name == "style":
                self.found.append(f"<{tag} style={value!r}>")
            if name in ("href", "src", "action") and (value or "").lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:…>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def assert_page_headers(response, where, *, signed_in):
    if signed_in:
        # exactly that, or never_cache's longer form (which says both)
        cache = {d.strip().split("=")[0] for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= cache and "public" not in cache, where
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    csp = directives(response["Content-Security-Policy"])
    for name, value in REQUIRED_CSP.items():
        assert csp.get(name) == value, f"{where}: {name} is {csp.get(name)!r}"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"], where
    assert inline_code(body_of(response)) == [], where


@pytest.mark.django_db
def test_every_staff_page(client, world_a, world_b, users):
    """As a superuser (who reaches them all) and as another region's officer (the 404 pages)."""
    seen = 0
    for role in ("superuser", "other_region_officer", "municipal"):
        client.force_login(getattr(users, role))
        for name, kwargs, _kind in staff_pages(world_a):
            url = reverse(name, kwargs=kwargs)
            response = client.get(url)
            assert_page_headers(response, f"{role} {url}", signed_in=True)
            seen += response.get("Content-Type", "").startswith("text/html")
    assert seen > 300  # the matrix's pages, three times: HTML pages are what this checks


@pytest.mark.django_db
def test_every_portal_page(client, world_a, world_b, portal_with_ids):
    portal_login(client, portal_with_ids.admin)
    for name, kwargs, _kind in portal_pages(world_a, portal_with_ids):
        url = reverse(name, kwargs=kwargs)
        assert_page_headers(client.get(url), f"portal {url}", signed_in=True)


@pytest.mark.django_db
def test_admin_pages(client, world_a, users):
    client.force_login(users.superuser)
    for url in (
        reverse("admin:index"),
        reverse("admin:segments_region_changelist"),
        reverse("admin:segments_region_change", args=[world_a.region.pk]),
        reverse("admin:segments_region_add"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_page_headers(response, url, signed_in=True)


@pytest.mark.django_db
def test_public_pages_keep_their_own_caching(client, world_a, users):
    """Anonymous: the CSP, but not the signed-in user's no-store (the public pages' content is
    cached on the server, and nothing stops a browser from keeping them); signed in, the same
    page is the user's alone."""
    from segments.services import region_public_page_set

    region_public_page_set(region=world_a.region, enabled=True, min_cell=10)
    for name, kwargs in public_pages(world_a):
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.get("Cache-Control", ""), url
        assert_page_headers(response, url, signed_in=False)
    login = client.get(reverse("login"))
    # the login page keeps Django's never_cache, an anonymous API call its own max-age
    assert login["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert_page_headers(login, "login", signed_in=False)
    assert client.get("/api/v1/openapi.json")["Cache-Control"] == "public, max-age=300"

    client.force_login(users.viewer)
    for name, kwargs in public_pages(world_a):
        response = client.get(reverse(name, kwargs=kwargs))
        assert response["Cache-Control"] == "private, no-store", name
    assert client.get("/api/v1/openapi.json")["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_api_with_a_key_is_private(client, world_a):
    from api.services import api_key_issue

    token = api_key_issue(client=world_a.api_client)
    response = client.get("/api/v1/kpis", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    # the API keeps its own, stricter policy
    assert directives(response["Content-Security-Policy"])["default-src"] == "'none'"
    # without a key (the open endpoints): the API's own public caching
    assert client.get("/api/v1/kpis").status_code in (401, 403)


def test_csp_comes_from_django_csp():
    assert "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE
    assert settings.CONTENT_SECURITY_POLICY["EXCLUDE_URL_PREFIXES"] == ["/api/"]


# ----------------------------------------------------------------- the templates themselves

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates"]
#: rendered to PDF by WeasyPrint only, never sent to a browser as a page
PDF_TEMPLATES = ("procurement/pdf/", "reports/document/pdf.html")
SCRIPT_WITHOUT_SRC = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.IGNORECASE)


def templates():
    for folder in TEMPLATE_DIRS:
        for path in sorted(folder.rglob("*.html")):
            yield path.relative_to(folder).as_posix(), path.read_text(encoding="utf-8")


def test_no_template_has_inline_script_handler_or_style():
    checked = 0
    problems = []
    for name, text in templates():
        checked += 1
        for what, pattern in (
            ("inline <script>", SCRIPT_WITHOUT_SRC),
            ("on*= handler", EVENT_HANDLER),
        ):
            for match in pattern.finditer(text):
                if 'type="application/json"' not in match.group(0):
                    problems.append(f"{name}: {what}: {match.group(0)[:80]}")
        if name.startswith(PDF_TEMPLATES):
            continue
        for match in STYLE_ATTRIBUTE.finditer(text):
            problems.append(f"{name}: style attribute: {match.group(0)[:80]}")
        if "<style" in text:
            problems.append(f"{name}: <style> element")
    assert checked > 150
    assert problems == []


def test_the_scan_finds_what_it_looks_for():
    """The patterns above on the markup they must refuse (so the scan cannot pass vacuously)."""
    assert SCRIPT_WITHOUT_SRC.search("<script>\nalert(1)</script>")
    assert not SCRIPT_WITHOUT_SRC.search('<script src="/static/js/app.js" defer></script>')
    assert EVENT_HANDLER.search('<form method="post"\n  onsubmit="return confirm()">')
    assert not EVENT_HANDLER.search('<a href="?onderwerp=x">')
    assert STYLE_ATTRIBUTE.search('<ul class="x" style="margin:0">')
    assert inline_code('<p onclick="x()">') == ["<p onclick=…>"]
    assert inline_code('<script type="application/json">{}</script>') == []
