"""Whether a provider may be admitted, judged from its screenings. Pure functions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.ui.formatting import format_date


class ScreeningKind(models.TextChoices):
    BIBOB = "bibob", _("Integriteit (Bibob)")
    VOG = "vog", _("Verklaring omtrent gedrag (VOG)")
    QUALITY = "quality", _("Kwaliteit")
    FINANCIAL = "financial", _("Financiële gezondheid")


class ScreeningStatus(models.TextChoices):
    PENDING = "pending", _("In behandeling")
    PASSED = "passed", _("Voldoet")
    FAILED = "failed", _("Voldoet niet")


#: Every provider needs a current, passed screening of each of these kinds to be admissible.
REQUIRED_KINDS: tuple[str, ...] = tuple(ScreeningKind.values)


@dataclass(frozen=True)
class ScreeningFact:
    kind: str
    status: str
    date: date
    valid_until: date | None


@dataclass(frozen=True)
class Judgement:
    admissible: bool
    reasons: tuple[str, ...]

    def __bool__(self):
        return self.admissible


def latest_per_kind(screenings: Iterable[ScreeningFact]) -> dict[str, ScreeningFact]:
    """The most recent screening of each kind (by screening date)."""
    latest: dict[str, ScreeningFact] = {}
    for screening in screenings:
        current = latest.get(screening.kind)
        if current is None or screening.date > current.date:
            latest[screening.kind] = screening
    return latest


def judge(screenings: Iterable[ScreeningFact], today: date) -> Judgement:
    """A provider is admissible when, for every required kind, its latest screening passed
    and is still valid today. Every shortfall is named, so the officer sees what to chase."""
    latest = latest_per_kind(screenings)
    reasons: list[str] = []
    for kind in REQUIRED_KINDS:
        label = ScreeningKind(kind).label
        fact = latest.get(kind)
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
