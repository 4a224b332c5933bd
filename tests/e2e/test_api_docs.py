"""The API documentation pages (Swagger UI at /api/v1/docs, Redoc at /api/v1/redoc) in Chromium:
axe-core finds no WCAG 2.1 A/AA violation with an operation opened, in Dutch and in English, and
the page names its language."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],  # the passes of a long page are megabytes of JSON
}


def no_violations(page):
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_swagger_ui_passes_axe(live_server, page, lang):
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page.goto(f"{live_server.url}/api/v1/docs")
    page.locator(".opblock-summary").first.wait_for()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    no_violations(page)
    # one operation opened: its parameters, responses and "Try it out"
    page.locator(".opblock-summary-control").first.click()
    page.locator(".opblock-body").first.wait_for()
    no_violations(page)
    # a schema opened at the bottom
    page.locator(".models-control").first.click()
    no_violations(page)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_redoc_passes_axe(live_server, page, lang):
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page.goto(f"{live_server.url}/api/v1/redoc")
    page.locator(".api-content").wait_for()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    no_violations(page)
