"""The accessibility and quality sweep (issue 22, docs/testing.md): every page of the README's
tour, as each demo role, in Dutch and in English, at 1366 and 390 px wide.

On every page it runs axe-core (WCAG 2.1 A/AA: 0 violations) and fails on
- a month name in the other language (``January`` on a Dutch page, ``maart`` on an English one),
- a raw translation key (a ``snake_case:`` token such as ``no_occupancy:``),
- ``None`` in the visible text,
- a table wider than its box that is not in a horizontal scroll region, or a page wider than
  the window,
- a link shown to the role that answers 403, 404 or 500 to it (every same-origin ``a[href]``,
  requested once per role with the logged-in context; at most ``LINKS_PER_PATTERN`` links per
  URL pattern, so a list of 250 providers costs a few requests, not 250).

One test (the demo is replayed once) visits each role's pages in both languages at both widths
(the 390 px check resizes the loaded page) and reports every failure together, one line each:
``[role nl 390px] /regios/zhz/aanbieders/ — axe color-contrast (serious): ...``.
Run it alone: ``.venv/bin/python -m pytest tests/e2e/test_sweep.py -p no:cacheprovider``.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.test_officer_walkthrough import login
from tests.e2e.test_provider_portal import code_for

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.sweep,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("demo"),
]

WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    # only the violations come back: the passes of a long table are megabytes of JSON
    "resultTypes": ["violations"],
}
WIDTHS = (1366, 390)
LANGUAGES = ("nl", "en")
LINKS_PER_PATTERN = 2

# Month names that differ between the two languages (april, september, november and december are
# spelled alike), as whole words; English ones case-sensitively ("may" is a verb).
ENGLISH_MONTHS = (
    r"(?<![\p{L}\d_-])(January|February|March|May|June|July|August|October|"
    r"Jan|Feb|Mar|Jun|Jul|Aug|Oct)(?![\p{L}\d_-])"
)
DUTCH_MONTHS = (
    r"(?<![\p{L}\d_-])(januari|februari|maart|mei|juni|juli|augustus|oktober|"
    r"mrt|okt)(?![\p{L}\d_-])"
)

# What the page shows, in the browser: the checks that need the layout and the visible text.
# Text inside [translate="no"] or [data-user-text] (names, free text users typed) is left out of
# the month check: a provider called "Juli Zorg" is not an untranslated month.
PAGE_CHECKS = r"""
([englishMonths, dutchMonths, lang]) => {
  const problems = [];
  const visible = document.body.innerText;
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll('[translate="no"], [data-user-text], script, style, template')
       .forEach((el) => el.remove());
  const prose = clone.textContent.replace(/\s+/g, ' ');
  const months = new RegExp(lang === 'nl' ? englishMonths : dutchMonths, 'gu');
  const context = (text, index) => text.slice(Math.max(0, index - 40), index + 40).trim();
  const seen = new Set();
  for (const m of prose.matchAll(months)) {
    const around = context(prose, m.index);
    if (seen.has(m[0])) continue;
    seen.add(m[0]);
    // visible only: the clone holds hidden text too
    if (!visible.includes(m[0])) continue;
    problems.push(`month in the other language "${m[0]}": …${around}…`);
  }
  for (const m of visible.matchAll(/(?<![\p{L}\d_.\/@-])[a-z]+(?:_[a-z0-9]+)+:/gu)) {
    problems.push(`raw translation key "${m[0]}": …${context(visible, m.index)}…`);
    break;
  }
  // "None" is an English word (a panel with nothing in it says so); on a Dutch page it can only
  // be Python's None
  for (const m of (lang === 'nl' ? visible : '').matchAll(/(?<![\p{L}\d_])None(?![\p{L}\d_])/gu)) {
    problems.push(`"None" in the text: …${context(visible, m.index)}…`);
    break;
  }
  const visibleBox = (el) => el.getClientRects().length > 0;
  for (const table of document.querySelectorAll('table')) {
    if (!visibleBox(table)) continue;
    // its box: the nearest ancestor that lays out a block; a table in a horizontal scroll
    // region (any ancestor up to the body, e.g. a wrapper around a library's table) is fine
    let box = null;
    let scrolls = false;
    for (let el = table.parentElement; el && el !== document.body; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (style.overflowX === 'auto' || style.overflowX === 'scroll') { scrolls = true; break; }
      if (style.overflowX === 'hidden' || style.overflowX === 'clip') { box = box || el; break; }
      if (!box && style.display !== 'contents' && el.clientWidth) box = el;
    }
    if (scrolls || !box) continue;
    if (table.scrollWidth > box.clientWidth + 1 ||
        table.getBoundingClientRect().right > box.getBoundingClientRect().right + 1) {
      const name = table.getAttribute('aria-label') ||
        (table.caption && table.caption.textContent.trim()) || table.className || 'table';
      problems.push(`table wider than its box (${table.scrollWidth} > ${box.clientWidth} px, ` +
                    `not a scroll region): ${name.slice(0, 80)}`);
    }
  }
  // the page wider than the window: an element (outside any scroll or clip box, which holds
  // its own overflow) that reaches past the window's right edge; a page that hides its
  // overflow (overflow-x: hidden on the body) would cut that content off, so the elements are
  // measured, not only the document's scroll width
  const width = window.innerWidth;
  const page = document.documentElement.scrollWidth;
  let beyond = null;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT, {
    acceptNode(el) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') {
        return NodeFilter.FILTER_REJECT;
      }
      const rect = el.getBoundingClientRect();
      if (rect.width > 1 && rect.right > width + 1 && !beyond) beyond = el;
      const clips = ['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX);
      return clips ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
    },
  });
  while (walker.nextNode()) { /* acceptNode measures */ }
  if (beyond || page > width + 1) {
    const cls = beyond && beyond.className ? '.' + String(beyond.className).split(' ')[0] : '';
    const what = beyond
      ? `: ${beyond.tagName.toLowerCase()}${cls} ` +
        `reaches ${Math.round(beyond.getBoundingClientRect().right)} px, ` +
        `“${(beyond.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40)}”`
      : '';
    problems.push(`page wider than the window (${Math.max(page, width)} > ${width} px)${what}`);
  }
  const links = [...document.querySelectorAll('a[href]')]
    .map((a) => new URL(a.getAttribute('href'), location.href).href);
  return {problems, links};
}
"""

# Links the sweep does not request: they change the session or are not pages.
SKIP_LINK = re.compile(r"^/(account/logout|i18n/|static/|beheer/.*(logout|history))")


@dataclass
class Sweep:
    base: str
    role: str
    failures: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)  # url -> the first page showing it
    patterns: dict[str, int] = field(default_factory=dict)
    pages: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def timed(self, what: str, started: float) -> None:
        self.seconds[what] = self.seconds.get(what, 0.0) + time.monotonic() - started

    def fail(self, lang, width, path, problem):
        self.failures.append(f"[{self.role} {lang} {width}px] {path} — {problem}")

    def collect_links(self, path, hrefs):
        for href in hrefs:
            parts = urlsplit(href)
            if f"{parts.scheme}://{parts.netloc}" != self.base or SKIP_LINK.match(parts.path):
                continue
            url = parts.path + (f"?{parts.query}" if parts.query else "")
            if url in self.links:
                continue
            query_keys = sorted(p.split("=", 1)[0] for p in parts.query.split("&") if p)
            pattern = re.sub(r"\d+", "N", parts.path) + "?" + "&".join(query_keys)
            if self.patterns.get(pattern, 0) >= LINKS_PER_PATTERN:
                continue
            self.patterns[pattern] = self.patterns.get(pattern, 0) + 1
            self.links[url] = path


def axe_report(violations) -> list[str]:
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
        more = f" (+{len(v['nodes']) - 3} more)" if len(v["nodes"]) > 3 else ""
        lines.append(f"axe {v['id']} ({v['impact']}): {v['help']} — {targets}{more}")
    return lines


def axe_violations(page, axe: Axe) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now; axe is injected once per
    page load (the 570 kB script is parsed again only after a navigation)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe.axe_script)
    return page.evaluate("(options) => axe.run(document, options).then((r) => r.violations)", WCAG)


def sweep_page(page, sweep: Sweep, axe: Axe, lang: str, path: str):
    started = time.monotonic()
    response = page.goto(sweep.base + path)
    sweep.timed("load", started)
    if response is None or response.status >= 400:
        sweep.fail(lang, WIDTHS[0], path, f"answers {response and response.status}")
        return
    sweep.pages += 1
    shown = urlsplit(page.url).path
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(50)  # let the layout settle after the resize
        started = time.monotonic()
        result = page.evaluate(PAGE_CHECKS, [ENGLISH_MONTHS, DUTCH_MONTHS, lang])
        sweep.timed("checks", started)
        started = time.monotonic()
        for problem in result["problems"]:
            sweep.fail(lang, width, shown, problem)
        violations = axe_violations(page, axe)
        sweep.timed("axe", started)
        for line in axe_report(violations):
            sweep.fail(lang, width, shown, line)
        sweep.collect_links(shown, result["links"])
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def check_links(context, sweep: Sweep):
    for url, shown_on in sweep.links.items():
        downloads = re.search(r"(\.pdf|\.csv|\.xlsx|/pdf/|/csv/|formaat=|format=)", url)
        method = context.request.head if downloads else context.request.get
        response = method(sweep.base + url, max_redirects=5, timeout=60_000)
        if response.status in (403, 404) or response.status >= 500:
            sweep.failures.append(
                f"[{sweep.role}] link {url} (shown on {shown_on}) answers {response.status}"
            )


# ---------------------------------------------------------------------------------------------
# The pages: the README's tour and each role's main pages, by role.


def demo_urls() -> dict[str, str]:
    """The demo's objects the tour names, as paths (looked up, not hard-coded ids)."""
    from contracts.models import Contract
    from monitoring.models import ImportBatch
    from monitoring.steering.models import PerformanceDialogue
    from procurement.models import Framework, Strategy, Tender
    from providers.models import Provider
    from reports.models import Report
    from segments.models import Municipality, Segment

    def first(qs):
        obj = qs.order_by("pk").first()
        return obj.pk if obj is not None else None

    sas = first(Tender.objects.filter(region__slug="wbo", reference="WBO-2022-SAS-01"))
    zhz_contract = first(Contract.objects.filter(region__slug="zhz", reference="SOJ-2022-S1-004"))
    wbo_contract = first(Contract.objects.filter(region__slug="wbo"))
    ams_contract = first(Contract.objects.filter(region__slug="ams", reference="AMS-2024-B-001"))
    leven = first(Provider.objects.filter(region__slug="zhz", name="Jeugdzorg Jong Leven"))
    wbo_provider = first(Provider.objects.filter(region__slug="wbo", contracts__isnull=False))
    breda = first(Municipality.objects.filter(cbs_code="GM0758"))
    breda_report = first(Report.objects.filter(region__slug="wbo", municipality_id=breda))
    urls = {
        "sas": f"/regios/wbo/inkoop/aanbestedingen/{sas}/",
        "zhz_segment": f"/regios/zhz/segmenten/"
        f"{first(Segment.objects.filter(region__slug='zhz'))}/",
        "zhz_provider": f"/regios/zhz/aanbieders/{leven}/",
        "wbo_provider": f"/regios/wbo/aanbieders/{wbo_provider}/",
        "zhz_framework": f"/regios/zhz/inkoop/kaders/"
        f"{first(Framework.objects.filter(region__slug='zhz'))}/",
        "zhz_strategy": f"/regios/zhz/inkoop/strategieen/"
        f"{first(Strategy.objects.filter(region__slug='zhz'))}/",
        "zhz_contract": f"/regios/zhz/contracten/{zhz_contract}/",
        "wbo_contract": f"/regios/wbo/contracten/{wbo_contract}/",
        "ams_contract": f"/regios/ams/contracten/{ams_contract}/",
        "wbo_dialogue": f"/regios/wbo/monitoring/dialogen/"
        f"{first(PerformanceDialogue.objects.filter(region__slug='wbo'))}/",
        "zhz_import": f"/regios/zhz/monitoring/imports/"
        f"{first(ImportBatch.objects.filter(region__slug='zhz'))}/",
        "wbo_report": f"/regios/wbo/rapportages/"
        f"{first(Report.objects.filter(region__slug='wbo', versions__isnull=False))}/",
        "breda_report": f"/regios/wbo/rapportages/{breda_report}/",
        "breda": f"/regios/wbo/monitoring/gemeenten/{breda}/",
        "wbo_monitoring_provider": f"/regios/wbo/monitoring/aanbieders/{wbo_provider}/",
    }
    # an object the demo lacks (say, no import yet) leaves its page out, named in the output
    return {name: url for name, url in urls.items() if "/None/" not in url}


API_DOCS = ["/api/v1/docs", "/api/v1/redoc"]


def role_pages(role: str, urls: dict[str, str]) -> list[str]:
    """The role's pages; those whose object the demo lacks are left out (and printed)."""
    missing = MissingUrls(urls)
    pages = _role_pages(role, missing)
    if missing.names:
        print(f"\nsweep {role}: the demo has no object for {sorted(missing.names)}")
    return [p for p in pages if p is not None]


class MissingUrls(dict):
    def __init__(self, urls):
        super().__init__(urls)
        self.names = set()

    def __missing__(self, name):
        self.names.add(name)
        return None


def sub(url: str | None, rest: str) -> str | None:
    return url + rest if url else None


def _role_pages(role: str, u: dict[str, str | None]) -> list[str | None]:
    zhz, wbo, ams = "/regios/zhz", "/regios/wbo", "/regios/ams"
    if role == "inkoper":
        return [
            "/",
            f"{zhz}/",
            f"{zhz}/segmenten/",
            u["zhz_segment"],
            f"{zhz}/deelname/",
            f"{zhz}/aanbieders/",
            u["zhz_provider"],
            f"{zhz}/aanbieders/screeningssoorten/",
            f"{wbo}/inkoop/aanbestedingen/",
            u["sas"],
            sub(u["sas"], "inschrijvingen/"),
            sub(u["sas"], "rangschikking/"),
            sub(u["sas"], "vragen/"),
            f"{zhz}/inkoop/aanbestedingen/",
            f"{zhz}/inkoop/kaders/",
            u["zhz_framework"],
            f"{zhz}/inkoop/strategieen/",
            u["zhz_strategy"],
            f"{zhz}/contracten/",
            u["zhz_contract"],
            sub(u["zhz_contract"], "afrekening/"),
            f"{zhz}/contracten/tarieven/",
            f"{zhz}/contracten/inkoopeffect/",
            f"{zhz}/monitoring/",
            f"{zhz}/monitoring/dekking/",
            f"{zhz}/monitoring/signalen/",
            f"{zhz}/monitoring/imports/",
            u["zhz_import"],
            f"{wbo}/rapportages/",
            u["wbo_report"],
            *API_DOCS,
        ]
    if role == "contractmanager":
        return [
            "/",
            f"{wbo}/",
            f"{wbo}/contracten/",
            u["wbo_contract"],
            sub(u["wbo_contract"], "afrekening/"),
            f"{wbo}/contracten/tarieven/",
            f"{wbo}/contracten/inkoopeffect/",
            f"{wbo}/monitoring/",
            u["wbo_monitoring_provider"],
            f"{wbo}/monitoring/signalen/",
            f"{wbo}/monitoring/dialogen/",
            u["wbo_dialogue"],
            f"{wbo}/monitoring/normen/",
            f"{wbo}/monitoring/eigen-kpis/",
            f"{wbo}/monitoring/imports/",
            f"{wbo}/rapportages/",
            u["wbo_report"],
            *API_DOCS,
        ]
    if role == "gemeente":
        return [
            "/",
            f"{wbo}/",
            f"{wbo}/inkoop/aanbestedingen/",
            u["sas"],
            f"{wbo}/inkoop/kaders/",
            f"{wbo}/contracten/",
            u["breda"],
            f"{wbo}/rapportages/",
            u["breda_report"],
            *API_DOCS,
        ]
    if role == "regiobeheerder":
        return [
            "/",
            f"{wbo}/",
            f"{wbo}/gebruikers/",
            f"{wbo}/gemeenten/",
            f"{wbo}/api-clients/",
            f"{wbo}/rapportages/schema/",
            f"{wbo}/rapportages/verdeelsleutel/",
            f"{wbo}/openbare-pagina/",
            f"{wbo}/ondertekening/",
            *API_DOCS,
        ]
    if role == "beheerder":
        return [
            "/",
            "/installatie/regios/",
            "/installatie/regios/ams/",
            f"{ams}/",
            f"{ams}/ondersteuningsprofielen/",
            f"{ams}/intensiteiten/",
            f"{ams}/contracten/",
            u["ams_contract"],
            sub(u["ams_contract"], "afrekening/"),
            f"{ams}/monitoring/",
            f"{ams}/gebruikers/",
            *API_DOCS,
        ]
    raise AssertionError(role)


PORTAL_PAGES = (
    "",
    "procedures/",
    "postvak/",
    "contracten/",
    "productie/",
    "productie/aanleveren/",
    "api-sleutels/",
    "dashboard/",
    "signalen/",
    "gesprekken/",
    "collegas/",
)

ROLES = ("inkoper", "contractmanager", "gemeente", "regiobeheerder", "beheerder", "aanbieder")


def sweep_role(browser, base, role, urls) -> Sweep:
    started = time.monotonic()
    sweep = Sweep(base=base, role=role)
    axe = Axe()
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.on("pageerror", lambda exc: sweep.failures.append(f"[{role}] script error: {exc}"))
    try:
        if role == "aanbieder":
            setup = "/portaal/tweestapsverificatie/instellen/"
            login(page, base, role)
            page.get_by_role("heading", name="Tweestapsverificatie instellen").wait_for()
            for lang in LANGUAGES:  # the enrolment page, before it is done
                context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
                sweep_page(page, sweep, axe, lang, setup)
            context.add_cookies([{"name": "django_language", "value": "nl", "url": base}])
            page.goto(base + setup)
            overview = provider_login_enrol(page)
            pages = [overview + p for p in PORTAL_PAGES] + API_DOCS
        else:
            login(page, base, role)
            page.wait_for_url(lambda url: "/account/login" not in url)
            pages = role_pages(role, urls)
        for lang in LANGUAGES:
            context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
            for path in pages:
                sweep_page(page, sweep, axe, lang, path)
        links_started = time.monotonic()
        check_links(context, sweep)
        sweep.timed("links", links_started)
    finally:
        context.close()
    print(
        f"\nsweep {role}: {sweep.pages} page loads, {len(sweep.links)} links checked, "
        f"{time.monotonic() - started:.0f} s ("
        + ", ".join(f"{k} {v:.0f} s" for k, v in sweep.seconds.items())
        + ")"
    )
    return sweep


def test_sweep_every_role(live_server, demo_data, browser):
    """One test (one replay of the demo) for all roles; every failure of every role is
    reported together."""
    urls = demo_urls()
    failures = []
    for role in ROLES:
        failures += sweep_role(browser, live_server.url, role, urls).failures
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


def provider_login_enrol(page) -> str:
    """On the enrolment page: read the secret, enter its code; the portal's overview path."""
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    page.get_by_label("Code uit de authenticator-app").fill(code_for(secret))
    page.get_by_role("button", name="Instellen").click()
    page.wait_for_url(re.compile(r"/portaal/\d+/$"))
    return urlsplit(page.url).path
