"""Monitoring dashboards: region, provider, segment, municipality, coverage; the drill-down list
of production lines behind every figure; and the KPI definitions.

The dashboards read rollups (``monitoring.dashboards.selectors``), never production lines.
Figures of the region, a provider, a segment and the coverage matrix are built from every
municipality's
production: region roles only (a municipal user gets a 403). A municipal user sees the page of
its own municipality (others are a 404), with small cells suppressed, and the lines of its own
municipality. Every figure links to the lines it is made of.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import generic

from contracts.codes import Kpi
from contracts.models import Contract
from core.export import Sheet
from core.roles import ALL_REGION_ROLES
from core.scoping import scope_for
from core.ui.formatting import month_label
from core.ui.views import RegionMixin, SheetExportMixin
from monitoring.dashboards import charts, selectors
from monitoring.dashboards.selectors import Subject, parse_month
from monitoring.kpis import definitions as kpis
from monitoring.kpis import regional
from monitoring.kpis.definitions import DEFINITIONS
from monitoring.kpis.models import KpiRollup
from monitoring.steering.models import Signal
from monitoring.steering.norms import judge, segment_norms
from providers.models import Provider
from segments.models import Municipality, Segment

DEFAULT_CHART_KPI = Kpi.WAIT_TIME
CHART_KPIS = [k for k in selectors.TILE_KPIS if k != Kpi.SPEND_VS_BUDGET]
PROVIDER_TABLE_KPIS = [Kpi.UNIQUE_YOUTHS, Kpi.COST_PER_CLIENT, Kpi.WAIT_TIME, Kpi.DROPOUT]


def is_region_staff(user, region) -> bool:
    """Region roles (and superusers); never municipal users."""
    return scope_for(user).has_role(region.pk, ALL_REGION_ROLES)


def lines_url(region, query: dict) -> str:
    url = reverse("monitoring:lines", kwargs={"region": region.slug})
    return f"{url}?{urlencode(query)}" if query else url


def figure_cell(fig):
    """A figure as a spreadsheet cell: its number, or the page's text when the small-cell rule
    hides it (``< 5``, ``—``): a suppressed figure stays suppressed in a download."""
    if fig is None:
        return None
    if fig.small:
        return fig.text
    return fig.value


def figures_sheet(title: str, first_header: str, rows, table_kpis, *, before=()) -> Sheet:
    """A table of figures (``dashboard_rows.html``) as a sheet: the row's name, the declared
    amount and a column per KPI; ``before`` adds columns ``(header, function of the row)``
    after the name."""
    header = [first_header, *(h for h, _f in before), _("Gedeclareerd")]
    header += [str(d.label) for d in table_kpis]

    def line(row):
        cells = [row.extra.get("name", str(row.obj)), *(f(row) for _h, f in before)]
        if row.extra.get("empty"):
            return [*cells, _("geen productie in deze maand")]
        cells.append(figure_cell(row.amount))
        return cells + [figure_cell(row.figures.get(d.code)) for d in table_kpis]

    return Sheet(title=title, header=header, rows=[line(r) for r in rows])


class DashboardMixin(SheetExportMixin, RegionMixin):
    """Region from the URL, the month asked for (``?maand=YYYY-MM``, default the latest with
    data) and, unless ``region_roles_only`` is off, a 403 for users without a region role.
    Its tables download as CSV and Excel (``export_sheets``)."""

    model = KpiRollup
    region_roles_only = True
    template_name = "monitoring/dashboard_region.html"

    def dispatch(self, request, *args, **kwargs):
        if (
            request.user.is_authenticated
            and self.region_roles_only
            and not is_region_staff(request.user, self.region)
        ):
            raise PermissionDenied(
                _(
                    "Deze cijfers zijn gemaakt uit de productie van alle gemeenten en zijn "
                    "alleen voor medewerkers van de regio. Bekijk de pagina van uw gemeente."
                )
            )
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def rollups(self):
        return KpiRollup.objects.visible_to(self.request.user).filter(region=self.region)

    @cached_property
    def staff(self) -> bool:
        return is_region_staff(self.request.user, self.region)

    def choose_month(self, subject: Subject | None = None):
        options = selectors.data_months(self.region, subject, rollups=self.rollups)
        asked = parse_month(self.request.GET.get("maand"))
        month = asked or (options[0] if options else None)
        if month is not None and month not in options:
            options = sorted([*options, month], reverse=True)
        return month, options

    @cached_property
    def own_kpis(self) -> list:
        """The region's own KPIs (definitions), after the built-in ones everywhere."""
        return regional.for_region(self.region.pk)

    def chart_codes(self, first=()) -> list[str]:
        codes = [*first, *CHART_KPIS, *(d.code for d in self.own_kpis)]
        return list(dict.fromkeys(k for k in codes if k != Kpi.SPEND_VS_BUDGET))

    def chart_kpi(self, default=DEFAULT_CHART_KPI) -> str:
        asked = self.request.GET.get("kpi")
        return asked if asked in self.chart_codes() else default

    def month_context(self, month, options) -> dict:
        return {
            "month": month,
            "month_label": month_label(month) if month else "",
            "month_options": [(selectors.month_param(m), month_label(m)) for m in options],
            "selected_month": selectors.month_param(month) if month else "",
            "has_data": bool(options),
        }

    def href(self, query: dict) -> str:
        return lines_url(self.region, query)

    def label_rows(self, rows, kind: str):
        """Each row's name and the dashboard it links to (region roles only)."""
        slug = self.region.slug
        for row in rows:
            obj, href = row.obj, ""
            if kind == "provider":
                name = obj.name
                href = reverse("monitoring:provider", args=[slug, obj.pk])
            elif kind == "contract":
                name = f"{obj.provider.name} · {obj.reference}"
                href = reverse("monitoring:provider", args=[slug, obj.provider_id])
            else:
                name = str(obj)
                href = reverse("monitoring:segment", args=[slug, obj.pk])
            row.extra.update(name=name, href=href if self.staff else "")
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["staff"] = self.staff
        if not self.staff:
            context["own_municipalities"] = list(
                Municipality.objects.visible_to(self.request.user)
                .filter(region=self.region)
                .order_by("name")
            )
        return context

    def trend_chart(self, tile, subject_label: str):
        if tile is None:
            return None
        links = {
            m: self.href(selectors.drill_query(self.subject, month=m, kpi=tile.kpi))
            for m, _v in tile.trend
        }
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
            links=links,
        )

    def spend_svg(self, spend, subject_label: str):
        links = {m: self.href(q) for m, q in spend.month_queries.items()}
        return charts.spend_chart(
            spend.monthly,
            budget=spend.budget,
            run_out=spend.run_out,
            title=_("Besteding %(year)s van %(subject)s tegen het budget")
            % {"year": spend.year, "subject": subject_label},
            links=links,
        )

    def key_figures(self, subject: Subject, month, *, suppressed=False) -> dict:
        """The month's declared amount, declaration lines and youths of the subject."""
        measures = selectors.measures_by_month(
            self.region, subject, [month], rollups=self.rollups
        ).get(month, selectors.Measures())
        return {
            "amount": selectors.amount_figure(
                measures, subject=subject, month=month, suppressed=suppressed
            ),
            "lines": selectors.Figure(
                measures.declaration_lines,
                "aantal",
                query=selectors.drill_query(subject, month=month),
            ),
            "youths": selectors.kpi_figure(
                Kpi.UNIQUE_YOUTHS, measures, subject=subject, month=month, suppressed=suppressed
            ),
            "trajectories": selectors.kpi_figure(
                Kpi.TRAJECTORIES, measures, subject=subject, month=month, suppressed=suppressed
            ),
        }


def _tile(tiles, kpi):
    return next((t for t in tiles if t.kpi == kpi), None)


class RegionDashboardView(DashboardMixin, generic.TemplateView):
    template_name = "monitoring/dashboard_region.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.subject = Subject.region(self.region)
        month, options = self.choose_month(self.subject)
        context.update(self.month_context(month, options))
        context["title"] = _("Monitoring %(region)s") % {"region": self.region.name}
        context["subject"] = self.subject
        if month is None:
            return context
        user = self.request.user
        spend = selectors.spend_against_budget(
            self.region,
            self.subject,
            month,
            contracts=Contract.objects.visible_to(user),
            rollups=self.rollups,
        )
        codes, _lead = selectors.tile_kpis(self.region)
        tiles = selectors.build_tiles(
            self.region, self.subject, month, rollups=self.rollups, spend=spend, kpi_codes=codes
        )
        context.update(
            tiles=tiles,
            spend=spend,
            spend_chart=self.spend_svg(spend, self.region.name),
            running_out=[c for c in spend.contracts if c.run_out],
            key=self.key_figures(self.subject, month),
            providers=self.label_rows(
                selectors.provider_rows(
                    self.region,
                    month,
                    rollups=self.rollups,
                    providers=Provider.objects.visible_to(user),
                ),
                "provider",
            ),
            segments=self.label_rows(
                selectors.segment_rows(self.region, month, rollups=self.rollups), "segment"
            ),
            table_kpis=[DEFINITIONS[k] for k in selectors.TABLE_KPIS],
            provider_kpis=[DEFINITIONS[k] for k in PROVIDER_TABLE_KPIS],
        )
        return context

    def export_sheets(self, context) -> dict:
        if not context.get("month"):
            return {}
        month = context["month"]

        def risk(row):
            return row.extra["risk"].score if row.extra.get("risk") else None

        def signals(row):
            return row.extra["signals"]["open"] if row.extra.get("signals") else 0

        return {
            "aanbieders": figures_sheet(
                f"{_('Aanbieders')} {month:%Y-%m}",
                _("Aanbieder"),
                context["providers"],
                context["provider_kpis"],
                before=((_("Risicoscore"), risk), (_("Open signalen"), signals)),
            ),
            "segmenten": figures_sheet(
                f"{_('Segmenten')} {month:%Y-%m}",
                _("Segment"),
                context["segments"],
                context["table_kpis"],
            ),
        }


class ProviderDashboardView(DashboardMixin, generic.TemplateView):
    template_name = "monitoring/dashboard_provider.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.provider = get_object_or_404(
            Provider.objects.visible_to(request.user).filter(region=self.region), pk=kwargs["pk"]
        )
        self.subject = Subject.provider(self.provider)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        provider = self.provider
        month, options = self.choose_month(self.subject)
        context.update(self.month_context(month, options))
        context.update(provider=provider, subject=self.subject, title=provider.name)
        context["signals"] = list(
            Signal.objects.visible_to(user)
            .filter(
                region=self.region, provider=provider, status__in=selectors.OPEN_SIGNAL_STATUSES
            )
            .select_related("contract")
            .order_by("-period", "topic")[:20]
        )
        context["risk"] = selectors.risk_scores(self.region).get(provider.pk)
        if month is None:
            return context
        contracts = Contract.objects.visible_to(user)
        basis = selectors.provider_basis(self.region, provider, month, contracts=contracts)
        spend = selectors.spend_against_budget(
            self.region, self.subject, month, contracts=contracts, rollups=self.rollups
        )
        tiles = selectors.build_tiles(
            self.region,
            self.subject,
            month,
            rollups=self.rollups,
            norms=basis.norms,
            benchmark=basis.benchmark,
            benchmark_label=basis.benchmark_label,
            spend=spend,
            kpi_codes=selectors.tile_kpis(self.region)[0],
        )
        chart_kpi = self.chart_kpi()
        chart_tile = _tile(tiles, chart_kpi)
        context.update(
            basis=basis,
            tiles=tiles,
            spend=spend,
            spend_chart=self.spend_svg(spend, provider.name),
            chart_kpi=chart_kpi,
            chart_kpis=[kpis.definition(k) for k in self.chart_codes()],
            chart_tile=chart_tile,
            trend_chart=self.trend_chart(chart_tile, provider.name),
            key=self.key_figures(self.subject, month),
            contracts=self.label_rows(
                selectors.contract_rows(
                    self.region, month, provider=provider, rollups=self.rollups
                ),
                "contract",
            ),
            table_kpis=[DEFINITIONS[k] for k in selectors.TABLE_KPIS],
        )
        return context

    def export_sheets(self, context) -> dict:
        if not context.get("month"):
            return {}
        return {
            "contracten": figures_sheet(
                f"{_('Contracten')} {self.provider.name} {context['month']:%Y-%m}",
                _("Contract"),
                context["contracts"],
                context["table_kpis"],
            )
        }


class SegmentDashboardView(DashboardMixin, generic.TemplateView):
    template_name = "monitoring/dashboard_segment.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.segment = get_object_or_404(
            Segment.objects.visible_to(request.user)
            .filter(region=self.region)
            .select_related("parent__parent__parent"),
            pk=kwargs["pk"],
        )
        self.subject = Subject.segment(self.segment)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        segment = self.segment
        month, options = self.choose_month(self.subject)
        context.update(self.month_context(month, options))
        context.update(segment=segment, subject=self.subject, title=str(segment))
        context["children"] = list(
            Segment.objects.visible_to(self.request.user).filter(parent=segment).order_by("code")
        )
        if month is None:
            return context
        norms = {k: n for (_sid, k), n in segment_norms([segment]).items()}
        spend = selectors.spend_against_budget(
            self.region,
            self.subject,
            month,
            contracts=Contract.objects.visible_to(self.request.user),
            rollups=self.rollups,
        )
        codes, lead = selectors.tile_kpis(self.region, segment=segment)
        tiles = selectors.build_tiles(
            self.region,
            self.subject,
            month,
            rollups=self.rollups,
            norms=norms,
            benchmark=Subject.region(self.region),
            benchmark_label=_("Regio"),
            spend=spend,
            kpi_codes=codes,
            lead=lead,
        )
        rows = self.label_rows(
            selectors.contract_rows(self.region, month, segment=segment, rollups=self.rollups),
            "contract",
        )
        # the segment's first steering KPI is the chart's default
        chart_lead = [k for k in lead if k != Kpi.SPEND_VS_BUDGET]
        chart_kpi = self.chart_kpi(chart_lead[0] if chart_lead else DEFAULT_CHART_KPI)
        chart_tile = _tile(tiles, chart_kpi)
        context.update(
            tiles=tiles,
            lead=[kpis.definition(k) for k in lead],
            spend=spend,
            key=self.key_figures(self.subject, month),
            contracts=rows,
            table_kpis=[DEFINITIONS[k] for k in selectors.TABLE_KPIS],
            chart_kpi=chart_kpi,
            chart_kpis=[kpis.definition(k) for k in self.chart_codes(chart_lead)],
            trend_chart=self.trend_chart(chart_tile, str(segment)),
            bar_chart=self.bars(rows, chart_kpi, norms.get(chart_kpi), month),
        )
        return context

    def bars(self, rows, kpi, norm, month):
        if not rows:
            return None
        d = kpis.definition(kpi)
        values = [selectors.kpi_figure(kpi, r.measures).value for r in rows]
        return charts.bar_chart(
            [
                (f"{r.obj.provider.name} ({r.obj.reference})", v)
                for r, v in zip(rows, values, strict=True)
            ],
            title=_("%(kpi)s per contract in %(month)s, elk tegen de eigen norm")
            % {"kpi": d.label, "month": month_label(month)},
            unit=d.unit,
            y_label=str(d.label),
            norm=norm.norm if norm else None,
            levels=[judge(v, r.extra["norms"].get(kpi)) for r, v in zip(rows, values, strict=True)],
            links=[self.href(selectors.drill_query(r.subject, month=month, kpi=kpi)) for r in rows],
        )

    def export_sheets(self, context) -> dict:
        if not context.get("month"):
            return {}
        return {
            "contracten": figures_sheet(
                f"{_('Contracten')} {self.segment.code} {context['month']:%Y-%m}",
                _("Aanbieder · contract"),
                context["contracts"],
                context["table_kpis"],
            )
        }


class MunicipalityDashboardView(DashboardMixin, generic.TemplateView):
    """A municipality's figures by segment and provider. Municipal users: their own only,
    with small cells suppressed."""

    template_name = "monitoring/dashboard_municipality.html"
    region_roles_only = False

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.municipality = get_object_or_404(
            Municipality.objects.visible_to(request.user).filter(region=self.region),
            pk=kwargs["pk"],
        )
        self.subject = Subject.municipality(self.municipality)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        municipality = self.municipality
        suppressed = not self.staff
        month, options = self.choose_month(self.subject)
        context.update(self.month_context(month, options))
        context.update(
            municipality=municipality,
            subject=self.subject,
            title=municipality.name,
            suppressed=suppressed,
            staff=self.staff,
        )
        if month is None:
            return context
        kpi_codes = selectors.tile_kpis(
            self.region,
            codes=[k for k in selectors.TILE_KPIS if k not in (Kpi.SPEND_VS_BUDGET, Kpi.OCCUPANCY)],
        )[0]
        tiles = selectors.build_tiles(
            self.region,
            self.subject,
            month,
            rollups=self.rollups,
            benchmark=Subject.region(self.region) if self.staff else None,
            benchmark_label=_("Regio"),
            suppressed=suppressed,
            kpi_codes=kpi_codes,
        )
        context.update(
            tiles=tiles,
            key=self.key_figures(self.subject, month, suppressed=suppressed),
            by_segment=self.label_rows(
                selectors.municipality_rows(
                    self.region,
                    municipality,
                    month,
                    by="segment",
                    rollups=self.rollups,
                    suppressed=suppressed,
                ),
                "segment",
            ),
            by_provider=self.label_rows(
                selectors.municipality_rows(
                    self.region,
                    municipality,
                    month,
                    by="provider",
                    rollups=self.rollups,
                    suppressed=suppressed,
                ),
                "provider",
            ),
            table_kpis=[DEFINITIONS[k] for k in selectors.TABLE_KPIS if k != Kpi.OCCUPANCY],
        )
        return context

    def export_sheets(self, context) -> dict:
        if not context.get("month"):
            return {}
        label = f"{self.municipality.name} {context['month']:%Y-%m}"
        return {
            "segmenten": figures_sheet(
                f"{_('Per segment')} {label}",
                _("Segment"),
                context["by_segment"],
                context["table_kpis"],
            ),
            "aanbieders": figures_sheet(
                f"{_('Per aanbieder')} {label}",
                _("Aanbieder"),
                context["by_provider"],
                context["table_kpis"],
            ),
        }
