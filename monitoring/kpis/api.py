"""API resources of the KPIs: KPI values as time series and the KPI definitions.

Scope ``cijfers-lezen``. KPI values are read from the monthly rollups (``KpiRollup``), the same
rows the dashboards read, through ``KpiRollup.objects.visible_to(client)``: a municipality's
client gets only rows of its own municipality (with small cells suppressed, as for a municipal
user), a provider's client only its own rows, a regional system the whole region."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from contracts.codes import Direction, Kpi
from core.api.enums import DutchChoiceField
from core.api.enums import MonthField as MonthSerializerField
from core.api.scopes import ApiScope
from core.api.views import ApiView, ScopedListViewSet
from core.scoping import scope_for
from monitoring.dashboards.selectors import kpi_figure, parse_month
from monitoring.kpis import definitions as kpis
from monitoring.kpis import regional
from monitoring.kpis.definitions import DEFINITIONS, Measures
from monitoring.kpis.models import Grain, KpiRollup, RegionKpi, RegionKpiRollup

#: the KPIs' codes in the API (Dutch, kebab-case); spend against budget needs a budget and is
#: served by /budgetten with the declared amounts instead
API_KPIS: dict[str, str] = {
    Kpi.UNIQUE_YOUTHS: "unieke-jeugdigen",
    Kpi.TRAJECTORIES: "trajecten",
    Kpi.COST_PER_CLIENT: "kosten-per-client",
    Kpi.DURATION: "trajectduur",
    Kpi.WAIT_TIME: "wachttijd",
    Kpi.STEP_UP: "opschaling",
    Kpi.STEP_DOWN: "afschaling",
    Kpi.REENTRY: "herinstroom",
    Kpi.DROPOUT: "uitval",
    Kpi.GOAL_REALISATION: "doelrealisatie",
    Kpi.CLIENT_EXPERIENCE: "clientervaring",
    Kpi.AMBULANT_SHARE: "aandeel-ambulant",
    Kpi.OCCUPANCY: "bezettingsgraad",
}
KPI_BY_CODE = {code: kpi for kpi, code in API_KPIS.items()}

#: the grains in the API
API_GRAINS: dict[str, str] = {
    Grain.REGION: "regio",
    Grain.SEGMENT: "segment",
    Grain.PROVIDER: "aanbieder",
    Grain.CONTRACT: "contract",
    Grain.MUNICIPALITY: "gemeente",
    Grain.SEGMENT_MUNICIPALITY: "segment-gemeente",
    Grain.PROVIDER_MUNICIPALITY: "aanbieder-gemeente",
}
GRAIN_BY_CODE = {code: grain for grain, code in API_GRAINS.items()}

#: which filters each grain's rows carry (the others must be empty)
GRAIN_FILTERS = {
    Grain.REGION: set(),
    Grain.SEGMENT: {"segment"},
    Grain.PROVIDER: {"aanbieder"},
    Grain.CONTRACT: {"contract", "aanbieder", "segment"},
    Grain.MUNICIPALITY: {"gemeente"},
    Grain.SEGMENT_MUNICIPALITY: {"segment", "gemeente"},
    Grain.PROVIDER_MUNICIPALITY: {"aanbieder", "gemeente"},
}
FILTER_FIELDS = {
    "gemeente": "municipality",
    "aanbieder": "provider",
    "segment": "segment",
    "contract": "contract",
}


def choose_grain(niveau: str | None, given: set[str], scope) -> str:
    """The grain of the series: the one asked for, else the finest the filters name, else the
    client's own level (its municipality, its provider, or the region). Raises ``ValueError``
    with a Dutch message when the filters do not fit the grain."""
    if niveau:
        grain = GRAIN_BY_CODE[niveau]
    elif "contract" in given:
        grain = Grain.CONTRACT
    elif {"aanbieder", "gemeente"} <= given:
        grain = Grain.PROVIDER_MUNICIPALITY
    elif {"segment", "gemeente"} <= given:
        grain = Grain.SEGMENT_MUNICIPALITY
    elif "gemeente" in given:
        grain = Grain.MUNICIPALITY
    elif "aanbieder" in given:
        grain = Grain.PROVIDER
    elif "segment" in given:
        grain = Grain.SEGMENT
    elif scope.is_municipal:
        grain = Grain.MUNICIPALITY
    elif scope.is_provider:
        grain = Grain.PROVIDER
    else:
        grain = Grain.REGION
    extra = given - GRAIN_FILTERS[grain]
    if extra:
        raise ValueError(
            _("Op niveau '%(niveau)s' kan niet gefilterd worden op: %(filters)s.")
            % {"niveau": API_GRAINS[grain], "filters": ", ".join(sorted(extra))}
        )
    return grain


class MonthField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(
                _("Geef een maand als JJJJ-MM, bijvoorbeeld 2026-10."), code="invalid"
            )
        return month


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-10"})
class MonthFilter(django_filters.Filter):
    field_class = MonthField


class KpiValueForm(forms.Form):
    """Checks the KPI code against the built-in KPIs and the client's regions' own KPIs."""

    user = None

    def clean_kpi(self):
        code = self.cleaned_data.get("kpi")
        if code and resolve_kpi(code, self.user) is None:
            raise forms.ValidationError(
                _("Onbekende KPI %(code)s; de codes staan in /api/v1/kpis.") % {"code": code},
                code="invalid_choice",
            )
        return code


class KpiValueFilterSet(django_filters.FilterSet):
    kpi = django_filters.CharFilter(
        required=True,
        method="filter_nothing",
        label=(
            "De KPI (verplicht): de code van een standaard-KPI of van een eigen KPI van de "
            "regio; zie /api/v1/kpis."
        ),
    )
    niveau = django_filters.ChoiceFilter(
        choices=[(code, Grain(g).label) for g, code in API_GRAINS.items()],
        method="filter_nothing",
        label="Het niveau van de reeks; zonder: het fijnste niveau dat de filters noemen.",
    )
    gemeente = django_filters.NumberFilter(field_name="municipality", label="Id van de gemeente.")
    aanbieder = django_filters.NumberFilter(field_name="provider", label="Id van de aanbieder.")
    segment = django_filters.NumberFilter(field_name="segment", label="Id van het segment.")
    contract = django_filters.NumberFilter(field_name="contract", label="Id van het contract.")
    periodeVan = MonthFilter(field_name="month", lookup_expr="gte", label="Eerste maand (JJJJ-MM).")
    periodeTot = MonthFilter(
        field_name="month", lookup_expr="lte", label="Laatste maand (JJJJ-MM), inclusief."
    )

    class Meta:
        model = KpiRollup
        form = KpiValueForm
        fields = ["kpi", "niveau", "gemeente", "aanbieder", "segment", "contract"]

    @property
    def form(self):
        form = super().form
        form.user = getattr(self.request, "user", None)
        return form

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        self.kpi = resolve_kpi(data.get("kpi"), self.request.user)
        if isinstance(self.kpi, list):  # region KPIs: only the rows of their regions
            queryset = queryset.filter(region__in=[d.region_id for d in self.kpi])
        given = {name for name in FILTER_FIELDS if data.get(name) is not None}
        try:
            grain = choose_grain(data.get("niveau") or None, given, scope_for(self.request.user))
        except ValueError as exc:
            raise ValidationError({"niveau": [str(exc)]}) from exc
        first, last = data.get("periodeVan"), data.get("periodeTot")
        if first and last and first > last:
            raise ValidationError({"periodeTot": [_("De laatste maand ligt voor de eerste.")]})
        return super().filter_queryset(queryset.filter(grain=grain))


def resolve_kpi(code: str | None, user):
    """A built-in KPI's internal code, or the definitions of the region KPIs with this code in
    the regions the client sees (a list); ``None`` when there is none."""
    if not code:
        return None
    if code in KPI_BY_CODE:
        return KPI_BY_CODE[code]
    from segments.models import Region

    found = [
        regional.build(k)
        for k in RegionKpi.objects.filter(
            code=code, region__in=Region.objects.visible_to(user)
        ).select_related("measurement_kind")
    ]
    return found or None


class KpiValueSerializer(serializers.Serializer):
    kpi = serializers.CharField(help_text="De code van de KPI, zoals gevraagd.")
    niveau = serializers.ChoiceField(choices=list(API_GRAINS.values()))
    maand = MonthSerializerField(help_text="De maand (JJJJ-MM).")
    regio = serializers.CharField()
    segment = serializers.IntegerField(allow_null=True)
    aanbieder = serializers.IntegerField(allow_null=True)
    contract = serializers.IntegerField(allow_null=True)
    gemeente = serializers.IntegerField(allow_null=True)
    waarde = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        allow_null=True,
        coerce_to_string=True,
        help_text="Leeg als er geen gegevens zijn of als de waarde onderdrukt is.",
    )
    eenheid = serializers.CharField(help_text="aantal, euro, dagen, procent of cijfer.")
    onderdrukt = serializers.BooleanField(
        help_text="Waar als de waarde verborgen is omdat ze op minder dan 5 jeugdigen of "
        "trajecten rust (kleine aantallen, alleen voor gemeenten)."
    )
    kleinAantal = serializers.BooleanField(
        help_text="Waar als een aantal tussen 1 en 4 ligt (getoond als '< 5')."
    )


ROW_FIELDS = (
    "month",
    "grain",
    "region__slug",
    "segment_id",
    "provider_id",
    "contract_id",
    "municipality_id",
    "region_id",
    "key",
    *kpis.MEASURES,
)


def kpi_value(row: dict, kpi: str, *, suppressed: bool, code: str | None = None) -> dict:
    """One item of the series: the KPI of one rollup row (``values(*ROW_FIELDS)``)."""
    figure = kpi_figure(kpi, Measures(row), suppressed=suppressed)
    return {
        "kpi": code or API_KPIS[kpi],
        "niveau": API_GRAINS[row["grain"]],
        "maand": row["month"],
        "regio": row["region__slug"],
        "segment": row["segment_id"],
        "aanbieder": row["provider_id"],
        "contract": row["contract_id"],
        "gemeente": row["municipality_id"],
        "waarde": figure.value,
        "eenheid": figure.unit,
        "onderdrukt": bool(figure.small),
        "kleinAantal": figure.small == "count",
    }


@extend_schema_view(
    list=extend_schema(
        summary="KPI-waarden als tijdreeks",
        description=(
            "Eén KPI per maand voor een niveau (regio, segment, aanbieder, contract, gemeente of "
            "een combinatie met gemeente). Een gemeente-client krijgt alleen de cijfers van zijn "
            "eigen gemeente; kleine aantallen (1-4) zijn onderdrukt."
        ),
    )
)
class KpiValueViewSet(ScopedListViewSet):
    model = KpiRollup
    serializer_class = KpiValueSerializer
    read_scope = ApiScope.READ_FIGURES
    filterset_class = KpiValueFilterSet

    def base_queryset(self):
        return KpiRollup.objects.order_by("key", "month")

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset()).values(*ROW_FIELDS)
        kpi = KPI_BY_CODE.get(request.query_params["kpi"])
        suppressed = scope_for(request.user).is_municipal
        page = self.paginate_queryset(queryset)
        if kpi is not None:
            items = [kpi_value(row, kpi, suppressed=suppressed) for row in page]
        else:
            items = self.region_kpi_values(page, request.query_params["kpi"], suppressed)
        return self.get_paginated_response(KpiValueSerializer(items, many=True).data)

    def region_kpi_values(self, page, code: str, suppressed: bool) -> list[dict]:
        """A region KPI on the page's rows: its counts read for those rows in one query."""
        by_region = {d.region_id: d for d in resolve_kpi(code, self.request.user)}
        custom: dict[tuple, dict] = {}
        rolled = [d for d in by_region.values() if d.denominator is None]
        if page and rolled:
            found = RegionKpiRollup.objects.filter(
                kpi_id__in=[int(d.code[len(regional.PREFIX) :]) for d in rolled],
                grain__in={row["grain"] for row in page},
                key__in={row["key"] for row in page},
                month__in={row["month"] for row in page},
            ).values_list(
                "region_id", "grain", "key", "month", "kpi_id", "numerator", "denominator"
            )
            for region_id, grain, key, month, kpi_id, num, den in found:
                custom[(region_id, grain, key, month)] = {f"{regional.PREFIX}{kpi_id}": (num, den)}
        items = []
        for row in page:
            definition = by_region[row["region_id"]]
            row["custom"] = custom.get(
                (row["region_id"], row["grain"], row["key"], row["month"]), {}
            )
            items.append(kpi_value(row, definition.code, suppressed=suppressed, code=code))
        return items


class KpiDefinitionSerializer(serializers.Serializer):
    code = serializers.CharField()
    eigen = serializers.BooleanField(
        help_text="Waar voor een KPI die de regio zelf heeft gedefinieerd."
    )
    naam = serializers.CharField()
    eenheid = serializers.CharField()
    richting = DutchChoiceField(
        Direction, allow_null=True, help_text="hoger: hoger is beter; lager: lager is beter."
    )
    definitie = serializers.CharField()


class KpiDefinitionView(ApiView):
    """De KPI's die /kpi-waarden levert, met hun definitie."""

    read_scope = ApiScope.READ_FIGURES

    @extend_schema(
        summary="KPI-definities",
        responses=KpiDefinitionSerializer(many=True),
        parameters=[OpenApiParameter("formaat", enum=["json", "csv"], required=False)],
    )
    def get(self, request, *args, **kwargs):
        rows = [
            {
                "code": code,
                "naam": str(DEFINITIONS[kpi].label),
                "eenheid": DEFINITIONS[kpi].unit,
                "richting": DEFINITIONS[kpi].direction,
                "definitie": str(DEFINITIONS[kpi].definition),
                "eigen": False,
            }
            for kpi, code in API_KPIS.items()
        ]
        from segments.models import Region

        for region in Region.objects.visible_to(request.user).order_by("name"):
            for d in regional.for_region(region.pk):
                rows.append(
                    {
                        "code": d.api_code,
                        "naam": d.label,
                        "eenheid": d.unit,
                        "richting": d.direction,
                        "definitie": d.definition,
                        "eigen": True,
                    }
                )
        return Response(KpiDefinitionSerializer(rows, many=True).data)
