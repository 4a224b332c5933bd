"""The Dutch PDF documents of procurement: award letters, the nota van inlichtingen and the
nota van reactie, the decision record of an admission window and the strategy overview for
the board. Each function reads what it needs and returns the PDF as bytes; permission
checks belong to the caller (the view).

The PDFs are rendered by WeasyPrint from the templates in ``templates/procurement/pdf/``. No
resource is fetched from the network: only ``file:`` and ``data:`` URLs are allowed, and the
fonts are the system's (DejaVu Sans, Liberation Sans).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint.urls import URLFetcher

from segments.models import Municipality

from . import standstill
from .codes import SCORED_TYPES, FrameworkStatus, Outcome
from .models import AdmissionWindow, Framework, Question, Submission, Tender
from .signatory import region_signatory, signatory_for

LETTER_KINDS = ("provisional", "definitive", "admission")

_SHORT_TEXT_CHARS = 1200


def render_pdf(template_name: str, context: dict, *, language: str = "nl") -> bytes:
    """Render ``template_name`` with ``context`` and write it as a tagged PDF.

    The PDF's title comes from the template's ``<title>`` (``document_title`` in the context),
    its language from ``<html lang>`` (``language``)."""
    with translation.override(language):
        html = render_to_string(template_name, {**context, "document_language": language})
    document = weasyprint.HTML(
        string=html,
        base_url=str(settings.BASE_DIR / "static"),
        url_fetcher=URLFetcher(allowed_protocols={"file", "data"}),
    )
    return document.write_pdf(pdf_tags=True)


def nl_decimal(value: Decimal | int | None, places: int = 2) -> str:
    """``Decimal('80.5')`` -> ``'80,50'``: a Dutch decimal comma, rounded half up."""
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-places)
    return f"{Decimal(value).quantize(quantum, ROUND_HALF_UP):f}".replace(".", ",")


def nl_weight(value: Decimal) -> str:
    """``Decimal('60.00')`` -> ``'60'``, ``Decimal('33.50')`` -> ``'33,5'``."""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


# ---------------------------------------------------------------- award letters


def award_letter_pdf(submission: Submission, kind: str) -> bytes:
    """The letter to one submission's provider about the provisional or definitive award.

    ``kind`` is ``"provisional"`` (voorlopige gunningsbeslissing), ``"definitive"``
    (definitieve gunning) or ``"admission"`` (the decision on an application to an open house
    or admission procedure). A submission without an outcome yet gets no letter (ValueError)."""
    if kind not in LETTER_KINDS:
        raise ValueError(f"kind is one of {', '.join(LETTER_KINDS)}, not {kind!r}")
    sub = Submission.objects.select_related("tender__region", "provider", "lot__segment").get(
        pk=submission.pk
    )
    if sub.outcome == Outcome.PENDING:
        raise ValueError("This submission has no outcome yet; there is no decision to send.")
    tender, region = sub.tender, sub.tender.region
    provisional = kind == "provisional"
    with translation.override("nl"):
        subject = {
            "provisional": _("Voorlopige gunningsbeslissing"),
            "definitive": _("Definitieve gunning"),
            "admission": _("Besluit op uw aanmelding"),
        }[kind]
        outcome_label = str(sub.get_outcome_display())
        lot_label = str(sub.lot)
        procedure_label = str(tender.get_procedure_type_display())
    letter_date = letter_date_of(sub, kind)
    ranked_in_lot = Submission.objects.filter(lot=sub.lot, rank__isnull=False).count()
    context = {
        "document_title": f"{subject} {tender.reference} – {sub.provider.name}",
        "region": region,
        "tender": tender,
        "submission": sub,
        "provider": sub.provider,
        "lot_label": lot_label,
        "procedure_label": procedure_label,
        "provisional": provisional,
        "admission": kind == "admission",
        "subject": subject,
        "outcome": sub.outcome,
        "outcome_label": outcome_label,
        "Outcome": {o.name: o.value for o in Outcome},
        "letter_date": letter_date,
        "our_reference": f"{tender.reference}/{sub.number:03d}",
        "rank": sub.rank,
        "ranked_in_lot": ranked_in_lot,
        "total_score": nl_decimal(sub.total_score) if sub.total_score is not None else "",
        "score_rows": _score_rows(sub) if tender.procedure_type in SCORED_TYPES else [],
        "scale_max": tender.score_scale_max,
        "objection_days": tender.objection_days,
        "objection_ends_on": standstill.standstill_ends_on(tender),
        "contract_start": tender.contract_start,
        "contract_follows": sub.outcome in (Outcome.AWARDED, Outcome.ADMITTED),
        "signatory": signatory_for(tender, region),
        **_standstill_context(sub, provisional),
    }
    return render_pdf("procurement/pdf/award_letter.html", context)


def letter_date_of(sub: Submission, kind: str):
    """The date of the letter ``kind`` to ``sub``: the voorlopige gunningsbeslissing is dated
    on the day the award decision was sent (the standstill period counts from it), once it
    was; every other letter on the day of the decision (``outcome_on``)."""
    if kind == "provisional" and sub.tender.objection_started_on:
        return sub.tender.objection_started_on
    return sub.outcome_on or timezone.localdate()


def _standstill_context(sub: Submission, provisional: bool) -> dict:
    """The winners of the lot and, for a scored bidder, the scores side by side with the
    relative advantages: in the voorlopige gunningsbeslissing to a bidder not awarded."""
    if not provisional or sub.outcome == Outcome.AWARDED:
        return {"winners": [], "comparisons": []}
    winners = standstill.lot_winners(sub)
    compared = standstill.compared_winners(winners)
    criteria, overview = standstill.overview(sub, winners)
    tables = []
    for comparison in standstill.comparisons(sub, compared):
        tables.append(
            {
                "winner": comparison.winner.provider.name,
                "own_total": nl_decimal(comparison.own_total),
                "winner_total": nl_decimal(comparison.winner_total),
                "rows": [
                    {
                        "name": row.name,
                        "weight": nl_weight(row.weight),
                        "own_score": nl_decimal(row.own_score, 1),
                        "own_points": nl_decimal(row.own_points),
                        "winner_score": nl_decimal(row.winner_score, 1),
                        "winner_points": nl_decimal(row.winner_points),
                        "advantage": row.advantage,
                    }
                    for row in comparison.rows
                ],
            }
        )
    return {
        "winners": [w.provider.name for w in winners],
        "comparisons": tables,
        "only_lowest_compared": len(compared) < len(winners),
        "overview_criteria": [
            {"number": n, "name": c.name, "weight": nl_weight(c.weight)}
            for n, c in enumerate(criteria, start=1)
        ],
        "overview": [
            {
                "name": row.name,
                "rank": row.rank,
                "scores": [nl_decimal(v, 1) for v in row.scores],
                "total": nl_decimal(row.total),
                "own": row.own,
            }
            for row in overview
        ],
    }


def _score_rows(sub: Submission) -> list[dict]:
    """The consensus score per award criterion, with weight and weighted points."""
    consensus = {c.criterion_id: c for c in sub.consensus.all()}
    if not consensus:
        return []
    scale = Decimal(sub.tender.score_scale_max)
    rows = []
    for criterion in sub.tender.criteria.all():
        score = consensus.get(criterion.pk)
        rows.append(
            {
                "name": criterion.name,
                "weight": nl_weight(criterion.weight),
                "score": nl_decimal(score.value, 1) if score else "",
                "points": nl_decimal(score.value * criterion.weight / scale) if score else "",
                "reason": score.reason if score else "",
            }
        )
    return rows


# ---------------------------------------------------------------- nota van inlichtingen


def qna_pdf(tender: Tender, number: int) -> bytes:
    """Nota van inlichtingen nr. ``number``: the questions published in it, with their answers.

    The askers stay anonymous: ``Question.asked_by`` does not reach the template, and an
    asker's name written in a question or answer of this nota is replaced by a placeholder. A
    number under which nothing was published raises ValueError."""
    tender = Tender.objects.select_related("region").get(pk=tender.pk)
    rows = list(
        Question.objects.filter(tender=tender, published_in=number)
        .order_by("number")
        .values("number", "reference", "text", "answer", "published_on", "asked_by__name")
    )
    if not rows:
        raise ValueError(f"Nothing was published in nota van inlichtingen nr. {number}.")
    with translation.override("nl"):
        placeholder = _("[aanbieder]")
    askers = {r["asked_by__name"] for r in rows if r["asked_by__name"]}
    questions = [
        {
            "number": r["number"],
            "reference": _redact(r["reference"], askers, placeholder),
            "text": _redact(r["text"], askers, placeholder),
            "answer": _redact(r["answer"], askers, placeholder),
            "published_on": r["published_on"],
        }
        for r in rows
    ]
    for q in questions:
        # Rows up to about half a page stay on one page; longer ones may run over pages.
        q["short"] = max(len(q["text"]), len(q["answer"])) <= _SHORT_TEXT_CHARS
    published_on = max((q["published_on"] for q in questions if q["published_on"]), default=None)
    with translation.override("nl"):
        title = _("Nota van inlichtingen nr. %(n)s") % {"n": number}
        procedure_label = str(tender.get_procedure_type_display())
    context = {
        "document_title": f"{title} – {tender.reference} {tender.title}",
        "title": title,
        "region": tender.region,
        "tender": tender,
        "procedure_label": procedure_label,
        "number": number,
        "questions": questions,
        "published_on": published_on or timezone.localdate(),
        "our_reference": f"{tender.reference}/NvI-{number}",
        "signatory": signatory_for(tender, tender.region),
    }
    return render_pdf("procurement/pdf/qna.html", context)


def _redact(text: str, names: set[str], placeholder: str) -> str:
    """``text`` with every one of ``names`` (case-insensitive) replaced by ``placeholder``."""
    for name in sorted(names, key=len, reverse=True):
        if len(name.strip()) >= 3:
            text = re.sub(re.escape(name.strip()), placeholder, text, flags=re.IGNORECASE)
    return text


# ---------------------------------------------------------------- nota van reactie


def response_note_pdf(framework: Framework) -> bytes:
    """Nota van reactie: the framework, its principles, and per municipality its view
    (zienswijze) with the region's response."""
    framework = Framework.objects.select_related("region").get(pk=framework.pk)
    views = list(framework.views.select_related("municipality").order_by("municipality__name"))
    silent = Municipality.objects.filter(region=framework.region).exclude(
        pk__in=[v.municipality_id for v in views]
    )
    with translation.override("nl"):
        title = _("Nota van reactie")
        status_label = str(framework.get_status_display())
    context = {
        "document_title": f"{title} – {framework.title}",
        "title": title,
        "region": framework.region,
        "framework": framework,
        "status_label": status_label,
        "principles": framework.principle_list,
        "views": [
            {"view": v, "short": len(v.view) + len(v.response) <= 2 * _SHORT_TEXT_CHARS}
            for v in views
        ],
        "silent_municipalities": [m.name for m in silent.order_by("name")],
        # Dated on the adoption (the decision), never on the day it is printed; before the
        # adoption it is a draft without a date (issue 21).
        "document_date": framework.adopted_on,
        "is_draft": framework.status != FrameworkStatus.ADOPTED,
        "our_reference": f"{framework.region.slug}/kader-{framework.pk}",
        "signatory": region_signatory(framework.region),
    }
    return render_pdf("procurement/pdf/response_note.html", context)


# ---------------------------------------------------------------- admission window decision


def window_decision_pdf(window: AdmissionWindow) -> bytes:
    """The decision record of one admission window: the procedure, the pre-agreed condition
    that holds (its code and full text, and whether it was agreed in the strategy or for the
    procedure), the decision with its reasons, who took it, and when the window opened and
    closed."""
    window = AdmissionWindow.objects.select_related(
        "tender__region", "tender__strategy", "condition__strategy", "opened_by"
    ).get(pk=window.pk)
    tender, condition = window.tender, window.condition
    with translation.override("nl"):
        title = _("Besluit tot openen van een toelatingsvenster")
        procedure_label = str(tender.get_procedure_type_display())
        source = (
            _("vooraf afgesproken in de inkoopstrategie ‘%(s)s’") % {"s": condition.strategy}
            if condition.strategy_id
            else _("vooraf afgesproken voor deze procedure")
        )
    opened_by = window.opened_by
    context = {
        "document_title": f"{title} – {tender.reference}",
        "title": title,
        "region": tender.region,
        "tender": tender,
        "procedure_label": procedure_label,
        "window": window,
        "condition": condition,
        "condition_source": source,
        "decided_by": (opened_by.get_full_name() or opened_by.username) if opened_by else "",
        "our_reference": f"{tender.reference}/venster-{window.pk}",
        "signatory": signatory_for(tender, tender.region),
    }
    return render_pdf("procurement/pdf/window_decision.html", context)


# ---------------------------------------------------------------- strategy overview


def strategy_overview_pdf(framework: Framework, rows) -> bytes:
    """The strategies under ``framework`` side by side for the board (A4 landscape): per
    regionally bought (sub-)segment, in the order of the segment tree, was → wordt for the
    procedure and the funding, planned start, term and maximum number of providers. ``rows``
    come from ``selectors.strategy_overview`` (in the caller's scope)."""
    framework = Framework.objects.select_related("region").get(pk=framework.pk)
    with translation.override("nl"):
        title = _("Overzicht inkoopstrategieën")
        lines = [_strategy_line(row) for row in rows]
    context = {
        "document_title": f"{title} – {framework.title}",
        "title": title,
        "region": framework.region,
        "framework": framework,
        "rows": lines,
        "with_strategy": sum(1 for row in rows if row.strategy is not None),
        "document_date": timezone.localdate(),
        "our_reference": f"{framework.region.slug}/kader-{framework.pk}/strategieen",
    }
    return render_pdf("procurement/pdf/strategy_overview.html", context)


def _strategy_line(row) -> dict:
    """One row of the overview as printed (labels in the active language)."""
    s = row.strategy
    line = {"segment": row.segment, "depth": row.depth, "strategy": s}
    if s is None:
        return line
    line.update(
        {
            "previous_procedure": (
                str(s.get_previous_procedure_type_display()) if s.previous_procedure_type else ""
            ),
            "procedure": str(s.get_procedure_type_display()),
            "previous_funding": ", ".join(s.previous_funding_model_labels()),
            "funding": ", ".join(s.funding_model_labels()),
            "procedure_changes": s.procedure_changes,
            "funding_changes": s.funding_changes,
        }
    )
    return line
