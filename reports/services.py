"""Making reports: which subjects a run covers, asking for a version, and producing it exactly
once however often its task is delivered.

The life of a version (the table is ``reports.lifecycle``; ``_version_step`` applies it)::

    report_version_request()  -> queued   (one task per version is sent after the commit)
    report_version_claim()    -> running  (a token and a lease; a second delivery finds it taken)
    report_version_produce()  -> ready    (snapshot, PDF, Report.current; mails queued)
    report_version_release()  -> queued   (an attempt failed and the task will retry)
    report_version_fail()     -> failed   (no retries left; the reason is kept and shown)

A version is claimed with a conditional UPDATE: only a queued version, or a running one whose
lease has run out (its worker died), can be taken. Finishing is conditional on the token too, so
a worker that lost its lease cannot overwrite the one that took over. Tasks stay thin: they call
these functions.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contracts.models import Contract
from core.scoping import scope_for
from monitoring.dashboards.selectors import contracts_in_force
from providers.models import Provider
from segments.models import Municipality, Segment

from . import lifecycle
from .models import (
    CADENCE,
    PENDING_STATUSES,
    SUBJECT_FIELD,
    BudgetShare,
    Report,
    ReportKind,
    ReportNotification,
    ReportSchedule,
    ReportStatus,
    ReportVersion,
    Subscription,
    Trigger,
    subject_key,
)
from .periods import Period, last_complete

log = logging.getLogger(__name__)

#: the longest reason kept on a failed version
MAX_ERROR_CHARS = 2000


# --- subjects ------------------------------------------------------------------------------------


def _contracts_in_period(region, period: Period):
    """Contracts of the region running on some day of the period."""
    base = Contract.objects.filter(region=region)
    ids: set[int] = set()
    for month in period.months:
        ids.update(contracts_in_force(base, month).values_list("pk", flat=True))
    return Contract.objects.filter(pk__in=ids)


def subjects(region, kind: str, period: Period) -> list:
    """What a run of ``kind`` for ``period`` reports on: every provider and every segment with a
    contract running in the period, every municipality of the region, or the region itself."""
    if kind == ReportKind.BOARD:
        return [region]
    if kind == ReportKind.MUNICIPALITY:
        return list(Municipality.objects.filter(region=region).order_by("name"))
    contracts = _contracts_in_period(region, period)
    if kind == ReportKind.PROVIDER:
        return list(
            Provider.objects.filter(pk__in=contracts.values("provider")).order_by("name", "pk")
        )
    if kind == ReportKind.SEGMENT:
        return list(Segment.objects.filter(pk__in=contracts.values("segment")).order_by("code"))
    raise ValueError(f"Unknown report kind {kind!r}")


def subject_name(kind: str, obj) -> str:
    if kind == ReportKind.SEGMENT:
        return f"{obj.code} {obj.name}"
    return obj.name


# --- asking for a report -------------------------------------------------------------------------


def report_ensure(*, region, kind: str, subject, period: Period) -> Report:
    """The report of ``kind`` about ``subject`` for ``period``: there is one, whoever asks first."""
    if period.cadence != CADENCE[kind]:
        raise ValueError(f"A {kind} report covers a {CADENCE[kind]}, not a {period.cadence}.")
    field_name = SUBJECT_FIELD[kind]
    subject_fields = {field_name: subject} if field_name else {}
    report, _created = Report.objects.get_or_create(
        region=region,
        kind=kind,
        subject_key=subject_key(kind, subject),
        period=period.code,
        defaults={
            **subject_fields,
            "subject_name": subject_name(kind, subject),
            "period_start": period.start,
            "period_end": period.end,
        },
    )
    return report


def _dispatch(version_id: int) -> None:
    """Send the task for a version once the transaction that queued it has committed."""
    from core.tasks import start

    from .tasks import generate_report

    transaction.on_commit(lambda: start(generate_report, version_id))


def report_version_request(
    *,
    report: Report,
    trigger: str = Trigger.DEMAND,
    user=None,
    force: bool = False,
    dispatch: bool = True,
) -> tuple[ReportVersion, bool]:
    """Queue a version of ``report``; ``(version, created)``.

    Idempotent: while a version is queued or running it is returned and nothing new is queued;
    a ready report is returned as it is unless ``force`` (regenerate) is set, which queues the
    next version and keeps the earlier ones. After a failure a new version is queued.
    ``dispatch=False`` sends no task (the caller makes the version itself, see
    report_version_generate_now)."""
    with transaction.atomic():
        Report.objects.select_for_update().filter(pk=report.pk).first()
        latest = report.versions.order_by("-number").first()
        if latest is not None and (
            latest.status in PENDING_STATUSES or (latest.status == ReportStatus.READY and not force)
        ):
            return latest, False
        version = ReportVersion.objects.create(
            report=report,
            number=(latest.number + 1) if latest else 1,
            status=lifecycle.INITIAL,
            trigger=Trigger.REGENERATE if force and latest else trigger,
            requested_by=user if getattr(user, "is_authenticated", False) else None,
        )
        Report.objects.filter(pk=report.pk).update(
            status=lifecycle.INITIAL, updated_at=timezone.now()
        )
        report.refresh_from_db(fields=["status", "updated_at"])
        if dispatch:
            _dispatch(version.pk)
    return version, True


@dataclass
class RunResult:
    kind: str
    period: Period
    queued: list[int] = field(default_factory=list)  # version ids, one task each
    existing: int = 0  # already ready or on their way

    @property
    def subjects(self) -> int:
        return len(self.queued) + self.existing


def report_run_start(*, region, kind: str, period: Period, trigger=Trigger.SCHEDULE, user=None):
    """One report per subject of the run, each with its own task (the fan-out). Running it
    again queues nothing that is already ready or on its way."""
    result = RunResult(kind, period)
    for obj in subjects(region, kind, period):
        report = report_ensure(region=region, kind=kind, subject=obj, period=period)
        version, created = report_version_request(report=report, trigger=trigger, user=user)
        if created:
            result.queued.append(version.pk)
        else:
            result.existing += 1
    log.info(
        "report run %s %s %s: %d queued, %d already there",
        region.slug,
        kind,
        period.code,
        len(result.queued),
        result.existing,
    )
    return result


def schedule_run(*, schedule_id: int, today: date | None = None) -> RunResult | None:
    """What beat starts: the schedule's kind for the last complete period before today."""
    schedule = ReportSchedule.objects.select_related("region").filter(pk=schedule_id).first()
    if schedule is None or not schedule.enabled:
        return None
    today = today or timezone.localdate()
    period = last_complete(CADENCE[schedule.kind], today)
    return report_run_start(region=schedule.region, kind=schedule.kind, period=period)


# --- producing a version exactly once ------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    version_id: int
    token: str


@dataclass(frozen=True)
class Busy:
    """Another execution holds the version; look again after ``seconds``."""

    seconds: float


def report_version_claim(*, version_id: int, now=None) -> Claim | Busy | None:
    """Take the version for this execution. ``None``: nothing to do (ready, failed, gone)."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    lease = now + timedelta(seconds=settings.REPORT_LEASE_SECONDS)
    taken = _version_step(
        version_id,
        "claim",
        where=Q(status=ReportStatus.QUEUED) | Q(status=ReportStatus.RUNNING, lease_until__lt=now),
        report_fields={"updated_at": now},
        claim=token,
        lease_until=lease,
        started_at=now,
        attempts=F("attempts") + 1,
    )
    if taken:
        return Claim(version_id, token)
    version = ReportVersion.objects.filter(pk=version_id).values("status", "lease_until").first()
    if version is None or version["status"] not in PENDING_STATUSES:
        return None
    held = version["lease_until"]
    return Busy(max(1.0, (held - now).total_seconds() + 1) if held else 1.0)


def report_version_produce(*, held: Claim) -> ReportVersion | None:
    """Build the snapshot and the PDF and make the version current. ``None`` when the lease
    was lost to another execution in the meantime (that one finishes the job)."""
    from . import content, render

    version = ReportVersion.objects.select_related(
        "report__region", "report__provider", "report__segment", "report__municipality"
    ).get(pk=held.version_id)
    report = version.report
    snapshot = content.build_snapshot(report)
    pdf, pages = render.render_pdf(snapshot)
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        locked = (
            ReportVersion.objects.select_for_update()
            .filter(pk=version.pk, claim=held.token, status=ReportStatus.RUNNING)
            .first()
        )
        if locked is None:
            return None
        locked.file.save(locked.filename, ContentFile(pdf), save=False)
        generated = timezone.now()
        _version_step(
            locked.pk,
            "produce",
            where=Q(claim=held.token),
            report_fields={"current": locked, "updated_at": generated},
            file=locked.file.name,
            snapshot=snapshot,
            size=len(pdf),
            sha256=digest,
            pages=pages,
            generated_at=generated,
            error="",
            lease_until=None,
        )
        locked.refresh_from_db()
        report_notifications_queue(version=locked)
        report_ready_notify(version=locked)
    return locked


def report_version_generate_now(*, version_id: int) -> ReportVersion | None:
    """Make a queued version here and now, in this process (the demo; a command line)."""
    held = report_version_claim(version_id=version_id)
    return report_version_produce(held=held) if isinstance(held, Claim) else None


def report_version_release(*, held: Claim, error: str) -> None:
    """An attempt failed and will be retried: the version goes back to the queue."""
    _version_step(
        held.version_id,
        "release",
        where=Q(claim=held.token),
        claim="",
        lease_until=None,
        error=_trim(error),
    )


def report_version_fail(*, version_id: int, reason: str, token: str | None = None) -> None:
    """No retries left: the version is failed, with its reason. The report keeps pointing at
    its last ready version, if it had one."""
    _version_step(
        version_id,
        "fail",
        where=Q() if token is None else Q(claim=token) | Q(claim=""),
        report_fields={"updated_at": timezone.now()},
        error=_trim(reason),
        lease_until=None,
        claim="",
    )


def _version_step(
    version_id: int, name: str, *, where: Q | None = None, report_fields=None, **fields
) -> bool:
    """Apply step ``name`` of ``reports.lifecycle`` to one stored version, with ``fields``, in
    one conditional UPDATE: only from the step's source states (and where ``where`` holds), so
    of two executions only one makes the step. The report takes the version's new status.
    ``False`` when the version was not in a state (or condition) to take the step."""
    step = lifecycle.transition(name)
    moved = ReportVersion.objects.filter(
        where or Q(), pk=version_id, status__in=step.sources
    ).update(status=step.target, **fields)
    if moved:
        Report.objects.filter(versions=version_id).update(
            status=step.target, **(report_fields or {})
        )
    return bool(moved)


def _trim(text: str) -> str:
    text = (text or "").strip()
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"


def retry_delay(retries: int, *, base: int = 10, cap: int = 600) -> int:
    """Seconds before the next attempt: 10, 20, 40, ... up to ten minutes."""
    return min(cap, base * 2**retries)


def stale_versions(now=None):
    """Versions whose worker died and whose task is gone: queued or running, with no live
    lease, requested more than a lease ago. ``report_versions_requeue_stale`` sends them again."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.REPORT_LEASE_SECONDS)
    return ReportVersion.objects.filter(
        Q(status=ReportStatus.QUEUED, requested_at__lt=cutoff)
        | Q(status=ReportStatus.RUNNING, lease_until__lt=now)
    )


def report_versions_requeue_stale(*, now=None) -> int:
    """Send a task again for every stale version (beat runs this every few minutes), and the
    mail task of every version whose mails are still unsent a lease after it became ready.
    Harmless when the original task is still coming: the claim lets only one of them work."""
    ids = list(stale_versions(now).values_list("pk", flat=True))
    for version_id in ids:
        _dispatch(version_id)
    # Mails of ready versions still unsent a lease later: their send_notifications task was
    # lost with the broker's messages. Sending again is harmless: each mail is claimed first.
    from .tasks import send_notifications

    cutoff = (now or timezone.now()) - timedelta(seconds=settings.REPORT_LEASE_SECONDS)
    unsent = ReportNotification.objects.filter(sent_at__isnull=True, created_at__lt=cutoff).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=cutoff)
    )
    for version_id in sorted(set(unsent.values_list("version_id", flat=True))):
        transaction.on_commit(lambda v=version_id: send_notifications.delay(v))
    return len(ids)


# --- subscriptions and mail ----------------------------------------------------------------------


def subscribers(report: Report):
    """Users subscribed to the report (to its kind, or to its very subject) who may read it."""
    subscriptions = (
        Subscription.objects.filter(region=report.region_id, kind=report.kind)
        .filter(Q(subject_key="") | Q(subject_key=report.subject_key))
        .select_related("user")
    )
    users = {}
    for sub in subscriptions:
        user = sub.user
        if not user.is_active or not user.email or user.pk in users:
            continue
        if Report.objects.visible_to(user).filter(pk=report.pk).exists():
            users[user.pk] = user
    return list(users.values())


def report_notifications_queue(*, version: ReportVersion) -> None:
    """Record a mail per subscriber (inside the transaction that makes the version ready) and
    send them after the commit."""
    users = subscribers(version.report)
    ReportNotification.objects.bulk_create(
        [ReportNotification(version=version, user=u, email=u.email) for u in users],
        ignore_conflicts=True,
    )
    if users:
        from .tasks import send_notifications

        transaction.on_commit(lambda: send_notifications.delay(version.pk))


def report_ready_notify(*, version: ReportVersion) -> int:
    """In the app: tell who asked for the version and the report's subscribers that it is
    ready (each once per version, if they may read it and want to know)."""
    from core.models import NotificationKind
    from core.notifications import Event, notify_scoped

    report = version.report
    users = [*subscribers(report), *([version.requested_by] if version.requested_by else [])]
    if not users:
        return 0
    event = Event(
        obj=report,
        title=_("Rapportage klaar: %(kind)s %(subject)s, %(period)s")
        % {
            "kind": report.get_kind_display(),
            "subject": report.subject_name,
            "period": (version.snapshot or {}).get("period", {}).get("label", report.period),
        },
        url=reverse(
            "reports:report-detail", kwargs={"region": report.region.slug, "pk": report.pk}
        ),
        key=f"report-ready:{version.pk}",
    )
    return notify_scoped(kind=NotificationKind.REPORT_READY, events=[event], users=users)


def report_notifications_send(*, version_id: int, base_url: str | None = None) -> int:
    """Send the version's unsent mails. Each is claimed for a lease before it is sent and
    recorded as sent after: a sent mail is never sent again, two workers never send one at
    once, and the claim of a worker killed before sending runs out (then it goes again)."""
    version = ReportVersion.objects.select_related("report__region").get(pk=version_id)
    report = version.report
    base = (base_url or settings.SITE_URL).rstrip("/")
    sent = 0
    for note in version.notifications.filter(sent_at__isnull=True).select_related("user"):
        now = timezone.now()
        expired = now - timedelta(seconds=settings.REPORT_LEASE_SECONDS)
        claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=expired)
        if not (
            ReportNotification.objects.filter(claimable, pk=note.pk, sent_at__isnull=True).update(
                claimed_at=now
            )
        ):
            continue
        with translation.override("nl"):
            context = {
                "report": report,
                "version": version,
                "user": note.user,
                "detail_url": base
                + reverse(
                    "reports:report-detail",
                    kwargs={"region": report.region.slug, "pk": report.pk},
                ),
                "pdf_url": base
                + reverse(
                    "reports:report-pdf", kwargs={"region": report.region.slug, "pk": report.pk}
                ),
            }
            subject = _("Rapportage klaar: %(kind)s %(subject)s, %(period)s") % {
                "kind": report.get_kind_display(),
                "subject": report.subject_name,
                "period": version.snapshot.get("period", {}).get("label", report.period),
            }
            body = render_to_string("reports/email/ready.txt", context)
        send_mail(subject, body, None, [note.email])
        ReportNotification.objects.filter(pk=note.pk).update(sent_at=timezone.now())
        sent += 1
    return sent


# --- subscriptions, schedules and budget shares ----------------------------------------------


def subscription_create(
    *, user, region, kind: str, subject_key: str = "", subject=None
) -> Subscription:
    """Subscribe ``user`` to a kind of report in ``region``, or to one subject of it."""
    field_name = SUBJECT_FIELD[kind]
    extra = {field_name: subject} if field_name and subject is not None else {}
    subscription = Subscription(
        user=user, region=region, kind=kind, subject_key=subject_key, **extra
    )
    try:
        with transaction.atomic():
            subscription.save()
    except IntegrityError as exc:  # the same subscription, added at the same moment
        raise ValidationError(_("U bent hier al op geabonneerd.")) from exc
    return subscription


def subscription_delete(*, subscription: Subscription) -> None:
    """End a subscription (its history stays in the audit log)."""
    with transaction.atomic():
        subscription.delete()


SCHEDULE_FIELDS = ("enabled", "minute", "hour", "day_of_month", "month_of_year", "day_of_week")


def schedule_update(*, schedule: ReportSchedule, user=None, **fields) -> ReportSchedule:
    """Change when a kind of report is made; its beat task follows in the same transaction."""
    from . import schedules

    unknown = set(fields) - set(SCHEDULE_FIELDS)
    if unknown:
        raise TypeError(f"schedule_update: unknown fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(schedule, name, value)
    return schedules.save_schedule(schedule, user=user)


def budget_share_set(*, region, year: int, shares: Mapping) -> None:
    """The percentage of the region's budget per municipality for ``year``; ``None`` removes
    a municipality's share. Together at most 100%; all or nothing."""
    total = sum((Decimal(p) for p in shares.values() if p is not None), Decimal(0))
    if total > 100:
        raise ValidationError(
            _("De percentages tellen op tot %(total)s%%; dat is meer dan 100%%.")
            % {"total": f"{total.normalize():f}".replace(".", ",")}
        )
    with transaction.atomic():
        for municipality, percentage in shares.items():
            if municipality.region_id != region.pk:
                raise ValidationError(
                    _("%(name)s hoort bij een andere regio.") % {"name": municipality.name}
                )
            if percentage is None:
                BudgetShare.objects.filter(
                    region=region, municipality=municipality, year=year
                ).delete()
            else:
                BudgetShare.objects.update_or_create(
                    region=region,
                    municipality=municipality,
                    year=year,
                    defaults={"percentage": percentage},
                )


def can_read_region(user, region) -> bool:
    """Region roles and the region's municipal users read (some of) its reports."""
    scope = scope_for(user)
    return scope.is_superuser or region.pk in scope.readable_region_ids()


def can_request(user, region) -> bool:
    from core.roles import REPORT_REQUESTERS

    return scope_for(user).has_role(region.pk, REPORT_REQUESTERS)


def can_schedule(user, region) -> bool:
    from core.roles import REPORT_SCHEDULERS

    return scope_for(user).has_role(region.pk, REPORT_SCHEDULERS)
