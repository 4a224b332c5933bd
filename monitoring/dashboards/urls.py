"""Dashboards and the drill-down (under /regios/<region>/monitoring/)."""

from django.urls import path

from monitoring.dashboards import views as v
from monitoring.dashboards import views_lines, views_occupancy

urlpatterns = [
    path("", v.RegionDashboardView.as_view(), name="region"),
    path("aanbieders/<int:pk>/", v.ProviderDashboardView.as_view(), name="provider"),
    path("segmenten/<int:pk>/", v.SegmentDashboardView.as_view(), name="segment"),
    path("gemeenten/<int:pk>/", v.MunicipalityDashboardView.as_view(), name="municipality"),
    path(
        "contracten/<int:pk>/bezetting/",
        views_occupancy.ContractOccupancyView.as_view(),
        name="contract-occupancy",
    ),
    path("dekking/", views_lines.CoverageView.as_view(), name="coverage"),
    path("productie/", views_lines.LinesView.as_view(), name="lines"),
    path("kpi-definities/", views_lines.DefinitionsView.as_view(), name="definitions"),
]
