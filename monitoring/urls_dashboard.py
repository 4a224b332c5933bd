"""Dashboards and the drill-down (under /regios/<region>/monitoring/)."""

from django.urls import path

from . import views_dashboard as v

urlpatterns = [
    path("", v.RegionDashboardView.as_view(), name="region"),
    path("aanbieders/<int:pk>/", v.ProviderDashboardView.as_view(), name="provider"),
    path("segmenten/<int:pk>/", v.SegmentDashboardView.as_view(), name="segment"),
    path("gemeenten/<int:pk>/", v.MunicipalityDashboardView.as_view(), name="municipality"),
    path("dekking/", v.CoverageView.as_view(), name="coverage"),
    path("productie/", v.LinesView.as_view(), name="lines"),
    path("kpi-definities/", v.DefinitionsView.as_view(), name="definitions"),
]
