"""API resource of the signals (scope ``cijfers-lezen``): KPIs outside their norm and failed
finance checks per provider."""

from __future__ import annotations

import django_filters
from rest_framework import serializers

from core.api.filters import ordering
from core.api.scopes import ApiScope
from core.api.views import ScopedReadViewSet
from monitoring.kpis.api import API_KPIS, MonthFilter
from monitoring.steering.models import Level, Signal, SignalSource, SignalStatus


class SignalSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    regio = serializers.SlugRelatedField(source="region", slug_field="slug", read_only=True)
    aanbieder = serializers.PrimaryKeyRelatedField(source="provider", read_only=True)
    contract = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    bron = serializers.ChoiceField(source="source", choices=SignalSource.choices)
    onderwerp = serializers.SerializerMethodField(help_text="De KPI (code) of de financiële toets.")
    periode = serializers.DateField(source="period")
    niveau = serializers.ChoiceField(source="level", choices=Level.choices)
    waarde = serializers.DecimalField(
        source="value", max_digits=14, decimal_places=2, allow_null=True
    )
    norm = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    melding = serializers.CharField(source="message")
    status = serializers.ChoiceField(choices=SignalStatus.choices)
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
        return API_KPIS.get(obj.topic, obj.topic)


class SignalFilterSet(django_filters.FilterSet):
    aanbieder = django_filters.NumberFilter(field_name="provider")
    contract = django_filters.NumberFilter(field_name="contract")
    niveau = django_filters.ChoiceFilter(field_name="level", choices=Level.choices)
    status = django_filters.ChoiceFilter(field_name="status", choices=SignalStatus.choices)
    bron = django_filters.ChoiceFilter(field_name="source", choices=SignalSource.choices)
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
