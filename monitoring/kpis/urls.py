"""A region's own KPIs and measurement kinds, and a segment's steering KPIs."""

from django.urls import path

from monitoring.kpis import views

urlpatterns = [
    path("eigen-kpis/", views.RegionKpiListView.as_view(), name="regionkpi-list"),
    path("eigen-kpis/nieuw/", views.RegionKpiCreateView.as_view(), name="regionkpi-create"),
    path("eigen-kpis/<int:pk>/", views.RegionKpiDetailView.as_view(), name="regionkpi-detail"),
    path(
        "eigen-kpis/<int:pk>/wijzigen/",
        views.RegionKpiUpdateView.as_view(),
        name="regionkpi-update",
    ),
    path(
        "eigen-kpis/<int:pk>/verwijderen/",
        views.RegionKpiDeleteView.as_view(),
        name="regionkpi-delete",
    ),
    path(
        "soorten-metingen/nieuw/",
        views.MeasurementKindCreateView.as_view(),
        name="measurementkind-create",
    ),
    path(
        "soorten-metingen/<int:pk>/wijzigen/",
        views.MeasurementKindUpdateView.as_view(),
        name="measurementkind-update",
    ),
    path(
        "soorten-metingen/<int:pk>/verwijderen/",
        views.MeasurementKindDeleteView.as_view(),
        name="measurementkind-delete",
    ),
    path(
        "segmenten/<int:pk>/sturing/",
        views.SteeringKpisView.as_view(),
        name="segment-steering",
    ),
]
