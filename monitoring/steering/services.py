"""The writes of steering: escalation steps, segment norms, risk weights and annual accounts.

Escalation steps with a provider (afwegingskader): the only way to start or close one.

The steps go in a fixed order (``ESCALATION_ORDER``: gesprek → verbeterplan → audit → sanctie).
A provider has at most one open step per level, and a new step must be heavier than every step
that is still open: starting a heavier step closes the open lighter ones on its start date with
the outcome "Opgeschaald naar <stap>". A step is never edited, only closed, once. Refusals are
``ValidationError`` with a Dutch message, keyed by field, and leave nothing half-saved.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.ui.formatting import format_date
from monitoring.steering import alerts, escalation
from monitoring.steering.models import (
    ESCALATION_ORDER,
    Escalation,
    EscalationStep,
    KpiNorm,
    RiskWeight,
    Signal,
)
from monitoring.steering.norms import threshold_order_error
from providers.models import AnnualAccount, Provider

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
    return _store(
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


@transaction.atomic
def norm_delete(*, norm: KpiNorm, user=None) -> None:
    """Remove a segment's norm (the segment inherits its parent's again)."""
    norm.delete()


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
