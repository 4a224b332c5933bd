"""The writes of steering: escalation steps, segment norms, risk weights, annual accounts and
the recalculation of signals.

Escalation steps with a provider (afwegingskader): the only way to start or close one.

The steps go in a fixed order (``ESCALATION_ORDER``: gesprek → verbeterplan → audit → sanctie).
A provider has at most one open step per level, and a new step must be heavier than every step
that is still open: starting a heavier step closes the open lighter ones on its start date with
the outcome "Opgeschaald naar <stap>". A step is never edited, only closed, once. Refusals are
``ValidationError`` with a Dutch message, keyed by field, and leave nothing half-saved.
"""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.states import apply_transition, transition_rows
from core.ui.formatting import format_date, month_range
from monitoring.kpis import regional, rollups
from monitoring.kpis.models import Grain, KpiRollup, RegionKpiRollup
from monitoring.steering import alerts, escalation, facilities
from monitoring.steering.models import (
    COMPUTING_KINDS,
    ESCALATION_ORDER,
    Escalation,
    EscalationStep,
    KpiNorm,
    Level,
    RecalculationKind,
    RecalculationStatus,
    RiskWeight,
    Signal,
    SignalRecalculation,
    SignalSource,
    SignalStatus,
)
from monitoring.steering.norms import threshold_order_error
from providers.models import AnnualAccount, Provider
from segments.models import Region

logger = logging.getLogger(__name__)
_LANGUAGE = "nl"  # the reasons and errors of recalculations are stored text: Dutch

_rank = escalation.rank


def _open_steps(provider) -> list[Escalation]:
    return list(
        Escalation.objects.filter(provider=provider, closed_on__isnull=True).order_by("started_on")
    )


def escalation_current(provider) -> Escalation | None:
    """The heaviest open step of the provider, or ``None`` when no step is open."""
    steps = _open_steps(provider)
    return max(steps, key=lambda e: _rank(e.step)) if steps else None


def escalation_next_step(provider) -> str:
    """The step to propose next to the provider (:func:`escalation.next_step` of the current)."""
    current = escalation_current(provider)
    return escalation.next_step(current.step if current else None)


@transaction.atomic
def escalation_start(
    *, provider, step: str, started_on: date, reason: str, user=None, region=None
) -> Escalation:
    """Start an escalation step; open lighter steps are closed as escalated on ``started_on``.

    ``region`` (optional) is the region the user works in: the provider must belong to it."""
    if region is not None and provider.region_id != region.pk:
        raise ValidationError({"provider": _("Deze aanbieder hoort bij een andere regio.")})
    if step not in ESCALATION_ORDER:
        raise ValidationError({"step": _("Kies een stap uit het afwegingskader.")})
    if started_on is None:
        raise ValidationError({"started_on": _("Vul de datum in waarop de stap begint.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Beschrijf de aanleiding voor deze stap.")})
    # Serialise escalations of one provider: two users starting a step at once cannot both win.
    Provider.objects.select_for_update().filter(pk=provider.pk).first()
    open_steps = _open_steps(provider)
    heavier = [e for e in open_steps if _rank(e.step) >= _rank(step)]
    if heavier:
        blocking = max(heavier, key=lambda e: _rank(e.step))
        raise ValidationError(
            {
                "step": _(
                    "De stap '%(open)s' (sinds %(since)s) is nog open. Een nieuwe stap moet "
                    "zwaarder zijn; sluit eerst '%(open)s' af."
                )
                % {"open": blocking.get_step_display(), "since": format_date(blocking.started_on)}
            }
        )
    for lighter in open_steps:
        if started_on < lighter.started_on:
            raise ValidationError(
                {
                    "started_on": _(
                        "De open stap '%(open)s' begon op %(since)s; een zwaardere stap kan niet "
                        "eerder beginnen."
                    )
                    % {"open": lighter.get_step_display(), "since": format_date(lighter.started_on)}
                }
            )
    label = EscalationStep(step).label
    for lighter in open_steps:
        lighter.closed_on = started_on
        lighter.outcome = _("Opgeschaald naar %(step)s") % {"step": str(label).lower()}
        lighter.save(update_fields=["closed_on", "outcome"])
    return Escalation.objects.create(
        region_id=provider.region_id,
        provider=provider,
        step=step,
        started_on=started_on,
        reason=reason,
        recorded_by=user,
    )


@transaction.atomic
def escalation_close(*, escalation: Escalation, closed_on: date, outcome: str, user=None):
    """Close an open step with its outcome; a step is closed once."""
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.closed_on is not None:
        raise ValidationError(
            _("Deze stap is al afgesloten op %(day)s.") % {"day": format_date(escalation.closed_on)}
        )
    if closed_on is None:
        raise ValidationError({"closed_on": _("Vul de datum van afsluiten in.")})
    if closed_on < escalation.started_on:
        raise ValidationError(
            {
                "closed_on": _("Een stap kan niet afsluiten voor de start (%(day)s).")
                % {"day": format_date(escalation.started_on)}
            }
        )
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("Beschrijf de uitkomst van deze stap.")})
    escalation.closed_on = closed_on
    escalation.outcome = outcome
    escalation.save(update_fields=["closed_on", "outcome"])
    return escalation


# ---------------------------------------------------------------- norms and risk weights


def _store(instance, model, **fields):
    """Save ``fields`` on ``instance`` (changed) or on a new ``model`` row."""
    row = instance if instance is not None else model()
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()
    return row


def _refuse_another(same, instance, field: str, message: str) -> None:
    """Refuse when a row other than ``instance`` is in ``same`` (one per segment and KPI, one
    per provider and year)."""
    if instance is not None and instance.pk:
        same = same.exclude(pk=instance.pk)
    if same.exists():
        raise ValidationError({field: message})


@transaction.atomic
def norm_set(
    *,
    segment,
    kpi: str,
    direction: str,
    norm: Decimal,
    amber_threshold: Decimal,
    red_threshold: Decimal,
    note: str = "",
    instance: KpiNorm | None = None,
    user=None,
) -> KpiNorm:
    """Create a segment's norm for a KPI, or change ``instance``; one norm per segment and KPI,
    thresholds in the order of the direction."""
    from monitoring.kpis.services import known_kpis

    if kpi not in {code for code, _name in known_kpis(segment.region)}:
        raise ValidationError({"kpi": _("Onbekende KPI voor deze regio: %(kpi)s.") % {"kpi": kpi}})
    message = threshold_order_error(direction, norm, amber_threshold, red_threshold)
    if message:
        raise ValidationError({"amber_threshold": message})
    _refuse_another(
        KpiNorm.objects.filter(segment=segment, kpi=kpi),
        instance,
        "kpi",
        _("Voor deze KPI bestaat al een norm in dit segment; wijzig die."),
    )
    new = instance is None or instance.pk is None
    row = _store(
        instance,
        KpiNorm,
        segment=segment,
        kpi=kpi,
        direction=direction,
        norm=norm,
        amber_threshold=amber_threshold,
        red_threshold=red_threshold,
        note=note or "",
    )
    with translation.override(_LANGUAGE):
        template = (
            _("Norm %(kpi)s voor segment %(segment)s ingesteld")
            if new
            else _("Norm %(kpi)s voor segment %(segment)s gewijzigd")
        )
        reason = template % {"kpi": alerts.topic_label(kpi), "segment": segment.code}
    signal_recalculation_request(region=segment.region, reason=reason, user=user)
    return row


@transaction.atomic
def norm_delete(*, norm: KpiNorm, user=None) -> None:
    """Remove a segment's norm (the segment inherits its parent's again); the region's months
    are judged again."""
    segment = norm.segment
    with translation.override(_LANGUAGE):
        reason = _("Norm %(kpi)s voor segment %(segment)s verwijderd") % {
            "kpi": alerts.topic_label(norm.kpi),
            "segment": segment.code,
        }
    norm.delete()
    signal_recalculation_request(region=segment.region, reason=reason, user=user)


@transaction.atomic
def risk_weights_set(*, region, weights: dict[str, Decimal], user=None) -> int:
    """Store the weights (per topic) that changed; a topic without a row weighs 1, so a weight
    of 1 for a new topic adds no row. Returns how many changed."""
    current = {w.topic: w for w in RiskWeight.objects.filter(region=region)}
    changed = 0
    for topic, value in weights.items():
        row = current.get(topic)
        if row is None:
            if value != Decimal("1"):
                RiskWeight.objects.create(region=region, topic=topic, weight=value)
                changed += 1
        elif row.weight != value:
            row.weight = value
            row.save(update_fields=["weight"])
            changed += 1
    return changed


# ---------------------------------------------------------------- provider finance


@transaction.atomic
def annual_account_save(
    *,
    provider,
    year: int,
    revenue: Decimal,
    result: Decimal,
    executive_pay: Decimal | None = None,
    wnt_maximum: Decimal | None = None,
    note: str = "",
    account: AnnualAccount | None = None,
    user=None,
) -> tuple[AnnualAccount, list[Signal]]:
    """Record (or correct) a provider's annual account for a year, then open, update or close
    its finance signals. One account per provider and year. Returns the account and the
    signals that are amber or red."""
    _refuse_another(
        AnnualAccount.objects.filter(provider=provider, year=year),
        account,
        "year",
        _("Voor %(year)s is al een jaarrekening vastgelegd; wijzig die.") % {"year": year},
    )
    row = _store(
        account,
        AnnualAccount,
        provider=provider,
        year=year,
        revenue=revenue,
        result=result,
        executive_pay=executive_pay,
        wnt_maximum=wnt_maximum,
        note=note or "",
    )
    return row, alerts.finance_signals(row)


# ---------------------------------------------------------------- recalculation of signals

#: months per call of ``alerts.evaluate`` (and per refresh of the rollups): one progress step
RECALCULATION_CHUNK = 6
#: a reused recalculation keeps this many reasons, then "…" (a demo or a bulk change saves many)
MAX_REASONS = 10
MORE_REASONS = "…"
_UNCLOSED = (SignalStatus.OPEN, SignalStatus.ON_AGENDA)


@transaction.atomic
def signal_recalculation_request(
    *,
    region,
    reason: str,
    user=None,
    kind: str = RecalculationKind.SIGNALS,
    region_kpi=None,
) -> SignalRecalculation:
    """Ask for the region's months to be judged again against the current norms (``kind``
    ``signals``), or for its KPI rollups to be recomputed first (``kpis``); the task starts when
    the caller's transaction commits. A recalculation of the region that is still queued (not
    yet running) and covers this one is reused, with ``reason`` added to its reasons (up to
    ``MAX_REASONS``, then "…")."""
    if kind not in RecalculationKind.values:
        raise ValidationError({"kind": _("Kies wat er herberekend moet worden.")})
    if (kind == RecalculationKind.REGION_KPI) != (region_kpi is not None):
        raise ValidationError({"kind": _("Noem de eigen KPI die berekend moet worden.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Geef de aanleiding voor de herberekening.")})
    # No lock on the region here: an import holds it while it writes, and saving a norm must
    # not wait for that. Two saves at the same moment may each queue one; both run, the same.
    covering = (
        [RecalculationKind.KPIS]
        if kind == RecalculationKind.KPIS
        else [RecalculationKind.SIGNALS, RecalculationKind.KPIS]
    )
    queued = (
        SignalRecalculation.objects.select_for_update()
        .filter(region=region, status=RecalculationStatus.QUEUED, kind__in=covering)
        .order_by("created_at", "pk")
        .first()
        if kind != RecalculationKind.REGION_KPI  # its own KPI's figures: never merged
        else None
    )
    if queued is not None:
        reasons = queued.reason.splitlines()
        if reason not in reasons and reasons[-1] != MORE_REASONS:
            reasons.append(reason if len(reasons) < MAX_REASONS else MORE_REASONS)
            queued.reason = "\n".join(reasons)
            queued.save(update_fields=["reason"])
        return queued
    recalculation = SignalRecalculation.objects.create(
        region=region,
        kind=kind,
        region_kpi=region_kpi,
        reason=reason,
        requested_by=user if user is not None and user.is_authenticated else None,
    )
    transaction.on_commit(lambda: _queue_recalculation(recalculation.pk))
    return recalculation


def agreement_changed(sender, *, agreement, action: str, user=None, **kwargs):
    """Receiver of ``contracts.signals.kpi_agreement_changed``: a contract's KPI agreement was
    created, changed or deleted; judge the region's months again."""
    contract = agreement.contract
    with translation.override(_LANGUAGE):
        template = {
            "created": _("KPI-afspraak %(kpi)s in contract %(contract)s ingesteld"),
            "deleted": _("KPI-afspraak %(kpi)s in contract %(contract)s verwijderd"),
        }.get(action, _("KPI-afspraak %(kpi)s in contract %(contract)s gewijzigd"))
        reason = template % {
            "kpi": alerts.topic_label(agreement.kpi),
            "contract": contract.reference,
        }
    return signal_recalculation_request(region=contract.region, reason=reason, user=user)


def _queue_recalculation(recalculation_id: int) -> None:
    """Hand the recalculation to the worker (or, without a broker, to the background thread of
    the embedded mode: ``core.tasks.start``); if that fails, say so on the recalculation."""
    from core.tasks import start
    from monitoring.tasks import recalculate_signals

    try:
        start(recalculate_signals, recalculation_id)
    except Exception:  # noqa: BLE001 - the recalculation must not stay queued for ever
        logger.exception("Could not queue recalculation %s", recalculation_id)
        with translation.override(_LANGUAGE):
            error = _("De herberekening kon niet worden ingepland; probeer het later opnieuw.")
        transition_rows(
            SignalRecalculation.objects.filter(pk=recalculation_id),
            RecalculationStatus.QUEUED,
            RecalculationStatus.FAILED,
            finished_at=timezone.now(),
            error=error,
        )


def _chunks(months: list[date]):
    for start in range(0, len(months), RECALCULATION_CHUNK):
        yield months[start : start + RECALCULATION_CHUNK]


def _progress(recalculation: SignalRecalculation, done: int) -> None:
    """Store the progress at once (outside any transaction of the run), so the status page of
    another request sees it."""
    recalculation.months_done = done
    SignalRecalculation.objects.filter(pk=recalculation.pk).update(months_done=done)


def _months_to_judge(recalculation: SignalRecalculation) -> list[date]:
    """Signals: every month with contract rollups. KPIs: every month from the region's first to
    its last month with data (``rollups.data_bounds``)."""
    if recalculation.kind in COMPUTING_KINDS:
        bounds = rollups.data_bounds(recalculation.region_id)
        return month_range(*bounds) if bounds else []
    return sorted(
        set(
            KpiRollup.objects.filter(
                region_id=recalculation.region_id, grain=Grain.CONTRACT
            ).values_list("month", flat=True)
        )
    )


def signal_recalculation_run(*, recalculation: SignalRecalculation) -> SignalRecalculation:
    """Run a queued (or interrupted) recalculation: for ``kpis`` first the rollups of every
    month, then the KPI signals of every month, oldest first, ``RECALCULATION_CHUNK`` months per
    step, each step in its own transaction and counted in ``months_done``. Finance signals are
    not touched. Runs again from the start when called again; a finished recalculation is left
    alone. Any error marks it failed with the error (the steps done stay done: each leaves the
    signals consistent)."""
    with transaction.atomic():
        recalculation = SignalRecalculation.objects.select_for_update().get(pk=recalculation.pk)
        if recalculation.finished:
            return recalculation
        region_id = recalculation.region_id
        months = _months_to_judge(recalculation)
        steps = 2 if recalculation.kind in COMPUTING_KINDS else 1
        recalculation.save(
            update_fields=apply_transition(
                recalculation,
                RecalculationStatus.RUNNING,
                started_at=timezone.now(),
                finished_at=None,
                months_total=len(months) * steps,
                months_done=0,
                signals_amber_red=None,
                error="",
            )
        )
    try:
        done = 0
        if recalculation.kind == RecalculationKind.KPIS:
            KpiRollup.objects.filter(region_id=region_id).exclude(month__in=months).delete()
            RegionKpiRollup.objects.filter(region_id=region_id).exclude(month__in=months).delete()
            for chunk in _chunks(months):
                rollups.refresh_months(region_id, chunk)
                done += len(chunk)
                _progress(recalculation, done)
        elif recalculation.kind == RecalculationKind.REGION_KPI:
            kpi = recalculation.region_kpi
            for chunk in _chunks(months):
                if kpi is not None:  # deleted meanwhile: nothing to compute
                    with transaction.atomic():
                        list(
                            Region.objects.select_for_update()
                            .filter(pk=region_id)
                            .values_list("pk")
                        )
                        regional.refresh_months(region_id, chunk, kpis=[kpi])
                done += len(chunk)
                _progress(recalculation, done)
        for chunk in _chunks(months):
            with transaction.atomic():
                # after an import's refresh of the region, not during it
                list(Region.objects.select_for_update().filter(pk=region_id).values_list("pk"))
                alerts.evaluate(region_id, chunk)
                facilities.evaluate_facilities(region_id, chunk)
            done += len(chunk)
            _progress(recalculation, done)
        bad = Signal.objects.filter(
            region_id=region_id,
            source=SignalSource.KPI,
            period__in=months,
            status__in=_UNCLOSED,
            level__in=(Level.AMBER, Level.RED),
        ).count()
        with transaction.atomic():
            recalculation = SignalRecalculation.objects.select_for_update().get(pk=recalculation.pk)
            recalculation.save(
                update_fields=apply_transition(
                    recalculation,
                    RecalculationStatus.DONE,
                    finished_at=timezone.now(),
                    months_done=recalculation.months_total,
                    signals_amber_red=bad,
                )
            )
    except Exception as exc:  # noqa: BLE001 - whatever it is, the recalculation must say it failed
        logger.exception("Recalculation %s failed", recalculation.pk)
        with translation.override(_LANGUAGE):
            error = _(
                "De herberekening is mislukt door een onverwachte fout (%(error)s). Start haar "
                "opnieuw of meld het aan de beheerder."
            ) % {"error": f"{exc.__class__.__name__}: {exc}"[:500]}
        recalculation = SignalRecalculation.objects.get(pk=recalculation.pk)
        recalculation.save(
            update_fields=apply_transition(
                recalculation,
                RecalculationStatus.FAILED,
                finished_at=timezone.now(),
                error=error,
            )
        )
    logger.info(
        "Recalculation %s of region %s: %s, %s of %s months",
        recalculation.pk,
        region_id,
        recalculation.status,
        recalculation.months_done,
        recalculation.months_total,
    )
    return recalculation
