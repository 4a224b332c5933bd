"""The award's legal safeguards, as services: a reasoned exception to the admissibility rule,
the objection register (bezwaar, kort geding) and the evidence asked of the provisional winners.

Each service is keyword-only, checks its rules before it writes, and writes in one transaction
(the models are registered with django-auditlog, so every change leaves an entry). An
objection's and an evidence item's status only change through the transition tables below;
no code assigns ``status`` directly. The guards that read these records before an award are in
``award_rules`` and ``workflow``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.files import check_upload
from core.ui.formatting import format_date
from providers import inbox
from providers.models import Provider

from .codes import Outcome, TenderState
from .models import Lot, Submission, Tender
from .objection_models import (
    AwardException,
    EvidenceItem,
    EvidenceRequest,
    EvidenceStatus,
    Objection,
    ObjectionKind,
    ObjectionOutcome,
    ObjectionStatus,
)

S = TenderState


@dataclass(frozen=True)
class Step:
    sources: frozenset[str]
    target: str


#: an objection: open → decided (gegrond, ongegrond, niet-ontvankelijk) or withdrawn
OBJECTION_STEPS = {
    "decide": Step(frozenset({ObjectionStatus.OPEN}), ObjectionStatus.DECIDED),
    "withdraw": Step(frozenset({ObjectionStatus.OPEN}), ObjectionStatus.WITHDRAWN),
}
DECISION_OUTCOMES = (
    ObjectionOutcome.UPHELD,
    ObjectionOutcome.REJECTED,
    ObjectionOutcome.INADMISSIBLE,
)

#: an evidence item: to judge → approved or rejected; a rejected item is approved once the
#: provider sent a better document
EVIDENCE_STEPS = {
    "approve": Step(
        frozenset({EvidenceStatus.PENDING, EvidenceStatus.REJECTED}), EvidenceStatus.APPROVED
    ),
    "reject": Step(frozenset({EvidenceStatus.PENDING}), EvidenceStatus.REJECTED),
}

#: objections are recorded against a sent award decision
OBJECTION_STATES = (S.OBJECTION,)
#: evidence is asked of provisional winners before the definitive award
EVIDENCE_STATES = (S.PROVISIONAL_AWARD, S.OBJECTION)


def _step(steps: dict[str, Step], name: str, obj) -> Step:
    """The step ``name`` for ``obj`` (an objection or evidence item) if its status allows it."""
    step = steps[name]
    if obj.status not in step.sources:
        raise ValidationError(
            _("Dit kan niet meer: %(what)s is al %(state)s.")
            % {"what": obj, "state": obj.get_status_display().lower()}
        )
    return step


# ---------------------------------------------------------------- exceptions


def award_exception_record(
    *, submission: Submission, reason: str, user=None, today: date | None = None
) -> AwardException:
    """Record the reasoned decision to award (or admit) ``submission``'s provider although it
    is not admissible under the region's screening rules. Refused when the provider is
    admissible (nothing to except), when the submission is out of the race, or without a
    reason."""
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    sub = Submission.objects.select_related("tender", "provider", "lot").get(pk=submission.pk)
    if not reason:
        raise ValidationError({"reason": _("Motiveer waarom wordt afgeweken van de screening.")})
    if not sub.tender.is_open or not (sub.is_live or sub.outcome == Outcome.AWARDED):
        raise ValidationError(_("Deze inschrijving doet niet meer mee; er valt niets te gunnen."))
    judgement = sub.provider.admissibility(today, segment=sub.lot.segment_id)
    if judgement.admissible:
        raise ValidationError(
            _("%(provider)s is toelaatbaar volgens de screening; een uitzondering is niet nodig.")
            % {"provider": sub.provider}
        )
    with transaction.atomic():
        return AwardException.objects.create(
            submission=sub, reason=reason, recorded_by=user, recorded_on=today
        )


# ---------------------------------------------------------------- objections


def objection_record(
    *,
    tender: Tender,
    kind: str,
    received_on: date,
    grounds: str,
    lot: Lot | None = None,
    provider: Provider | None = None,
    submitter_name: str = "",
    user=None,
    today: date | None = None,
) -> Objection:
    """Register an objection (or summary proceedings) against the award decision of
    ``tender``, for ``lot`` or (``None``) the whole procedure. While it is open, the definitive
    award of its lot waits."""
    today = today or timezone.localdate()
    tender = Tender.objects.get(pk=tender.pk)  # its phase now, not as the caller read it
    grounds, submitter_name = (grounds or "").strip(), (submitter_name or "").strip()
    errors: dict[str, str] = {}
    if tender.state not in OBJECTION_STATES:
        raise ValidationError(
            _(
                "Een bezwaar wordt vastgelegd in de bezwaartermijn, na het versturen van de "
                "gunningsbeslissing (fase nu: %(state)s)."
            )
            % {"state": tender.get_state_display()}
        )
    if kind not in ObjectionKind.values:
        errors["kind"] = _("Kies bezwaar of kort geding.")
    if not grounds:
        errors["grounds"] = _("Neem de gronden van het bezwaar op.")
    if provider is None and not submitter_name:
        errors["submitter_name"] = _("Noem wie het bezwaar indient: een aanbieder of een naam.")
    if provider is not None and provider.region_id != tender.region_id:
        errors["provider"] = _("Deze aanbieder hoort bij een andere regio.")
    if lot is not None and lot.tender_id != tender.pk:
        errors["lot"] = _("Dit perceel hoort bij een andere procedure.")
    if received_on is None:
        errors["received_on"] = _("Geef de datum van ontvangst.")
    elif received_on > today:
        errors["received_on"] = _("De ontvangstdatum ligt in de toekomst.")
    elif tender.objection_started_on and received_on < tender.objection_started_on:
        errors["received_on"] = _(
            "De ontvangstdatum ligt voor het versturen van de gunningsbeslissing (%(date)s)."
        ) % {"date": format_date(tender.objection_started_on)}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Tender.objects.select_for_update().get(pk=tender.pk)
        number = (tender.objections.aggregate(n=Max("number"))["n"] or 0) + 1
        return Objection.objects.create(
            tender=tender,
            number=number,
            lot=lot,
            provider=provider,
            submitter_name=submitter_name[:200],
            kind=kind,
            received_on=received_on,
            grounds=grounds,
            recorded_by=user,
        )


def _objection_close(
    *, objection: Objection, step_name: str, outcome: str, decision: str, on: date, document=None
) -> Objection:
    with transaction.atomic():
        obj = Objection.objects.select_for_update().get(pk=objection.pk)
        step = _step(OBJECTION_STEPS, step_name, obj)
        obj.status, obj.outcome = step.target, outcome
        obj.decided_on, obj.decision = on, decision
        if document is not None:
            obj.decision_document_name = document.name.rsplit("/", 1)[-1][:200]
            obj.decision_document.save(document.name, document, save=False)
        obj.save()
    return obj


def objection_decide(
    *,
    objection: Objection,
    outcome: str,
    decision: str,
    decided_on: date,
    document=None,
    today: date | None = None,
) -> Objection:
    """Decide an open objection: gegrond, ongegrond or niet-ontvankelijk, with the decision's
    text and (optional) the decision document (stored privately). A decided objection no
    longer holds the award; a gegrond one calls for a new award decision (see the docs)."""
    today = today or timezone.localdate()
    decision = (decision or "").strip()
    errors: dict[str, object] = {}
    if outcome not in DECISION_OUTCOMES:
        errors["outcome"] = _("Kies gegrond, ongegrond of niet-ontvankelijk.")
    if not decision:
        errors["decision"] = _("Neem de beslissing en haar motivering op.")
    if decided_on is None:
        errors["decided_on"] = _("Geef de datum van de beslissing.")
    elif decided_on > today:
        errors["decided_on"] = _("De beslisdatum ligt in de toekomst.")
    elif decided_on < objection.received_on:
        errors["decided_on"] = _(
            "De beslisdatum ligt voor de ontvangst van het bezwaar (%(d)s)."
        ) % {"d": format_date(objection.received_on)}
    if document:
        try:
            check_upload(document)
        except ValidationError as exc:
            errors["document"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return _objection_close(
        objection=objection,
        step_name="decide",
        outcome=outcome,
        decision=decision,
        on=decided_on,
        document=document or None,
    )


def objection_withdraw(
    *, objection: Objection, on: date, note: str = "", today: date | None = None
) -> Objection:
    """The submitter withdraws the objection (``on``: the day the withdrawal came in)."""
    today = today or timezone.localdate()
    if on is None or on > today:
        raise ValidationError({"on": _("Geef de datum van intrekking (vandaag of eerder).")})
    if on < objection.received_on:
        raise ValidationError({"on": _("De intrekking ligt voor de ontvangst van het bezwaar.")})
    return _objection_close(
        objection=objection,
        step_name="withdraw",
        outcome=ObjectionOutcome.WITHDRAWN,
        decision=(note or "").strip() or _("Ingetrokken door de indiener."),
        on=on,
    )


# ---------------------------------------------------------------- evidence


def _clean_items(items: Iterable[str]) -> list[str]:
    titles, seen = [], set()
    for raw in items:
        title = (raw or "").strip()
        if not title:
            continue
        if title.casefold() in seen:
            raise ValidationError(
                {"items": _("'%(t)s' staat twee keer in de lijst.") % {"t": title}}
            )
        if len(title) > 200:
            raise ValidationError({"items": _("'%(t)s…' is te lang.") % {"t": title[:40]}})
        seen.add(title.casefold())
        titles.append(title)
    if not titles:
        raise ValidationError({"items": _("Noem minstens één bewijsstuk.")})
    return titles


def evidence_request_create(
    *,
    submission: Submission,
    items: Iterable[str],
    due_on: date,
    text: str = "",
    user=None,
    today: date | None = None,
) -> EvidenceRequest:
    """Ask a provisional winner for its evidence (one item per document) by ``due_on``; the
    request goes to its inbox in the portal, where the provider answers with the files. Only
    between the provisional and the definitive award."""
    today = today or timezone.localdate()
    sub = Submission.objects.select_related("tender", "provider", "lot").get(pk=submission.pk)
    if sub.tender.state not in EVIDENCE_STATES:
        raise ValidationError(
            _(
                "Bewijsstukken worden opgevraagd tussen de voorlopige en de definitieve gunning "
                "(fase nu: %(state)s)."
            )
            % {"state": sub.tender.get_state_display()}
        )
    if sub.outcome != Outcome.AWARDED:
        raise ValidationError(
            _("Bewijsstukken worden alleen opgevraagd bij een voorlopige winnaar.")
        )
    titles = _clean_items(items)
    if due_on is None:
        raise ValidationError({"due_on": _("Geef de uiterste datum voor de bewijsstukken.")})
    if due_on < today:
        raise ValidationError({"due_on": _("De uiterste datum ligt in het verleden.")})
    text = (text or "").strip()
    with translation.override("nl"):
        body = "\n".join(
            [
                *([text, ""] if text else []),
                _("Wij vragen u de volgende bewijsstukken aan te leveren:"),
                *(f"- {t}" for t in titles),
            ]
        )
    with transaction.atomic():
        request = EvidenceRequest.objects.create(
            submission=sub, text=text, requested_on=today, due_on=due_on, requested_by=user
        )
        for i, title in enumerate(titles, start=1):  # one by one: each gets its audit entry
            EvidenceItem.objects.create(request=request, order=i, title=title)
        with translation.override("nl"):
            subject = _("Verzoek om bewijsstukken: inschrijving nr. %(n)s, %(reference)s") % {
                "n": sub.number,
                "reference": sub.tender.reference,
            }
        request.message = inbox.evidence_request_send(
            provider=sub.provider,
            subject=subject,
            body=body,
            due_on=due_on,
            sent_by=user,
            tender_id=sub.tender_id,
            submission_id=sub.pk,
            today=today,
        )
        request.save(update_fields=["message"])
    return request


def evidence_item_check(
    *,
    item: EvidenceItem,
    approve: bool,
    reason: str = "",
    user=None,
    today: date | None = None,
) -> EvidenceItem:
    """The officer's verdict on one evidence item: approved, or rejected with the reason (the
    provider can then send a better document and the item be approved)."""
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    with transaction.atomic():
        item = (
            EvidenceItem.objects.select_for_update()
            .select_related("request__submission__tender")
            .get(pk=item.pk)
        )
        if item.request.submission.tender.state not in EVIDENCE_STATES:
            raise ValidationError(
                _("Bewijsstukken worden beoordeeld voor de definitieve gunning, niet daarna.")
            )
        step = _step(EVIDENCE_STEPS, "approve" if approve else "reject", item)
        if not approve and not reason:
            raise ValidationError({"reason": _("Geef de reden van afkeuren.")})
        item.status = step.target
        item.reason = "" if approve else reason
        item.checked_by, item.checked_on = user, today
        item.save()
    return item
