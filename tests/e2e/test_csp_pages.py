"""Under the Content-Security-Policy (no inline script or handler, docs/security.md) the pages
whose behaviour moved to ``static/js/app.js`` still work in Chromium, and the browser reports
no violation (the ``page`` fixture fails a test on one): the region switch, the confirmation
before deactivating a user, the provider's live coverage check, and the API documentation.

The KPI form, the report form and the API client form are clicked through, under the same
fixture, in ``test_region_kpi.py``, ``test_reports.py`` and ``test_api_clients.py``."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import RegionMembership
from core.roles import Role
from procurement import services
from procurement.codes import ProcedureType
from tests.accounts.factories import provider_user, user_with_role
from tests.conftest import build_world
from tests.e2e.test_sas_procedure import login
from tests.procurement.factories import tender

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in_with_cookie(page, base, user, *, second_factor=False):
    """A session made by Django's test client, handed to the browser (the portal's second
    factor is tested in test_provider_portal.py)."""
    client = Client()
    client.force_login(user)
    if second_factor:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


def test_region_switch_and_confirmation(live_server, page, shot):
    a, b = build_world("p"), build_world("q")
    admin = user_with_role(a.region, Role.ADMINISTRATOR, username="ada")
    RegionMembership.objects.create(user=admin, region=b.region, role=Role.VIEWER)
    colleague = user_with_role(a.region, Role.VIEWER, username="vera")
    base = live_server.url
    login(page, base, "ada")

    # the region switch changes nothing on choosing (WCAG 3.2.2); its Wissel button goes there
    page.goto(f"{base}/regios/{a.region.slug}/")
    page.get_by_label("Regio", exact=True).select_option(label=b.region.name)
    page.wait_for_timeout(300)
    assert page.url.endswith(f"/regios/{a.region.slug}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Wissel").click()
    assert page.url.endswith(f"/regios/{b.region.slug}/")

    # deactivating asks first: dismissed, nothing happens; accepted, the user is deactivated
    page.goto(f"{base}/regios/{a.region.slug}/gebruikers/{colleague.pk}/")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.get_by_role("button", name="Deactiveren").click()
    assert asked == ["Alle rollen van deze gebruiker in deze regio intrekken?"]
    assert RegionMembership.objects.filter(user=colleague, region=a.region).exists()
    page.once("dialog", lambda d: d.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="Deactiveren").click()
    assert not RegionMembership.objects.filter(user=colleague, region=a.region).exists()
    shot("csp-01-deactivated")


def test_portal_coverage_check(live_server, page, shot):
    w = build_world("r")
    officer = user_with_role(w.region, Role.PROCUREMENT_OFFICER)
    t = tender(w, ProcedureType.TENDER)
    services.tender_transition(tender=t, name="publish", user=officer)
    other_form = w.segment.care_forms.create(region=w.region, code="X9", name="Crisis")
    admin = provider_user(w.provider, "admin")
    base = live_server.url
    sign_in_with_cookie(page, base, admin, second_factor=True)

    kwargs = {"provider": w.provider.pk, "tender": t.pk, "lot": t.lots.get().pk}
    page.goto(base + reverse("portal:procedure-submit", kwargs=kwargs))
    result = page.locator("#coverage-result")
    page.get_by_label(w.care_form.name).check()
    expect(result).to_have_text("De aangeboden jeugdhulpvormen voldoen aan de dekkingsregel.")
    page.get_by_label("Crisis").check()
    expect(result).to_have_text("De inschrijver levert deze jeugdhulpvormen niet: Crisis.")
    expect(result).to_have_class(re.compile("notice--warn"))
    assert other_form.pk
    shot("csp-02-coverage")


def test_api_documentation(live_server, page, shot):
    base = live_server.url
    page.goto(f"{base}/api/v1/docs")
    # Swagger UI drew the operations from the schema (its init script is a static file)
    expect(page.locator(".opblock").first).to_be_visible(timeout=20_000)
    shot("csp-03-swagger")
    page.goto(f"{base}/api/v1/redoc")
    expect(page.get_by_text("Jeugdinkoop API").first).to_be_visible(timeout=20_000)
    shot("csp-04-redoc")


def test_the_fixture_sees_a_violation(browser):
    """What the ``page`` fixture listens for is what Chromium says when the policy blocks an
    inline script (so the check above cannot pass by listening for the wrong words)."""
    from tests.e2e.conftest import is_csp_violation

    context = browser.new_context(locale="nl-NL")
    probe = context.new_page()
    messages = []
    probe.on("console", lambda m: messages.append(m.text))
    probe.route(
        "http://probe.invalid/",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": "default-src 'self'; script-src 'self'"},
            body="<p onclick=\"x()\">x</p><script>document.title = 'ran'</script>",
        ),
    )
    probe.goto("http://probe.invalid/")
    probe.wait_for_load_state()
    assert probe.title() != "ran"
    context.close()
    assert any(is_csp_violation(m) for m in messages), messages


def test_admin_under_the_policy(live_server, page):
    """Django's admin (its scripts are static files): the index, a list and a change form with
    its widgets draw without a violation."""
    from accounts.models import User

    w = build_world("s")
    root = User.objects.create_superuser("wortel", "wortel@example.nl", "geheim-wachtwoord-123")
    base = live_server.url
    sign_in_with_cookie(page, base, root)
    for path in (
        "/beheer/",
        "/beheer/segments/region/",
        f"/beheer/segments/region/{w.region.pk}/change/",
        f"/beheer/procurement/tender/{w.proc.tender.pk}/change/",
    ):
        response = page.goto(base + path)
        assert response.status == 200, path
        expect(page.locator("#content h1, #content h2").first).to_be_visible()
        page.wait_for_load_state("load")
