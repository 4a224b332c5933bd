"""The write endpoint of the API: deliveries of production data, and their status."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import BaseParser
from rest_framework.response import Response

from core.api.enums import MonthField
from core.api.scopes import ApiScope
from core.api.views import Conflict, ScopedReadViewSet
from monitoring.models import DatasetKind, ImportFormat, ImportStatus

from . import production
from .models import ProductionSubmission, SubmissionStatus

PROBLEM = {"$ref": "#/components/schemas/Problem"}

STATUS = {
    ImportStatus.QUEUED: SubmissionStatus.QUEUED,
    ImportStatus.RUNNING: SubmissionStatus.RUNNING,
    ImportStatus.SUCCEEDED: SubmissionStatus.SUCCEEDED,
    ImportStatus.REJECTED: SubmissionStatus.REJECTED,
    ImportStatus.FAILED: SubmissionStatus.FAILED,
}
FORMATS = {
    "application/json": ImportFormat.JSON,
    "text/csv": ImportFormat.CSV,
    # iJw 3.2 messages as they are: one XML message, or a zip of messages (docs/import.md)
    "application/xml": ImportFormat.IJW,
    "text/xml": ImportFormat.IJW,
    "application/zip": ImportFormat.IJW,
}


class RawParser(BaseParser):
    """Leaves the body alone: the view streams it to the spool file itself."""

    def parse(self, stream, media_type=None, parser_context=None):
        return stream


class JsonBodyParser(RawParser):
    media_type = "application/json"


class CsvBodyParser(RawParser):
    media_type = "text/csv"


class XmlBodyParser(RawParser):
    media_type = "application/xml"


class TextXmlBodyParser(RawParser):
    media_type = "text/xml"


class ZipBodyParser(RawParser):
    media_type = "application/zip"


class ErrorSerializer(serializers.Serializer):
    regel = serializers.IntegerField(help_text="Regelnummer (CSV: de kopregel is 1).")
    kolom = serializers.CharField()
    melding = serializers.CharField()


class SubmissionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    idempotentieSleutel = serializers.CharField(source="idempotency_key")
    # the batch's kind: for iJw messages the messages say what they hold
    soort = serializers.ChoiceField(source="batch.kind", choices=DatasetKind.choices)
    status = serializers.SerializerMethodField()
    aangebodenOp = serializers.DateTimeField(source="created_at")
    gestartOp = serializers.DateTimeField(source="batch.started_at", allow_null=True)
    klaarOp = serializers.DateTimeField(source="batch.finished_at", allow_null=True)
    regelsTotaal = serializers.IntegerField(source="batch.rows_total")
    regelsVerwerkt = serializers.IntegerField(source="batch.rows_done")
    regelsToegevoegd = serializers.IntegerField(source="batch.rows_added")
    regelsAlAanwezig = serializers.IntegerField(source="batch.rows_unchanged")
    regelsGecorrigeerd = serializers.IntegerField(source="batch.rows_corrected")
    aantalFouten = serializers.IntegerField(source="batch.error_count")
    fouten = serializers.SerializerMethodField()
    melding = serializers.CharField(source="batch.message")
    maanden = serializers.ListField(
        source="batch.months",
        child=MonthField(),
        help_text="De maanden (JJJJ-MM) waarvan de KPI's zijn bijgewerkt.",
    )

    class Meta:
        model = ProductionSubmission
        fields = [
            "id",
            "idempotentieSleutel",
            "soort",
            "status",
            "aangebodenOp",
            "gestartOp",
            "klaarOp",
            "regelsTotaal",
            "regelsVerwerkt",
            "regelsToegevoegd",
            "regelsAlAanwezig",
            "regelsGecorrigeerd",
            "aantalFouten",
            "fouten",
            "melding",
            "maanden",
        ]

    def get_status(self, obj) -> SubmissionStatus:
        return STATUS[obj.batch.status]

    @extend_schema_field(ErrorSerializer(many=True))
    def get_fouten(self, obj) -> list[dict]:
        return [
            {
                "regel": e.get("row", 0),
                "kolom": e.get("column", ""),
                "melding": e.get("message", ""),
            }
            for e in obj.batch.errors or []
        ]


class SubmissionViewSet(ScopedReadViewSet):
    """Aanleveringen van productiegegevens (declaraties, trajecten, toewijzingen, verwijzingen,
    uitkomstmetingen, bezetting) door deze client, en hun status."""

    model = ProductionSubmission
    serializer_class = SubmissionSerializer
    read_scope = ApiScope.WRITE_PRODUCTION
    write_scope = ApiScope.WRITE_PRODUCTION
    parser_classes = [
        JsonBodyParser,
        CsvBodyParser,
        XmlBodyParser,
        TextXmlBodyParser,
        ZipBodyParser,
    ]
    filterset_class = None

    def base_queryset(self):
        return ProductionSubmission.objects.select_related("batch")

    def get_queryset(self):
        # a client sees its own deliveries only
        return super().get_queryset().filter(client=self.request.user)

    @extend_schema(
        summary="Productiegegevens aanleveren",
        description=(
            'Levert één soort productiegegevens aan, als JSON (`{"soort": …, "regels": '
            "[{kolom: waarde, …}]}`), CSV (`;`, kopregel) of als iJw 3.2-berichten zoals ze "
            "zijn (JW301, JW305/JW307, JW323 met eventueel JW325: één bericht als "
            "`application/xml` of een zip van berichten als `application/zip`; de berichten "
            "bepalen de soort), in dezelfde formaten als het importscherm (zie docs/import.md). "
            "Alles of niets: bij één fout wordt niets "
            "geïmporteerd en staan de fouten per regel en kolom in het antwoord. Een kleine "
            "aanlevering wordt meteen verwerkt (201); een grote komt in de wachtrij (202) en "
            "de status is te volgen via de `Location`. Dezelfde `Idempotency-Key` met dezelfde "
            "inhoud geeft de eerdere aanlevering terug (200) en importeert niets opnieuw; met "
            "andere inhoud volgt 409."
        ),
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                pattern=production.KEY_PATTERN.pattern,
                description="Een sleutel van de client die deze aanlevering uniek maakt.",
            ),
            OpenApiParameter(
                "soort",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                required=False,
                enum=DatasetKind.values,
                description=(
                    "Wat de aanlevering bevat; verplicht bij JSON en CSV. Bij iJw-berichten "
                    "bepalen de berichten de soort (een andere opgegeven soort wordt genegeerd)."
                ),
            ),
        ],
        request={
            "application/json": inline_serializer(
                "ProductieAanleveringJson",
                {
                    "soort": serializers.ChoiceField(choices=DatasetKind.choices, required=False),
                    "regels": serializers.ListField(child=serializers.DictField()),
                },
            ),
            "text/csv": OpenApiTypes.STR,
            "application/xml": OpenApiTypes.BINARY,
            "application/zip": OpenApiTypes.BINARY,
        },
        responses={
            200: OpenApiResponse(SubmissionSerializer, description="Eerder aangeleverd."),
            201: OpenApiResponse(SubmissionSerializer, description="Verwerkt."),
            202: OpenApiResponse(SubmissionSerializer, description="In de wachtrij."),
            (409, "application/problem+json"): OpenApiResponse(
                PROBLEM, description="De Idempotency-Key is al gebruikt voor andere inhoud."
            ),
            (413, "application/problem+json"): OpenApiResponse(
                PROBLEM, description="De aanlevering is te groot."
            ),
            (415, "application/problem+json"): OpenApiResponse(
                PROBLEM,
                description=(
                    "Alleen application/json, text/csv, application/xml en application/zip."
                ),
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        media_type = (request.content_type or "").split(";")[0].strip().lower()
        file_format = FORMATS.get(media_type)
        if file_format is None:
            raise exceptions.UnsupportedMediaType(media_type or "-")
        kind = request.query_params.get("soort", "")
        if file_format == ImportFormat.IJW and not kind:
            kind = DatasetKind.DECLARATIONS  # the import takes the kind from the messages
        if kind not in DatasetKind.values:
            raise exceptions.ValidationError(
                {
                    "soort": [
                        _("Kies een van: %(kinds)s.") % {"kinds": ", ".join(DatasetKind.values)}
                    ]
                }
            )
        try:
            outcome = production.submit(
                client=request.user,
                key=request.headers.get("Idempotency-Key", ""),
                kind=kind,
                file_format=file_format,
                stream=request.stream or _Empty(),
                suffix="zip" if media_type == "application/zip" else None,
            )
        except production.KeyConflict as conflict:
            raise Conflict(conflict.message) from conflict
        except production.SubmissionError as error:
            if error.status == 413:
                raise TooLarge(error.message) from error
            if error.status == 403:
                raise exceptions.PermissionDenied(error.message) from error
            raise exceptions.ValidationError({error.field or "body": [error.message]}) from error
        submission = outcome.submission
        data = SubmissionSerializer(submission, context={"request": request}).data
        if not outcome.created:
            code = status.HTTP_200_OK
        elif production.is_finished(submission):
            code = status.HTTP_201_CREATED
        else:
            code = status.HTTP_202_ACCEPTED
        location = request.build_absolute_uri(f"/api/v1/productie-aanleveringen/{submission.pk}")
        return Response(data, status=code, headers={"Location": location})


class _Empty:
    def read(self, size=-1):
        return b""


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("Te groot.")
