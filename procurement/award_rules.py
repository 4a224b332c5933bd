"""What the award's guards need to know, read from the database: which providers the next
award step would award and whether each is admissible under the region's screening rules (or
has a recorded exception), which open objections hold the definitive award, and which evidence
of the provisional winners is not yet approved. ``selectors.tender_facts`` puts the answers in
``workflow.Facts``; the guards in ``workflow.py`` turn them into the officer's reasons.

Every answer is a tuple of short Dutch lines naming the provider (and lot) and what is missing,
so the refusal says exactly what to chase."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from core.ui.formatting import format_date
from providers.models import ScreeningKind

from . import scoring
from .codes import Outcome, ProcedureType, TenderState
from .models import EvidenceItem, Objection, Submission, Tender
from .objection_models import EvidenceStatus, ObjectionStatus

S = TenderState


def award_candidates(tender: Tender) -> list[Submission]:
    """The submissions the next award step of ``tender`` awards (provisionally or
    definitively), as the effects in ``services`` choose them; none in other phases."""
    subs = Submission.objects.filter(tender=tender).select_related("provider", "lot")
    state, kind = tender.state, tender.procedure_type
    if state in (S.PROVISIONAL_AWARD, S.OBJECTION):
        return list(subs.filter(outcome=Outcome.AWARDED))
    live = subs.filter(is_live=True, eligible=True)
    if state == S.NEGOTIATION and kind in (ProcedureType.SAS, ProcedureType.PARTNERSHIP):
        live = live.filter(outcome=Outcome.PENDING)
        if kind == ProcedureType.SAS:
            live = live.filter(preselected=True)
        return list(live)
    if state == S.ELIGIBILITY and kind == ProcedureType.BUDGET_GRANT:
        return list(live)
    if state == S.SCORING and kind == ProcedureType.TENDER:
        return _best_ranked(tender, list(live))
    return []


def _best_ranked(tender: Tender, subs: list[Submission]) -> list[Submission]:
    """Tender: the best ``preselection_count`` per lot by the consensus ranking (all when the
    procedure sets no maximum). Nothing while a submission lacks a score: the ranking guard
    refuses the step first."""
    from . import selectors  # selectors reads this module for the facts

    criteria = selectors.criteria_of(tender)
    if not subs or not criteria:
        return []
    entries = selectors.ranking_entries(tender, subs)
    if any(len(e.scores) < len(criteria) for e in entries):
        return []
    by_id = {s.pk: s for s in subs}
    limit = tender.preselection_count
    chosen = []
    for lot_id in sorted({s.lot_id for s in subs}):
        in_lot = [e for e in entries if by_id[e.id].lot_id == lot_id]
        for ranked in scoring.rank(in_lot, criteria, tender.score_scale_max):
            if limit is None or ranked.rank <= limit:
                chosen.append(by_id[ranked.entry.id])
    return chosen


def admissibility_reasons(submission: Submission, today: date, *, instrument=None) -> list[str]:
    """Why ``submission``'s provider is not admissible for its lot's segment today (the
    judgement's reasons), or ``[]``; a recorded exception makes it ``[]``."""
    if submission.award_exceptions.exists():
        return []
    judgement = submission.provider.admissibility(
        today, segment=submission.lot.segment_id, instrument=instrument
    )
    return [str(r) for r in judgement.reasons]


def admissibility_refusal(submission: Submission, today: date) -> str | None:
    """The message that refuses awarding or admitting ``submission``, or ``None``."""
    reasons = admissibility_reasons(submission, today)
    if not reasons:
        return None
    return _(
        "%(provider)s is niet toelaatbaar volgens de screening van de regio: %(why)s. Leg de "
        "screening vast of een gemotiveerde uitzondering."
    ) % {"provider": submission.provider, "why": "; ".join(reasons)}


def inadmissible_winners(tender: Tender, today: date) -> tuple[str, ...]:
    """One line per award candidate without admissibility or exception."""
    candidates = award_candidates(tender)
    if not candidates:
        return ()
    instrument = ScreeningKind.instrument_of(tender.region_id)
    lines = []
    for sub in candidates:
        reasons = admissibility_reasons(sub, today, instrument=instrument)
        if reasons:
            lines.append(
                _("%(provider)s (%(lot)s): %(why)s")
                % {"provider": sub.provider, "lot": sub.lot, "why": "; ".join(reasons)}
            )
    return tuple(lines)


def holding_objections(tender: Tender) -> tuple[str, ...]:
    """The open objections that hold the definitive award: one about the whole procedure, or
    one about a lot with a provisional winner (an objection about a lot nobody is awarded in
    holds no award)."""
    awarded_lots = set(
        Submission.objects.filter(tender=tender, outcome=Outcome.AWARDED).values_list(
            "lot_id", flat=True
        )
    )
    lines = []
    for obj in (
        Objection.objects.filter(tender=tender, status=ObjectionStatus.OPEN)
        .select_related("lot", "provider")
        .order_by("number")
    ):
        if obj.lot_id is not None and obj.lot_id not in awarded_lots:
            continue
        lines.append(
            _("%(kind)s nr. %(n)s van %(who)s over %(what)s, ontvangen op %(on)s")
            % {
                "kind": obj.get_kind_display(),
                "n": obj.number,
                "who": obj.submitter,
                "what": obj.lot if obj.lot_id else _("de hele procedure"),
                "on": format_date(obj.received_on),
            }
        )
    return tuple(lines)


def evidence_missing(tender: Tender) -> tuple[str, ...]:
    """Per provisional winner, the requested evidence not yet approved (with its state)."""
    items = (
        EvidenceItem.objects.filter(
            request__submission__tender=tender,
            request__submission__outcome=Outcome.AWARDED,
        )
        .exclude(status=EvidenceStatus.APPROVED)
        .select_related("request__submission__provider", "request__submission__lot")
        .order_by("request__submission__number", "request_id", "order", "pk")
    )
    per_submission: dict[int, tuple[Submission, list[str]]] = {}
    for item in items:
        sub = item.request.submission
        state = (
            _("afgekeurd: %(reason)s") % {"reason": item.reason}
            if item.status == EvidenceStatus.REJECTED
            else _("nog niet goedgekeurd")
        )
        per_submission.setdefault(sub.pk, (sub, []))[1].append(f"{item.title} ({state})")
    return tuple(
        _("%(provider)s (%(lot)s): %(items)s")
        % {"provider": sub.provider, "lot": sub.lot, "items": ", ".join(missing)}
        for sub, missing in per_submission.values()
    )


#: the phases in which a step leaves that awards someone
_AWARDING_STATES = (S.ELIGIBILITY, S.SCORING, S.NEGOTIATION, S.PROVISIONAL_AWARD, S.OBJECTION)


def award_facts(tender: Tender, today: date) -> dict:
    """The fields of ``workflow.Facts`` the award guards read (empty outside the phases that
    lead to an award, so other pages pay no queries for them)."""
    if tender.state not in _AWARDING_STATES:
        return {}
    facts = {"inadmissible_winners": inadmissible_winners(tender, today)}
    if tender.state == S.OBJECTION:
        facts["holding_objections"] = holding_objections(tender)
        facts["evidence_missing"] = evidence_missing(tender)
    return facts
