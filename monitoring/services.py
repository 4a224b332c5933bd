"""Escalation steps with a provider (afwegingskader): the only way to start or close one.

The steps go in a fixed order (``ESCALATION_ORDER``: gesprek → verbeterplan → audit → sanctie).
A provider has at most one open step per level, and a new step must be heavier than every step
that is still open: starting a heavier step closes the open lighter ones on its start date with
the outcome "Opgeschaald naar <stap>". A step is never edited, only closed, once. Refusals are
``ValidationError`` with a Dutch message, keyed by field, and leave nothing half-saved.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from providers.models import Provider

from .models import ESCALATION_ORDER, Escalation, EscalationStep


def _d(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def _rank(step: str) -> int:
    return ESCALATION_ORDER.index(step)


def _open_steps(provider) -> list[Escalation]:
    return list(
        Escalation.objects.filter(provider=provider, closed_on__isnull=True).order_by("started_on")
    )


def escalation_current(provider) -> Escalation | None:
    """The heaviest open step of the provider, or ``None`` when no step is open."""
    steps = _open_steps(provider)
    return max(steps, key=lambda e: _rank(e.step)) if steps else None


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
                % {"open": blocking.get_step_display(), "since": _d(blocking.started_on)}
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
                    % {"open": lighter.get_step_display(), "since": _d(lighter.started_on)}
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
            _("Deze stap is al afgesloten op %(day)s.") % {"day": _d(escalation.closed_on)}
        )
    if closed_on is None:
        raise ValidationError({"closed_on": _("Vul de datum van afsluiten in.")})
    if closed_on < escalation.started_on:
        raise ValidationError(
            {
                "closed_on": _("Een stap kan niet afsluiten voor de start (%(day)s).")
                % {"day": _d(escalation.started_on)}
            }
        )
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("Beschrijf de uitkomst van deze stap.")})
    escalation.closed_on = closed_on
    escalation.outcome = outcome
    escalation.save(update_fields=["closed_on", "outcome"])
    return escalation
