"""What a newcomer meets running the app locally: the icon browsers ask for, and mails that
link to the address ``make run`` serves on (HOST and PORT)."""

import shlex
import subprocess
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import mail
from django.test import override_settings

from reports import services
from reports.models import ReportKind, Subscription
from tests.reports.test_services import FEBRUARY, fake_document  # noqa: F401 (fixture)

ROOT = Path(settings.BASE_DIR)


def test_favicon_ico_leads_to_the_static_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
    assert finders.find("img/favicon.svg") is not None


def test_every_page_names_its_icon(client, db):
    page = client.get("/account/login/").content.decode()
    assert 'rel="icon"' in page
    assert "img/favicon.svg" in page


def _run_recipe(**variables) -> str:
    """The shell line ``make run`` starts the server with (a dry run: nothing is executed)."""
    args = [f"{k}={v}" for k, v in variables.items()]
    out = subprocess.run(
        ["make", "-n", "-W", "pyproject.toml", "run", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return next(line for line in out.splitlines() if "runserver" in line)


def _site_url_of(line: str, environment: dict[str, str]) -> str:
    """SITE_URL as that line's shell would set it for the server."""
    assignment = next(w for w in shlex.split(line, posix=False) if w.startswith("SITE_URL="))
    script = f'{assignment}; printf %s "$SITE_URL"'
    return subprocess.run(
        ["bash", "-c", script], env=environment, capture_output=True, text=True, check=True
    ).stdout


def test_make_run_gives_the_mails_its_own_host_and_port():
    line = _run_recipe(HOST="127.0.0.1", PORT="8123")
    assert "runserver 127.0.0.1:8123" in line
    assert _site_url_of(line, {"PATH": "/usr/bin:/bin"}) == "http://127.0.0.1:8123"
    # an explicit SITE_URL (behind a proxy, say) still wins
    assert (
        _site_url_of(line, {"PATH": "/usr/bin:/bin", "SITE_URL": "https://x.example"})
        == "https://x.example"
    )


@override_settings(SITE_URL="http://127.0.0.1:8123")
def test_report_mails_link_to_the_site_url(
    world_a,
    users,
    fake_document,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    users.contract_manager.email = "cm@example.nl"
    users.contract_manager.save()
    Subscription.objects.create(
        user=users.contract_manager, region=world_a.region, kind=ReportKind.PROVIDER
    )
    report = services.report_ensure(
        region=world_a.region, kind=ReportKind.PROVIDER, subject=world_a.provider, period=FEBRUARY
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.report_version_request(report=report)
    (message,) = mail.outbox
    assert "http://127.0.0.1:8123/regios/" in message.body
    assert ":8000" not in message.body
