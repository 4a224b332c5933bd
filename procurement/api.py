"""API resource of the tenders: their public part only.

Any client of the region reads the procedures once published (``Tender.scope_municipal_q`` /
``scope_provider_q``: never a draft); submissions, scores and the assessment are never served."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.enums import DutchChoiceField
from core.api.filters import api_filterset, ordering
from core.api.views import RegionRelatedField, ScopedReadViewSet, ScopedWriteViewSet

from . import services
from .codes import ProcedureType, TenderState
from .filters import TenderFilterSet
from .models import AdmissionCondition, AwardCriterion, Lot, Strategy, Tender


class LotSerializer(serializers.ModelSerializer):
    nummer = serializers.IntegerField(source="number")
    titel = serializers.CharField(source="title")
    segment = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Lot
        fields = ["id", "nummer", "titel", "segment"]


class CriterionSerializer(serializers.ModelSerializer):
    naam = serializers.CharField(source="name")
    omschrijving = serializers.CharField(source="description")
    weging = serializers.DecimalField(
        source="weight", max_digits=5, decimal_places=2, help_text="Procent."
    )

    class Meta:
        model = AwardCriterion
        fields = ["naam", "omschrijving", "weging"]


class ConditionSerializer(serializers.ModelSerializer):
    code = serializers.CharField(help_text="Korte code, uniek binnen de strategie of procedure.")
    tekst = serializers.CharField(source="text", help_text="De voorwaarde voluit.")
    herkomst = serializers.SerializerMethodField(
        help_text="'strategie': afgesproken in de inkoopstrategie (geldt voor al haar "
        "procedures); 'procedure': afgesproken voor deze procedure."
    )

    class Meta:
        model = AdmissionCondition
        fields = ["code", "tekst", "herkomst"]

    def get_herkomst(self, obj) -> str:
        return "strategie" if obj.strategy_id else "procedure"


class TenderSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    regio = serializers.SlugRelatedField(source="region", slug_field="slug", read_only=True)
    kenmerk = serializers.CharField(source="reference")
    titel = serializers.CharField(source="title")
    procedure = DutchChoiceField(ProcedureType, source="procedure_type")
    fase = DutchChoiceField(TenderState, source="state")
    omschrijving = serializers.CharField(source="description")
    tenderNedKenmerk = serializers.CharField(source="tenderned_reference")
    sluitingstermijn = serializers.DateTimeField(source="submission_deadline", allow_null=True)
    beoogdeStartContracten = serializers.DateField(source="contract_start", allow_null=True)
    inkoopstrategie = serializers.PrimaryKeyRelatedField(
        source="strategy",
        read_only=True,
        help_text="De inkoopstrategie waaruit de procedure is gestart (leeg: geen).",
    )
    percelen = LotSerializer(source="lots", many=True, read_only=True)
    gunningscriteria = CriterionSerializer(source="criteria", many=True, read_only=True)
    voorwaardenVoorOpenen = serializers.SerializerMethodField(
        method_name="get_conditions",
        help_text="Toelatingsprocedure met voorwaarden: de vooraf afgesproken voorwaarden "
        "waaronder de toelating wordt geopend (die van de procedure en van haar "
        "inkoopstrategie). Leeg bij andere procedures.",
    )

    class Meta:
        model = Tender
        fields = [
            "id",
            "regio",
            "kenmerk",
            "titel",
            "procedure",
            "fase",
            "omschrijving",
            "tenderNedKenmerk",
            "sluitingstermijn",
            "beoogdeStartContracten",
            "inkoopstrategie",
            "percelen",
            "gunningscriteria",
            "voorwaardenVoorOpenen",
        ]

    @extend_schema_field(ConditionSerializer(many=True))
    def get_conditions(self, obj):
        if obj.procedure_type != ProcedureType.CONDITIONAL_ADMISSION:
            return []
        inherited = list(obj.strategy.conditions.all()) if obj.strategy_id else []
        rows = sorted([*obj.conditions.all(), *inherited], key=lambda c: (c.code, c.pk))
        return ConditionSerializer(rows, many=True).data


class TenderViewSet(ScopedReadViewSet):
    """Aanbestedingen en toelatingsprocedures van de regio, vanaf hun publicatie: het openbare
    deel (procedure, fase, percelen, gunningscriteria). Inschrijvingen en scores niet."""

    model = Tender
    serializer_class = TenderSerializer
    filterset_class = api_filterset(
        TenderFilterSet,
        {"q": "zoek", "procedure_type": "procedure", "state": "fase"},
        sorteer=ordering(("reference", "kenmerk"), ("submission_deadline", "sluitingstermijn")),
    )

    def base_queryset(self):
        return Tender.objects.select_related("region", "strategy").prefetch_related(
            "lots", "criteria", "conditions", "strategy__conditions"
        )

    def get_queryset(self):
        # The public part for every client, also a regional system (which reads the region as a
        # viewer would, drafts included): the API publishes no draft.
        from .codes import TenderState as State

        return super().get_queryset().exclude(state=State.DRAFT)


class AdmissionConditionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    regio = serializers.SlugRelatedField(source="region", slug_field="slug", read_only=True)
    inkoopstrategie = RegionRelatedField(
        Strategy,
        source="strategy",
        required=False,
        allow_null=True,
        default=None,
        help_text="De strategie waarop de voorwaarde is afgesproken (geldt dan voor al haar "
        "procedures). Precies een van inkoopstrategie en aanbesteding; vast na het aanmaken.",
    )
    aanbesteding = RegionRelatedField(
        Tender,
        source="tender",
        required=False,
        allow_null=True,
        default=None,
        help_text="De procedure waarop de voorwaarde is afgesproken.",
    )
    code = serializers.CharField(max_length=20)
    tekst = serializers.CharField(source="text")

    class Meta:
        model = AdmissionCondition
        fields = ["id", "regio", "inkoopstrategie", "aanbesteding", "code", "tekst"]
        validators: list = []

    def validate(self, attrs):
        if self.instance is not None:
            moved = [
                name
                for name, source in (("inkoopstrategie", "strategy"), ("aanbesteding", "tender"))
                if name in self.initial_data and attrs.get(source) != getattr(self.instance, source)
            ]
            if moved:
                raise serializers.ValidationError(
                    {
                        name: [_("Een voorwaarde verhuist niet; leg een nieuwe vast.")]
                        for name in moved
                    }
                )
        elif (attrs.get("strategy") is None) == (attrs.get("tender") is None):
            raise serializers.ValidationError(
                {"inkoopstrategie": [_("Noem precies één van inkoopstrategie en aanbesteding.")]}
            )
        return attrs


class AdmissionConditionViewSet(ScopedWriteViewSet):
    """Voorwaarden waaronder een toelatingsprocedure met voorwaarden mag worden geopend,
    afgesproken op een inkoopstrategie of op een procedure. Een voorwaarde waarmee een venster
    is geopend, wordt niet meer gewijzigd of verwijderd."""

    model = AdmissionCondition
    serializer_class = AdmissionConditionSerializer
    filterset_class = None
    create_service = services.admission_condition_create
    update_service = services.admission_condition_update
    delete_service = services.admission_condition_delete
    object_kwarg = "admission_condition"

    def create_kwargs(self) -> dict:
        return {}  # the region is the strategy's or the procedure's

    def base_queryset(self):
        return AdmissionCondition.objects.select_related("region").order_by("pk")
