"""API resource of the providers. Reference data: any client of the region; a municipality's
client sees the providers delivering in it, a provider's client itself (core.scoping)."""

from rest_framework import serializers

from core.api.filters import api_filterset, ordering
from core.api.views import ScopedReadViewSet

from . import selectors
from .filters import ProviderFilterSet
from .models import Provider


class ProviderSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    regio = serializers.SlugRelatedField(source="region", slug_field="slug", read_only=True)
    naam = serializers.CharField(source="name")
    soort = serializers.CharField(
        source="kind", help_text="instelling, zzp, samenwerkingsverband …"
    )
    kvkNummer = serializers.CharField(source="kvk_number")
    agbCode = serializers.CharField(source="agb_code")
    reikwijdte = serializers.CharField(source="reach")
    identiteitsgebonden = serializers.BooleanField(source="identity_bound")
    vestigingsplaats = serializers.CharField(source="city")
    website = serializers.CharField()
    jeugdhulpvormen = serializers.PrimaryKeyRelatedField(
        source="care_forms", many=True, read_only=True
    )
    gemeenten = serializers.PrimaryKeyRelatedField(
        source="municipalities_served",
        many=True,
        read_only=True,
        help_text="Ids van de gemeenten waar de aanbieder levert.",
    )

    class Meta:
        model = Provider
        fields = [
            "id",
            "regio",
            "naam",
            "soort",
            "kvkNummer",
            "agbCode",
            "reikwijdte",
            "identiteitsgebonden",
            "vestigingsplaats",
            "website",
            "jeugdhulpvormen",
            "gemeenten",
        ]


class ProviderViewSet(ScopedReadViewSet):
    """Aanbieders (en samenwerkingsverbanden) van de regio."""

    model = Provider
    serializer_class = ProviderSerializer
    filterset_class = api_filterset(
        ProviderFilterSet,
        {
            "q": "zoek",
            "kind": "soort",
            "reach": "reikwijdte",
            "care_form": "jeugdhulpvorm",
            "municipality": "gemeente",
            "identity_bound": "identiteitsgebonden",
            "admissible": "toelaatbaar",
            "admissible_for": None,
        },
        sorteer=ordering(("name", "naam"), ("city", "vestigingsplaats")),
    )

    def base_queryset(self):
        return selectors.with_admissibility(
            Provider.objects.select_related("region").prefetch_related(
                "care_forms", "municipalities_served"
            )
        )
