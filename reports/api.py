"""API resource of the reports: metadata of each report and its current PDF.

Scope ``cijfers-lezen``. ``Report.objects.visible_to(client)``: a municipality's client reads its
own municipality's reports and the board summary, a provider's client the provider reports
about itself, a regional system every report of the region."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer

from core.api.enums import DutchChoiceField
from core.api.filters import api_filterset, ordering
from core.api.scopes import ApiScope
from core.api.views import ScopedReadViewSet

from .filters import ReportFilterSet
from .models import Report, ReportKind, ReportStatus


class PdfRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class ReportSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    regio = serializers.SlugRelatedField(source="region", slug_field="slug", read_only=True)
    soort = DutchChoiceField(ReportKind, source="kind")
    onderwerp = serializers.CharField(source="subject_name")
    aanbieder = serializers.PrimaryKeyRelatedField(
        source="provider", read_only=True, allow_null=True
    )
    segment = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    gemeente = serializers.PrimaryKeyRelatedField(
        source="municipality", read_only=True, allow_null=True
    )
    periode = serializers.CharField(source="period", help_text="2026-10, 2026-K3 of 2026.")
    eersteDag = serializers.DateField(source="period_start")
    laatsteDag = serializers.DateField(source="period_end")
    status = DutchChoiceField(ReportStatus)
    versie = serializers.IntegerField(source="current.number", allow_null=True, default=None)
    gemaaktOp = serializers.DateTimeField(
        source="current.generated_at", allow_null=True, default=None
    )
    paginas = serializers.IntegerField(source="current.pages", allow_null=True, default=None)
    grootte = serializers.IntegerField(
        source="current.size", allow_null=True, default=None, help_text="Bytes van de PDF."
    )
    sha256 = serializers.CharField(source="current.sha256", allow_null=True, default=None)
    pdf = serializers.SerializerMethodField(help_text="Adres van de PDF (als die klaar is).")

    class Meta:
        model = Report
        fields = [
            "id",
            "regio",
            "soort",
            "onderwerp",
            "aanbieder",
            "segment",
            "gemeente",
            "periode",
            "eersteDag",
            "laatsteDag",
            "status",
            "versie",
            "gemaaktOp",
            "paginas",
            "grootte",
            "sha256",
            "pdf",
        ]

    def get_pdf(self, obj) -> str | None:
        version = obj.current
        if version is None or version.status != ReportStatus.READY or not version.file:
            return None
        request = self.context.get("request")
        path = f"/api/v1/rapportages/{obj.pk}/pdf"
        return request.build_absolute_uri(path) if request is not None else path


class ReportViewSet(ScopedReadViewSet):
    """Rapportages (aanbieder, segment, gemeente, bestuurlijke samenvatting): gegevens van de
    huidige versie en de PDF."""

    model = Report
    serializer_class = ReportSerializer
    read_scope = ApiScope.READ_FIGURES
    filterset_class = api_filterset(
        ReportFilterSet, {}, sorteer=ordering(("period_start", "periode"), ("kind", "soort"))
    )

    def base_queryset(self):
        return Report.objects.select_related("region", "current")

    @extend_schema(
        summary="De PDF van een rapportage",
        description="De huidige versie van de rapportage als PDF (tagged, A4).",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="De PDF."),
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[PdfRenderer], pagination_class=None)
    def pdf(self, request, *args, **kwargs):
        report = self.get_object()
        version = report.current
        if version is None or version.status != ReportStatus.READY or not version.file:
            raise NotFound("Deze rapportage heeft (nog) geen PDF.")
        try:
            handle = version.file.open("rb")
        except FileNotFoundError as exc:
            raise NotFound("Het bestand van deze rapportage ontbreekt.") from exc
        return FileResponse(
            handle,
            as_attachment=True,
            filename=version.filename,
            content_type="application/pdf",
        )
