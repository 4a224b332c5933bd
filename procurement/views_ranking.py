"""Scoring and its outcome: the committee's scores per submission, the ranking per lot with its
chart and download, and the coverage of care forms by the awards (per procedure and per
segment)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import generic

from core.export import records_sheet
from core.ui.charts import strip_chart
from core.ui.forms import error_messages as _errors
from core.ui.views import RegionMixin, SheetExportMixin
from procurement.views_tender import TenderChildMixin, weight_text
from segments.models import Segment

from . import forms, scoring, selectors, services
from .codes import SCORED_TYPES


class ScoreView(TenderChildMixin, generic.FormView):
    """One assessor's score sheet (``consensus``: the committee's agreed scores)."""

    needs = "assess"
    form_class = forms.ScoreSheetForm
    template_name = "procurement/score_form.html"
    consensus = False

    def dispatch(self, request, *args, **kwargs):
        if self.consensus:
            self.needs = "edit"
        return super().dispatch(request, *args, **kwargs)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = self.submission(kwargs["pk"])

    def get_form_kwargs(self):
        sub = self.object
        criteria = sub.tender.criteria.all()
        if self.consensus:
            existing = {c.criterion_id: (c.value, c.reason) for c in sub.consensus.all()}
            by_criterion = {}
            for s in sub.scores.all():
                by_criterion.setdefault(s.criterion_id, []).append(s.value)
            suggestions = {k: scoring.mean_score(v) for k, v in by_criterion.items()}
        else:
            existing = {
                s.criterion_id: (s.value, s.reason)
                for s in sub.scores.filter(assessor=self.request.user)
            }
            suggestions = {}
        return {
            **super().get_form_kwargs(),
            "criteria": criteria,
            "scale_max": self.tender.score_scale_max,
            "existing": existing,
            "suggestions": suggestions,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["consensus"] = self.consensus
        context["title"] = (
            _("Consensusscore: %(s)s") if self.consensus else _("Uw beoordeling: %(s)s")
        ) % {"s": self.object}
        if self.consensus:
            context["scores"] = self.object.scores.select_related("criterion", "assessor")
        return context

    def form_valid(self, form):
        try:
            if self.consensus:
                services.submission_record_consensus(submission=self.object, rows=form.rows())
            else:
                services.submission_record_scores(
                    submission=self.object, assessor=self.request.user, rows=form.rows()
                )
        except ValidationError as exc:
            for e in _errors(exc):
                form.add_error(None, e)
            return self.form_invalid(form)
        messages.success(self.request, _("Scores opgeslagen."))
        return redirect(self.object)


def score_chart(tender, criteria, rows):
    """Per award criterion the consensus scores of the ranked submissions as dots on the scale,
    with the median (None without criteria or scores): the table beside it holds the figures."""
    if not criteria or not any(v is not None for row in rows for v in row["scores"]):
        return None
    return strip_chart(
        [(c.name, [row["scores"][i] for row in rows]) for i, c in enumerate(criteria)],
        title=_("Spreiding van de consensusscores per criterium, %(tender)s")
        % {"tender": tender.reference},
        scale_max=tender.score_scale_max,
        dot_label=_("Consensusscore van een inschrijving"),
        uid="ranking-scores",
    )


class RankingView(SheetExportMixin, TenderChildMixin, generic.TemplateView):
    needs = "confidential"
    template_name = "procurement/ranking.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.tender.procedure_type not in SCORED_TYPES:
            raise Http404
        # through restrict(): a sealed tender's submissions are not ranked before its deadline
        criteria, rows = selectors.ranking_table(self.tender, user=self.request.user)
        context.update(criteria=criteria, rows=rows, title=_("Rangschikking"))
        context["cutoff"] = self.tender.preselection_count
        context["score_chart"] = score_chart(self.tender, criteria, rows)
        return context

    def export_sheets(self, context) -> dict:
        """The page's table: the consensus score per criterion (empty where the page shows a
        dash), the total, the tie note and the outcome."""

        def score(index):
            return lambda row: row["scores"][index]

        columns = [
            (_("Rang"), "submission.rank"),
            (_("Inschrijver"), "submission.provider.name"),
            *(
                (f"{c.name} ({weight_text(c.weight)}%)", score(i))
                for i, c in enumerate(context["criteria"])
            ),
            (_("Totaal (van 100)"), "total"),
            (_("Gelijke stand"), "submission.tie_note"),
            (_("Gepreselecteerd"), "submission.preselected"),
            (_("Uitkomst"), "submission.get_outcome_display"),
        ]
        title = _("Rangschikking %(tender)s") % {"tender": self.tender.reference}
        return {"rangschikking": records_sheet(title, columns, context["rows"])}


class CoverageView(TenderChildMixin, generic.TemplateView):
    template_name = "procurement/coverage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Dekking")
        context["matrices"] = [
            (
                lot,
                selectors.coverage_matrix(
                    user=self.request.user, region=self.region, segment=lot.segment
                ),
            )
            for lot in self.tender.lots.select_related("segment")
        ]
        return context


class SegmentCoverageView(RegionMixin, generic.TemplateView):
    model = Segment
    template_name = "procurement/coverage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        segment = get_object_or_404(self.scoped_queryset(), pk=kwargs["pk"])
        context["title"] = _("Dekking %(s)s") % {"s": segment}
        context["segment"] = segment
        context["matrices"] = [
            (
                segment,
                selectors.coverage_matrix(
                    user=self.request.user, region=self.region, segment=segment
                ),
            )
        ]
        return context
