"""The portal's steering pages: the provider's own dashboard (the tiles and charts of the
contract manager's provider dashboard, for ``self.provider``), its signals, and its
performance dialogues with the agreed actions, on which it posts progress.

Everything is read through the user's scope (``visible_to``) and then narrowed to the
provider of the URL; another provider's signal, dialogue, action or progress is a 404.

- **Dashboard**: the provider's own rollup rows (``KpiRollup.scope_provider_q``), not
  suppressed (its own clients), and the benchmark of ``selectors.benchmark_rollups`` (the
  segment's, or the region's when the provider works in several segments) only in months in
  which at least three providers make it up, small cells suppressed. No drill-down links: the
  lines page is for the region's staff, and the figures are shown as text.
- **Signals**: level, KPI, contract, month, value, norm, message and status; never the
  region's handling note (it lives in the audit trail of the region).
- **Dialogues**: planned and held; the agenda, the report (verslag) of a held dialogue, the
  actions with their follow-up and the progress posts; a form per open action.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import generic

from contracts.codes import Kpi
from contracts.models import Contract
from core.export import records_sheet
from core.files import DOCUMENT_KINDS, human_size, max_upload_bytes, serve
from core.ui.formatting import format_date, month_label
from core.ui.forms import add_service_errors
from core.ui.views import SheetExportMixin
from monitoring.dashboards import charts, selectors
from monitoring.dashboards.selectors import Subject, parse_month
from monitoring.dashboards.views import figures_sheet
from monitoring.kpis import definitions as kpis
from monitoring.kpis.definitions import DEFINITIONS, format_figure
from monitoring.kpis.models import KpiRollup
from monitoring.steering import alerts, dialogues
from monitoring.steering.models import (
    ActionStatus,
    DialogueAction,
    DialogueActionProgress,
    DialogueStatus,
    Level,
    PerformanceDialogue,
    Signal,
    SignalSource,
    SignalStatus,
)

from .forms_steering import ActionProgressForm
from .views import PortalMixin

DEFAULT_CHART_KPI = Kpi.WAIT_TIME
OPEN_SIGNALS = (SignalStatus.OPEN, SignalStatus.ON_AGENDA)


# ---------------------------------------------------------------- reads


def own_rollups(user, provider):
    """The provider's own rollup rows, through the scope."""
    return KpiRollup.objects.visible_to(user).filter(region_id=provider.region_id)


def own_signals(user, provider):
    return Signal.objects.visible_to(user).filter(provider=provider)


def own_dialogues(user, provider):
    return PerformanceDialogue.objects.visible_to(user).filter(provider=provider)


def own_actions(user, provider):
    return DialogueAction.objects.visible_to(user).filter(dialogue__provider=provider)


def headline(user, provider) -> dict:
    """The overview's panel: open signals (by level), open actions soonest due first, and the
    latest month's unique youths and wait time of the provider."""
    signals = own_signals(user, provider).filter(status__in=OPEN_SIGNALS)
    counts = signals.aggregate(
        total=Count("pk"),
        red=Count("pk", filter=Q(level="red")),
        amber=Count("pk", filter=Q(level="amber")),
    )
    today = timezone.localdate()
    actions = list(
        own_actions(user, provider)
        .filter(status=ActionStatus.OPEN)
        .select_related("dialogue")
        .order_by("due_on", "pk")[:5]
    )
    region = provider.region
    subject = Subject.provider(provider)
    rollups = own_rollups(user, provider)
    month = selectors.latest_month(region, subject, rollups=rollups)
    figures = []
    if month is not None:
        measures = selectors.measures_by_month(region, subject, [month], rollups=rollups)[month]
        for code in (Kpi.UNIQUE_YOUTHS, Kpi.WAIT_TIME):
            figures.append(
                {
                    "label": kpis.definition(code).label,
                    "figure": selectors.kpi_figure(code, measures),
                }
            )
    return {
        "signals": counts,
        "actions": [{"action": a, "overdue": dialogues.is_overdue(a, today)} for a in actions],
        "month": month,
        "month_label": month_label(month) if month else "",
        "figures": figures,
    }


# ---------------------------------------------------------------- the dashboard


class DashboardView(SheetExportMixin, PortalMixin, generic.TemplateView):
    """The provider's own KPI tiles, trend chart, spend against budget and figures per
    contract, with its segment benchmark and the month selector."""

    template_name = "portal/steering/dashboard.html"
    portal_section = "dashboard"

    @cached_property
    def rollups(self):
        return own_rollups(self.request.user, self.provider)

    def chart_codes(self) -> list[str]:
        codes = selectors.tile_kpis(self.region)[0]
        return [k for k in codes if k != Kpi.SPEND_VS_BUDGET]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, provider, region = self.request.user, self.provider, self.region
        subject = Subject.provider(provider)
        options = selectors.data_months(region, subject, rollups=self.rollups)
        asked = parse_month(self.request.GET.get("maand"))
        month = asked or (options[0] if options else None)
        if month is not None and month not in options:
            options = sorted([*options, month], reverse=True)
        context.update(
            title=_("Dashboard"),
            no_drilldown=True,
            subject=subject,
            month=month,
            month_label=month_label(month) if month else "",
            month_options=[(selectors.month_param(m), month_label(m)) for m in options],
            selected_month=selectors.month_param(month) if month else "",
            has_data=bool(options),
            open_signals=own_signals(user, provider).filter(status__in=OPEN_SIGNALS).count(),
            min_providers=selectors.BENCHMARK_MIN_PROVIDERS,
        )
        if month is None:
            return context
        contracts = Contract.objects.visible_to(user)
        basis = selectors.provider_basis(region, provider, month, contracts=contracts)
        rollups = self.rollups
        if basis.benchmark is not None:
            rollups = rollups | selectors.benchmark_rollups(region, basis.benchmark)
        spend = selectors.spend_against_budget(
            region, subject, month, contracts=contracts, rollups=self.rollups
        )
        tiles = selectors.build_tiles(
            region,
            subject,
            month,
            rollups=rollups,
            norms=basis.norms,
            benchmark=basis.benchmark,
            benchmark_label=basis.benchmark_label,
            benchmark_suppressed=True,
            spend=spend,
            kpi_codes=selectors.tile_kpis(region)[0],
        )
        codes = self.chart_codes()
        asked_kpi = self.request.GET.get("kpi")
        chart_kpi = asked_kpi if asked_kpi in codes else DEFAULT_CHART_KPI
        chart_tile = next((t for t in tiles if t.kpi == chart_kpi), None)
        rows = selectors.contract_rows(region, month, provider=provider, rollups=self.rollups)
        for row in rows:
            row.extra.update(name=row.obj.reference, href="")
        context.update(
            basis=basis,
            tiles=tiles,
            spend=spend,
            spend_chart=charts.spend_chart(
                spend.monthly,
                budget=spend.budget,
                run_out=spend.run_out,
                title=_("Besteding %(year)s van %(subject)s tegen het budget")
                % {"year": spend.year, "subject": provider.name},
            ),
            chart_kpi=chart_kpi,
            chart_kpis=[kpis.definition(k) for k in codes],
            chart_tile=chart_tile,
            trend_chart=self.trend_chart(chart_tile, provider.name),
            key=self.key_figures(subject, month),
            contracts=rows,
            table_kpis=[DEFINITIONS[k] for k in selectors.TABLE_KPIS],
        )
        return context

    def export_sheets(self, context) -> dict:
        """The table per contract, as the staff's provider dashboard downloads it."""
        if not context.get("contracts"):
            return {}
        return {
            "contracten": figures_sheet(
                f"{_('Contracten')} {self.provider.name} {context['month']:%Y-%m}",
                _("Contract"),
                context["contracts"],
                context["table_kpis"],
            )
        }

    def trend_chart(self, tile, subject_label: str):
        if tile is None:
            return None
        return charts.line_chart(
            tile.trend,
            title=_("%(kpi)s van %(subject)s, 12 maanden")
            % {"kpi": tile.label, "subject": subject_label},
            y_label=tile.label,
            series_label=subject_label,
            unit=tile.unit,
            norm=tile.norm.norm if tile.norm else None,
            benchmark=tile.benchmark_trend or None,
            benchmark_label=tile.benchmark_label or None,
        )

    def key_figures(self, subject, month) -> dict:
        measures = selectors.measures_by_month(
            self.region, subject, [month], rollups=self.rollups
        ).get(month, selectors.Measures())
        return {
            "amount": selectors.amount_figure(measures, subject=subject, month=month),
            "lines": selectors.Figure(measures.declaration_lines, "aantal"),
            "youths": selectors.kpi_figure(Kpi.UNIQUE_YOUTHS, measures),
            "trajectories": selectors.kpi_figure(Kpi.TRAJECTORIES, measures),
        }


# ---------------------------------------------------------------- signals


def signal_row(signal) -> dict:
    finance = signal.source == SignalSource.FINANCE
    return {
        "signal": signal,
        "topic": alerts.topic_label(signal.topic),
        "period": str(signal.period.year) if finance else month_label(signal.period),
        "value": format_figure(signal.topic, signal.value),
        "norm": format_figure(signal.topic, signal.norm) if signal.norm is not None else "",
    }


class SignalListView(SheetExportMixin, PortalMixin, generic.TemplateView):
    """The provider's signals: the open and scheduled ones, then the handled ones (paged)."""

    template_name = "portal/steering/signals.html"
    portal_section = "signals"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        signals = own_signals(self.request.user, self.provider).select_related("contract")
        open_signals = signals.filter(status__in=OPEN_SIGNALS).order_by("-period", "topic", "pk")
        closed = signals.filter(status=SignalStatus.CLOSED).order_by("-period", "topic", "pk")
        page = Paginator(closed, 25).get_page(self.request.GET.get("page"))
        context.update(
            title=_("Signalen"),
            open_rows=[signal_row(s) for s in open_signals],
            closed_rows=[signal_row(s) for s in page.object_list],
            page_obj=page,
        )
        self.signal_lists = (open_signals, closed)
        return context

    def export_sheets(self, context) -> dict:
        """Every signal, open ones first (the handled ones not paged)."""
        columns = [
            (_("Niveau"), lambda r: Level(r["signal"].level).label if r["signal"].level else None),
            (_("KPI of toets"), "topic"),
            (
                _("Contract"),
                lambda r: r["signal"].contract.reference if r["signal"].contract else None,
            ),
            (_("Periode"), "period"),
            (_("Waarde"), "value"),
            (_("Norm"), "norm"),
            (_("Melding"), lambda r: r["signal"].message),
            (_("Status"), lambda r: r["signal"].get_status_display()),
        ]
        rows = (signal_row(s) for signals in self.signal_lists for s in signals.iterator())
        return {"signalen": records_sheet(_("Signalen"), columns, rows)}


# ---------------------------------------------------------------- dialogues


class DialogueListView(SheetExportMixin, PortalMixin, generic.TemplateView):
    template_name = "portal/steering/dialogues.html"
    portal_section = "dialogues"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rows = own_dialogues(self.request.user, self.provider).annotate(
            open_actions=Count(
                "actions", filter=Q(actions__status=ActionStatus.OPEN), distinct=True
            ),
            overdue_actions=Count(
                "actions",
                filter=Q(actions__status=ActionStatus.OPEN, actions__due_on__lt=today),
                distinct=True,
            ),
        )
        actions = (
            own_actions(self.request.user, self.provider)
            .filter(status=ActionStatus.OPEN)
            .select_related("dialogue")
            .order_by("due_on", "pk")
        )
        context.update(
            title=_("Prestatiedialogen"),
            dialogues=rows.order_by("-scheduled_on", "-pk"),
            open_actions=[
                {"action": a, "overdue": dialogues.is_overdue(a, today)} for a in actions
            ],
        )
        return context

    def export_sheets(self, context) -> dict:
        return {
            "acties": records_sheet(
                _("Open acties"),
                [
                    (_("Afspraak"), "action.description"),
                    (_("Eigenaar"), "action.owner"),
                    (_("Uiterlijk"), "action.due_on"),
                    (_("Verlopen"), "overdue"),
                    (_("Gesprek"), "action.dialogue.scheduled_on"),
                ],
                context["open_actions"],
            ),
            "gesprekken": records_sheet(
                _("Prestatiedialogen"),
                [
                    (_("Datum"), "scheduled_on"),
                    (_("Status"), "get_status_display"),
                    (_("Open acties"), "open_actions"),
                    (_("Verlopen"), "overdue_actions"),
                ],
                context["dialogues"],
            ),
        }


class DialogueObjectMixin(PortalMixin):
    """``self.dialogue``: a dialogue of the provider of the URL, through the scope."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.dialogue = get_object_or_404(
            own_dialogues(request.user, self.provider), pk=kwargs["pk"]
        )


class DialogueDetailView(DialogueObjectMixin, generic.TemplateView):
    template_name = "portal/steering/dialogue_detail.html"
    portal_section = "dialogues"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        user = self.request.user
        progress = DialogueActionProgress.objects.visible_to(user).select_related("posted_by")
        actions = (
            DialogueAction.objects.visible_to(user)
            .filter(dialogue=self.dialogue)
            .prefetch_related(Prefetch("progress", queryset=progress))
            .order_by("due_on", "pk")
        )
        context.update(
            title=_("Prestatiedialoog %(day)s") % {"day": format_date(self.dialogue.scheduled_on)},
            dialogue=self.dialogue,
            held=self.dialogue.status == DialogueStatus.HELD,
            agenda=dialogues.group_agenda(
                list(self.dialogue.agenda.select_related("signal").order_by("position"))
            ),
            actions=[
                {"action": a, "overdue": dialogues.is_overdue(a, today), "posts": a.progress.all()}
                for a in actions
            ],
        )
        return context


class ActionProgressView(DialogueObjectMixin, generic.FormView):
    """Post progress on one action of the dialogue: a text and optionally a file."""

    template_name = "portal/steering/action_progress.html"
    form_class = ActionProgressForm
    portal_section = "dialogues"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.action = get_object_or_404(
            DialogueAction.objects.visible_to(request.user).filter(dialogue=self.dialogue),
            pk=kwargs["action"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=_("Voortgang melden"),
            dialogue=self.dialogue,
            action=self.action,
            closed=self.action.status != ActionStatus.OPEN,
            posts=DialogueActionProgress.objects.visible_to(self.request.user)
            .filter(action=self.action)
            .select_related("posted_by"),
            allowed_kinds=", ".join(k.label for k in DOCUMENT_KINDS),
            max_size=human_size(max_upload_bytes()),
        )
        return context

    def form_valid(self, form):
        try:
            dialogues.dialogue_action_progress_post(
                action=self.action,
                user=self.request.user,
                text=form.cleaned_data["text"],
                file=form.cleaned_data.get("file"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Uw voortgang is gemeld bij de regio."))
        return redirect(
            f"{self.dialogue_url()}#actie-{self.action.pk}",
        )

    def dialogue_url(self) -> str:
        return reverse(
            "portal:dialogue", kwargs={"provider": self.provider.pk, "pk": self.dialogue.pk}
        )


class ProgressFileView(DialogueObjectMixin, generic.View):
    """A file posted with progress, after finding it through the scope."""

    def get(self, request, *args, **kwargs):
        progress = get_object_or_404(
            DialogueActionProgress.objects.visible_to(request.user).filter(
                action__dialogue=self.dialogue
            ),
            pk=kwargs["progress"],
        )
        if not progress.file:
            raise Http404
        return serve(progress.file)
