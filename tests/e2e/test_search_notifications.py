"""Search from the header, the bell and its notifications, and the bulk actions, in Chromium
(nl-NL) at 1366 and 390 px: keyboard-usable, and axe-core finds no WCAG 2.1 A/AA violation."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from core.models import NotificationKind
from core.notifications import notification_create
from core.roles import Role
from monitoring.models import Signal
from tests.accounts.factories import user_with_role
from tests.conftest import build_world
from tests.monitoring.test_dialogues import FEBRUARY, make_signal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],  # the passes of a long page are megabytes of JSON
}
PASSWORD = "een-lang-wachtwoord-2026"


def no_violations(page):
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


def login(page, base, username):
    page.set_default_timeout(90_000)  # a busy test machine: the live server answers slowly
    page.goto(f"{base}/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


@pytest.fixture
def carla(db):
    w = build_world("s")
    user = user_with_role(w.region, Role.CONTRACT_MANAGER, username="carla")
    user.set_password(PASSWORD)
    user.save()
    return w, user


def test_search_from_the_header_with_the_keyboard(live_server, page, shot, carla):
    w, _user = carla
    login(page, live_server.url, "carla")
    box = page.get_by_role("searchbox", name=re.compile("Zoek aanbieders"))
    box.fill("zorg s")
    box.press("Enter")
    page.get_by_role("heading", name="Zoeken", level=1).wait_for()
    expect(page.get_by_role("heading", name=re.compile(r"Aanbieders \(2\)"))).to_be_visible()
    expect(page.get_by_role("link", name="Zorg S Dichtbij", exact=True)).to_be_visible()
    shot("search-1366")
    no_violations(page)
    page.set_viewport_size({"width": 390, "height": 844})
    shot("search-390")
    no_violations(page)


def test_the_bell_and_the_notifications_page(live_server, page, shot, carla):
    w, user = carla
    for n in range(3):
        notification_create(
            user=user,
            kind=NotificationKind.CONTRACT_EXPIRING,
            title=f"Contract C-{n} loopt af op 31-12-2026",
            url=w.provider.get_absolute_url(),
            key=f"e2e:{n}",
        )
    login(page, live_server.url, "carla")
    bell = page.get_by_role("link", name="Meldingen: 3 ongelezen")
    bell.click()
    page.get_by_role("heading", name="Meldingen", level=1).wait_for()
    shot("notifications-1366")
    no_violations(page)
    page.get_by_role("button", name=re.compile(r"Gelezen\W+Contract C-0 loopt af")).click()
    expect(page.get_by_role("link", name="Meldingen: 2 ongelezen")).to_be_visible()
    page.get_by_role("button", name="Alles als gelezen markeren").click()
    expect(page.get_by_role("link", name="Meldingen: 0 ongelezen")).to_be_visible()
    page.get_by_role("link", name="Meldingen kiezen").click()
    expect(page.get_by_role("checkbox", name="Nieuwe rode signalen")).to_be_checked()
    no_violations(page)
    page.set_viewport_size({"width": 390, "height": 844})
    shot("notification-preferences-390")
    no_violations(page)


def test_close_several_signals_at_once(live_server, page, shot, carla):
    w, _user = carla
    make_signal(w)
    make_signal(w, period=FEBRUARY)
    login(page, live_server.url, "carla")
    page.goto(f"{live_server.url}/regios/{w.region.slug}/monitoring/signalen/")
    page.get_by_label("Alle open signalen op deze pagina kiezen").check()
    expect(page.get_by_text("2 signalen gekozen")).to_be_visible()
    no_violations(page)
    page.get_by_role("button", name="Gekozen signalen afhandelen…").click()
    page.get_by_role("heading", name="Signalen in één keer afhandelen").wait_for()
    page.get_by_label("Hoe zijn de signalen afgehandeld?").fill("Besproken in het overleg")
    shot("signals-bulk-1366")
    no_violations(page)
    page.get_by_role("button", name="2 signalen afhandelen").click()
    expect(page.get_by_text("2 signalen zijn afgehandeld.")).to_be_visible()
    assert set(Signal.objects.values_list("status", flat=True)) == {"closed"}


def test_record_screenings_in_batch(live_server, page, shot, carla):
    w, _user = carla
    login(page, live_server.url, "carla")
    page.goto(f"{live_server.url}/regios/{w.region.slug}/aanbieders/screenings/in-een-keer/")
    page.get_by_label("Alle getoonde aanbieders kiezen").check()
    expect(page.get_by_text(re.compile(r"^[23] aanbieders gekozen$"))).to_be_visible()
    page.get_by_label("Soort screening").select_option(label="Verklaring omtrent gedrag (VOG)")
    shot("screening-batch-1366")
    no_violations(page)
    page.set_viewport_size({"width": 390, "height": 844})
    shot("screening-batch-390")
    no_violations(page)
    page.get_by_role("button", name="Screenings vastleggen").click()
    expect(page.get_by_text(re.compile(r"[23] screenings .* zijn vastgelegd\."))).to_be_visible()
