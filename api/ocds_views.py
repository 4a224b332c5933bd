"""Open data: GET /api/v1/regios/<code>/ocds, the region's OCDS release package (public)."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from core.api.throttling import PublicRateThrottle
from core.api.views import ApiView
from segments.models import Region

from .ocds import release_package

DESCRIPTION = (
    "Open data: de aanbestedingen, gunningen en contracten van de regio als OCDS 1.1 "
    "release package (Open Contracting Data Standard), met de extensies voor percelen (lots), "
    "de uitsplitsing van gunningscriteria (award criteria breakdown) en metrics (de KPI-"
    "afspraken en budgetten van een contract). Openbaar: geen sleutel nodig, wel een limiet "
    "per adres. Er staan geen concepten in, geen namen van afgewezen inschrijvers en geen "
    "scores. Bedragen zijn getallen in euro's; datums in UTC. De ocid-prefix is die van de "
    "installatie (instelling OCDS_OCID_PREFIX, bij het Open Contracting Partnership "
    "geregistreerd); zolang die niet is ingesteld staat er de plaatshouder 'ocds-jk0000'."
)


class OcdsReleasePackageView(ApiView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="regio_ocds",
        tags=["open data"],
        summary="OCDS release package van de regio",
        description=DESCRIPTION,
        auth=[],
        parameters=[
            OpenApiParameter(
                "code",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="Korte code (slug) van de regio.",
            )
        ],
        responses={
            200: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description="Een OCDS 1.1 release package (application/json), te valideren "
                "met het release-package-schema van OCDS 1.1 en de genoemde extensies.",
            ),
        },  # 404 (unknown region) and 429: problem+json, added by core.api.schema
    )
    def get(self, request, code):
        region = Region.objects.filter(slug=code).first()
        if region is None:
            raise exceptions.NotFound(_("Deze regio bestaat niet."))
        package = release_package(region, base_uri=request.build_absolute_uri(request.path))
        return Response(package, content_type="application/json")
