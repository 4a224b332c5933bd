"""API resources of the providers. Reference data: any client of the region; a municipality's
client sees the providers delivering in it, a provider's client itself (core.scoping). The
region's screening instrument is reference data for every client of the region."""

import django_filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.enums import DutchChoiceField
from core.api.filters import api_filterset, ordering
from core.api.views import RegionRelatedField, ScopedReadViewSet, ScopedWriteViewSet
from segments.models import Segment

from . import selectors, services
from .admissibility import Requirement
from .filters import ProviderFilterSet, ScreeningKindFilterSet
from .models import Provider, ProviderKind, ProviderReach, ScreeningKind


@extend_schema_field(
    {
        "type": "integer",
        "description": "Alleen aanbieders die toelaatbaar zijn voor dit segment (id): ook de "
        "screenings die alleen voor dit segment of een bovenliggend segment vereist zijn.",
    }
)
class SegmentIdFilter(django_filters.ModelChoiceFilter):
    """A segment by its id."""


class ProviderSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    regio = serializers.SlugRelatedField(source="region", slug_field="slug", read_only=True)
    naam = serializers.CharField(source="name")
    soort = DutchChoiceField(ProviderKind, source="kind", read_only=True)
    kvkNummer = serializers.CharField(source="kvk_number")
    agbCode = serializers.CharField(source="agb_code")
    reikwijdte = DutchChoiceField(ProviderReach, source="reach", read_only=True)
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
            "admissible_for": None,  # as the id filter below, with its type in the schema
        },
        toelaatbaarVoorSegment=SegmentIdFilter(
            queryset=Segment.objects.all(),
            method="filter_admissible_for",
            label="Alleen aanbieders die toelaatbaar zijn voor dit segment (id): ook de "
            "screenings die alleen voor dit segment of een bovenliggend segment vereist zijn.",
        ),
        sorteer=ordering(("name", "naam"), ("city", "vestigingsplaats")),
    )

    def base_queryset(self):
        return selectors.with_admissibility(
            Provider.objects.select_related("region").prefetch_related(
                "care_forms", "municipalities_served"
            )
        )


class ScreeningKindSerializer(serializers.ModelSerializer):
    """One kind of screening of a region's instrument (reusable for writes: the fields map
    one to one onto ``providers.services.screening_kind_create``)."""

    id = serializers.IntegerField(read_only=True)
    regio = serializers.SlugRelatedField(source="region", slug_field="slug", read_only=True)
    code = serializers.CharField(max_length=20)
    naam = serializers.CharField(source="name", max_length=120)
    omschrijving = serializers.CharField(
        source="description", allow_blank=True, required=False, help_text="Wat wordt getoetst."
    )
    geldigheidMaanden = serializers.IntegerField(
        source="validity_months",
        allow_null=True,
        required=False,
        min_value=1,
        help_text="Hoe lang een voldoende screening geldig blijft; leeg: onbeperkt.",
    )
    vereist = DutchChoiceField(
        Requirement,
        source="requirement",
        required=False,
        default=Requirement.ALL,
        help_text="geen: niet vereist; alle: voor elke aanbieder; segmenten: alleen voor de "
        "genoemde segmenten (en hun deelsegmenten).",
    )
    segmenten = RegionRelatedField(
        Segment,
        source="segments",
        many=True,
        required=False,
        help_text="Ids van de segmenten waarvoor de screening vereist is (bij vereist=segmenten).",
    )
    inGebruik = serializers.BooleanField(
        source="active",
        required=False,
        help_text="Niet meer in gebruik: nergens meer vereist, niet meer voor nieuwe screenings.",
    )

    class Meta:
        model = ScreeningKind
        fields = [
            "id",
            "regio",
            "code",
            "naam",
            "omschrijving",
            "geldigheidMaanden",
            "vereist",
            "segmenten",
            "inGebruik",
        ]
        validators: list = []  # the service checks the code's uniqueness, as on the page


class ScreeningKindViewSet(ScopedWriteViewSet):
    """Screeningssoorten: het screeningsinstrument van de regio en wat vereist is voor
    toelating. Een soort waarvan screenings zijn vastgelegd, wordt niet verwijderd (409) maar
    op inGebruik=false gezet."""

    model = ScreeningKind
    serializer_class = ScreeningKindSerializer
    create_service = services.screening_kind_create
    update_service = services.screening_kind_update
    delete_service = services.screening_kind_delete
    object_kwarg = "screening_kind"
    filterset_class = api_filterset(
        ScreeningKindFilterSet,
        {"q": "zoek", "requirement": "vereist", "active": "inGebruik"},
        sorteer=ordering(("name", "naam"), ("code", "code")),
    )

    def base_queryset(self):
        return ScreeningKind.objects.select_related("region").prefetch_related("segments")
