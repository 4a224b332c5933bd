"""API resource of the signals (scope ``cijfers-lezen``): KPIs outside their norm and failed
finance checks per provider."""

from __future__ import annotations

import django_filters
from rest_framework import serializers

from contracts.codes import Kpi
from core.api.enums import DutchChoiceField, DutchChoiceFilter, MonthField
from core.api.filters import ordering
from core.api.scopes import ApiScope
from core.api.views import ScopedReadViewSet
from monitoring.kpis.api import API_KPIS, MonthFilter
from monitoring.kpis.definitions import FINANCE_MARGIN, FINANCE_WNT
from monitoring.steering.models import Level, Signal, SignalSource, SignalStatus

#: the topic of a signal in the API: the KPI's API code, or the finance check's
TOPICS = {
    **API_KPIS,
    Kpi.SPEND_VS_BUDGET: "besteding-budget",
    FINANCE_MARGIN: "jaarrekening-marge",
    FINANCE_WNT: "jaarrekening-wnt",
}


class SignalSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    regio = serializers.SlugRelatedField(source="region", slug_field="slug", read_only=True)
    aanbieder = serializers.PrimaryKeyRelatedField(source="provider", read_only=True)
    contract = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    bron = DutchChoiceField(SignalSource, source="source")
    onderwerp = serializers.SerializerMethodField(help_text="De KPI (code) of de financiële toets.")
    periode = MonthField(
        source="period", help_text="De maand (KPI) of januari van het jaar (jaarrekening)."
    )
    niveau = DutchChoiceField(Level, source="level")
    waarde = serializers.DecimalField(
        source="value", max_digits=14, decimal_places=2, allow_null=True
    )
    norm = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    melding = serializers.CharField(source="message")
    status = DutchChoiceField(SignalStatus)
    ontstaanOp = serializers.DateTimeField(source="created_at")
    bijgewerktOp = serializers.DateTimeField(source="updated_at")

    class Meta:
        model = Signal
        fields = [
            "id",
            "regio",
            "aanbieder",
            "contract",
            "bron",
            "onderwerp",
            "periode",
            "niveau",
            "waarde",
            "norm",
            "melding",
            "status",
            "ontstaanOp",
            "bijgewerktOp",
        ]

    def get_onderwerp(self, obj) -> str:
        return TOPICS.get(obj.topic, obj.topic)


class SignalFilterSet(django_filters.FilterSet):
    aanbieder = django_filters.NumberFilter(field_name="provider")
    contract = django_filters.NumberFilter(field_name="contract")
    niveau = DutchChoiceFilter(field_name="level", enum=Level)
    status = DutchChoiceFilter(field_name="status", enum=SignalStatus)
    bron = DutchChoiceFilter(field_name="source", enum=SignalSource)
    periodeVan = MonthFilter(
        field_name="period", lookup_expr="gte", label="Eerste maand (JJJJ-MM)."
    )
    periodeTot = MonthFilter(
        field_name="period", lookup_expr="lte", label="Laatste maand (JJJJ-MM)."
    )
    sorteer = ordering(("period", "periode"), ("level", "niveau"), ("updated_at", "bijgewerktOp"))

    class Meta:
        model = Signal
        fields = ["aanbieder", "contract", "niveau", "status", "bron"]


class SignalViewSet(ScopedReadViewSet):
    """Signalen: KPI's buiten hun norm (oranje of rood) en financiële toetsen per aanbieder.
    Gemeenten zien geen signalen (ze gaan over aanbieders, over alle gemeenten heen)."""

    model = Signal
    serializer_class = SignalSerializer
    read_scope = ApiScope.READ_FIGURES
    filterset_class = SignalFilterSet

    def base_queryset(self):
        return Signal.objects.select_related("region")
