"""/api/v1: the REST API. No trailing slashes (API-48); unknown paths are problem+json 404s."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularYAMLAPIView
from rest_framework.routers import SimpleRouter

from api.ocds_views import OcdsReleasePackageView
from contracts.api import BudgetViewSet, ContractViewSet, TariffViewSet
from core.api.schema import RedocView, SwaggerView
from core.api.views import NotFoundView
from monitoring.kpis.api import KpiDefinitionView, KpiValueViewSet
from monitoring.steering.api import SignalViewSet
from procurement.api import AdmissionConditionViewSet, TenderViewSet
from providers.api import ProviderViewSet, ScreeningKindViewSet
from reports.api import ReportViewSet
from segments.api import (
    CareFormViewSet,
    IntensityViewSet,
    MunicipalityViewSet,
    ProductViewSet,
    RegionViewSet,
    SegmentViewSet,
    SupportProfileViewSet,
)

from .endpoints import SubmissionViewSet


def _public(view):
    view.login_required = False
    return view


router = SimpleRouter(trailing_slash=False)
router.register("regios", RegionViewSet, basename="regio")
router.register("gemeenten", MunicipalityViewSet, basename="gemeente")
router.register("segmenten", SegmentViewSet, basename="segment")
router.register("jeugdhulpvormen", CareFormViewSet, basename="jeugdhulpvorm")
router.register("producten", ProductViewSet, basename="product")
router.register("ondersteuningsprofielen", SupportProfileViewSet, basename="ondersteuningsprofiel")
router.register("intensiteiten", IntensityViewSet, basename="intensiteit")
router.register("aanbieders", ProviderViewSet, basename="aanbieder")
router.register("screeningssoorten", ScreeningKindViewSet, basename="screeningssoort")
router.register("aanbestedingen", TenderViewSet, basename="aanbesteding")
router.register("toelatingsvoorwaarden", AdmissionConditionViewSet, basename="toelatingsvoorwaarde")
router.register("contracten", ContractViewSet, basename="contract")
router.register("tarieven", TariffViewSet, basename="tarief")
router.register("budgetten", BudgetViewSet, basename="budget")
router.register("kpi-waarden", KpiValueViewSet, basename="kpi-waarde")
router.register("signalen", SignalViewSet, basename="signaal")
router.register("rapportages", ReportViewSet, basename="rapportage")
router.register("productie-aanleveringen", SubmissionViewSet, basename="productie-aanlevering")

app_name = "api"

urlpatterns = [
    path("openapi.json", _public(SpectacularJSONAPIView.as_view()), name="schema"),
    path("openapi.yaml", _public(SpectacularYAMLAPIView.as_view()), name="schema-yaml"),
    path("docs", _public(SwaggerView.as_view(url_name="api:schema")), name="docs"),
    path("redoc", _public(RedocView.as_view(url_name="api:schema")), name="redoc"),
    path("kpis", KpiDefinitionView.as_view(), name="kpis"),
    path("regios/<slug:code>/ocds", OcdsReleasePackageView.as_view(), name="regio-ocds"),
    *router.urls,
    re_path(r"^.*$", NotFoundView.as_view(), name="not-found"),
]
