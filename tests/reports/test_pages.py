"""The report pages: archive, asking for a report, its page while it is made and when it
failed, versions and downloads, subscriptions, the schedule and the verdeelsleutel.

Tasks run eagerly; ``django_capture_on_commit_callbacks(execute=True)`` runs the task a view
queued when its transaction commits. The PDF is a stand-in here (``fake_pdf``): how it looks is
tested with the renderer; these tests are about the pages."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from reports import schedules, services
from reports.models import (
    BudgetShare,
    Report,
    ReportKind,
    ReportSchedule,
    ReportStatus,
    ReportVersion,
    Subscription,
    Trigger,
)
from reports.periods import parse_period

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7\n% stand-in for the pages tests\n"


@pytest.fixture
def fake_pdf(monkeypatch):
    """The real snapshot, a stand-in PDF (fast)."""
    from reports import render

    monkeypatch.setattr(render, "render_pdf", lambda snapshot: (FAKE_PDF, 3))


def url(name, region, **kwargs):
    return reverse(f"reports:{name}", kwargs={"region": region.slug, **kwargs})


def make_report(region, kind, obj, code):
    from reports.models import CADENCE

    return services.report_ensure(
        region=region, kind=kind, subject=obj, period=parse_period(CADENCE[kind], code)
    )


def generate(report, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        version, _created = services.report_version_request(report=report, **kwargs)
    version.refresh_from_db()
    return version


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# ---------------------------------------------------------------- archive


def test_archive_is_scoped_and_filtered(
    client, world_a, world_b, users, fake_pdf, django_capture_on_commit_callbacks
):
    provider = make_report(world_a.region, ReportKind.PROVIDER, world_a.provider, "2026-03")
    own = make_report(world_a.region, ReportKind.MUNICIPALITY, world_a.municipality, "2026-K1")
    other = make_report(
        world_a.region, ReportKind.MUNICIPALITY, world_a.other_municipality, "2026-K1"
    )
    board = make_report(world_a.region, ReportKind.BOARD, world_a.region, "2025")
    make_report(world_b.region, ReportKind.PROVIDER, world_b.provider, "2026-03")
    generate(provider, django_capture_on_commit_callbacks)

    client.force_login(users.officer)
    response = client.get(url("report-list", world_a.region))
    assert response.status_code == 200
    shown = {r.pk for r in response.context["table"].data}
    assert shown == {provider.pk, own.pk, other.pk, board.pk}
    body = response.content.decode()
    assert "Nieuwe rapportage maken" in body
    assert "Klaar" in body and "In de wachtrij" in body  # status as text, not colour only
    assert '<th scope="col"' in body
    assert url("report-pdf", world_a.region, pk=provider.pk) in body
    assert "Zorg B" not in body

    # filters: kind, subject text, period, status
    def filtered(**params):
        response = client.get(url("report-list", world_a.region), params)
        return {r.pk for r in response.context["table"].data}

    assert filtered(soort="municipality") == {own.pk, other.pk}
    assert filtered(onderwerp="dichtbij") == {provider.pk}
    assert filtered(periode="2026") == {provider.pk, own.pk, other.pk}
    assert filtered(periode="2026-K1") == {own.pk, other.pk}
    assert filtered(status="ready") == {provider.pk}

    # a municipality: its own municipality's report and the board summary, no button
    client.force_login(users.municipal)
    response = client.get(url("report-list", world_a.region))
    assert {r.pk for r in response.context["table"].data} == {own.pk, board.pk}
    assert "Nieuwe rapportage maken" not in response.content.decode()
    client.force_login(users.viewer)
    assert (
        "Nieuwe rapportage maken"
        not in client.get(url("report-list", world_a.region)).content.decode()
    )


def test_nav_links_to_reports_for_region_roles_and_municipalities(client, world_a, users):
    link = url("report-list", world_a.region)
    for role in ("officer", "viewer", "municipal", "administrator"):
        client.force_login(getattr(users, role))
        body = client.get(reverse("segments:region-detail", args=[world_a.region.slug])).content
        assert link.encode() in body, role


# ---------------------------------------------------------------- on demand


def test_create_queues_then_ready_and_second_request_adds_nothing(
    client, world_a, users, fake_pdf, django_capture_on_commit_callbacks
):
    client.force_login(users.contract_manager)
    create = url("report-create", world_a.region)
    assert client.get(create).status_code == 200
    data = {"kind": "provider", "provider": world_a.provider.pk, "month": "2026-03"}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(create, data)
    assert len(callbacks) == 1  # one task, sent after the commit
    report = Report.objects.get()
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    assert (report.kind, report.provider, report.period) == (
        "provider",
        world_a.provider,
        "2026-03",
    )
    version = report.versions.get()
    assert version.status == ReportStatus.READY
    assert version.trigger == Trigger.DEMAND and version.requested_by == users.contract_manager

    page = client.get(response.url)
    # the version was made before the page answered: the message says so, never "in de
    # wachtrij gezet" next to "Klaar" (issue 22)
    said = " ".join(messages_of(page))
    assert "Versie 1 van Aanbiedersrapportage Zorg A Dichtbij, maart 2026 is" in said
    assert "wachtrij" not in said
    body = page.content.decode()
    assert "Klaar" in body and "http-equiv" not in body
    assert version.sha256[:12] in body and "op verzoek" in body

    # the same again: nothing new, and the message says it exists
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(create, data, follow=True)
    assert callbacks == []
    assert report.versions.count() == 1
    assert "bestaat al" in " ".join(messages_of(response))


def test_pending_report_refreshes_and_announces_its_status(client, world_a, users):
    report = make_report(world_a.region, ReportKind.PROVIDER, world_a.provider, "2026-03")
    services.report_version_request(
        report=report, user=users.officer
    )  # the task is never sent here
    client.force_login(users.viewer)
    body = client.get(report.get_absolute_url()).content.decode()
    assert "http-equiv" not in body  # no meta refresh: the page polls its status endpoint
    status = url("report-status", world_a.region, pk=report.pk)
    assert f'data-status-url="{status}"' in body and ">Vernieuwen</a>" in body
    assert 'aria-live="polite"' in body
    assert "Versie 1 staat in de wachtrij" in body
    # nothing to download yet
    assert client.get(url("report-pdf", world_a.region, pk=report.pk)).status_code == 404
    assert client.get(url("report-html", world_a.region, pk=report.pk)).status_code == 404


def test_the_request_message_says_what_is_true_when_the_page_answers(world_a, users, fake_pdf):
    from reports.views import requested_message

    report = make_report(world_a.region, ReportKind.PROVIDER, world_a.provider, "2026-03")
    version, _created = services.report_version_request(report=report, user=users.officer)
    assert requested_message(version, report).endswith("maart 2026 is aangevraagd.")
    services.report_version_generate_now(version_id=version.pk)
    assert requested_message(version, report).endswith("maart 2026 is gemaakt.")


def test_report_status_endpoint_says_the_newest_version_state(client, world_a, users, fake_pdf):
    report = make_report(world_a.region, ReportKind.PROVIDER, world_a.provider, "2026-03")
    version, _created = services.report_version_request(report=report, user=users.officer)
    client.force_login(users.viewer)
    status = url("report-status", world_a.region, pk=report.pk)
    response = client.get(status)
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "id": report.pk,
        "state": "queued",
        "stateLabel": "In de wachtrij",
        "version": 1,
        "finished": False,
        "percentage": 0,
        "counts": {"done": 0, "total": 1},
        "message": "Versie 1 staat in de wachtrij.",
        "url": report.get_absolute_url(),
    }
    services.report_version_generate_now(version_id=version.pk)
    data = client.get(status).json()
    assert (data["state"], data["finished"], data["percentage"]) == ("ready", True, 100)
    assert data["counts"] == {"done": 1, "total": 1}
    assert data["message"] == "Versie 1 is klaar."


def test_a_run_shows_how_many_of_its_reports_are_done(client, world_a, users, fake_pdf):
    """ "Nu uitvoeren" leads to the archive filtered on the run: it shows k of N done and polls
    the run's status endpoint; a municipal user counts only the reports it may read."""
    result = services.report_run_start(
        region=world_a.region,
        kind="municipality",
        period=parse_period("quarter", "2026-K1"),
        user=users.officer,
    )  # the tasks are never sent here (the test's transaction does not commit)
    assert len(result.queued) == 2
    client.force_login(users.contract_manager)
    status = url("run-status", world_a.region, kind="municipality", period="2026-K1")
    data = client.get(status).json()
    assert data["counts"] == {"done": 0, "total": 2, "ready": 0, "failed": 0, "pending": 2}
    assert (data["finished"], data["percentage"]) == (False, 0)
    assert data["message"] == "0 van 2 rapportages klaar; 2 worden nog gemaakt."
    listing = url("report-list", world_a.region) + "?soort=municipality&periode=2026-K1"
    body = client.get(listing).content.decode()
    assert f'data-status-url="{status}"' in body and "0 van 2 rapportages klaar" in body

    services.report_version_generate_now(version_id=result.queued[0])
    data = client.get(status).json()
    assert data["counts"]["done"] == 1 and data["percentage"] == 50
    assert data["message"] == "1 van 2 rapportages klaar; 1 wordt nog gemaakt."
    services.report_version_generate_now(version_id=result.queued[1])
    data = client.get(status).json()
    assert data["finished"] is True and data["message"] == "Alle 2 rapportages zijn klaar."
    assert "data-status-url" not in client.get(listing).content.decode()

    client.force_login(users.municipal)  # its own municipality's report only
    assert client.get(status).json()["counts"]["total"] == 1
    other = url("run-status", world_a.region, kind="provider", period="2026-K1")
    assert client.get(other).status_code == 404


def test_regenerate_adds_version_two_and_keeps_version_one(
    client, world_a, users, fake_pdf, django_capture_on_commit_callbacks
):
    report = make_report(world_a.region, ReportKind.PROVIDER, world_a.provider, "2026-03")
    v1 = generate(report, django_capture_on_commit_callbacks, user=users.officer)
    client.force_login(users.administrator)
    regenerate = url("report-regenerate", world_a.region, pk=report.pk)
    assert client.get(regenerate).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(regenerate)
    assert response.status_code == 302
    report.refresh_from_db()
    v2 = report.versions.get(number=2)
    assert v2.status == ReportStatus.READY and v2.trigger == Trigger.REGENERATE
    assert report.current == v2

    body = client.get(report.get_absolute_url()).content.decode()
    assert "Huidige versie: 2" in body
    old = client.get(url("report-pdf", world_a.region, pk=report.pk), {"versie": 1})
    assert old.status_code == 200
    assert old["Content-Type"] == "application/pdf"
    assert f'filename="{v1.filename}"' in old["Content-Disposition"]
    assert old["Content-Disposition"].startswith("attachment")
    assert b"".join(old.streaming_content).startswith(b"%PDF")
    current = client.get(url("report-pdf", world_a.region, pk=report.pk))
    assert f'filename="{v2.filename}"' in current["Content-Disposition"]
    assert (
        client.get(url("report-pdf", world_a.region, pk=report.pk), {"versie": 9}).status_code
        == 404
    )
    assert (
        client.get(url("report-pdf", world_a.region, pk=report.pk), {"versie": "x"}).status_code
        == 404
    )

    # a viewer reads but does not regenerate
    client.force_login(users.viewer)
    assert client.post(regenerate).status_code == 403
    assert report.versions.count() == 2


def test_failed_version_shows_its_reason(
    client, world_a, users, fake_pdf, monkeypatch, settings, django_capture_on_commit_callbacks
):
    from reports import content

    settings.REPORT_MAX_RETRIES = 1

    def broken(report):
        raise RuntimeError("Geen productiegegevens voor maart 2026")

    monkeypatch.setattr(content, "build_snapshot", broken)
    report = make_report(world_a.region, ReportKind.PROVIDER, world_a.provider, "2026-03")
    version = generate(report, django_capture_on_commit_callbacks, user=users.officer)
    assert version.status == ReportStatus.FAILED
    assert version.attempts == 2  # the try and one retry

    client.force_login(users.viewer)
    body = client.get(report.get_absolute_url()).content.decode()
    assert "Mislukt" in body
    assert "Versie 1 is mislukt" in body
    assert "RuntimeError: Geen productiegegevens voor maart 2026" in body
    assert 'http-equiv="refresh"' not in body
    assert client.get(url("report-html", world_a.region, pk=report.pk)).status_code == 404


def test_html_page_shows_the_snapshot(
    client, world_a, users, fake_pdf, django_capture_on_commit_callbacks
):
    report = make_report(world_a.region, ReportKind.PROVIDER, world_a.provider, "2026-03")
    generate(report, django_capture_on_commit_callbacks)
    client.force_login(users.officer)
    response = client.get(url("report-html", world_a.region, pk=report.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Zorg A Dichtbij" in body and "maart 2026" in body
    assert (
        client.get(url("report-html", world_a.region, pk=report.pk), {"versie": 1}).status_code
        == 200
    )
    assert (
        client.get(url("report-html", world_a.region, pk=report.pk), {"versie": 2}).status_code
        == 404
    )


def test_another_regions_report_is_hidden(
    client, world_a, world_b, users, fake_pdf, django_capture_on_commit_callbacks
):
    theirs = make_report(world_b.region, ReportKind.PROVIDER, world_b.provider, "2026-03")
    generate(theirs, django_capture_on_commit_callbacks)
    client.force_login(users.officer)
    for name in ("report-detail", "report-html", "report-pdf"):
        # under A's URL and under B's own
        assert client.get(url(name, world_a.region, pk=theirs.pk)).status_code == 404
        assert client.get(url(name, world_b.region, pk=theirs.pk)).status_code == 404
    assert client.post(url("report-regenerate", world_a.region, pk=theirs.pk)).status_code == 404
    assert theirs.versions.count() == 1


def test_only_requesters_create(client, world_a, users):
    data = {"kind": "board", "year": "2025"}
    for role in ("viewer", "municipal"):
        client.force_login(getattr(users, role))
        assert client.get(url("report-create", world_a.region)).status_code == 403
        assert client.post(url("report-create", world_a.region), data).status_code == 403
    client.force_login(users.other_region_officer)
    assert client.post(url("report-create", world_a.region), data).status_code == 404
    assert not Report.objects.exists()


# ---------------------------------------------------------------- subscriptions


def test_subscribe_duplicate_and_unsubscribe(client, world_a, world_b, users):
    client.force_login(users.contract_manager)
    page = url("subscription-list", world_a.region)
    data = {"kind": "provider", "provider": world_a.provider.pk}
    response = client.post(page, data)
    assert response.status_code == 302
    sub = Subscription.objects.get()
    assert (sub.user, sub.region, sub.kind, sub.provider, sub.subject_key) == (
        users.contract_manager,
        world_a.region,
        "provider",
        world_a.provider,
        f"p{world_a.provider.pk}",
    )
    # the same again: a clear error, not a 500, and still one
    response = client.post(page, data)
    assert response.status_code == 200
    assert "al geabonneerd" in response.content.decode()
    assert Subscription.objects.count() == 1
    # every provider report: another subscription
    assert client.post(page, {"kind": "provider", "provider": ""}).status_code == 302
    assert Subscription.objects.filter(subject_key="").count() == 1
    # another region's provider is not a choice
    response = client.post(page, {"kind": "provider", "provider": world_b.provider.pk})
    assert response.context["form"].errors["provider"]

    body = client.get(page).content.decode()
    assert "Zorg A Dichtbij" in body and "alle die u mag zien" in body

    delete = url("subscription-delete", world_a.region, pk=sub.pk)
    assert client.get(delete).status_code == 405
    # nobody else sees or deletes it, a superuser neither
    for role in ("officer", "viewer", "superuser", "administrator"):
        client.force_login(getattr(users, role))
        assert client.post(delete).status_code == 404, role
        assert client.get(page).context["rows"] == []
    client.force_login(users.contract_manager)
    assert client.post(delete).status_code == 302
    assert not Subscription.objects.filter(pk=sub.pk).exists()


def test_municipal_user_subscribes_to_own_municipality_and_board_only(client, world_a, users):
    client.force_login(users.municipal)
    page = url("subscription-list", world_a.region)
    form = client.get(page).context["form"]
    assert [k for k, _label in form.fields["kind"].choices if k] == ["municipality", "board"]
    assert list(form.fields["municipality"].queryset) == [world_a.municipality]
    assert "provider" not in form.fields and "segment" not in form.fields

    response = client.post(page, {"kind": "provider"})
    assert response.context["form"].errors["kind"]
    response = client.post(
        page, {"kind": "municipality", "municipality": world_a.other_municipality.pk}
    )
    assert response.context["form"].errors["municipality"]
    assert not Subscription.objects.exists()
    assert (
        client.post(
            page, {"kind": "municipality", "municipality": world_a.municipality.pk}
        ).status_code
        == 302
    )
    assert client.post(page, {"kind": "board"}).status_code == 302
    assert Subscription.objects.filter(user=users.municipal).count() == 2


# ---------------------------------------------------------------- schedule


def test_schedule_list_shows_every_kind_with_next_runs(client, world_a, users):
    client.force_login(users.viewer)
    response = client.get(url("schedule-list", world_a.region))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r["schedule"].kind for r in rows] == ReportKind.values
    provider_row = next(r for r in rows if r["schedule"].kind == "provider")
    assert len(provider_row["next_runs"]) == 3
    assert all(
        m.tzinfo is not None and m.hour == 6 and m.day == 10 for m in provider_row["next_runs"]
    )
    body = response.content.decode()
    assert "0 6 10 * *" in body and "Nu uitvoeren" not in body  # viewers read only
    assert ReportSchedule.objects.filter(region=world_a.region).count() == 4

    client.force_login(users.administrator)
    assert "Nu uitvoeren" in client.get(url("schedule-list", world_a.region)).content.decode()


def test_schedule_edit_validates_cron_and_updates_the_periodic_task(client, world_a, users):
    schedule = schedules.ensure_schedules(world_a.region)[0]
    edit = url("schedule-update", world_a.region, pk=schedule.pk)
    data = {
        "enabled": "on",
        "minute": "61",
        "hour": "7",
        "day_of_month": "12",
        "month_of_year": "*",
        "day_of_week": "*",
    }
    client.force_login(users.officer)
    assert client.get(edit).status_code == 403
    assert client.post(edit, {**data, "minute": "15"}).status_code == 403

    client.force_login(users.administrator)
    response = client.post(edit, data)
    assert response.status_code == 200
    assert "&#x27;61&#x27; is geen geldige minuut" in response.content.decode()
    assert response.context["form"].errors.keys() == {"minute"}
    schedule.refresh_from_db()
    assert schedule.minute == "0"
    response = client.post(edit, {**data, "day_of_week": "8"})
    assert response.context["form"].errors.keys() == {"minute", "day_of_week"}

    response = client.post(edit, {**data, "minute": "15"})
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert (schedule.minute, schedule.hour, schedule.day_of_month) == ("15", "7", "12")
    assert schedule.updated_by == users.administrator
    task = PeriodicTask.objects.get(pk=schedule.periodic_task_id)
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_month) == ("15", "7", "12")
    assert str(task.crontab.timezone) == "Europe/Amsterdam"
    assert task.enabled

    # switched off: the periodic task too
    data.pop("enabled")
    assert client.post(edit, {**data, "minute": "15"}).status_code == 302
    assert PeriodicTask.objects.get(pk=schedule.periodic_task_id).enabled is False


def test_run_now_queues_one_version_per_subject(
    client, world_a, users, fake_pdf, django_capture_on_commit_callbacks
):
    schedule = next(
        s for s in schedules.ensure_schedules(world_a.region) if s.kind == ReportKind.MUNICIPALITY
    )
    run = url("schedule-run", world_a.region, pk=schedule.pk)
    field = f"run{schedule.pk}-period"
    client.force_login(users.officer)
    assert client.post(run, {field: "2026-K1"}).status_code == 403
    client.force_login(users.administrator)
    assert client.get(run).status_code == 405
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(run, {field: "2026-K1"}, follow=True)
    municipalities = services.subjects(
        world_a.region, "municipality", parse_period("quarter", "2026-K1")
    )
    assert len(municipalities) == 2
    assert len(callbacks) == 2  # one task per subject
    reports = Report.objects.filter(region=world_a.region, kind="municipality", period="2026-K1")
    assert {r.municipality for r in reports} == set(municipalities)
    assert ReportVersion.objects.filter(report__in=reports).count() == 2
    assert all(v.status == "ready" for v in ReportVersion.objects.filter(report__in=reports))
    assert "2 aangevraagd, 0 waren er al" in " ".join(messages_of(response))

    # again: nothing new
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(run, {field: "2026-K1"}, follow=True)
    assert callbacks == []
    assert "0 aangevraagd, 2 waren er al" in " ".join(messages_of(response))
    # a period that does not fit the schedule's cadence
    response = client.post(run, {field: "2026-03"}, follow=True)
    assert ReportVersion.objects.count() == 2
    assert messages_of(response)


# ---------------------------------------------------------------- verdeelsleutel


def test_budget_shares_at_most_100_percent(client, world_a, users):
    page = url("budget-shares", world_a.region)
    m1, m2 = world_a.municipality, world_a.other_municipality
    client.force_login(users.officer)
    response = client.post(page, {"jaar": "2026", f"m{m1.pk}": "60", f"m{m2.pk}": "50,5"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Samen is dat 110,5%: meer dan 100%" in body
    assert not BudgetShare.objects.exists()

    response = client.post(page, {"jaar": "2026", f"m{m1.pk}": "60", f"m{m2.pk}": "39,5"})
    assert response.status_code == 302 and response.url.endswith("?jaar=2026")
    shares = dict(BudgetShare.objects.values_list("municipality", "percentage"))
    assert shares == {m1.pk: Decimal("60"), m2.pk: Decimal("39.5")}
    body = client.get(page, {"jaar": 2026}).content.decode()
    assert "Samen verdeeld: 99,5%" in body
    # another year is empty; emptying a field removes the share
    assert "Samen verdeeld: 0%" in client.get(page, {"jaar": 2025}).content.decode()
    assert (
        client.post(page, {"jaar": "2026", f"m{m1.pk}": "60", f"m{m2.pk}": ""}).status_code == 302
    )
    assert BudgetShare.objects.count() == 1
    # out of range per field
    response = client.post(page, {"jaar": "2026", f"m{m1.pk}": "-1", f"m{m2.pk}": ""})
    assert response.context["form"].errors[f"m{m1.pk}"]

    # viewers read; a municipality does not see the page
    client.force_login(users.viewer)
    response = client.get(page, {"jaar": 2026})
    assert response.status_code == 200 and response.context["form"] is None
    assert client.post(page, {"jaar": "2026", f"m{m1.pk}": "1"}).status_code == 403
    assert BudgetShare.objects.get().percentage == Decimal("60")
    client.force_login(users.municipal)
    assert client.get(page).status_code == 403
