"""API resources of contract management: contracts, tariffs (versions with validity), budgets.

Scope ``contracten-lezen``. What a client sees follows core.scoping: a municipality the
contracts of the segments it takes part in, a provider its own contracts, a regional system all
of the region."""

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.enums import DutchChoiceField, DutchChoiceFilter, to_api
from core.api.filters import api_filterset, ordering
from core.api.scopes import ApiScope
from core.api.views import ScopedReadViewSet

from .codes import ArrangementModel, BudgetKind, ContractStatus, ReportingFrequency, TariffOrigin
from .filters import ContractFilterSet
from .filters_money import TariffFilterSet
from .models import Budget, BudgetRevision, Contract, FundingArrangement, TariffVersion

MONEY = {"max_digits": 12, "decimal_places": 2, "coerce_to_string": True}


class ArrangementSerializer(serializers.ModelSerializer):
    bekostigingsvorm = DutchChoiceField(ArrangementModel, source="model")
    naam = serializers.CharField(source="name")
    geldigVanaf = serializers.DateField(source="valid_from")
    geldigTotEnMet = serializers.DateField(source="valid_until", allow_null=True)

    class Meta:
        model = FundingArrangement
        fields = ["bekostigingsvorm", "naam", "geldigVanaf", "geldigTotEnMet"]


class ContractSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    regio = serializers.SlugRelatedField(source="region", slug_field="slug", read_only=True)
    kenmerk = serializers.CharField(source="reference")
    aanbieder = serializers.PrimaryKeyRelatedField(source="provider", read_only=True)
    aanbiederNaam = serializers.CharField(source="provider.name", read_only=True)
    segment = serializers.PrimaryKeyRelatedField(read_only=True)
    perceel = serializers.PrimaryKeyRelatedField(source="lot", read_only=True, allow_null=True)
    ingangsdatum = serializers.DateField(source="start_date")
    initieleLooptijdJaren = serializers.IntegerField(source="initial_term_years")
    verlengingsoptiesJaren = serializers.ListField(
        source="extension_options", child=serializers.IntegerField()
    )
    einddatum = serializers.DateField(
        source="end_date", allow_null=True, help_text="Einde van de huidige looptijd."
    )
    einddatumNaAlleOpties = serializers.DateField(source="final_end_date", allow_null=True)
    beeindigdPer = serializers.DateField(source="terminated_on", allow_null=True)
    benutteVerlengingen = serializers.IntegerField(source="extensions_used")
    status = serializers.SerializerMethodField(help_text="Volgt uit de datums en gebeurtenissen.")
    strategischPartner = serializers.BooleanField(source="is_strategic_partner")
    acceptatieplicht = serializers.BooleanField(source="acceptance_obligation")
    rapportagefrequentie = DutchChoiceField(ReportingFrequency, source="reporting_frequency")
    bekostiging = ArrangementSerializer(source="arrangements", many=True, read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "regio",
            "kenmerk",
            "aanbieder",
            "aanbiederNaam",
            "segment",
            "perceel",
            "ingangsdatum",
            "initieleLooptijdJaren",
            "verlengingsoptiesJaren",
            "einddatum",
            "einddatumNaAlleOpties",
            "beeindigdPer",
            "benutteVerlengingen",
            "status",
            "strategischPartner",
            "acceptatieplicht",
            "rapportagefrequentie",
            "bekostiging",
        ]

    @extend_schema_field(DutchChoiceField(ContractStatus))
    def get_status(self, obj) -> str:
        return to_api(ContractStatus, obj.status)


class ContractViewSet(ScopedReadViewSet):
    """Contracten met aanbieders: looptijd, status en bekostigingsvormen."""

    model = Contract
    serializer_class = ContractSerializer
    read_scope = ApiScope.READ_CONTRACTS
    filterset_class = api_filterset(
        ContractFilterSet,
        {
            "q": "zoek",
            "provider": "aanbieder",
            "expiring": "looptAfBinnenMaanden",
            "is_strategic_partner": "strategischPartner",
        },
        sorteer=ordering(
            ("reference", "kenmerk"),
            ("start_date", "ingangsdatum"),
            ("end_date", "einddatum"),
            ("provider__name", "aanbieder"),
        ),
    )

    def base_queryset(self):
        return Contract.objects.select_related("region", "provider").prefetch_related(
            "arrangements"
        )


class TariffSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    regio = serializers.SlugRelatedField(source="region", slug_field="slug", read_only=True)
    product = serializers.PrimaryKeyRelatedField(read_only=True)
    productcode = serializers.CharField(source="product.code", read_only=True)
    contract = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Leeg: het regionale tarief."
    )
    geldigVanaf = serializers.DateField(source="valid_from")
    geldigTotEnMet = serializers.DateField(
        source="valid_until", allow_null=True, help_text="Leeg: geldt tot de volgende versie."
    )
    bedrag = serializers.DecimalField(source="amount", **MONEY, help_text="Euro per eenheid.")
    eenheid = serializers.CharField(source="product.unit", read_only=True)
    herkomst = DutchChoiceField(TariffOrigin, source="origin")
    vorigeVersie = serializers.PrimaryKeyRelatedField(
        source="previous", read_only=True, allow_null=True
    )

    class Meta:
        model = TariffVersion
        fields = [
            "id",
            "regio",
            "product",
            "productcode",
            "contract",
            "geldigVanaf",
            "geldigTotEnMet",
            "bedrag",
            "eenheid",
            "herkomst",
            "vorigeVersie",
        ]


class TariffViewSet(ScopedReadViewSet):
    """Tarieven: elke versie met zijn geldigheid. Zonder filter alle versies (de geschiedenis);
    met ``geldigOp`` de versies die op die datum gelden."""

    model = TariffVersion
    serializer_class = TariffSerializer
    read_scope = ApiScope.READ_CONTRACTS
    filterset_class = api_filterset(
        TariffFilterSet,
        {
            "q": "zoek",
            "care_form": "jeugdhulpvorm",
            "valid_on": "geldigOp",
            "versions": None,
            "kind": "soort",
            "origin": "herkomst",
        },
        contract=django_filters.NumberFilter(field_name="contract"),
        product=django_filters.NumberFilter(field_name="product"),
        sorteer=ordering(("valid_from", "geldigVanaf"), ("product__code", "productcode")),
    )

    def base_queryset(self):
        return TariffVersion.objects.select_related("region", "product")


class RevisionSerializer(serializers.ModelSerializer):
    perDatum = serializers.DateField(source="effective_on")
    bedrag = serializers.DecimalField(source="amount", **MONEY)
    reden = serializers.CharField(source="reason")

    class Meta:
        model = BudgetRevision
        fields = ["perDatum", "bedrag", "reden"]


class BudgetSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    contract = serializers.PrimaryKeyRelatedField(read_only=True)
    jaar = serializers.IntegerField(source="year")
    soort = DutchChoiceField(BudgetKind, source="kind")
    ondersteuningsprofiel = serializers.IntegerField(
        source="support_profile.number", read_only=True, allow_null=True, default=None
    )
    oorspronkelijkBedrag = serializers.DecimalField(source="amount", **MONEY)
    huidigBedrag = serializers.DecimalField(
        source="current_amount", read_only=True, **MONEY, help_text="Na de herijkingen."
    )
    herijkingen = RevisionSerializer(source="revisions", many=True, read_only=True)

    class Meta:
        model = Budget
        fields = [
            "id",
            "contract",
            "jaar",
            "soort",
            "ondersteuningsprofiel",
            "oorspronkelijkBedrag",
            "huidigBedrag",
            "herijkingen",
        ]


class BudgetFilterSet(django_filters.FilterSet):
    contract = django_filters.NumberFilter(field_name="contract")
    aanbieder = django_filters.NumberFilter(field_name="contract__provider")
    segment = django_filters.NumberFilter(field_name="contract__segment")
    jaar = django_filters.NumberFilter(field_name="year")
    soort = DutchChoiceFilter(field_name="kind", enum=BudgetKind)
    sorteer = ordering(("year", "jaar"), ("contract__reference", "contract"))

    class Meta:
        model = Budget
        fields = ["contract", "aanbieder", "segment", "jaar", "soort"]


class BudgetViewSet(ScopedReadViewSet):
    """Budgetten per contract en jaar (lumpsum of plafond) met hun herijkingen."""

    model = Budget
    serializer_class = BudgetSerializer
    read_scope = ApiScope.READ_CONTRACTS
    filterset_class = BudgetFilterSet

    def base_queryset(self):
        return Budget.objects.select_related("support_profile").prefetch_related(
            Prefetch("revisions", queryset=BudgetRevision.objects.order_by("effective_on", "pk"))
        )
