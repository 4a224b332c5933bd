"""Pages behind the dashboards: the coverage matrix, the KPI definitions and the drill-down to
the production lines behind every figure."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.views import generic
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from contracts.codes import Kpi
from core.export import Sheet, records_sheet
from core.ui.formatting import format_value, month_label
from core.ui.views import ExportMixin, RegionMixin
from monitoring.dashboards import selectors
from monitoring.dashboards.filters import kind_of, line_filterset
from monitoring.dashboards.tables import TABLES
from monitoring.dashboards.views import (
    DashboardMixin,
    figure_cell,
    is_region_staff,
)
from monitoring.imports.models import LINE_MODELS, DatasetKind
from monitoring.kpis.definitions import DEFINITIONS
from segments.models import Municipality


class CoverageView(DashboardMixin, generic.TemplateView):
    """Segments × municipalities: youths in care and the wait time against the norm."""

    template_name = "monitoring/coverage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        month, options = self.choose_month()
        context.update(self.month_context(month, options))
        context["title"] = _("Dekking en wachttijden")
        if month is not None:
            context["coverage"] = selectors.coverage(self.region, month, rollups=self.rollups)
            context["wait_definition"] = DEFINITIONS[Kpi.WAIT_TIME].definition
        return context

    def export_sheets(self, context) -> dict:
        """The matrix as a list: a row per segment and municipality."""
        coverage = context.get("coverage")
        if coverage is None:
            return {}

        def rows():
            for segment, cells, norm in coverage.rows:
                for municipality, cell in zip(coverage.municipalities, cells, strict=True):
                    if cell is None:
                        continue
                    yield [
                        str(segment),
                        municipality.name,
                        figure_cell(cell.youths),
                        figure_cell(cell.wait),
                        norm.norm if norm else None,
                        str(cell.level or ""),
                    ]

        return {
            "dekking": Sheet(
                title=f"{_('Dekking')} {coverage.month:%Y-%m}",
                header=[
                    _("Segment"),
                    _("Gemeente"),
                    _("Unieke jeugdigen"),
                    _("Gemiddelde wachttijd (dagen)"),
                    _("Norm wachttijd"),
                    _("Niveau"),
                ],
                rows=list(rows()),
            )
        }


class DefinitionsView(DashboardMixin, generic.TemplateView):
    template_name = "monitoring/definitions.html"
    region_roles_only = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("KPI-definities")
        context["definitions"] = selectors.definitions(self.region)
        return context

    def export_sheets(self, context) -> dict:
        columns = [
            (_("KPI"), "label"),
            (_("Eenheid"), "unit"),
            (_("Gebruikelijke richting"), "direction"),
            (_("Definitie"), "definition"),
            (_("Formule"), "formula"),
            (_("Regels"), "source"),
            (_("Eigen KPI van de regio"), "regional"),
        ]
        return {"kpis": records_sheet(_("KPI-definities"), columns, context["definitions"])}


#: the most lines whose unique clients the drill-down counts when its totals come from the
#: rollups (a month of a provider, contract or municipality; not a whole region's month)
CLIENTS_MAX_LINES = 25_000


# --- drill-down --------------------------------------------------------------------------------


class LinesView(ExportMixin, RegionMixin, SingleTableMixin, FilterView):
    """The production lines a figure is made of: active lines only, filtered as the figure's
    link says, with the totals computed in the database."""

    template_name = "monitoring/lines.html"
    # the table paginates (with the count of ``totals``); the ListView does not count again
    paginate_by = None
    table_pagination = {"per_page": 50}

    def get_export_table_kwargs(self) -> dict:
        """Every column: a download stands on its own, without the sentence that names the
        filter (the page leaves out the columns the filter pins down)."""
        return {}

    def get_export_name(self) -> str:
        return f"{_('productieregels')}-{DatasetKind(self.kind).label}"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.kind = kind_of(request.GET.get("soort"))
        self.model = LINE_MODELS[DatasetKind(self.kind)]

    def get_filterset_class(self):
        return line_filterset(self.kind)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs.update(region=self.region, user=self.request.user)
        return kwargs

    def get_queryset(self):
        related = ["contract__provider"]
        if hasattr(self.model, "municipality"):
            related.append("municipality")
        if hasattr(self.model, "product"):
            related.append("product")
        if hasattr(self.model, "measurement_kind"):
            related.append("measurement_kind")
        return (
            self.model.objects.visible_to(self.request.user)
            .filter(region=self.region, active=True)
            .select_related(*related)
        )

    def get_table_class(self):
        return TABLES[DatasetKind(self.kind)]

    def get_table_kwargs(self):
        """Columns the filter already pins down are left out (the sentence names them)."""
        data = self.filterset.form.cleaned_data if self.filterset.form.is_valid() else {}
        exclude = []
        if data.get("aanbieder") or data.get("contract"):
            exclude.append("provider")
        if data.get("contract"):
            exclude.append("contract")
        if data.get("maand") and self.kind in (DatasetKind.DECLARATIONS, DatasetKind.OCCUPANCY):
            exclude.append("month")
        if data.get("gemeente"):
            exclude.append("municipality")
        return {"exclude": exclude}

    def get_table(self, **kwargs):
        """The table, paginated with the count of :meth:`totals` (no COUNT of its own)."""
        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        table.data._length = self.totals()["lines"]
        return RequestConfig(self.request, paginate=self.get_table_pagination(table)).configure(
            table
        )

    def totals(self) -> dict:
        """The figures of the sentence, computed once per request.

        - lines and amount: from the KPI rollups when the filter is one of a rollup grain's
          and the reader sees the whole region (:func:`selectors.line_totals_from_rollups`),
          so they equal the dashboard figure that links here; otherwise one aggregate query
          over the matching lines, whose count also paginates the table;
        - unique clients: only for one month (a dashboard's youths figure is a month's; over
          a range they would need a count of every matching line), and with totals from the
          rollups only up to ``CLIENTS_MAX_LINES`` lines — ``None`` otherwise."""
        if hasattr(self, "_totals"):
            return self._totals
        form = self.filterset.form
        valid = not form.is_bound or form.is_valid()  # unbound: no filter at all
        data = form.cleaned_data if form.is_bound and valid else {}
        first, last = self.filterset.period() if data else (None, None)
        one_month = first is not None and first == last
        qs = self.object_list.order_by()
        totals = None
        if valid and is_region_staff(self.request.user, self.region):
            totals = selectors.line_totals_from_rollups(self.region, self.kind, data, first, last)
        aggregates = {}
        if totals is None:
            aggregates["lines"] = Count("pk")
            if self.kind == DatasetKind.DECLARATIONS:
                aggregates["amount"] = Sum("amount")
            if self.kind == DatasetKind.OCCUPANCY:
                aggregates["occupied_days"] = Sum("occupied_days")
                aggregates["places"] = Sum("places")
        # a month's lines of the filter; from the rollups only up to a bound, so the page's
        # cost does not grow with the region (its youths are on the dashboard)
        bounded = totals is None or totals["lines"] <= CLIENTS_MAX_LINES
        if self.kind != DatasetKind.OCCUPANCY and one_month and bounded:
            aggregates["clients"] = Count("client_key", distinct=True)
        computed = qs.aggregate(**aggregates) if aggregates else {}
        self._totals = {**(totals or {}), **computed}
        self._totals.setdefault("clients", None)
        return self._totals

    def sentence(self, totals: dict) -> str:
        data = self.filterset.form.cleaned_data if self.filterset.form.is_valid() else {}
        kind_label = str(DatasetKind(self.kind).label)
        if self.kind == DatasetKind.TRAJECTORIES:
            count = data.get("telling") or "lopend"
            kind_label = {
                "lopend": _("Lopende trajecten"),
                "gestart": _("Gestarte trajecten"),
                "beeindigd": _("Beëindigde trajecten"),
            }[count]
        if self.kind == DatasetKind.OUTCOMES and data.get("moment"):
            kind_label += " (" + str(data["moment"]) + ")"
        if self.kind == DatasetKind.OUTCOMES and data.get("meting"):
            kind_label += " " + _("met meting %(kind)s") % {"kind": data["meting"].name}
        parts = [kind_label]
        if data.get("contract"):
            contract = data["contract"]
            parts.append(
                _("van contract %(ref)s (%(provider)s)")
                % {"ref": contract.reference, "provider": contract.provider.name}
            )
        elif data.get("aanbieder"):
            parts.append(_("van %(provider)s") % {"provider": data["aanbieder"].name})
        if data.get("segment"):
            parts.append(_("in segment %(segment)s") % {"segment": data["segment"]})
        if data.get("gemeente"):
            parts.append(_("in %(municipality)s") % {"municipality": data["gemeente"].name})
        first, last = self.filterset.period()
        if first and first == last:
            parts.append(_("in %(month)s") % {"month": month_label(first)})
        elif first and last:
            parts.append(
                _("van %(first)s tot en met %(last)s")
                % {"first": month_label(first), "last": month_label(last)}
            )
        elif first:
            parts.append(_("vanaf %(first)s") % {"first": month_label(first)})
        elif last:
            parts.append(_("tot en met %(last)s") % {"last": month_label(last)})
        counts = [
            _("%(n)s regels") % {"n": format_value(totals["lines"], "aantal")}
            if totals["lines"] != 1
            else _("1 regel")
        ]
        if "amount" in totals:
            counts.append(format_value(totals["amount"] or 0, "euro"))
        if totals.get("clients") is not None and self.kind != DatasetKind.OCCUPANCY:
            counts.append(
                _("%(n)s unieke cliënten") % {"n": format_value(totals["clients"], "aantal")}
            )
        if "occupied_days" in totals:
            counts.append(
                _("%(n)s bezette dagen")
                % {"n": format_value(totals["occupied_days"] or 0, "cijfer")}
            )
        return f"{' '.join(str(p) for p in parts)}: {', '.join(str(c) for c in counts)}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        totals = self.totals()
        context.update(
            title=_("Productieregels"),
            kind=self.kind,
            totals=totals,
            sentence=self.sentence(totals),
            result_count=totals["lines"],
            staff=is_region_staff(self.request.user, self.region),
        )
        if not context["staff"]:
            context["own_municipalities"] = list(
                Municipality.objects.visible_to(self.request.user)
                .filter(region=self.region)
                .order_by("name")
            )
        return context
