"""Framework and strategy rules of issue 21 (item 4): care forms in scope stay inside the
strategy's segment, adoption needs every municipality's view or a recorded decision to proceed
without, and the region's themes that views and market consultations carry.

Services here follow ``services.py``: keyword-only ``<thing>_<verb>``, one transaction, the audit
entry by django-auditlog (``audit.py``). Read helpers (``*_for``, ``theme_counts``) only read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.ui.formatting import format_date
from segments.models import CareForm, Municipality, Segment
from segments.selectors import segment_subtree_ids

from .codes import FrameworkStatus, Outcome
from .models import (
    AdoptionDecision,
    Framework,
    MarketConsultation,
    MunicipalView,
    Strategy,
    Submission,
    Tender,
    Theme,
)
from .models_kader import THEME_HIGHLIGHT_MIN_MUNICIPALITIES

# ---------------------------------------------------------------- care forms in scope


def segment_care_forms(segment: Segment):
    """The care forms of ``segment`` and of every segment below it: the only forms a strategy
    for the segment may put in scope."""
    return (
        CareForm.objects.filter(segments__in=segment_subtree_ids(segment))
        .distinct()
        .order_by("name")
    )


def _names(items) -> str:
    return ", ".join(sorted(str(i) for i in items))


def care_forms_outside_message(segment: Segment, outside: Iterable[CareForm]) -> str:
    outside = list(outside)
    return ngettext(
        "De jeugdhulpvorm %(forms)s hoort niet bij segment %(segment)s of zijn deelsegmenten; "
        "kies alleen jeugdhulpvormen van dit segment.",
        "De jeugdhulpvormen %(forms)s horen niet bij segment %(segment)s of zijn "
        "deelsegmenten; kies alleen jeugdhulpvormen van dit segment.",
        len(outside),
    ) % {"forms": _names(outside), "segment": segment}


def strategy_scope_check(*, strategy: Strategy) -> None:
    """Refuse (``ValidationError`` on ``care_forms``) a strategy whose care forms in scope are
    not all of its segment's subtree. Called inside the strategy services' transaction, after
    the forms are set, so a refusal leaves nothing behind."""
    allowed = segment_care_forms(strategy.segment).values("pk")
    outside = list(strategy.care_forms.exclude(pk__in=allowed).order_by("name"))
    if outside:
        raise ValidationError({"care_forms": care_forms_outside_message(strategy.segment, outside)})


def award_scope_refusals(tender: Tender) -> list[str]:
    """Why ``tender`` cannot be awarded as it stands: a submission to be awarded (or
    admitted) offers care forms outside its lot's segment. Empty when all is well."""
    reasons = []
    subs = (
        Submission.objects.filter(
            tender=tender, is_live=True, outcome__in=[Outcome.AWARDED, Outcome.ADMITTED]
        )
        .select_related("lot__segment", "provider")
        .prefetch_related("care_forms")
        .order_by("number")
    )
    allowed_by_segment: dict[int, set[int]] = {}
    for sub in subs:
        segment = sub.lot.segment
        if segment.pk not in allowed_by_segment:
            allowed_by_segment[segment.pk] = set(
                segment_care_forms(segment).values_list("pk", flat=True)
            )
        outside = [f for f in sub.care_forms.all() if f.pk not in allowed_by_segment[segment.pk]]
        if outside:
            reasons.append(
                _(
                    "Inschrijving %(n)s (%(provider)s) biedt jeugdhulpvormen buiten segment "
                    "%(segment)s: %(forms)s. Gun alleen jeugdhulpvormen van het segment."
                )
                % {
                    "n": sub.number,
                    "provider": sub.provider,
                    "segment": segment,
                    "forms": _names(outside),
                }
            )
    return reasons


# ---------------------------------------------------------------- adoption of a framework


def missing_municipalities(framework: Framework) -> list[Municipality]:
    """The region's municipalities without a view (zienswijze) on ``framework``."""
    return list(
        Municipality.objects.filter(region=framework.region_id)
        .exclude(framework_views__framework=framework)
        .order_by("name")
    )


def adoption_refusal(framework: Framework, on: date) -> str | None:
    """Why ``framework`` cannot be adopted on ``on``: a municipality has no view and no
    recorded decision covers it (or the decision is dated after ``on``). ``None``: it can."""
    missing = missing_municipalities(framework)
    if not missing:
        return None
    decision = AdoptionDecision.objects.filter(framework=framework).first()
    covered = (
        set(decision.missing_municipalities.values_list("pk", flat=True)) if decision else set()
    )
    uncovered = [m for m in missing if m.pk not in covered]
    if uncovered:
        return ngettext(
            "Het inkoopkader kan niet worden vastgesteld: %(names)s heeft geen zienswijze "
            "gegeven. Leg die zienswijze vast, of leg het besluit vast om zonder door te gaan.",
            "Het inkoopkader kan niet worden vastgesteld: %(names)s hebben geen zienswijze "
            "gegeven. Leg die zienswijzen vast, of leg het besluit vast om zonder door te gaan.",
            len(uncovered),
        ) % {"names": _names(m.name for m in uncovered)}
    if decision.decided_on > on:
        return _(
            "Het besluit om zonder alle zienswijzen door te gaan is van %(decided)s, na de "
            "vaststelling op %(on)s."
        ) % {"decided": format_date(decision.decided_on), "on": format_date(on)}
    return None


@transaction.atomic
def adoption_decision_record(
    *,
    framework: Framework,
    decided_by: str,
    decided_on: date,
    reason: str,
    user=None,
) -> AdoptionDecision:
    """Record (or replace) the decision to adopt ``framework`` without the views of the
    municipalities that have none now; those municipalities are stored with it."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    errors = {}
    if framework.status == FrameworkStatus.ADOPTED:
        errors["__all__"] = _("Het inkoopkader is al vastgesteld.")
    missing = missing_municipalities(framework)
    if not missing:
        errors["__all__"] = _(
            "Alle gemeenten hebben een zienswijze gegeven; een besluit om zonder door te gaan is "
            "niet nodig."
        )
    if not (decided_by or "").strip():
        errors["decided_by"] = _("Noem wie besloot door te gaan (bijv. het Algemeen Bestuur).")
    if not (reason or "").strip():
        errors["reason"] = _("Geef de reden om zonder alle zienswijzen door te gaan.")
    if framework.consultation_started_on and decided_on < framework.consultation_started_on:
        errors["decided_on"] = _(
            "Het besluit ligt voor de datum waarop zienswijzen zijn gevraagd (%(on)s)."
        ) % {"on": format_date(framework.consultation_started_on)}
    if errors:
        raise ValidationError(errors)
    decision, _created = AdoptionDecision.objects.update_or_create(
        framework=framework,
        defaults={
            "decided_by": decided_by.strip(),
            "decided_on": decided_on,
            "reason": reason.strip(),
            "recorded_by": user,
        },
    )
    decision.missing_municipalities.set(missing)
    return decision


# ---------------------------------------------------------------- themes


def themes_check(*, region_id: int, themes: Iterable[Theme] | None, field: str = "themes"):
    """Refuse themes of another region, naming them."""
    foreign = [t for t in themes or [] if t.region_id != region_id]
    if foreign:
        raise ValidationError(
            {
                field: ngettext(
                    "Het thema %(names)s hoort bij een andere regio.",
                    "De thema's %(names)s horen bij een andere regio.",
                    len(foreign),
                )
                % {"names": _names(foreign)}
            }
        )


def _save(obj, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def theme_create(*, region, **fields) -> Theme:
    """A theme on the region's list (``fields``: name, description)."""
    return _save(Theme(region=region), **fields)


@transaction.atomic
def theme_update(*, theme: Theme, **fields) -> Theme:
    return _save(theme, **fields)


@transaction.atomic
def theme_delete(*, theme: Theme) -> None:
    """Refused while views or consultations carry the theme (their counts would change)."""
    views, consultations = theme.views.count(), theme.consultations.count()
    if views or consultations:
        raise ValidationError(
            _(
                "Het thema %(theme)s is in gebruik (%(views)s zienswijzen, %(consultations)s "
                "consultaties) en kan niet worden verwijderd."
            )
            % {"theme": theme, "views": views, "consultations": consultations}
        )
    theme.delete()


@dataclass
class ThemeCount:
    theme: Theme
    municipalities: list[str] = field(default_factory=list)
    highlighted: bool = False

    @property
    def count(self) -> int:
        return len(self.municipalities)


def theme_counts(*, framework: Framework, views=None) -> list[ThemeCount]:
    """Per theme raised in the views on ``framework``: the municipalities raising it, most
    raised first; ``highlighted`` from ``THEME_HIGHLIGHT_MIN_MUNICIPALITIES`` municipalities on
    (seed 001: "punten die door vier of meer gemeenten zijn ingebracht"). ``views``: the views
    the reader may see (default: all of the framework's)."""
    if views is None:
        views = MunicipalView.objects.filter(framework=framework)
    rows = (
        MunicipalView.themes.through.objects.filter(municipalview__in=views.values("pk"))
        .values_list("theme_id", "municipalview__municipality__name")
        .order_by("municipalview__municipality__name")
    )
    by_theme: dict[int, list[str]] = {}
    for theme_id, name in rows:
        by_theme.setdefault(theme_id, []).append(name)
    themes = Theme.objects.in_bulk(list(by_theme))
    counts = [
        ThemeCount(themes[pk], names, highlighted=len(names) >= THEME_HIGHLIGHT_MIN_MUNICIPALITIES)
        for pk, names in by_theme.items()
    ]
    counts.sort(key=lambda c: (-c.count, c.theme.name))
    return counts


# ---------------------------------------------------------------- page context


def framework_context(*, framework: Framework, views) -> dict:
    """What the framework page shows of this module: the theme counts, the municipalities
    without a view and the recorded decision to proceed without them."""
    return {
        "theme_counts": theme_counts(framework=framework, views=views),
        "theme_threshold": THEME_HIGHLIGHT_MIN_MUNICIPALITIES,
        "missing_municipalities": missing_municipalities(framework),
        "adoption_decision": AdoptionDecision.objects.filter(framework=framework)
        .prefetch_related("missing_municipalities")
        .select_related("recorded_by")
        .first(),
    }


def consultations_for(*, user, strategy: Strategy):
    """The consultations of ``strategy`` the user may see, with participants and themes."""
    return (
        MarketConsultation.objects.restrict(user, "view")
        .filter(strategy=strategy)
        .prefetch_related("providers", "themes")
    )
