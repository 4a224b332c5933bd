"""Pages of a region's own KPIs and measurement kinds, and of a segment's steering KPIs.

Region roles read; the contract editors (procurement officer, contract manager) change, always
through ``monitoring.kpis.services``. A municipal user gets a 403 here (the KPI definitions
page shows the region's own KPIs to everyone)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from core.export import records_sheet
from core.roles import ALL_REGION_ROLES
from core.scoping import scope_for
from core.ui.forms import add_service_errors
from core.ui.views import (
    RegionMixin,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedUpdateView,
    SheetExportMixin,
)
from monitoring.dashboards import selectors as dashboards
from monitoring.imports.models import MeasurementKind
from monitoring.kpis import regional, services
from monitoring.kpis.forms import MeasurementKindForm, RegionKpiForm, SteeringKpisForm
from monitoring.kpis.models import RegionKpi, SteeringKpi
from monitoring.steering.models import KpiNorm, Signal
from monitoring.steering.norms import segment_norms
from monitoring.steering.views_recalculation import status_context
from segments.models import Segment

REGION_ONLY = gettext_lazy(
    "De eigen KPI's van de regio worden door medewerkers van de regio beheerd. Hun definities "
    "staan op de pagina KPI-definities."
)


BACKGROUND = gettext_lazy(
    "De cijfers van de KPI worden op de achtergrond berekend; de voortgang staat hieronder."
)


class OwnKpiMixin(RegionMixin):
    model = RegionKpi

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope_for(request.user).has_role(
            self.region.pk, ALL_REGION_ROLES
        ):
            raise PermissionDenied(REGION_ONLY)
        return super().dispatch(request, *args, **kwargs)

    def list_url(self) -> str:
        return reverse("monitoring:regionkpi-list", kwargs={"region": self.region.slug})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["staff"] = True
        context["list_url"] = self.list_url()
        context["cancel_url"] = self.list_url()
        return context


class RegionKpiListView(SheetExportMixin, OwnKpiMixin, generic.TemplateView):
    template_name = "monitoring/kpis/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        kpis = list(
            RegionKpi.objects.visible_to(user)
            .filter(region=self.region)
            .select_related("region", "measurement_kind")
            .order_by("name")
        )
        norms = {}
        for topic in KpiNorm.objects.filter(
            segment__region=self.region, kpi__in=[k.topic for k in kpis]
        ).values_list("kpi", flat=True):
            norms[topic] = norms.get(topic, 0) + 1
        context.update(
            title=_("Eigen KPI's"),
            kpis=[(k, regional.build(k), norms.get(k.topic, 0)) for k in kpis],
            kinds=list(
                MeasurementKind.objects.visible_to(user).filter(region=self.region).order_by("name")
            ),
            segments=list(
                Segment.objects.visible_to(user).filter(region=self.region).order_by("code")
            ),
        )
        return context

    def export_sheets(self, context) -> dict:
        def formula(row):
            kpi, definition, _norms = row
            if definition.formula:
                return definition.formula
            scale = f" × {kpi.scale}" if kpi.scale != 1 else ""
            return f"{kpi.numerator} ÷ {kpi.denominator}{scale}"

        def value_type(kind):
            text = kind.get_value_type_display()
            if kind.minimum is None and kind.maximum is None:
                return text
            low = "…" if kind.minimum is None else kind.minimum
            high = "…" if kind.maximum is None else kind.maximum
            return f"{text} ({low} – {high})"

        return {
            "kpis": records_sheet(
                _("Eigen KPI's"),
                [
                    (_("KPI"), lambda r: r[0].name),
                    (_("Code (API)"), lambda r: r[0].code),
                    (_("Berekening"), lambda r: r[0].get_computation_display()),
                    (_("Formule"), formula),
                    (_("Richting"), lambda r: r[0].get_direction_display()),
                    (_("Normen"), lambda r: r[2]),
                ],
                context["kpis"],
            ),
            "metingen": records_sheet(
                _("Eigen soorten metingen"),
                [
                    (_("Soort meting"), "name"),
                    (_("Code"), "code"),
                    (_("Waarde"), value_type),
                    (_("Omschrijving"), "description"),
                ],
                context["kinds"],
            ),
        }


class RegionKpiDetailView(OwnKpiMixin, ScopedDetailView):
    template_name = "monitoring/kpis/detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("measurement_kind")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kpi = self.object
        definition = regional.build(kpi)
        subject = dashboards.Subject.region(self.region)
        latest = dashboards.latest_month(self.region)
        series = []
        if latest is not None:
            window = dashboards.month_window(latest)
            by_month = dashboards.measures_by_month(self.region, subject, window)
            for month in window:
                measures = by_month.get(month)
                if measures is None:
                    continue
                figure = dashboards.kpi_figure(kpi.topic, measures, subject=subject, month=month)
                num, den = definition.counts(measures)
                series.append(
                    {
                        "month": month,
                        "figure": figure,
                        "numerator": num,
                        "denominator": den,
                        "href": dashboards_lines(self.region, figure.query),
                    }
                )
        segments = list(
            Segment.objects.filter(region=self.region).select_related("parent__parent__parent")
        )
        effective = segment_norms(segments)
        context.update(
            title=kpi.name,
            definition=definition,
            formula=dashboards.formula(kpi.topic),
            series=series,
            norms=[
                (segment, effective[(segment.pk, kpi.topic)])
                for segment in sorted(segments, key=lambda s: s.code)
                if (segment.pk, kpi.topic) in effective
            ],
            steering=list(
                SteeringKpi.objects.filter(kpi=kpi.topic, segment__region=self.region)
                .select_related("segment")
                .order_by("segment__code")
            ),
            signals=Signal.objects.filter(region=self.region, topic=kpi.topic).count(),
            **status_context(self.request.user, self.region, region_kpi=kpi),
            norms_url=reverse("monitoring:norms", args=[self.region.slug]) + f"?kpi={kpi.topic}",
        )
        return context


def dashboards_lines(region, query: dict) -> str:
    from monitoring.dashboards.views import lines_url

    return lines_url(region, query)


class RegionKpiCreateView(OwnKpiMixin, ScopedCreateView):
    create_service = services.region_kpi_create
    form_class = RegionKpiForm
    template_name = "monitoring/kpis/form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Nieuwe eigen KPI")
        return context

    def write(self, form):
        return self.service("create_service")(
            region=self.region, user=self.request.user, **self.service_fields(form)
        )

    def form_valid(self, form):
        response = super().form_valid(form)
        if getattr(self.object, "in_background", False):
            messages.info(self.request, BACKGROUND)
        return response


class RegionKpiUpdateView(OwnKpiMixin, ScopedUpdateView):
    update_service = services.region_kpi_update
    form_class = RegionKpiForm
    template_name = "monitoring/kpis/form.html"

    def write(self, form):
        return self.service("update_service")(
            kpi=self.object, user=self.request.user, **self.service_fields(form)
        )

    def form_valid(self, form):
        response = super().form_valid(form)
        if getattr(self.object, "in_background", False):
            messages.info(self.request, BACKGROUND)
        return response


class RegionKpiDeleteView(OwnKpiMixin, ScopedDeleteView):
    delete_service = services.region_kpi_delete

    def object_kwarg(self) -> str:
        return "kpi"

    def get_success_url(self):
        return self.list_url()


# --- measurement kinds ------------------------------------------------------------------------


class MeasurementKindMixin(OwnKpiMixin):
    model = MeasurementKind

    def get_success_url(self):
        return self.list_url() + "#soorten-metingen"


class MeasurementKindCreateView(MeasurementKindMixin, ScopedCreateView):
    create_service = services.measurement_kind_create
    form_class = MeasurementKindForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Nieuwe soort meting")
        context["intro"] = _(
            "Een eigen indicator die aanbieders met de uitkomstmetingen aanleveren, per "
            "jeugdige per meetmoment: in de kolom meting de code, in de kolom waarde de waarde."
        )
        return context

    def write(self, form):
        return self.service("create_service")(
            region=self.region, user=self.request.user, **self.service_fields(form)
        )


class MeasurementKindUpdateView(MeasurementKindMixin, ScopedUpdateView):
    update_service = services.measurement_kind_update
    form_class = MeasurementKindForm

    def write(self, form):
        return self.service("update_service")(
            kind=self.object, user=self.request.user, **self.service_fields(form)
        )


class MeasurementKindDeleteView(MeasurementKindMixin, ScopedDeleteView):
    delete_service = services.measurement_kind_delete

    def object_kwarg(self) -> str:
        return "kind"

    def form_valid(self, form):
        label = str(self.object)
        try:
            self.service("delete_service")(kind=self.object, user=self.request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(self.request, message)
            return redirect(self.get_success_url())
        messages.success(self.request, _("%(object)s is verwijderd.") % {"object": label})
        return redirect(self.get_success_url())


# --- a segment's steering KPIs ------------------------------------------------------------------


class SteeringKpisView(OwnKpiMixin, generic.FormView):
    """The KPIs a segment steers on (its tactical goals), in order."""

    model = SteeringKpi
    form_class = SteeringKpisForm
    template_name = "monitoring/kpis/steering.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.segment = get_object_or_404(
            Segment.objects.visible_to(request.user).filter(region=self.region), pk=kwargs["pk"]
        )

    def post(self, request, *args, **kwargs):
        if not self.user_can_edit():
            raise PermissionDenied(_("U hebt in deze regio geen rol waarmee u dit mag wijzigen."))
        return super().post(request, *args, **kwargs)

    def choices(self) -> list[tuple[str, str]]:
        """The region's own KPIs first (most often its tactical goals), then the built-in."""
        known = services.known_kpis(self.region)
        return [c for c in known if regional.is_regional(c[0])] + [
            c for c in known if not regional.is_regional(c[0])
        ]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["choices"] = self.choices()
        return kwargs

    def get_initial(self):
        return {
            "kpis": list(
                SteeringKpi.objects.filter(segment=self.segment)
                .order_by("position")
                .values_list("kpi", flat=True)
            )
        }

    def form_valid(self, form):
        chosen = form.cleaned_data["kpis"]
        current = self.get_initial()["kpis"]
        # kept ones stay in their order, new ones follow in the order sent (the list's order)
        ordered = [k for k in current if k in chosen] + [k for k in chosen if k not in current]
        try:
            services.steering_kpis_set(segment=self.segment, kpis=ordered, user=self.request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("De sturings-KPI's van %(segment)s zijn opgeslagen.") % {"segment": self.segment},
        )
        return redirect(reverse("monitoring:segment", args=[self.region.slug, self.segment.pk]))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Sturings-KPI's van %(segment)s") % {"segment": self.segment}
        context["segment"] = self.segment
        context["cancel_url"] = reverse(
            "monitoring:segment", args=[self.region.slug, self.segment.pk]
        )
        return context
