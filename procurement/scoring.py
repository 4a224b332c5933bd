"""Scoring, ranking and the coverage rule. Pure functions on plain values, exact ``Decimal``.

Ranking rule (published in the tender documents and shown on the ranking page):

1. the highest weighted total wins. The total is the sum over the criteria of
   consensus score ÷ scale maximum × weight, so it runs from 0 to 100 points;
2. on equal totals, the higher consensus score on the criterion with the highest weight wins,
   then on the next-heaviest criterion, and so on (equal weights: in the published order);
3. still equal: the submission received first wins (its receipt time);
4. still equal (same second): the lower receipt number wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

HUNDRED = Decimal(100)
POINTS = Decimal("0.01")


@dataclass(frozen=True)
class Criterion:
    id: int
    name: str
    weight: Decimal
    order: int = 0


def weights_error(weights: Iterable[Decimal]) -> str | None:
    """Why these weights cannot be used, or ``None``: each above 0, together exactly 100%."""
    weights = [Decimal(w) for w in weights]
    if not weights:
        return _("Leg minstens één gunningscriterium vast.")
    if any(not w.is_finite() or w <= 0 for w in weights):
        return _("Elk gunningscriterium weegt meer dan 0%.")
    if any((w * 100) != (w * 100).to_integral_value() for w in weights):
        # Stored with two decimals, they would no longer add up to what was checked here.
        return _("Een weging heeft hoogstens twee decimalen.")
    total = sum(weights, Decimal(0))
    if total != HUNDRED:
        return _("De weging telt op tot %(total)s%%; dat moet precies 100%% zijn.") % {
            "total": f"{total.normalize():f}"
        }
    return None


def score_error(value: Decimal, scale_max: int) -> str | None:
    """Why a score is refused, or ``None``: whole or half points from 0 to the scale maximum."""
    if value is None:
        return _("Vul een score in.")
    value = Decimal(value)
    if not value.is_finite() or value < 0 or value > scale_max:
        return _(
            "Een score ligt op de schaal van 0 tot en met %(max)s; %(value)s valt erbuiten."
        ) % {
            "max": scale_max,
            "value": f"{value.normalize():f}",
        }
    if (value * 2) != (value * 2).to_integral_value():
        return _("Scores gaan in hele of halve punten.")
    return None


def mean_score(values: Sequence[Decimal]) -> Decimal | None:
    """The assessors' average, as a starting point for the consensus (rounded to 0.1)."""
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def weighted_total(
    scores: Mapping[int, Decimal], criteria: Sequence[Criterion], scale_max: int
) -> Decimal | None:
    """Points out of 100, or ``None`` while a criterion has no consensus score."""
    if any(c.id not in scores for c in criteria):
        return None
    total = sum(
        (Decimal(scores[c.id]) * c.weight / Decimal(scale_max) for c in criteria), Decimal(0)
    )
    return total.quantize(POINTS, ROUND_HALF_UP)


@dataclass(frozen=True)
class Entry:
    id: int
    scores: Mapping[int, Decimal]  # criterion id -> consensus score
    received_at: datetime
    number: int  # receipt number


@dataclass(frozen=True)
class Ranked:
    entry: Entry
    rank: int
    total: Decimal
    tie_note: str = ""  # how a tie with the entry above was settled


def _tie_order(criteria: Sequence[Criterion]) -> list[Criterion]:
    return sorted(criteria, key=lambda c: (-c.weight, c.order, c.id))


def rank(entries: Iterable[Entry], criteria: Sequence[Criterion], scale_max: int) -> list[Ranked]:
    """Order fully scored entries by the ranking rule; raises ValueError on an unscored one."""
    entries = list(entries)
    by_weight = _tie_order(criteria)
    totals = {}
    for e in entries:
        total = weighted_total(e.scores, criteria, scale_max)
        if total is None:
            raise ValueError(
                _("Inschrijving %(n)s is nog niet op elk criterium beoordeeld.") % {"n": e.number}
            )
        totals[e.id] = total

    def key(e: Entry):
        return (
            -totals[e.id],
            *(-Decimal(e.scores[c.id]) for c in by_weight),
            e.received_at,
            e.number,
        )

    ordered = sorted(entries, key=key)
    result: list[Ranked] = []
    for position, e in enumerate(ordered, start=1):
        note = ""
        if result and totals[result[-1].entry.id] == totals[e.id]:
            note = _explain_tie(result[-1].entry, e, by_weight)
        result.append(Ranked(e, position, totals[e.id], note))
    return result


def _explain_tie(above: Entry, below: Entry, by_weight: Sequence[Criterion]) -> str:
    for c in by_weight:
        if Decimal(above.scores[c.id]) != Decimal(below.scores[c.id]):
            return _("Gelijk totaal; beslist op criterium '%(name)s' (weging %(weight)s%%).") % {
                "name": c.name,
                "weight": f"{c.weight.normalize():f}",
            }
    if above.received_at != below.received_at:
        return _("Gelijk op alle criteria; beslist op het moment van ontvangst.")
    return _("Gelijk op alle criteria en ontvangstmoment; beslist op ontvangstnummer.")


def coverage_problems(
    offered: set[int],
    delivered: set[int],
    in_scope: set[int],
    minimum: int | None,
    names: Mapping[int, str] | None = None,
) -> list[str]:
    """What breaks the coverage rule: offering forms the provider (or, for a consortium, none of
    its members) delivers, forms outside the lot's scope, or fewer than ``minimum`` in scope."""
    names = names or {}
    problems = []

    def label(ids):
        return ", ".join(sorted(names.get(i, str(i)) for i in ids))

    outside = offered - in_scope if in_scope else set()
    if outside:
        problems.append(_("Buiten dit perceel: %(forms)s.") % {"forms": label(outside)})
    not_delivered = offered - delivered
    if not_delivered:
        problems.append(
            _("De inschrijver levert deze jeugdhulpvormen niet: %(forms)s.")
            % {"forms": label(not_delivered)}
        )
    if minimum:
        counted = len((offered & delivered) & in_scope) if in_scope else len(offered & delivered)
        if counted < minimum:
            problems.append(
                _(
                    "De dekkingseis vraagt minstens %(min)s van de %(scope)s jeugdhulpvormen; "
                    "aangeboden en geleverd: %(n)s."
                )
                % {"min": minimum, "scope": len(in_scope), "n": counted}
            )
    return problems
