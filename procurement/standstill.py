"""What the standstill letter (the voorlopige gunningsbeslissing to a bidder who is not
awarded) tells the bidder beyond its own outcome: the winner(s) of its lot, their consensus
scores per award criterion next to the bidder's own with weights and weighted points, the
relative advantages (per criterion where a winner scored higher, the committee's reasoning on
the winner's score: ``ConsensusScore.reason``, required when the consensus is recorded), and
the last day of the standstill period. Read-only selectors; ``documents.award_letter_pdf``
renders them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from . import scoring, workflow
from .codes import Outcome
from .models import AwardCriterion, ConsensusScore, Submission, Tender


def standstill_ends_on(tender: Tender) -> date | None:
    """The last day of the standstill (objection) period of ``tender``: the day the award
    decision was sent plus the objection period in days; the definitive award may follow the
    day after. The same rule as the workflow's guard ``objection_period_over`` (it reads
    ``Facts.objection_ends_on``). ``None`` while the decision has not been sent."""
    facts = workflow.Facts(
        now=timezone.now(),
        objection_started_on=tender.objection_started_on,
        objection_days=tender.objection_days,
    )
    return facts.objection_ends_on


@dataclass(frozen=True)
class CriterionRow:
    name: str
    weight: Decimal
    own_score: Decimal | None
    own_points: Decimal | None
    winner_score: Decimal | None
    winner_points: Decimal | None
    #: the committee's reasoning on the winner's score where the winner scored higher
    advantage: str

    @property
    def winner_better(self) -> bool:
        return bool(self.advantage)


@dataclass(frozen=True)
class Comparison:
    winner: Submission
    rows: list[CriterionRow]
    own_total: Decimal | None
    winner_total: Decimal | None


#: up to this many winners in a lot, the letter compares the bidder with each of them per
#: criterion; with more (a lot with twenty partners), with the lowest ranked winner only: the
#: one the bidder had to beat. The scores of every winner are in the overview either way.
MAX_COMPARED_WINNERS = 3


def lot_winners(sub: Submission) -> list[Submission]:
    """The submissions (other than ``sub``) provisionally awarded in ``sub``'s lot, best
    ranked first."""
    return list(
        Submission.objects.filter(lot_id=sub.lot_id, outcome=Outcome.AWARDED)
        .exclude(pk=sub.pk)
        .select_related("provider")
        .order_by(F("rank").asc(nulls_last=True), "number")
    )


def compared_winners(winners: list[Submission]) -> list[Submission]:
    """The winners the letter compares the bidder with per criterion (see
    :data:`MAX_COMPARED_WINNERS`)."""
    return winners if len(winners) <= MAX_COMPARED_WINNERS else winners[-1:]


@dataclass(frozen=True)
class OverviewRow:
    name: str
    rank: int | None
    scores: list[Decimal | None]  # per criterion, in the published order
    total: Decimal | None
    own: bool = False


def overview(sub: Submission, winners: list[Submission]) -> tuple[list, list[OverviewRow]]:
    """The criteria and, per winner and for the bidder itself (last), the consensus score per
    criterion and the weighted total. Empty rows when ``sub`` was never scored."""
    criteria = list(AwardCriterion.objects.filter(tender_id=sub.tender_id))
    values: dict[int, dict[int, Decimal]] = {}
    for c in ConsensusScore.objects.filter(submission__in=[sub, *winners]):
        values.setdefault(c.submission_id, {})[c.criterion_id] = c.value
    if not values.get(sub.pk):
        return criteria, []
    as_criteria = [scoring.Criterion(c.pk, c.name, c.weight, c.order) for c in criteria]
    scale = sub.tender.score_scale_max

    def row(s: Submission, own=False) -> OverviewRow:
        mine = values.get(s.pk, {})
        return OverviewRow(
            name=s.provider.name,
            rank=s.rank,
            scores=[mine.get(c.pk) for c in criteria],
            total=scoring.weighted_total(mine, as_criteria, scale),
            own=own,
        )

    return criteria, [*(row(w) for w in winners), row(sub, own=True)]


def comparisons(sub: Submission, winners: list[Submission] | None = None) -> list[Comparison]:
    """Per winner of ``sub``'s lot, the scores per award criterion side by side. Empty when
    ``sub`` has no consensus score (an excluded bidder was never scored: its letter names the
    winners and the reasons of its exclusion, no scores)."""
    winners = lot_winners(sub) if winners is None else winners
    if not winners:
        return []
    tender = sub.tender
    scale = Decimal(tender.score_scale_max)
    criteria = list(AwardCriterion.objects.filter(tender_id=sub.tender_id))
    consensus: dict[int, dict[int, ConsensusScore]] = {}
    for c in ConsensusScore.objects.filter(submission__in=[sub, *winners]):
        consensus.setdefault(c.submission_id, {})[c.criterion_id] = c
    own = consensus.get(sub.pk, {})
    if not own:
        return []
    as_criteria = [scoring.Criterion(c.pk, c.name, c.weight, c.order) for c in criteria]

    def points(score: ConsensusScore | None) -> Decimal | None:
        if score is None:
            return None
        weight = next(c.weight for c in criteria if c.pk == score.criterion_id)
        return score.value * weight / scale

    result = []
    for winner in winners:
        theirs = consensus.get(winner.pk, {})
        rows = []
        for criterion in criteria:
            mine, their = own.get(criterion.pk), theirs.get(criterion.pk)
            better = their is not None and (mine is None or their.value > mine.value)
            rows.append(
                CriterionRow(
                    name=criterion.name,
                    weight=criterion.weight,
                    own_score=mine.value if mine else None,
                    own_points=points(mine),
                    winner_score=their.value if their else None,
                    winner_points=points(their),
                    advantage=their.reason.strip() if better else "",
                )
            )
        result.append(
            Comparison(
                winner=winner,
                rows=rows,
                own_total=scoring.weighted_total(
                    {k: v.value for k, v in own.items()}, as_criteria, tender.score_scale_max
                ),
                winner_total=scoring.weighted_total(
                    {k: v.value for k, v in theirs.items()}, as_criteria, tender.score_scale_max
                ),
            )
        )
    return result
