"""Read-side queries of procurement, always through the scoping mechanism."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from providers.models import Provider
from segments.models import CareForm, Municipality, Participation, Segment
from segments.selectors import segment_subtree_ids, segment_tree

from . import award_rules, scoring, workflow
from .codes import MilestoneKind, Outcome, ProcedureType, TenderState
from .models import (
    AdmissionCondition,
    AwardCriterion,
    ConsensusScore,
    DecisionLetter,
    EligibilityCheck,
    Framework,
    Lot,
    Milestone,
    Strategy,
    Submission,
    Tender,
)
from .signatory import signatory_problem


def admission_conditions_for(tender: Tender):
    """The conditions an officer may name when opening a window of ``tender``: its own and
    those of its strategy."""
    own = Q(tender=tender)
    if tender.strategy_id:
        own |= Q(strategy=tender.strategy_id)
    return AdmissionCondition.objects.filter(own).order_by("code", "pk")


def tender_list(*, user, region):
    return (
        Tender.objects.visible_to(user)
        .filter(region=region)
        # the region: each row links to its tender (get_absolute_url)
        .select_related("strategy", "region")
        .annotate(
            lot_count=Count("lots", distinct=True),
            submission_count=Count(
                "submissions", filter=Q(submissions__is_live=True), distinct=True
            ),
        )
        .order_by("-created_at", "reference")
    )


def tender_facts(tender: Tender, now: datetime | None = None) -> workflow.Facts:
    now = now or timezone.now()
    criteria = AwardCriterion.objects.filter(tender=tender)
    n_criteria = criteria.count()
    live = Submission.objects.filter(tender=tender, is_live=True)
    n_requirements = tender.requirements.count()
    incomplete_checks = EligibilityCheck.objects.filter(
        submission=OuterRef("pk"), passed__isnull=True
    )
    unjudged = (
        live.annotate(n_checks=Count("checks"))
        .filter(Q(n_checks__lt=n_requirements) | Exists(incomplete_checks))
        .count()
    )
    unscored = (
        live.filter(eligible=True).annotate(n=Count("consensus")).filter(n__lt=n_criteria).count()
    )
    decided = Submission.objects.filter(tender=tender).exclude(outcome=Outcome.WITHDRAWN)
    return workflow.Facts(
        now=now,
        lots=tender.lots.count(),
        criteria=n_criteria,
        weights_total=criteria.aggregate(t=Sum("weight"))["t"] or Decimal(0),
        requirements=n_requirements,
        submission_deadline=tender.submission_deadline,
        live_submissions=live.count(),
        unjudged_eligibility=unjudged,
        unscored=unscored,
        preselected=live.filter(preselected=True).count(),
        awarded=decided.filter(outcome=Outcome.AWARDED).count(),
        outcomes_without_reason=decided.filter(
            Q(outcome=Outcome.PENDING) | Q(outcome_reason="")
        ).count(),
        objection_started_on=tender.objection_started_on,
        objection_days=tender.objection_days,
        signatory_missing=_signatory_missing(tender),
        **award_rules.award_facts(tender, workflow.Facts(now=now).today),
    )


#: the states left by a transition after which decision letters go out (workflow)
_LETTER_STATES = (TenderState.PROVISIONAL_AWARD, TenderState.OBJECTION, TenderState.ELIGIBILITY)


def _signatory_missing(tender: Tender) -> str:
    """Why the letters of ``tender`` cannot be signed; read only where a step sends letters."""
    if tender.state not in _LETTER_STATES:
        return ""
    return str(signatory_problem(tender) or "")


def transition_check(tender: Tender, name: str, now=None) -> workflow.Transition:
    """Transition ``name`` if the workflow allows it now (nothing is written), else
    ``workflow.TransitionNotAllowed`` with the reasons ``services.tender_transition`` gives."""
    return workflow.check(tender.procedure_type, tender.state, name, tender_facts(tender, now))


def transition_options(tender: Tender, now=None) -> list[workflow.Option]:
    return workflow.options(tender.procedure_type, tender.state, tender_facts(tender, now))


def timeline(tender: Tender) -> list[dict]:
    """The milestones in date order, planned against actual; milestones the officer planned
    beyond the workflow's own (such as the close of the question round) are included.

    The procedure order comes first (the workflow's milestones, an extra one before the first
    workflow milestone that follows it in ``MilestoneKind``); the dated milestones (planned, else
    actual) then take their dated places in the order of their dates, an undated one keeps its
    place in the procedure."""
    rows = {m.kind: m for m in tender.milestones.all()}
    order = list(MilestoneKind.values)
    kinds = list(
        dict.fromkeys(
            [
                t.milestone
                for t in workflow.WORKFLOWS[tender.procedure_type].transitions
                if t.milestone
            ]
            + [MilestoneKind.CONTRACT_START]
        )
    )
    for extra in sorted((k for k in rows if k not in kinds), key=order.index):
        later = (i for i, k in enumerate(kinds) if order.index(k) > order.index(extra))
        kinds.insert(next(later, len(kinds)), extra)
    milestones = [rows.get(kind) or Milestone(tender=tender, kind=kind) for kind in kinds]

    def day(m):
        return m.planned_on or m.actual_on

    dated = iter(sorted((m for m in milestones if day(m)), key=day))  # stable: ties keep order
    milestones = [next(dated) if day(m) else m for m in milestones]
    today = timezone.localdate()
    result = []
    for m in milestones:
        late = m.actual_on is None and m.planned_on is not None and m.planned_on < today
        result.append({"milestone": m, "late": late})
    return result


def criteria_of(tender: Tender) -> list[scoring.Criterion]:
    return [
        scoring.Criterion(c.pk, c.name, c.weight, c.order)
        for c in AwardCriterion.objects.filter(tender=tender)
    ]


def ranking_entries(tender: Tender, submissions) -> list[scoring.Entry]:
    scores = defaultdict(dict)
    for row in ConsensusScore.objects.filter(submission__in=submissions).values(
        "submission_id", "criterion_id", "value"
    ):
        scores[row["submission_id"]][row["criterion_id"]] = row["value"]
    return [scoring.Entry(s.pk, scores[s.pk], s.received_at, s.number) for s in submissions]


def ranking_table(tender: Tender, user=None):
    """Eligible submissions with their consensus scores per criterion, in ranking order when a
    ranking exists, else by provisional total. With ``user``: only the submissions ``user``
    reads through ``restrict()`` (none of a sealed tender before its deadline)."""
    criteria = list(AwardCriterion.objects.filter(tender=tender))
    submissions = Submission.objects.all() if user is None else Submission.objects.restrict(user)
    subs = list(
        submissions.filter(tender=tender, eligible=True)
        .exclude(outcome=Outcome.WITHDRAWN)
        # the tender and its region: each row links to its submission (get_absolute_url)
        .select_related("provider", "lot", "tender__region")
    )
    scores = defaultdict(dict)
    for c in ConsensusScore.objects.filter(submission__in=subs):
        scores[c.submission_id][c.criterion_id] = c.value
    crit = [scoring.Criterion(c.pk, c.name, c.weight, c.order) for c in criteria]
    rows = []
    for s in subs:
        total = scoring.weighted_total(scores[s.pk], crit, tender.score_scale_max)
        rows.append(
            {
                "submission": s,
                "scores": [scores[s.pk].get(c.pk) for c in criteria],
                "total": s.total_score if s.total_score is not None else total,
            }
        )
    rows.sort(
        key=lambda r: (
            r["submission"].rank is None,
            r["submission"].rank or 0,
            -(r["total"] or Decimal(-1)),
            r["submission"].number,
        )
    )
    return criteria, rows


def coverage_forms(*, segment: Segment, awarded) -> list[CareForm]:
    """The columns of the coverage matrix: the care forms in scope of the lots that awarded
    (or admitted) in ``segment`` — a strategy that puts only some of the segment's forms in
    scope leaves the others out, so a complete award shows no gaps (issue 21) — else every
    form of the segment and its sub-segments."""
    lots = Lot.objects.filter(pk__in=awarded.values("lot")).select_related(
        "segment", "tender__strategy"
    )
    ids: set[int] = set()
    for lot in lots:
        ids.update(lot.scope_care_forms().values_list("pk", flat=True))
    if not ids:
        ids = set(
            CareForm.objects.filter(segments__in=segment_subtree_ids(segment)).values_list(
                "pk", flat=True
            )
        )
    return list(CareForm.objects.filter(pk__in=ids).order_by("name"))


def coverage_matrix(*, user, region, segment: Segment, tender: Tender | None = None):
    """Municipality × care form in scope: how many contracted or admitted providers cover each
    cell. Gaps are cells with 0."""
    awarded = Submission.objects.filter(
        lot__segment=segment, outcome__in=[Outcome.AWARDED, Outcome.ADMITTED]
    )
    if tender is not None:
        awarded = awarded.filter(tender=tender)
    providers = list(
        Provider.objects.visible_to(user)
        .filter(region=region, pk__in=awarded.values("provider"))
        .prefetch_related("municipalities_served", "care_forms", "members__member__care_forms")
    )
    forms = coverage_forms(segment=segment, awarded=awarded)
    excluded = Participation.objects.filter(segment=segment, level="none").values("municipality")
    municipalities = list(
        Municipality.objects.visible_to(user).filter(region=region).exclude(pk__in=excluded)
    )
    offered = {}
    for p in providers:
        if p.is_consortium:
            ids = {f.pk for m in p.members.all() for f in m.member.care_forms.all()}
        else:
            ids = {f.pk for f in p.care_forms.all()}
        # What the submission offered counts where known.
        sub_forms = set(awarded.filter(provider=p).values_list("care_forms", flat=True)) - {None}
        offered[p.pk] = (sub_forms or ids, {m.pk for m in p.municipalities_served.all()})
    rows = []
    gaps = 0
    for m in municipalities:
        cells = []
        for f in forms:
            n = sum(1 for fs, ms in offered.values() if f.pk in fs and m.pk in ms)
            gaps += n == 0
            cells.append(n)
        rows.append({"municipality": m, "cells": cells})
    return {"forms": forms, "rows": rows, "providers": providers, "gaps": gaps}


def procurement_summary(*, user, region) -> dict:
    tenders = Tender.objects.visible_to(user).filter(region=region)
    return {
        "region": region,
        "tenders_open": tenders.exclude(
            state__in=[
                TenderState.IMPLEMENTATION,
                TenderState.ENDED,
                TenderState.CANCELLED,
                TenderState.UNSUCCESSFUL,
            ]
        ).count(),
        "tenders_total": tenders.count(),
        "by_type": {
            label: tenders.filter(procedure_type=value).count()
            for value, label in ProcedureType.choices
        },
    }


@dataclass
class StrategyRow:
    """One (sub-)segment of the strategy overview with its strategy in the framework, if any."""

    segment: Segment
    depth: int
    strategy: Strategy | None


def strategy_overview(*, user, framework: Framework) -> list[StrategyRow]:
    """Every regionally bought (sub-)segment of the framework's region, in the order of the
    segment tree, with its strategy under ``framework`` (``None``: no strategy yet)."""
    strategies = {
        s.segment_id: s
        for s in Strategy.objects.visible_to(user)
        .filter(framework=framework)
        .select_related("segment")
    }
    rows: list[StrategyRow] = []

    def walk(nodes):
        for node in nodes:
            if node.segment.bought_regionally:
                rows.append(StrategyRow(node.segment, node.depth, strategies.get(node.segment.pk)))
            walk(node.children)

    walk(segment_tree(user=user, region=framework.region))
    return rows


# ---------------------------------------------------------------- submissions: coverage, seal


def coverage_problems_for(*, lot: Lot, provider: Provider, care_form_ids) -> list[str]:
    """The coverage rule for ``provider`` (a consortium: its members' care forms) offering
    ``care_form_ids`` in ``lot``: the same pure rule the submission service applies
    (``scoring.coverage_problems``)."""
    care_form_ids = {int(i) for i in care_form_ids}
    in_scope = {f.pk: f.name for f in lot.scope_care_forms()}
    delivered = {f.pk: f.name for f in provider.effective_care_forms()}
    offered = CareForm.objects.filter(pk__in=care_form_ids, region=lot.tender.region_id)
    return scoring.coverage_problems(
        care_form_ids,
        set(delivered),
        set(in_scope),
        lot.tender.coverage_min_care_forms,
        {**dict(offered.values_list("pk", "name")), **delivered, **in_scope},
    )


@dataclass(frozen=True)
class Receipt:
    number: int
    received_at: datetime


def sealed_receipts(tender: Tender, now: datetime | None = None) -> list[Receipt] | None:
    """While ``tender``'s submissions are sealed: only that they were received (number and
    time of receipt, nothing of who or what), else ``None``. The submissions themselves stay
    out of every region role's ``restrict()`` until the deadline."""
    if not tender.is_sealed(now):
        return None
    rows = (
        Submission.objects.filter(tender=tender, is_live=True)
        .order_by("number")
        .values_list("number", "received_at")
    )
    return [Receipt(n, at) for n, at in rows]


def kept_letters(user, tender: Tender, submission: Submission | None = None):
    """The decision letters kept for ``tender`` (or one ``submission``) that ``user`` may read
    (``DecisionLetter``: what each bidder received)."""
    rows = DecisionLetter.objects.restrict(user).filter(submission__tender=tender)
    if submission is not None:
        rows = rows.filter(submission=submission)
    return rows.select_related("submission__provider", "submission__lot__segment", "sent_by")


def awarded_provider_names(tender: Tender) -> list[str]:
    """'Provider (lot)' of each awarded or admitted submission of ``tender``."""
    subs = (
        Submission.objects.filter(tender=tender, outcome__in=[Outcome.AWARDED, Outcome.ADMITTED])
        .select_related("provider", "lot")
        .order_by("provider__name", "lot__number")
    )
    return [f"{s.provider.name} ({s.lot})" for s in subs]
