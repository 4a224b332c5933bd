"""/portaal/<provider>/…: the portal's contracts pages (after the award): contracts, production
deliveries, API keys."""

from django.urls import path

from . import views_contracts as v

urlpatterns = [
    path("contracten/", v.ContractListView.as_view(), name="contracts"),
    path("contracten/<int:pk>/", v.ContractDetailView.as_view(), name="contract-detail"),
    path("productie/", v.ProductionListView.as_view(), name="production"),
    path("productie/aanleveren/", v.ProductionUploadView.as_view(), name="production-upload"),
    path("productie/<int:pk>/", v.BatchDetailView.as_view(), name="batch-detail"),
    path("productie/<int:pk>/status/", v.BatchStatusView.as_view(), name="batch-status"),
    path("productie/<int:pk>/fouten.csv", v.BatchErrorsCsvView.as_view(), name="batch-errors"),
    path("api-sleutels/", v.ApiKeysView.as_view(), name="api-keys"),
    path(
        "api-sleutels/<int:pk>/intrekken/",
        v.ApiClientRevokeView.as_view(),
        name="api-client-revoke",
    ),
]
