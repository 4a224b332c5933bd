"""Reports under /regios/<region>/rapportages/ (see ``views`` for who may do what)."""

from django.urls import path

from . import views as v
from . import views_settings as s

app_name = "reports"

urlpatterns = [
    path("", v.ReportListView.as_view(), name="report-list"),
    path("nieuw/", v.ReportCreateView.as_view(), name="report-create"),
    path("<int:pk>/", v.ReportDetailView.as_view(), name="report-detail"),
    path("<int:pk>/status/", v.ReportStatusView.as_view(), name="report-status"),
    path("voortgang/<str:kind>/<str:period>/", v.ReportRunStatusView.as_view(), name="run-status"),
    path("<int:pk>/opnieuw/", v.ReportRegenerateView.as_view(), name="report-regenerate"),
    path("<int:pk>/html/", v.ReportHtmlView.as_view(), name="report-html"),
    path("<int:pk>/pdf/", v.ReportPdfView.as_view(), name="report-pdf"),
    path("abonnementen/", s.SubscriptionListView.as_view(), name="subscription-list"),
    path(
        "abonnementen/<int:pk>/verwijderen/",
        s.SubscriptionDeleteView.as_view(),
        name="subscription-delete",
    ),
    path("schema/", s.ScheduleListView.as_view(), name="schedule-list"),
    path("schema/<int:pk>/", s.ScheduleUpdateView.as_view(), name="schedule-update"),
    path("schema/<int:pk>/nu-uitvoeren/", s.ScheduleRunView.as_view(), name="schedule-run"),
    path("verdeelsleutel/", s.BudgetSharesView.as_view(), name="budget-shares"),
]
