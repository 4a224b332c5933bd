"""Every change to a procedure goes through these functions: they check the rules, change the
data in one transaction and record the decision. Views, forms and tasks stay thin over them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.files import check_upload
from core.roles import ASSESSORS
from core.scoping import scope_for
from core.ui.formatting import format_date, format_moment
from providers.models import ConsortiumMembership, Provider
from segments.models import CareForm

from . import admission, award_rules, kader, scoring, selectors, signatory, tasks, workflow
from .codes import (
    ADMISSION_TYPES,
    SCORED_TYPES,
    FrameworkStatus,
    Outcome,
    ProcedureType,
    QuestionSource,
    SubmissionChannel,
    TenderState,
)
from .models import (
    AdmissionCondition,
    AdmissionWindow,
    AwardCriterion,
    ConsensusScore,
    DocumentRequest,
    EligibilityCheck,
    Framework,
    Lot,
    Milestone,
    MunicipalView,
    Question,
    Requirement,
    Score,
    Strategy,
    Submission,
    SubmissionFile,
    Tender,
    TenderDocument,
    TenderEvent,
)
from .signals import award_made

S = TenderState


# ---------------------------------------------------------------- framework


FRAMEWORK_ORDER = [
    FrameworkStatus.DRAFT,
    FrameworkStatus.CONSULTATION,
    FrameworkStatus.ADOPTED,
]


def framework_advance(*, framework: Framework, status: str, on: date) -> Framework:
    """Draft → consultation → adopted, one step at a time, each dated."""
    current, wanted = (
        FRAMEWORK_ORDER.index(framework.status),
        FRAMEWORK_ORDER.index(status),
    )
    if wanted != current + 1:
        raise ValidationError(
            _("Een inkoopkader gaat van '%(from)s' niet naar '%(to)s'.")
            % {
                "from": framework.get_status_display(),
                "to": FrameworkStatus(status).label,
            }
        )
    if status == FrameworkStatus.CONSULTATION:
        framework.consultation_started_on = on
    else:
        if framework.consultation_started_on and on < framework.consultation_started_on:
            raise ValidationError(
                _("De vaststelling ligt voor de datum waarop zienswijzen zijn gevraagd.")
            )
        refused = kader.adoption_refusal(framework, on)
        if refused:
            raise ValidationError(refused)
        framework.adopted_on = on
    framework.status = status
    framework.save()
    return framework


def _model_save(obj, *, many_to_many: Mapping[str, Iterable] | None = None, **fields):
    """Set ``fields``, validate the model as its form does, save, then set the many-to-many
    relations (they need the row)."""
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    for name, values in (many_to_many or {}).items():
        getattr(obj, name).set(values)
    return obj


@transaction.atomic
def framework_create(*, region, **fields) -> Framework:
    """A new draft framework of ``region`` (``fields``: title, period, adopted_by, principles,
    summary)."""
    return _model_save(Framework(region=region), **fields)


@transaction.atomic
def framework_update(*, framework: Framework, **fields) -> Framework:
    return _model_save(framework, **fields)


@transaction.atomic
def framework_delete(*, framework: Framework) -> None:
    """Raises ``ProtectedError`` while a strategy still refers to the framework."""
    framework.delete()


@transaction.atomic
def municipal_view_create(*, framework: Framework, themes=None, **fields) -> MunicipalView:
    """A municipality's view (zienswijze) on ``framework``, at most one per municipality;
    ``themes``: the region's themes it raises."""
    kader.themes_check(region_id=framework.region_id, themes=themes)
    m2m = {"themes": themes} if themes is not None else None
    return _model_save(MunicipalView(framework=framework), many_to_many=m2m, **fields)


@transaction.atomic
def municipal_view_update(*, municipal_view: MunicipalView, themes=None, **fields) -> MunicipalView:
    kader.themes_check(region_id=municipal_view.framework.region_id, themes=themes)
    m2m = {"themes": themes} if themes is not None else None
    return _model_save(municipal_view, many_to_many=m2m, **fields)


# ---------------------------------------------------------------- strategies


@transaction.atomic
def strategy_create(*, region, care_forms: Iterable[CareForm] | None = None, **fields) -> Strategy:
    """A strategy for one segment of ``region``; ``care_forms`` are the forms in scope (only
    forms of the segment or its sub-segments)."""
    m2m = {"care_forms": care_forms} if care_forms is not None else None
    strategy = _model_save(Strategy(region=region), many_to_many=m2m, **fields)
    kader.strategy_scope_check(strategy=strategy)
    return strategy


@transaction.atomic
def strategy_update(
    *, strategy: Strategy, care_forms: Iterable[CareForm] | None = None, **fields
) -> Strategy:
    m2m = {"care_forms": care_forms} if care_forms is not None else None
    strategy = _model_save(strategy, many_to_many=m2m, **fields)
    kader.strategy_scope_check(strategy=strategy)
    return strategy


@transaction.atomic
def strategy_delete(*, strategy: Strategy) -> None:
    """Raises ``ProtectedError`` while a procedure still refers to the strategy."""
    strategy.delete()


# ---------------------------------------------------------------- admission conditions


def _condition_code_check(*, strategy, tender, code: str, exclude_pk: int | None) -> None:
    """A code names one condition among those a procedure can choose from: unique within its
    owner, and a procedure's own code does not repeat one of its strategy's (nor the other way
    round)."""
    if strategy is not None:
        clash = AdmissionCondition.objects.filter(
            Q(strategy=strategy) | Q(tender__strategy=strategy), code__iexact=code
        )
    else:
        clash = AdmissionCondition.objects.filter(
            Q(tender=tender) | Q(strategy__isnull=False, strategy=tender.strategy_id),
            code__iexact=code,
        )
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(
            {
                "code": _(
                    "De code '%(code)s' is al in gebruik voor een voorwaarde van deze strategie "
                    "of procedure."
                )
                % {"code": code}
            }
        )


@transaction.atomic
def admission_condition_create(
    *,
    strategy: Strategy | None = None,
    tender: Tender | None = None,
    code: str,
    text: str,
) -> AdmissionCondition:
    """A condition under which a conditional admission may be opened, defined on ``strategy``
    (then every procedure of the strategy may name it) or on one procedure (``tender``)."""
    if (strategy is None) == (tender is None):
        raise ValueError("A condition belongs to a strategy or to a procedure, not both.")
    owner = strategy or tender
    code, text = (code or "").strip(), (text or "").strip()
    _condition_code_check(strategy=strategy, tender=tender, code=code, exclude_pk=None)
    return _model_save(
        AdmissionCondition(region_id=owner.region_id, strategy=strategy, tender=tender),
        code=code,
        text=text,
    )


@transaction.atomic
def admission_condition_update(
    *, admission_condition: AdmissionCondition, code: str, text: str
) -> AdmissionCondition:
    """Change a condition's code or text while no window has named it. Once a decision to open
    a window names it, it stays as it was decided on (its decision record prints it): a changed
    condition is a new one."""
    used = admission_condition.windows.count()
    if used:
        raise ValidationError(
            ngettext(
                "Deze voorwaarde wordt niet meer gewijzigd: %(n)s toelatingsvenster is ermee "
                "geopend. Leg een nieuwe voorwaarde vast.",
                "Deze voorwaarde wordt niet meer gewijzigd: %(n)s toelatingsvensters zijn ermee "
                "geopend. Leg een nieuwe voorwaarde vast.",
                used,
            )
            % {"n": used}
        )
    code, text = (code or "").strip(), (text or "").strip()
    _condition_code_check(
        strategy=admission_condition.strategy,
        tender=admission_condition.tender,
        code=code,
        exclude_pk=admission_condition.pk,
    )
    return _model_save(admission_condition, code=code, text=text)


@transaction.atomic
def admission_condition_delete(*, admission_condition: AdmissionCondition) -> None:
    """Remove a condition no window has named; one that a window names is refused with the
    number of windows."""
    used = admission_condition.windows.count()
    if used:
        raise ValidationError(
            ngettext(
                "Deze voorwaarde wordt niet verwijderd: %(n)s toelatingsvenster is ermee geopend.",
                "Deze voorwaarde wordt niet verwijderd: %(n)s toelatingsvensters zijn ermee "
                "geopend.",
                used,
            )
            % {"n": used}
        )
    admission_condition.delete()


# ---------------------------------------------------------------- tenders


def tender_reference_check(*, region_id: int, reference: str, exclude_pk: int | None = None):
    """A procedure's reference is unique within its region."""
    others = Tender.objects.filter(region_id=region_id, reference=reference)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError({"reference": _("Dit kenmerk is in deze regio al in gebruik.")})


def tender_check_editable(*, tender: Tender) -> None:
    """A finished procedure is no longer changed."""
    if not tender.is_open:
        raise ValidationError(_("Een afgeronde procedure wordt niet meer gewijzigd."))


def tender_check_deletable(*, tender: Tender) -> None:
    """Only a draft is deleted; a published procedure is cancelled instead."""
    if tender.state != S.DRAFT:
        raise ValidationError(
            _("Alleen een concept wordt verwijderd; trek een gepubliceerde procedure in.")
        )


@transaction.atomic
def tender_create(*, region, **fields) -> Tender:
    """A draft procedure of ``region`` from the officer's form (its lots, requirements and
    criteria follow on the setup page)."""
    tender = Tender(region=region)
    tender_reference_check(region_id=region.pk, reference=fields.get("reference", ""))
    return _model_save(tender, **fields)


@transaction.atomic
def tender_update(*, tender: Tender, **fields) -> Tender:
    """A procedure's details; a finished one is no longer changed, and what was published
    (procedure type, score scale) stays as published."""
    tender_check_editable(tender=tender)
    if tender.state != S.DRAFT:
        for name in ("procedure_type", "score_scale_max"):
            if name in fields and fields[name] != getattr(tender, name):
                raise ValidationError(
                    {name: _("Dit ligt vast sinds de publicatie van de procedure.")}
                )
    if "reference" in fields:
        tender_reference_check(
            region_id=tender.region_id, reference=fields["reference"], exclude_pk=tender.pk
        )
    return _model_save(tender, **fields)


@transaction.atomic
def tender_delete(*, tender: Tender) -> None:
    """Only a draft is deleted; a published procedure is cancelled instead."""
    tender_check_deletable(tender=tender)
    tender.delete()


def tender_create_from_strategy(*, strategy: Strategy, reference: str, title: str = "") -> Tender:
    """A draft procedure that takes the strategy's procedure type, maximum, coverage rule and
    planned contract start, with the strategy's segment as its first lot."""
    tender_reference_check(region_id=strategy.region_id, reference=reference)
    with transaction.atomic():
        tender = Tender(
            region=strategy.region,
            strategy=strategy,
            reference=reference,
            title=title or strategy.title,
            procedure_type=strategy.procedure_type,
            preselection_count=strategy.max_providers,
            coverage_min_care_forms=strategy.coverage_min_care_forms,
            contract_start=strategy.contract_start,
        )
        tender.full_clean()
        tender.save()
        Lot.objects.create(tender=tender, number=1, segment=strategy.segment)
    return tender


def criteria_validate(*, tender: Tender, rows: Iterable[Mapping]) -> list[dict]:
    """The award criteria rows as they will be stored, or a ``ValidationError`` naming why not:
    only in a draft, weights each above 0 and together exactly 100%, every name given once."""
    rows = list(rows)
    if tender.state != S.DRAFT:
        raise ValidationError(_("Gunningscriteria liggen vast zodra de procedure is gepubliceerd."))
    error = scoring.weights_error([Decimal(r["weight"]) for r in rows])
    if error:
        raise ValidationError(error)
    rows = [{**r, "name": str(r.get("name") or "").strip()} for r in rows]
    if any(not r["name"] for r in rows):
        raise ValidationError(_("Geef elk gunningscriterium een naam."))
    seen = set()
    for r in rows:
        if r["name"].casefold() in seen:
            raise ValidationError(
                _("Twee gunningscriteria heten '%(name)s'.") % {"name": r["name"]}
            )
        seen.add(r["name"].casefold())
    return rows


def criteria_replace(*, tender: Tender, rows: Iterable[Mapping]) -> list[AwardCriterion]:
    """Set all award criteria of a draft at once; weights must add up to exactly 100%."""
    rows = criteria_validate(tender=tender, rows=rows)
    with transaction.atomic():
        tender.criteria.all().delete()
        return [
            AwardCriterion.objects.create(tender=tender, order=i, **row)
            for i, row in enumerate(rows, start=1)
        ]


def _rows_sync(*, tender: Tender, model, rows: Iterable[Mapping], fields: Iterable[str]) -> None:
    """Apply edited rows of one kind of child of ``tender``: a row with ``DELETE`` removes its
    object, a row with an ``id`` changes it, any other row adds one. Deletions go first so a
    freed number or kind can be taken by another row."""
    rows = [r for r in rows if r]
    for row in rows:
        if row.get("DELETE") and row.get("id") is not None:
            model.objects.filter(tender=tender, pk=row["id"].pk).delete()
    for row in rows:
        if row.get("DELETE"):
            continue
        obj = row.get("id") or model(tender=tender)
        if obj.tender_id != tender.pk:
            raise ValidationError(_("Deze regel hoort bij een andere procedure."))
        for field in fields:
            setattr(obj, field, row.get(field))
        obj.save()


LOT_FIELDS = ("number", "segment", "title")
REQUIREMENT_FIELDS = ("order", "kind", "text")
MILESTONE_FIELDS = ("kind", "planned_on")
DOCUMENT_REQUEST_FIELDS = ("order", "title", "description", "required")


def tender_setup_save(
    *,
    tender: Tender,
    milestones: Iterable[Mapping],
    lots: Iterable[Mapping] | None = None,
    requirements: Iterable[Mapping] | None = None,
    criteria: Iterable[Mapping] | None = None,
    document_requests: Iterable[Mapping] | None = None,
) -> Tender:
    """Save the setup page of a procedure in one transaction: planned milestones always; lots,
    requirements, award criteria and the documents asked of every provider only while it is a
    draft. Rows are the edited rows of each
    kind (``id`` for an existing one, ``DELETE`` to remove it); award criteria replace the
    current ones through the same rules as ``criteria_replace``."""
    draft_only = {
        "lots": lots,
        "requirements": requirements,
        "criteria": criteria,
        "document_requests": document_requests,
    }
    if tender.state != S.DRAFT and any(rows for rows in draft_only.values() if rows is not None):
        raise ValidationError(
            _(
                "Percelen, eisen, gunningscriteria en gevraagde documenten liggen vast zodra de "
                "procedure is gepubliceerd."
            )
        )
    if criteria is not None:
        kept = sorted(
            (r for r in criteria if r and not r.get("DELETE")),
            key=lambda r: (r.get("order") is None, r.get("order") or 0),
        )
        criteria = criteria_validate(
            tender=tender,
            rows=[
                {
                    "name": r["name"],
                    "weight": r["weight"],
                    "description": r.get("description", ""),
                }
                for r in kept
            ],
        )
    with transaction.atomic():
        _rows_sync(tender=tender, model=Milestone, rows=milestones, fields=MILESTONE_FIELDS)
        if tender.state == S.DRAFT:
            if lots is not None:
                _rows_sync(tender=tender, model=Lot, rows=lots, fields=LOT_FIELDS)
            if requirements is not None:
                _rows_sync(
                    tender=tender,
                    model=Requirement,
                    rows=requirements,
                    fields=REQUIREMENT_FIELDS,
                )
            if criteria is not None:
                criteria_replace(tender=tender, rows=criteria)
            if document_requests is not None:
                _rows_sync(
                    tender=tender,
                    model=DocumentRequest,
                    rows=document_requests,
                    fields=DOCUMENT_REQUEST_FIELDS,
                )
    return tender


def document_add(*, tender: Tender, document: TenderDocument) -> TenderDocument:
    """Attach an uploaded document to a procedure."""
    with transaction.atomic():
        document.tender = tender
        document.save()
    return document


def tender_transition(
    *,
    tender: Tender,
    name: str,
    user=None,
    reason: str = "",
    now: datetime | None = None,
) -> Tender:
    """Make transition ``name`` if the workflow allows it now; record it; apply its effects."""
    now = now or timezone.now()
    with transaction.atomic():
        tender = Tender.objects.select_for_update().get(pk=tender.pk)
        facts = selectors.tender_facts(tender, now)
        step = workflow.check(tender.procedure_type, tender.state, name, facts)
        if step.needs_reason and not reason.strip():
            raise workflow.TransitionNotAllowed([_("Geef de reden van deze beslissing.")])
        today = timezone.localdate(now)
        effect = _EFFECTS.get(name)
        # Nothing is awarded against care forms outside the lot's segment (before the award's
        # effects run, and again after a provisional award chose its winners).
        if name == "award" and (refusals := kader.award_scope_refusals(tender)):
            raise workflow.TransitionNotAllowed(refusals)
        if effect:
            effect(tender, today=today, user=user)
        if name == "provisional_award" and (refusals := kader.award_scope_refusals(tender)):
            raise workflow.TransitionNotAllowed(refusals)
        if step.needs_reason:
            tender.closing_reason = reason.strip()
        TenderEvent.objects.create(
            tender=tender,
            transition=name,
            from_state=tender.state,
            to_state=step.target,
            at=now,
            actor=user,
            reason=reason.strip(),
        )
        tender.state = step.target
        tender.save()
        if step.milestone:
            Milestone.objects.update_or_create(
                tender=tender, kind=step.milestone, defaults={"actual_on": today}
            )
        if name in _LETTERS_AFTER:
            _letters_after_commit(tender, _LETTERS_AFTER[name], user=user)
    return tender


#: the transitions after which the decision letters go to the providers' inboxes (see
#: ``procurement.letters``): sending the award decision, and the definitive award
_LETTERS_AFTER = {"start_objection": "provisional", "award": "definitive"}


def _letters_after_commit(tender: Tender, letter_kind: str, *, submission_ids=None, user=None):
    """After the decision is committed, render the letters and put them in the inboxes; a
    failure there is logged and shows on the submission page, the decision stands."""
    args = (tender.pk, letter_kind, submission_ids, getattr(user, "pk", None))
    transaction.on_commit(lambda: tasks.send_letters.delay(*args), robust=True)


def _start_scoring(tender, *, today, user):
    _exclude_ineligible(tender, today=today)


def _exclude_ineligible(tender, *, today):
    """Close every live submission that failed a requirement, with the failed requirements as
    its reason: it takes no further part (the first step after the eligibility check)."""
    for sub in Submission.objects.filter(tender=tender, is_live=True):
        if sub.eligible is False:
            _decide(sub, Outcome.EXCLUDED, _eligibility_reason(sub), today)


def _start_negotiation(tender, *, today, user):
    # Partnership: negotiation follows the eligibility check directly. (SAS: already done.)
    _exclude_ineligible(tender, today=today)


def _eligibility_reason(sub: Submission) -> str:
    failed = [
        f"{c.requirement.get_kind_display()}: {c.requirement.text} – {c.evidence}"
        for c in sub.checks.select_related("requirement").filter(passed=False)
    ]
    return _("Voldoet niet aan: %(list)s") % {"list": "; ".join(failed)}


def _decide(sub: Submission, outcome: str, reason: str, today: date):
    sub.outcome, sub.outcome_reason, sub.outcome_on = outcome, reason, today
    sub.sync_live()
    sub.save(update_fields=["outcome", "outcome_reason", "outcome_on", "is_live"])


def tender_rank(*, tender: Tender) -> list[scoring.Ranked]:
    """Rank the eligible live submissions per lot and store rank, total and tie note."""
    criteria = selectors.criteria_of(tender)
    result = []
    for lot in tender.lots.all():
        subs = list(Submission.objects.filter(lot=lot, is_live=True, eligible=True))
        ranked = scoring.rank(
            selectors.ranking_entries(tender, subs), criteria, tender.score_scale_max
        )
        by_id = {s.pk: s for s in subs}
        for r in ranked:
            sub = by_id[r.entry.id]
            sub.rank, sub.total_score, sub.tie_note = r.rank, r.total, r.tie_note[:200]
            sub.save(update_fields=["rank", "total_score", "tie_note"])
        result.extend(ranked)
    return result


def _ranking_reason(sub: Submission, of: int) -> str:
    return _("Gerangschikt op plaats %(rank)s van %(of)s met %(total)s punten.") % {
        "rank": sub.rank,
        "of": of,
        "total": f"{sub.total_score:.2f}".replace(".", ","),
    }


def _select_best(tender: Tender, *, today, chosen_outcome, chosen_flag, rest_outcome):
    tender_rank(tender=tender)
    limit = tender.preselection_count
    for lot in tender.lots.all():
        subs = list(
            Submission.objects.filter(lot=lot, is_live=True, eligible=True).order_by("rank")
        )
        for sub in subs:
            best = limit is None or sub.rank <= limit
            reason = _ranking_reason(sub, len(subs))
            if best:
                if chosen_flag:
                    sub.preselected = True
                    sub.save(update_fields=["preselected"])
                if chosen_outcome:
                    _decide(sub, chosen_outcome, reason, today)
            else:
                extra = _(" Alleen de beste %(n)s gaan door.") % {"n": limit}
                _decide(sub, rest_outcome, reason + extra, today)


def _preselect(tender, *, today, user):
    _select_best(
        tender,
        today=today,
        chosen_outcome=None,
        chosen_flag=True,
        rest_outcome=Outcome.NOT_PRESELECTED,
    )


def _provisional_award(tender, *, today, user):
    if tender.procedure_type == ProcedureType.TENDER:
        _select_best(
            tender,
            today=today,
            chosen_outcome=Outcome.AWARDED,
            chosen_flag=False,
            rest_outcome=Outcome.NOT_AWARDED,
        )
        return
    for sub in Submission.objects.filter(tender=tender, is_live=True):
        if tender.procedure_type == ProcedureType.SAS and not sub.preselected:
            continue
        if sub.eligible and sub.outcome == Outcome.PENDING:
            reason = (
                _ranking_reason(sub, Submission.objects.filter(lot=sub.lot, eligible=True).count())
                if sub.rank
                else ""
            )
            _decide(
                sub,
                Outcome.AWARDED,
                (reason + " " + _("Voorlopig gegund na onderhandeling.")).strip(),
                today,
            )


def _start_objection(tender, *, today, user):
    tender.objection_started_on = today


def _award(tender, *, today, user):
    if tender.procedure_type == ProcedureType.BUDGET_GRANT:
        _exclude_ineligible(tender, today=today)
        for sub in Submission.objects.filter(tender=tender, is_live=True, eligible=True):
            _decide(
                sub,
                Outcome.AWARDED,
                _("Voldoet aan alle voorwaarden; subsidie verleend."),
                today,
            )
    Submission.objects.filter(tender=tender, outcome=Outcome.AWARDED).update(outcome_on=today)
    # Read after the update: a contract starts no earlier than the definitive award.
    awarded = list(Submission.objects.filter(tender=tender, outcome=Outcome.AWARDED))
    award_made.send(sender=Tender, tender=tender, submissions=awarded)


_EFFECTS = {
    "start_scoring": _start_scoring,
    "start_negotiation": _start_negotiation,
    "preselect": _preselect,
    "provisional_award": _provisional_award,
    "start_objection": _start_objection,
    "award": _award,
}


def submission_set_outcome(
    *, submission: Submission, outcome: str, reason: str, today: date | None = None
):
    """Change a provisional outcome (awarded / not awarded) before the decision is sent."""
    _fresh(submission)
    tender = submission.tender
    if tender.state != S.PROVISIONAL_AWARD:
        raise ValidationError(_("Uitkomsten liggen vast buiten de fase voorlopige gunning."))
    if outcome not in (Outcome.AWARDED, Outcome.NOT_AWARDED):
        raise ValidationError(_("Kies gegund of niet gegund."))
    if not reason.strip():
        raise ValidationError({"outcome_reason": _("Motiveer de uitkomst.")})
    submission.refresh_from_db(fields=["outcome", "is_live", "eligible", "lot"])
    if not submission.eligible:
        raise ValidationError(_("Een uitgesloten inschrijving kan niet worden gegund."))
    if submission.outcome not in (
        Outcome.PENDING,
        Outcome.AWARDED,
        Outcome.NOT_AWARDED,
    ):
        # Withdrawn, excluded or not preselected: out of the race for good.
        raise ValidationError(_("Deze inschrijving doet niet meer mee aan de gunning."))
    if outcome == Outcome.AWARDED:
        refusal = award_rules.admissibility_refusal(submission, today or timezone.localdate())
        if refusal:
            raise ValidationError(refusal)
    with transaction.atomic():
        Tender.objects.select_for_update().get(pk=tender.pk)
        limit = tender.preselection_count
        if outcome == Outcome.AWARDED and tender.procedure_type == ProcedureType.TENDER and limit:
            others = (
                Submission.objects.filter(lot_id=submission.lot_id, outcome=Outcome.AWARDED)
                .exclude(pk=submission.pk)
                .count()
            )
            if others >= limit:
                raise ValidationError(
                    ngettext(
                        "Er is in dit perceel al %(n)s aanbieder gegund; het maximum is %(max)s.",
                        "Er zijn in dit perceel al %(n)s aanbieders gegund; het maximum is "
                        "%(max)s.",
                        others,
                    )
                    % {"n": others, "max": limit}
                )
        _decide(submission, outcome, reason.strip(), today or timezone.localdate())


# ---------------------------------------------------------------- submissions


def tender_submission_refusal(*, tender: Tender, at: datetime) -> str | None:
    """Why ``tender`` does not accept a submission at ``at``, or ``None``."""
    if tender.procedure_type in ADMISSION_TYPES:
        if tender.state != S.ADMISSION:
            return _("Deze procedure neemt nu geen aanmeldingen aan (fase: %(state)s).") % {
                "state": tender.get_state_display()
            }
        windows = [admission.Window(w.opened_on, w.closed_on) for w in tender.windows.all()]
        day = timezone.localdate(at)
        if not admission.accepts_on(
            tender.procedure_type,
            tender.admission_mode,
            tender.admission_months,
            tender.admission_window_days,
            windows,
            day,
        ):
            if tender.procedure_type == ProcedureType.CONDITIONAL_ADMISSION:
                return _(
                    "De toelating is gesloten: aanmelden kan alleen in een toelatingsvenster "
                    "dat is geopend met een vastgelegd besluit."
                )
            upcoming = admission.next_moment(tender.admission_months, day)
            return _("Aanmelden kan alleen op een toelatingsmoment; het volgende is %(date)s.") % {
                "date": format_date(upcoming) if upcoming else "-"
            }
        return None
    if tender.state not in (S.PUBLISHED, S.QNA):
        return _("De inschrijving is niet open (fase: %(state)s).") % {
            "state": tender.get_state_display()
        }
    if tender.submission_deadline and at >= tender.submission_deadline:
        return _("De sluitingstermijn (%(deadline)s) is verstreken.") % {
            "deadline": format_moment(tender.submission_deadline)
        }
    return None


def _overlapping_parties(provider: Provider) -> set[int]:
    """The provider, its consortia (if a member) or its members and every other consortium one
    of its members belongs to (if a consortium)."""
    ids = {provider.pk}
    if provider.is_consortium:
        members = set(provider.members.values_list("member_id", flat=True))
        ids |= members
        ids |= set(
            ConsortiumMembership.objects.filter(member_id__in=members).values_list(
                "consortium_id", flat=True
            )
        )
    else:
        ids |= set(
            ConsortiumMembership.objects.filter(member=provider).values_list(
                "consortium_id", flat=True
            )
        )
    return ids


def submission_create(
    *,
    lot: Lot,
    provider: Provider,
    care_form_ids: Iterable[int],
    at: datetime | None = None,
    entered_by=None,
    channel: str = SubmissionChannel.PAPER,
) -> Submission:
    """Receive a submission (or application) in a lot, after every rule has been checked.

    ``entered_by``: who entered it — the officer typing in a paper submission (``at`` is the
    receipt time on the paper: today or earlier, never in the future) or the portal user who
    submitted it (``channel`` portal: the receipt time is the server's, ``at`` is not
    taken)."""
    now = timezone.now()
    if channel == SubmissionChannel.PORTAL:
        if at is not None:
            raise ValueError("A portal submission is received at the server's time.")
        at = now
    elif entered_by is not None and at is not None and at > now:
        raise ValidationError(
            {
                "received_at": _(
                    "De ontvangstdatum %(at)s ligt in de toekomst; een inschrijving op papier "
                    "is vandaag of eerder ontvangen."
                )
                % {"at": format_moment(at)}
            }
        )
    at = at or now
    care_form_ids = {int(i) for i in care_form_ids}
    with transaction.atomic():
        tender = Tender.objects.select_for_update().get(pk=lot.tender_id)
        lot.tender = tender
        closed = tender_submission_refusal(tender=tender, at=at)
        if closed:
            raise ValidationError(closed)
        if provider.region_id != tender.region_id:
            raise ValidationError({"provider": _("Deze aanbieder hoort bij een andere regio.")})
        if provider.is_consortium and not provider.members.filter(is_lead=True).exists():
            raise ValidationError(
                {"provider": _("Dit samenwerkingsverband heeft geen hoofdaannemer.")}
            )
        live = Submission.objects.filter(lot=lot, is_live=True)
        if live.filter(provider=provider).exists():
            raise ValidationError(
                {
                    "provider": _("%(provider)s heeft in dit perceel al een lopende inschrijving.")
                    % {"provider": provider}
                }
            )
        overlap = live.filter(provider__in=_overlapping_parties(provider) - {provider.pk})
        if overlap.exists():
            raise ValidationError(
                {
                    "provider": _(
                        "%(provider)s schrijft in dit perceel al in via %(other)s; een aanbieder "
                        "schrijft per perceel één keer in, zelfstandig of in een verband."
                    )
                    % {"provider": provider, "other": overlap.first().provider}
                }
            )
        if tender.procedure_type in ADMISSION_TYPES:
            refused = (
                Submission.objects.filter(lot=lot, provider=provider, outcome=Outcome.REFUSED)
                .order_by("-outcome_on")
                .first()
            )
            if refused and refused.outcome_on:
                allowed = admission.reapply_from(refused.outcome_on, tender.reapply_bar_months)
                if timezone.localdate(at) < allowed:
                    raise ValidationError(
                        {
                            "provider": _(
                                "%(provider)s is op %(refused)s afgewezen en kan pas vanaf "
                                "%(allowed)s opnieuw aanmelden."
                            )
                            % {
                                "provider": provider,
                                "refused": format_date(refused.outcome_on),
                                "allowed": format_date(allowed),
                            }
                        }
                    )
        problems = selectors.coverage_problems_for(
            lot=lot, provider=provider, care_form_ids=care_form_ids
        )
        if problems:
            raise ValidationError({"care_forms": problems})
        number = (Submission.objects.filter(tender=tender).aggregate(n=Max("number"))["n"] or 0) + 1
        sub = Submission.objects.create(
            tender=tender,
            lot=lot,
            provider=provider,
            number=number,
            received_at=at,
            channel=channel,
            entered_by=entered_by,
            entered_at=timezone.now(),
        )
        sub.care_forms.set(care_form_ids)
        EligibilityCheck.objects.bulk_create(
            [EligibilityCheck(submission=sub, requirement=r) for r in tender.requirements.all()]
        )
    return sub


# ---------------------------------------------------------------- submissions from the portal


def submission_change_refusal(*, submission: Submission, now: datetime | None = None) -> str | None:
    """Why the provider can no longer change or withdraw ``submission`` itself at ``now``
    (sealed), or ``None``: until the deadline; in an admission procedure while it is
    undecided."""
    now = now or timezone.now()
    tender = submission.tender
    if not submission.is_live:
        return _("Deze inschrijving loopt niet meer (%(outcome)s).") % {
            "outcome": submission.get_outcome_display()
        }
    if tender.procedure_type in ADMISSION_TYPES:
        if tender.state != S.ADMISSION or submission.outcome != Outcome.PENDING:
            return _("Over deze aanmelding is al beslist; ze wordt niet meer gewijzigd.")
        return None
    if tender.state not in (S.PUBLISHED, S.QNA):
        return _("De inschrijving is gesloten en verzegeld (fase: %(state)s).") % {
            "state": tender.get_state_display()
        }
    if tender.submission_deadline and now >= tender.submission_deadline:
        return _(
            "De sluitingstermijn (%(deadline)s) is verstreken; de inschrijving is verzegeld."
        ) % {"deadline": format_moment(tender.submission_deadline)}
    return None


def _portal_parts_errors(
    *,
    tender: Tender,
    declarations: Mapping[int, tuple[bool | None, str]],
    evidence: Mapping[int, object],
    documents: Mapping[int, object],
    present_documents: Iterable[int] = (),
) -> dict[str, list[str]]:
    """What is wrong with the declarations and files of a portal submission, by form field:
    every requirement declared (a "no" explained), every upload accepted
    (``core.files.check_upload``), every required document present."""
    errors: dict[str, list[str]] = {}
    requirements = {r.pk: r for r in tender.requirements.all()}
    requests = {r.pk: r for r in tender.document_requests.all()}
    if set(declarations) - set(requirements) or set(evidence) - set(requirements):
        raise ValidationError(_("Onbekende eis bij deze procedure."))
    if set(documents) - set(requests):
        raise ValidationError(_("Onbekend gevraagd document bij deze procedure."))
    for pk, requirement in requirements.items():
        declared, explanation = declarations.get(pk, (None, ""))
        short = requirement.text[:60]
        if declared is None:
            errors[f"declared_{pk}"] = [_("Verklaar of u voldoet aan '%(req)s'.") % {"req": short}]
        elif declared is False and not (explanation or "").strip():
            errors[f"declaration_{pk}"] = [
                _("Licht toe waarom u niet voldoet aan '%(req)s'.") % {"req": short}
            ]
    for prefix, uploads in (("evidence", evidence), ("document", documents)):
        for pk, upload in uploads.items():
            try:
                check_upload(upload)
            except ValidationError as exc:
                errors[f"{prefix}_{pk}"] = list(exc.messages)
    present = set(present_documents) | set(documents)
    for pk, request in requests.items():
        if request.required and pk not in present and f"document_{pk}" not in errors:
            errors[f"document_{pk}"] = [
                _("'%(title)s' ontbreekt: zonder dit document is de inschrijving onvolledig.")
                % {"title": request.title}
            ]
    return errors


def _portal_parts_save(
    *,
    submission: Submission,
    user,
    declarations: Mapping[int, tuple[bool | None, str]],
    evidence: Mapping[int, object],
    documents: Mapping[int, object],
    now: datetime,
) -> None:
    checks = {c.requirement_id: c for c in submission.checks.all()}
    for pk, (declared, explanation) in declarations.items():
        check = checks.get(pk) or EligibilityCheck(submission=submission, requirement_id=pk)
        check.declared, check.declaration = declared, (explanation or "").strip()
        check.save()
    for key, uploads in (("requirement_id", evidence), ("request_id", documents)):
        for pk, upload in uploads.items():
            row = SubmissionFile.objects.filter(submission=submission, **{key: pk}).first()
            replaced = row.file.name if row else None
            row = row or SubmissionFile(submission=submission, **{key: pk})
            row.name = upload.name[:200]
            row.size = upload.size
            row.uploaded_at, row.uploaded_by = now, user
            row.file.save(upload.name, upload, save=False)
            row.save()
            if replaced:
                storage = row.file.storage
                transaction.on_commit(lambda n=replaced, st=storage: st.delete(n))


def _acting_check(*, user, provider: Provider) -> None:
    if not scope_for(user).acts_for(provider.pk):
        raise PermissionDenied(_("U handelt niet namens deze aanbieder."))


def submission_submit(
    *,
    lot: Lot,
    provider: Provider,
    user,
    care_form_ids: Iterable[int],
    declarations: Mapping[int, tuple[bool | None, str]],
    evidence: Mapping[int, object] | None = None,
    documents: Mapping[int, object] | None = None,
) -> Submission:
    """A provider's own submission (or application) through the portal, received at the
    server's time: the care forms (coverage rule), the self-declaration per requirement with
    evidence, and the documents the procedure asks for. Every rule of ``submission_create``
    applies; all or nothing is saved."""
    evidence, documents = evidence or {}, documents or {}
    _acting_check(user=user, provider=provider)
    now = timezone.now()
    tender = Tender.objects.get(pk=lot.tender_id)
    lot.tender = tender
    closed = tender_submission_refusal(tender=tender, at=now)
    if closed:
        raise ValidationError(closed)
    errors = _portal_parts_errors(
        tender=tender, declarations=declarations, evidence=evidence, documents=documents
    )
    problems = selectors.coverage_problems_for(
        lot=lot, provider=provider, care_form_ids=care_form_ids
    )
    if problems:
        errors["care_forms"] = problems
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        sub = submission_create(
            lot=lot,
            provider=provider,
            care_form_ids=care_form_ids,
            entered_by=user,
            channel=SubmissionChannel.PORTAL,
        )
        _portal_parts_save(
            submission=sub,
            user=user,
            declarations=declarations,
            evidence=evidence,
            documents=documents,
            now=sub.received_at,
        )
    return sub


def submission_change(
    *,
    submission: Submission,
    user,
    care_form_ids: Iterable[int],
    declarations: Mapping[int, tuple[bool | None, str]],
    evidence: Mapping[int, object] | None = None,
    documents: Mapping[int, object] | None = None,
) -> Submission:
    """The provider changes its own submission (care forms, declarations, files) until the
    deadline (admission: while undecided); after that it is sealed. The receipt time stays:
    ``changed_at`` records the change."""
    evidence, documents = evidence or {}, documents or {}
    _acting_check(user=user, provider=submission.provider)
    care_form_ids = {int(i) for i in care_form_ids}
    now = timezone.now()
    with transaction.atomic():
        tender = Tender.objects.select_for_update().get(pk=submission.tender_id)
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        submission.tender = tender
        refusal = submission_change_refusal(submission=submission, now=now)
        if refusal:
            raise ValidationError(refusal)
        errors = _portal_parts_errors(
            tender=tender,
            declarations=declarations,
            evidence=evidence,
            documents=documents,
            present_documents=submission.files.filter(request__isnull=False).values_list(
                "request_id", flat=True
            ),
        )
        problems = selectors.coverage_problems_for(
            lot=submission.lot, provider=submission.provider, care_form_ids=care_form_ids
        )
        if problems:
            errors["care_forms"] = problems
        if errors:
            raise ValidationError(errors)
        submission.care_forms.set(care_form_ids)
        _portal_parts_save(
            submission=submission,
            user=user,
            declarations=declarations,
            evidence=evidence,
            documents=documents,
            now=now,
        )
        submission.changed_at = now
        submission.save(update_fields=["changed_at"])
    return submission


def submission_withdraw_by_provider(*, submission: Submission, user) -> Submission:
    """The provider withdraws its own submission, as long as it may still change it."""
    _acting_check(user=user, provider=submission.provider)
    now = timezone.now()
    with transaction.atomic():
        tender = Tender.objects.select_for_update().get(pk=submission.tender_id)
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        submission.tender = tender
        refusal = submission_change_refusal(submission=submission, now=now)
        if refusal:
            raise ValidationError(refusal)
        _decide(
            submission,
            Outcome.WITHDRAWN,
            _("Ingetrokken door de inschrijver via het aanbiedersportaal."),
            timezone.localdate(now),
        )
    return submission


def submission_withdraw(*, submission: Submission, reason: str, today: date | None = None):
    _fresh(submission)
    if not submission.is_live:
        raise ValidationError(_("Deze inschrijving loopt niet meer."))
    if submission.outcome == Outcome.ADMITTED or submission.tender.state in (
        S.DEFINITIVE_AWARD,
        S.IMPLEMENTATION,
        S.ENDED,
        S.CANCELLED,
        S.UNSUCCESSFUL,
    ):
        raise ValidationError(
            _("Na de definitieve gunning of toelating is er een contract; beëindig dat contract.")
        )
    with transaction.atomic():
        _decide(
            submission,
            Outcome.WITHDRAWN,
            reason or _("Ingetrokken door de inschrijver."),
            today or timezone.localdate(),
        )


def submission_record_checks(
    *, submission: Submission, rows: Mapping[int, tuple[bool | None, str]]
):
    """Judge the eligibility checklist: requirement id -> (passed, evidence). A failed
    requirement needs evidence. All rows or none are saved."""
    _fresh(submission)
    if submission.tender.state not in (S.ELIGIBILITY, S.ADMISSION):
        raise ValidationError(_("De toets op geschiktheid kan alleen in de fase van de toets."))
    if not submission.is_live:
        raise ValidationError(_("Deze inschrijving loopt niet meer."))
    checks = {c.requirement_id: c for c in submission.checks.select_related("requirement")}
    errors = {}
    for req_id, (passed, evidence) in rows.items():
        if req_id not in checks:
            raise ValidationError(_("Onbekende eis bij deze inschrijving."))
        if passed is False and not evidence.strip():
            errors[req_id] = _("Onderbouw waarom '%(req)s' niet wordt gehaald.") % {
                "req": checks[req_id].requirement.text[:60]
            }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for req_id, (passed, evidence) in rows.items():
            check = checks[req_id]
            check.passed, check.evidence = passed, evidence.strip()
            check.save(update_fields=["passed", "evidence"])
        submission.eligible = admission.eligibility_verdict(
            c.passed for c in submission.checks.all()
        )
        submission.save(update_fields=["eligible"])
    return submission


def _fresh(sub: Submission) -> Submission:
    """Re-read the submission's tender: its phase decides what may change."""
    sub.tender = Tender.objects.get(pk=sub.tender_id)
    return sub


def _require_scoring(sub: Submission):
    _fresh(sub)
    if sub.tender.procedure_type not in SCORED_TYPES:
        raise ValidationError(_("In deze procedure wordt niet gescoord of gerangschikt."))
    if sub.tender.state != S.SCORING:
        raise ValidationError(_("Scoren kan alleen in de fase beoordeling."))
    if not sub.eligible or not sub.is_live:
        raise ValidationError(_("Alleen geschikte, lopende inschrijvingen worden beoordeeld."))


def submission_record_scores(
    *, submission: Submission, assessor, rows: Mapping[int, tuple[Decimal, str]]
):
    """One assessor's scores: criterion id -> (score, reason). All or nothing."""
    _require_scoring(submission)
    if not scope_for(assessor).has_role(submission.tender.region_id, ASSESSORS):
        raise PermissionDenied(_("Alleen leden van de beoordelingscommissie scoren."))
    criteria = {c.pk: c for c in submission.tender.criteria.all()}
    errors = _score_errors(rows, criteria, submission.tender.score_scale_max)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for crit_id, (value, reason) in rows.items():
            Score.objects.update_or_create(
                submission=submission,
                criterion_id=crit_id,
                assessor=assessor,
                defaults={"value": Decimal(value), "reason": reason.strip()},
            )


def _score_errors(rows, criteria, scale_max) -> dict:
    errors = {}
    for crit_id, (value, reason) in rows.items():
        if crit_id not in criteria:
            raise ValidationError(_("Onbekend gunningscriterium bij deze aanbesteding."))
        name = criteria[crit_id].name
        problem = scoring.score_error(value, scale_max)
        if problem:
            errors[crit_id] = f"{name}: {problem}"
        elif not (reason or "").strip():
            errors[crit_id] = _("%(name)s: motiveer de score.") % {"name": name}
    return errors


def submission_record_consensus(*, submission: Submission, rows: Mapping[int, tuple[Decimal, str]]):
    """The committee's consensus per criterion; the submission's total follows."""
    _require_scoring(submission)
    criteria = {c.pk: c for c in submission.tender.criteria.all()}
    errors = _score_errors(rows, criteria, submission.tender.score_scale_max)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for crit_id, (value, reason) in rows.items():
            ConsensusScore.objects.update_or_create(
                submission=submission,
                criterion_id=crit_id,
                defaults={"value": Decimal(value), "reason": reason.strip()},
            )
        scores = dict(submission.consensus.values_list("criterion_id", "value"))
        submission.total_score = scoring.weighted_total(
            scores,
            selectors.criteria_of(submission.tender),
            submission.tender.score_scale_max,
        )
        submission.save(update_fields=["total_score"])


def submission_record_negotiation(*, submission: Submission, notes: str):
    _fresh(submission)
    if submission.tender.state not in (S.NEGOTIATION, S.PROVISIONAL_AWARD):
        raise ValidationError(_("Onderhandelingsverslagen horen bij de onderhandelingsfase."))
    if not submission.preselected and submission.tender.procedure_type == ProcedureType.SAS:
        raise ValidationError(_("Alleen met gepreselecteerde inschrijvers wordt onderhandeld."))
    submission.negotiation_notes = notes.strip()
    submission.save(update_fields=["negotiation_notes"])


# ---------------------------------------------------------------- admission


def submission_decide_admission(
    *, submission: Submission, admit: bool, reason: str, today: date | None = None, user=None
):
    """Admit or refuse one application of an open house or conditional admission."""
    _fresh(submission)
    today = today or timezone.localdate()
    tender = submission.tender
    submission_admission_check(submission=submission, admit=admit, reason=reason, today=today)
    with transaction.atomic():
        _decide(
            submission,
            Outcome.ADMITTED if admit else Outcome.REFUSED,
            reason.strip(),
            today,
        )
        if admit:
            award_made.send(sender=Tender, tender=tender, submissions=[submission])
        _letters_after_commit(tender, "admission", submission_ids=[submission.pk], user=user)
    return submission


def submission_admission_check(
    *, submission: Submission, admit: bool, reason: str, today: date | None = None
) -> None:
    """Refuse (``ValidationError``) an admission decision ``submission_decide_admission``
    would refuse; nothing is written (the confirmation page runs it first)."""
    today = today or timezone.localdate()
    tender = submission.tender
    if tender.procedure_type not in ADMISSION_TYPES:
        raise ValidationError(_("Toelaten of afwijzen hoort bij open house en toelating."))
    if (
        tender.state != S.ADMISSION
        or not submission.is_live
        or submission.outcome != Outcome.PENDING
    ):
        raise ValidationError(_("Over deze aanmelding is al beslist of de procedure loopt niet."))
    if not reason.strip():
        raise ValidationError({"outcome_reason": _("Motiveer de beslissing.")})
    if submission.eligible is None:
        raise ValidationError(_("Rond eerst de toets op alle eisen af."))
    if problem := signatory.signatory_problem(tender):  # the decision letter goes out
        raise ValidationError(problem)
    if admit and not submission.eligible:
        raise ValidationError(_("Een aanmelding die niet aan alle eisen voldoet, wordt afgewezen."))
    # The region's own instrument, for the lot's segment: the kinds required for every
    # provider plus those required for that segment or a segment above it; a recorded,
    # reasoned exception (``objections.award_exception_record``) lets it pass.
    if admit and (reasons := award_rules.admissibility_reasons(submission, today)):
        raise ValidationError(
            _("De screening van de aanbieder is niet op orde: %(why)s")
            % {"why": "; ".join(reasons)}
        )


def window_open(
    *,
    tender: Tender,
    condition: AdmissionCondition | None,
    decision: str,
    on: date,
    user=None,
):
    """Open a conditional admission by a recorded decision naming the condition that holds: one
    of the conditions defined for this procedure (its own or its strategy's)."""
    if tender.procedure_type != ProcedureType.CONDITIONAL_ADMISSION:
        raise ValidationError(_("Alleen een toelatingsprocedure met voorwaarden kent vensters."))
    if tender.state != S.ADMISSION:
        raise ValidationError(_("De procedure loopt niet."))
    allowed = selectors.admission_conditions_for(tender)
    if not allowed.exists():
        raise ValidationError(
            {
                "condition": _(
                    "Voor deze procedure zijn nog geen voorwaarden voor openen vastgelegd. Leg ze "
                    "eerst vast bij de procedure of bij haar inkoopstrategie."
                )
            }
        )
    if condition is None:
        raise ValidationError({"condition": _("Noem een van de vooraf afgesproken voorwaarden.")})
    if not allowed.filter(pk=condition.pk).exists():
        raise ValidationError(
            {
                "condition": _(
                    "Deze voorwaarde is niet afgesproken voor deze procedure; kies een voorwaarde "
                    "van de procedure of van haar inkoopstrategie."
                )
            }
        )
    if not decision.strip():
        raise ValidationError({"decision": _("Leg het besluit en de onderbouwing vast.")})
    with transaction.atomic():
        Tender.objects.select_for_update().get(pk=tender.pk)
        if tender.windows.filter(closed_on__isnull=True).exists():
            raise ValidationError(_("Er is al een toelatingsvenster open."))
        last = tender.windows.order_by("-closed_on").first()
        if last and last.closed_on and on < last.closed_on:
            raise ValidationError(_("Een nieuw venster begint niet voor het vorige sloot."))
        return AdmissionWindow.objects.create(
            tender=tender,
            condition=condition,
            decision=decision.strip(),
            opened_on=on,
            opened_by=user,
        )


def window_close(*, tender: Tender, on: date, note: str = ""):
    window = tender.windows.filter(closed_on__isnull=True).first()
    if window is None:
        raise ValidationError(_("Er is geen open toelatingsvenster."))
    if on < window.opened_on:
        raise ValidationError(_("Een venster sluit niet voor het openging."))
    window.closed_on, window.closing_note = on, note.strip()
    window.save(update_fields=["closed_on", "closing_note"])
    return window


# ---------------------------------------------------------------- questions and answers


def question_ask(
    *,
    tender: Tender,
    text: str,
    provider: Provider | None = None,
    reference: str = "",
    at: datetime | None = None,
) -> Question:
    at = at or timezone.now()
    if tender.state not in (S.PUBLISHED, S.QNA, S.ADMISSION):
        raise ValidationError(_("Vragen stellen kan alleen terwijl de procedure open is."))
    if not text.strip():
        raise ValidationError({"text": _("Vul de vraag in.")})
    if provider is not None and provider.region_id != tender.region_id:
        raise ValidationError({"asked_by": _("Deze aanbieder hoort bij een andere regio.")})
    with transaction.atomic():
        Tender.objects.select_for_update().get(pk=tender.pk)
        number = (tender.questions.aggregate(n=Max("number"))["n"] or 0) + 1
        return Question.objects.create(
            tender=tender,
            number=number,
            text=text.strip(),
            reference=reference.strip(),
            source=QuestionSource.PROVIDER if provider else QuestionSource.OFFICER,
            asked_by=provider,
            received_at=at,
        )


def question_answer(*, question: Question, text: str, at: datetime | None = None) -> Question:
    if question.published_in is not None:
        raise ValidationError(
            _(
                "Een gepubliceerd antwoord wordt niet meer gewijzigd; "
                "geef een aanvulling in een volgende nota."
            )
        )
    if not text.strip():
        raise ValidationError({"answer": _("Vul het antwoord in.")})
    question.answer, question.answered_at = text.strip(), at or timezone.now()
    question.save(update_fields=["answer", "answered_at"])
    return question


def answers_publish(*, tender: Tender, on: date | None = None) -> int:
    """Publish every answered, unpublished question as the next nota van inlichtingen."""
    on = on or timezone.localdate()
    with transaction.atomic():
        Tender.objects.select_for_update().get(pk=tender.pk)
        pending = tender.questions.filter(published_in__isnull=True).exclude(answer="")
        if not pending.exists():
            raise ValidationError(_("Er zijn geen beantwoorde vragen om te publiceren."))
        number = (tender.questions.aggregate(n=Max("published_in"))["n"] or 0) + 1
        pending.update(published_in=number, published_on=on)
        _nota_after_commit(tender, number)
    return number


def _nota_after_commit(tender: Tender, number: int):
    """After publishing, the nota (anonymised) goes to the inbox of every provider of the
    region with portal users (``procurement.letters.nota_recipients``)."""
    transaction.on_commit(lambda: tasks.send_nota.delay(tender.pk, number), robust=True)
