"""Notifications in the app: each producer, dedup, preferences, scoping, the pages and the bell."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core import notifications
from core.models import Notification, NotificationKind, NotificationPreference
from monitoring.models import ActionStatus, DialogueAction, PerformanceDialogue, Signal
from monitoring.steering import alerts
from providers.models import Screening
from tests.providers.factories import ScreeningFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 10, 15)


def of(user, kind=None):
    rows = Notification.objects.filter(user=user)
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows)


def red_signal(w, **kw):
    return Signal(
        region=w.region,
        provider=w.provider,
        contract=w.con.contract,
        source="kpi",
        topic="wait_time",
        key=kw.pop("key", f"kpi:wait_time:{w.provider.pk}:red"),
        period=date(2026, 9, 1),
        level=kw.pop("level", "red"),
        value=48,
        norm=28,
        message="Wachttijd buiten de norm",
        **kw,
    )


# ------------------------------------------------------------------ producers and scoping


def test_a_new_red_signal_notifies_region_staff_of_its_region_only(world_a, world_b, users):
    alerts.save_signals([red_signal(world_a), red_signal(world_a, key="amber", level="amber")])
    signal = Signal.objects.get(region=world_a.region, level="red")
    for role in ("officer", "contract_manager", "viewer", "administrator"):
        got = of(getattr(users, role), NotificationKind.SIGNAL_RED)
        assert [n.dedup_key for n in got] == [f"signal-red:{signal.pk}:2026-09-01"], role
        assert got[0].url == reverse(
            "monitoring:provider-signals",
            kwargs={"region": world_a.region.slug, "pk": world_a.provider.pk},
        )
        assert world_a.provider.name in got[0].title
    # a municipal user does not read signals; region B's officer not region A's; the
    # installation administrator gets none of every region
    for role in ("municipal", "other_region_officer", "superuser"):
        assert of(getattr(users, role)) == [], role


def test_the_same_event_never_notifies_twice(world_a, users):
    alerts.save_signals([red_signal(world_a)])
    signal = Signal.objects.get(region=world_a.region)
    signal.value = 50
    alerts.save_signals([signal])  # the refresh saves it again
    assert notifications.notifications_produce(today=TODAY)["red_signals"] == 0
    assert len(of(users.officer, NotificationKind.SIGNAL_RED)) == 1
    made = notifications.notification_create(
        user=users.officer,
        kind=NotificationKind.SIGNAL_RED,
        title="x",
        url="/",
        key=f"signal-red:{signal.pk}:2026-09-01",
    )
    assert made is None


def test_screenings_about_to_expire(world_a, world_b, users):
    Screening.objects.filter(provider__region__in=[world_a.region, world_b.region]).update(
        valid_until=TODAY + timedelta(days=400)
    )
    soon = ScreeningFactory(
        provider=world_a.distant_provider,
        kind="vog",
        date=TODAY - timedelta(days=300),
        valid_until=TODAY + timedelta(days=20),
    )
    ScreeningFactory(
        provider=world_b.provider,
        kind="vog",
        date=TODAY - timedelta(days=300),
        valid_until=TODAY + timedelta(days=20),
    )
    made = notifications.notifications_produce(today=TODAY)
    assert made["screenings_expiring"] > 0
    got = of(users.officer, NotificationKind.SCREENING_EXPIRING)
    assert [n.dedup_key for n in got] == [f"screening-expiring:{soon.pk}:{soon.valid_until}"]
    assert soon.valid_until.strftime("%d-%m-%Y") in got[0].title
    assert got[0].url == world_a.distant_provider.get_absolute_url()
    # screenings are not a municipal user's to read
    assert of(users.municipal) == []
    # idempotent: the daily command run twice adds nothing
    before = Notification.objects.count()
    call_command("produce_notifications", today=TODAY)
    assert Notification.objects.count() == before


def test_contracts_about_to_expire_reach_the_municipality_that_sees_them(world_a, users):
    contract = world_a.con.contract
    contract.refresh_from_db()
    notifications.notifications_produce(today=contract.end_date - timedelta(days=30))
    key = f"contract-expiring:{contract.pk}:{contract.end_date}"
    assert [n.dedup_key for n in of(users.officer, NotificationKind.CONTRACT_EXPIRING)] == [key]
    assert [n.dedup_key for n in of(users.municipal, NotificationKind.CONTRACT_EXPIRING)] == [key]
    # region B's officer hears of region B's contract, never of region A's
    theirs = {n.dedup_key for n in of(users.other_region_officer)}
    assert key not in theirs and theirs


def test_a_municipal_user_is_never_told_about_a_contract_outside_its_scope(world_a, users):
    from contracts.services import contract_create
    from tests.segments.factories import ParticipationFactory, SegmentFactory

    secret = SegmentFactory(region=world_a.region, code="9", name="Zonder A1")
    ParticipationFactory(municipality=world_a.municipality, segment=secret, level="none")
    hidden = contract_create(
        region=world_a.region,
        reference="C-GEHEIM-1",
        provider=world_a.provider,
        segment=secret,
        start_date=date(2024, 1, 1),
        initial_term_years=3,
        extension_options=[],
    )
    notifications.notifications_produce(today=date(2026, 11, 1))
    keys = {n.dedup_key for n in of(users.officer, NotificationKind.CONTRACT_EXPIRING)}
    assert f"contract-expiring:{hidden.pk}:2026-12-31" in keys
    assert not any(
        n.dedup_key.startswith(f"contract-expiring:{hidden.pk}:") for n in of(users.municipal)
    )


def test_actions_past_due(world_a, users):
    dialogue = PerformanceDialogue.objects.create(
        region=world_a.region, provider=world_a.provider, scheduled_on=date(2026, 9, 1)
    )
    late = DialogueAction.objects.create(
        dialogue=dialogue, description="Verbeterplan", owner="Jan", due_on=date(2026, 10, 1)
    )
    DialogueAction.objects.create(
        dialogue=dialogue, description="Nog niet", owner="Jan", due_on=date(2026, 11, 1)
    )
    DialogueAction.objects.create(
        dialogue=dialogue,
        description="Klaar",
        owner="Jan",
        due_on=date(2026, 9, 15),
        status=ActionStatus.DONE,
    )
    notifications.notifications_produce(today=TODAY)
    got = of(users.contract_manager, NotificationKind.ACTION_OVERDUE)
    assert [n.dedup_key for n in got] == [f"action-overdue:{late.pk}:2026-10-01"]
    assert "Verbeterplan" in got[0].title and "01-10-2026" in got[0].title
    assert of(users.municipal, NotificationKind.ACTION_OVERDUE) == []


def test_a_ready_report_tells_who_asked_and_the_subscribers(
    world_a, users, monkeypatch, django_capture_on_commit_callbacks
):
    from reports import render, services
    from reports.models import CADENCE, ReportKind, Subscription
    from reports.periods import parse_period

    monkeypatch.setattr(render, "render_pdf", lambda snapshot: (b"%PDF-1.7\n", 1))
    Subscription.objects.create(user=users.viewer, region=world_a.region, kind=ReportKind.PROVIDER)
    report = services.report_ensure(
        region=world_a.region,
        kind=ReportKind.PROVIDER,
        subject=world_a.provider,
        period=parse_period(CADENCE[ReportKind.PROVIDER], "2026-03"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        version, _created = services.report_version_request(report=report, user=users.officer)
    for user in (users.officer, users.viewer):
        got = of(user, NotificationKind.REPORT_READY)
        assert [n.dedup_key for n in got] == [f"report-ready:{version.pk}"]
        assert got[0].url == reverse(
            "reports:report-detail", kwargs={"region": world_a.region.slug, "pk": report.pk}
        )
    assert of(users.contract_manager, NotificationKind.REPORT_READY) == []


# ------------------------------------------------------------------ preferences


def test_preferences_default_on_for_what_the_role_sees(users):
    assert notifications.kinds_for(notifications.scope_for(users.officer)) == list(
        NotificationKind.values
    )
    assert set(notifications.kinds_for(notifications.scope_for(users.municipal))) == {
        NotificationKind.CONTRACT_EXPIRING,
        NotificationKind.REPORT_READY,
    }


def test_a_kind_switched_off_is_not_notified(client, world_a, users):
    client.force_login(users.officer)
    page = reverse("notifications:preferences")
    response = client.get(page)
    assert response.context["form"].initial["kinds"] == list(NotificationKind.values)
    keep = [k for k in NotificationKind.values if k != NotificationKind.SIGNAL_RED]
    response = client.post(page, {"kinds": keep})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=users.officer).disabled_kinds == [
        NotificationKind.SIGNAL_RED
    ]
    alerts.save_signals([red_signal(world_a)])
    assert of(users.officer) == []
    assert len(of(users.contract_manager)) == 1
    # the municipal user is offered only its role's kinds
    client.force_login(users.municipal)
    choices = dict(client.get(page).context["form"].fields["kinds"].choices)
    assert set(choices) == {NotificationKind.CONTRACT_EXPIRING, NotificationKind.REPORT_READY}


# ------------------------------------------------------------------ pages and the bell


def make(user, n=1, **kw):
    return [
        notifications.notification_create(
            user=user,
            kind=NotificationKind.REPORT_READY,
            title=f"Melding {i}",
            url="/regios/",
            key=f"test:{user.pk}:{i}",
            check_preference=False,
        )
        for i in range(n)
    ]


def test_the_bell_counts_unread_in_one_query(client, users, django_assert_num_queries):
    from django.test import RequestFactory

    from core.context_processors import notifications as bell

    make(users.officer, 3)
    request = RequestFactory().get("/")
    request.user = users.officer
    context = bell(request)
    with django_assert_num_queries(1):
        assert context["nav_unread_notifications"]() == 3
        assert context["nav_unread_notifications"]() == 3  # kept on the request
    client.force_login(users.officer)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Meldingen: 3 ongelezen" in page
    assert 'class="notification-bell__count" aria-hidden="true">3<' in page


def test_mark_read_and_mark_all_read(client, users):
    first, second, third = make(users.officer, 3)
    client.force_login(users.officer)
    response = client.post(reverse("notifications:read", kwargs={"pk": first.pk}))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    response = client.post(reverse("notifications:read", kwargs={"pk": second.pk}), {"open": "1"})
    assert response.url == "/regios/"
    client.post(reverse("notifications:read-all"))
    assert not Notification.objects.filter(user=users.officer, read_at__isnull=True).exists()
    page = client.get(reverse("notifications:list"))
    assert [n.pk for n in page.context["notifications"]] == [third.pk, second.pk, first.pk]


def test_another_users_notification_is_hidden(client, users):
    (theirs,) = make(users.viewer)
    client.force_login(users.officer)
    response = client.post(reverse("notifications:read", kwargs={"pk": theirs.pk}))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert list(client.get(reverse("notifications:list")).context["notifications"]) == []
    with pytest.raises(Exception, match="niet van u"):
        notifications.notification_mark_read(notification=theirs, user=users.officer)


def test_the_daily_task_is_scheduled():
    from django_celery_beat.models import PeriodicTask

    notifications.ensure_daily_task()
    task = PeriodicTask.objects.get(name=notifications.DAILY_TASK_NAME)
    assert task.task == "core.produce_notifications" and task.crontab.hour == "6"
    assert timezone.now()  # the task itself is notifications_produce (tested above)
