"""API resources of the landscape: regions, municipalities, segments, care forms, products.

Reference data: any client of the region reads them (no scope needed). The region's own
configuration (support profiles, intensities) is also written by the region's system, with the
scope ``inrichting-schrijven``."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from core.api.enums import DutchChoiceField
from core.api.filters import api_filterset, ordering
from core.api.scopes import ApiScope
from core.api.views import ScopedReadViewSet, ScopedWriteViewSet

from . import services
from .codes import ParallelRule
from .filters import CareFormFilterSet, MunicipalityFilterSet, ProductFilterSet, SegmentFilterSet
from .models import CareForm, Intensity, Municipality, Product, Region, Segment, SupportProfile


class RegionSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="slug", help_text="Korte code (slug) van de regio.")
    naam = serializers.CharField(source="name")
    aanbestedendeDienst = serializers.CharField(source="contracting_authority")
    toelichting = serializers.CharField(source="description")

    class Meta:
        model = Region
        fields = ["code", "naam", "aanbestedendeDienst", "toelichting"]


class RegionViewSet(ScopedReadViewSet):
    """Regio's: de jeugdregio's waartoe de client behoort."""

    model = Region
    serializer_class = RegionSerializer
    lookup_field = "slug"
    lookup_url_kwarg = "code"
    filterset_class = None
    pagination_class = None

    def base_queryset(self):
        return Region.objects.all()


class MunicipalitySerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    regio = serializers.SlugRelatedField(source="region", slug_field="slug", read_only=True)
    cbsCode = serializers.CharField(source="cbs_code", help_text="Gemeentecode van het CBS.")
    naam = serializers.CharField(source="name")

    class Meta:
        model = Municipality
        fields = ["id", "regio", "cbsCode", "naam"]


class MunicipalityCodesSerializer(serializers.Serializer):
    cbsCodes = serializers.ListField(
        child=serializers.CharField(max_length=10),
        min_length=1,
        max_length=400,
        help_text="CBS-gemeentecodes (GMnnnn) van de gemeenten die bij de regio komen.",
    )


class MunicipalityViewSet(ScopedReadViewSet):
    """Gemeenten van de regio. Een gemeente-client ziet alleen zijn eigen gemeente. Het systeem
    van de regio (scope inrichting-schrijven) voegt gemeenten toe op CBS-code."""

    model = Municipality
    serializer_class = MunicipalitySerializer
    write_scope = ApiScope.WRITE_CONFIGURATION
    http_method_names = ["get", "post", "head", "options"]
    filterset_class = api_filterset(
        MunicipalityFilterSet,
        {"q": "zoek"},
        sorteer=ordering(("name", "naam"), ("cbs_code", "cbsCode")),
    )

    def base_queryset(self):
        return Municipality.objects.select_related("region")

    @extend_schema(
        summary="Gemeenten toevoegen op CBS-code",
        description=(
            "Voegt een of meer gemeenten toe aan de regio van de client, met de naam uit de "
            "CBS-gemeentelijst die Jeugdinkoop meelevert. Alles of niets: elke code die niet kan "
            "(geen gemeentecode, opgeheven en opgegaan in een andere gemeente, al in deze of een "
            "andere regio, dubbel genoemd) staat met de reden bij cbsCodes, en dan wordt niets "
            "toegevoegd."
        ),
        request=MunicipalityCodesSerializer,
        responses={201: MunicipalitySerializer(many=True)},
    )
    def create(self, request, *args, **kwargs):
        codes = MunicipalityCodesSerializer(data=request.data)
        codes.is_valid(raise_exception=True)
        try:
            added = services.municipality_add_by_codes(
                region=request.user.region,
                codes=codes.validated_data["cbsCodes"],
                user=request.user,
                field="cbsCodes",
            )
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from exc
        data = MunicipalitySerializer(added, many=True, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class CareFormSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    regio = serializers.SlugRelatedField(source="region", slug_field="slug", read_only=True)
    naam = serializers.CharField(source="name")
    omschrijving = serializers.CharField(source="description")

    class Meta:
        model = CareForm
        fields = ["id", "regio", "code", "naam", "omschrijving"]


class CareFormViewSet(ScopedReadViewSet):
    """Jeugdhulpvormen van de regio."""

    model = CareForm
    serializer_class = CareFormSerializer
    filterset_class = api_filterset(
        CareFormFilterSet, {"q": "zoek"}, sorteer=ordering(("name", "naam"), ("code", "code"))
    )

    def base_queryset(self):
        return CareForm.objects.select_related("region")


class SegmentSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    regio = serializers.SlugRelatedField(source="region", slug_field="slug", read_only=True)
    naam = serializers.CharField(source="name")
    omschrijving = serializers.CharField(source="description")
    doelgroep = serializers.CharField(source="target_group")
    bovenliggendSegment = serializers.PrimaryKeyRelatedField(
        source="parent",
        read_only=True,
        allow_null=True,
        help_text="Id van het hoofdsegment (leeg: hoofdsegment).",
    )
    regionaalIngekocht = serializers.BooleanField(source="bought_regionally")
    jeugdhulpvormen = serializers.PrimaryKeyRelatedField(
        source="care_forms", many=True, read_only=True
    )

    class Meta:
        model = Segment
        fields = [
            "id",
            "regio",
            "code",
            "naam",
            "omschrijving",
            "doelgroep",
            "bovenliggendSegment",
            "regionaalIngekocht",
            "jeugdhulpvormen",
        ]


class SegmentViewSet(ScopedReadViewSet):
    """Segmenten (en deelsegmenten) waarin de regio inkoopt."""

    model = Segment
    serializer_class = SegmentSerializer
    filterset_class = api_filterset(
        SegmentFilterSet,
        {"q": "zoek", "care_form": "jeugdhulpvorm", "bought_regionally": "regionaalIngekocht"},
        sorteer=ordering(("code", "code"), ("name", "naam")),
    )

    def base_queryset(self):
        return Segment.objects.select_related("region").prefetch_related("care_forms")


class ProductSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    regio = serializers.SlugRelatedField(source="region", slug_field="slug", read_only=True)
    productcode = serializers.CharField(source="code")
    naam = serializers.CharField(source="name")
    jeugdhulpvorm = serializers.PrimaryKeyRelatedField(source="care_form", read_only=True)
    productcategorie = serializers.CharField(source="category", help_text="iJw-productcategorie.")
    eenheid = serializers.CharField(source="unit", help_text="iJw-eenheid (code).")
    intensiteit = serializers.CharField(
        source="intensity.code",
        default="",
        read_only=True,
        help_text="Code van de intensiteit van een profielproduct; leeg bij andere producten.",
    )

    class Meta:
        model = Product
        fields = [
            "id",
            "regio",
            "productcode",
            "naam",
            "jeugdhulpvorm",
            "productcategorie",
            "eenheid",
            "intensiteit",
        ]


class ProductViewSet(ScopedReadViewSet):
    """Producten (productcodes) van de regio."""

    model = Product
    serializer_class = ProductSerializer
    filterset_class = api_filterset(
        ProductFilterSet,
        {
            "q": "zoek",
            "care_form": "jeugdhulpvorm",
            "category": "productcategorie",
            "unit": "eenheid",
        },
        sorteer=ordering(("code", "productcode"), ("name", "naam")),
    )

    def base_queryset(self):
        return Product.objects.select_related("region", "intensity")


class SupportProfileSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    regio = serializers.SlugRelatedField(source="region", slug_field="slug", read_only=True)
    nummer = serializers.IntegerField(source="number", min_value=1, max_value=32767)
    naam = serializers.CharField(source="name", max_length=200)
    omschrijving = serializers.CharField(
        source="description", required=False, allow_blank=True, default=""
    )
    nietMeerInGebruik = serializers.BooleanField(
        source="retired",
        required=False,
        help_text="Niet meer aangeboden voor nieuwe producten; bestaande blijven staan.",
    )

    class Meta:
        model = SupportProfile
        fields = ["id", "regio", "nummer", "naam", "omschrijving", "nietMeerInGebruik"]
        validators: list = []  # the service checks uniqueness, as on the page


class SupportProfileViewSet(ScopedWriteViewSet):
    """Ondersteuningsprofielen van de regio (de ondersteuningsbehoefte van een gezin)."""

    model = SupportProfile
    serializer_class = SupportProfileSerializer
    filterset_class = None
    create_service = services.support_profile_create
    update_service = services.support_profile_update
    delete_service = services.support_profile_delete
    object_kwarg = "support_profile"

    def base_queryset(self):
        return SupportProfile.objects.select_related("region").order_by("number")


class IntensitySerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    regio = serializers.SlugRelatedField(source="region", slug_field="slug", read_only=True)
    code = serializers.RegexField(r"^[a-z0-9][a-z0-9_-]*$", max_length=20)
    naam = serializers.CharField(source="name", max_length=100)
    omschrijving = serializers.CharField(
        source="description", required=False, allow_blank=True, default=""
    )
    volgorde = serializers.IntegerField(
        source="position", required=False, default=1, min_value=0, max_value=32767
    )
    naastAnderProfiel = DutchChoiceField(
        ParallelRule,
        source="parallel",
        required=False,
        default=ParallelRule.EXCLUSIVE,
        help_text="Of een product van deze intensiteit naast een ander profiel van hetzelfde "
        "gezin mag lopen: nooit, altijd, of ten hoogste maxDagenNaastAnderProfiel dagen.",
    )
    maxDagenNaastAnderProfiel = serializers.IntegerField(
        source="parallel_max_days",
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=32767,
    )
    nietMeerInGebruik = serializers.BooleanField(source="retired", required=False)

    class Meta:
        model = Intensity
        fields = [
            "id",
            "regio",
            "code",
            "naam",
            "omschrijving",
            "volgorde",
            "naastAnderProfiel",
            "maxDagenNaastAnderProfiel",
            "nietMeerInGebruik",
        ]
        validators: list = []


class IntensityViewSet(ScopedWriteViewSet):
    """Intensiteiten van de regio, met de regel of een product naast een ander profiel mag
    lopen (de afrekening volgt die regel)."""

    model = Intensity
    serializer_class = IntensitySerializer
    filterset_class = None
    create_service = services.intensity_create
    update_service = services.intensity_update
    delete_service = services.intensity_delete
    object_kwarg = "intensity"

    def base_queryset(self):
        return Intensity.objects.select_related("region").order_by("position", "name")
