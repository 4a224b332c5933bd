"""Production imports (under /regios/<region>/monitoring/)."""

from django.urls import path

from monitoring.imports import views as v

urlpatterns = [
    path("imports/", v.ImportListView.as_view(), name="import-list"),
    path("imports/nieuw/", v.ImportCreateView.as_view(), name="import-create"),
    path("imports/handleiding/", v.ImportHelpView.as_view(), name="import-help"),
    path("imports/<int:pk>/", v.ImportDetailView.as_view(), name="import-detail"),
    path("imports/<int:pk>/status/", v.ImportStatusView.as_view(), name="import-status"),
    path("imports/<int:pk>/fouten.csv", v.ImportErrorsCsvView.as_view(), name="import-errors-csv"),
]
