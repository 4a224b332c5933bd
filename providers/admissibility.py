"""Whether a provider may be admitted, judged from its screenings against the region's own
screening instrument. Pure functions: the kinds and the screenings are passed in as facts.

A region's instrument is a set of screening kinds; each is not required, required for every
provider, or required only for some segments. "Admissible for the region" means: a current,
passed screening of every kind required for every provider. "Admissible for segment S" adds the
kinds required for S or for a segment above S in the tree. A retired kind is required nowhere."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.ui.formatting import add_months, format_date


class ScreeningStatus(models.TextChoices):
    PENDING = "pending", _("In behandeling")
    PASSED = "passed", _("Voldoet")
    FAILED = "failed", _("Voldoet niet")


class Requirement(models.TextChoices):
    NONE = "none", _("Niet vereist")
    ALL = "all", _("Vereist voor elke aanbieder")
    SEGMENTS = "segments", _("Alleen vereist voor gekozen segmenten")


@dataclass(frozen=True)
class ScreeningFact:
    kind: int  # the screening kind's id
    status: str
    date: date
    valid_until: date | None
    id: int = 0  # breaks a tie between two screenings of one kind on the same date


@dataclass(frozen=True)
class KindRule:
    """What the judgement needs to know of one screening kind."""

    id: int
    name: str
    requirement: str = Requirement.ALL
    segment_ids: frozenset[int] = frozenset()
    active: bool = True

    def required_for(self, lineage: Iterable[int] | None) -> bool:
        """Required region-wide (``lineage`` None), or for a segment whose lineage (the
        segment and the segments above it) is given."""
        if not self.active:
            return False
        if self.requirement == Requirement.ALL:
            return True
        if self.requirement == Requirement.SEGMENTS and lineage is not None:
            return bool(self.segment_ids & frozenset(lineage))
        return False


@dataclass(frozen=True)
class Instrument:
    """A region's screening kinds and its segment tree (segment id → parent id)."""

    kinds: tuple[KindRule, ...] = ()
    parents: Mapping[int, int | None] = field(default_factory=dict)

    def lineage(self, segment_id: int) -> tuple[int, ...]:
        """The segment and every segment above it, nearest first."""
        path: list[int] = []
        current: int | None = segment_id
        while current is not None and current not in path:
            path.append(current)
            current = self.parents.get(current)
        return tuple(path)

    def required(self, segment_id: int | None = None) -> tuple[KindRule, ...]:
        """The kinds a provider must pass: region-wide, or for one segment."""
        lineage = None if segment_id is None else self.lineage(segment_id)
        return tuple(k for k in self.kinds if k.required_for(lineage))

    def segments_with_extra_requirements(self) -> tuple[int, ...]:
        """Segments that active kinds name as requiring them (sub-segments inherit)."""
        named = {
            s
            for k in self.kinds
            if k.active and k.requirement == Requirement.SEGMENTS
            for s in k.segment_ids
        }
        return tuple(sorted(named))


def valid_until_for(screened_on: date, validity_months: int | None) -> date | None:
    """The last day a passed screening stays valid: ``validity_months`` after its date, minus
    a day; ``None`` (no end) when the kind sets no validity."""
    if not validity_months:
        return None
    return add_months(screened_on, validity_months) - timedelta(days=1)


@dataclass(frozen=True)
class Judgement:
    admissible: bool
    reasons: tuple[str, ...]

    def __bool__(self):
        return self.admissible


def latest_per_kind(screenings: Iterable[ScreeningFact]) -> dict[int, ScreeningFact]:
    """The most recent screening of each kind (by screening date, then by id)."""
    latest: dict[int, ScreeningFact] = {}
    for screening in screenings:
        current = latest.get(screening.kind)
        if current is None or (screening.date, screening.id) > (current.date, current.id):
            latest[screening.kind] = screening
    return latest


def judge(
    screenings: Iterable[ScreeningFact], required: Iterable[KindRule], today: date
) -> Judgement:
    """A provider is admissible when, for every required kind, its latest screening passed
    and is still valid today. Every shortfall is named (by the kind's name), so the officer
    sees what to chase."""
    latest = latest_per_kind(screenings)
    reasons: list[str] = []
    for kind in required:
        label = kind.name
        fact = latest.get(kind.id)
        if fact is None:
            reasons.append(str(_("%(kind)s: geen screening vastgelegd") % {"kind": label}))
        elif fact.status == ScreeningStatus.PENDING:
            reasons.append(str(_("%(kind)s: nog in behandeling") % {"kind": label}))
        elif fact.status == ScreeningStatus.FAILED:
            reasons.append(str(_("%(kind)s: voldoet niet") % {"kind": label}))
        elif fact.valid_until is not None and fact.valid_until < today:
            reasons.append(
                str(
                    _("%(kind)s: verlopen op %(date)s")
                    % {"kind": label, "date": format_date(fact.valid_until)}
                )
            )
    return Judgement(admissible=not reasons, reasons=tuple(reasons))


def judge_consortium(member_judgements: dict[str, Judgement], *, has_lead: bool) -> Judgement:
    """A consortium is admissible when it has a lead contractor and every member
    (the lead included) is admissible."""
    reasons: list[str] = []
    if not has_lead:
        reasons.append(str(_("Het samenwerkingsverband heeft geen hoofdaannemer")))
    reasons += [
        f"{name}: {reason}"
        for name, judgement in member_judgements.items()
        for reason in judgement.reasons
    ]
    return Judgement(admissible=not reasons, reasons=tuple(reasons))
