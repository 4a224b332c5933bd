"""Reports under /regios/<region>/rapportages/ (see ``views`` for who may do what)."""

from django.urls import path

from . import views as v

app_name = "reports"

urlpatterns = [
    path("", v.ReportListView.as_view(), name="report-list"),
    path("nieuw/", v.ReportCreateView.as_view(), name="report-create"),
    path("<int:pk>/", v.ReportDetailView.as_view(), name="report-detail"),
    path("<int:pk>/opnieuw/", v.ReportRegenerateView.as_view(), name="report-regenerate"),
    path("<int:pk>/html/", v.ReportHtmlView.as_view(), name="report-html"),
    path("<int:pk>/pdf/", v.ReportPdfView.as_view(), name="report-pdf"),
    path("abonnementen/", v.SubscriptionListView.as_view(), name="subscription-list"),
    path(
        "abonnementen/<int:pk>/verwijderen/",
        v.SubscriptionDeleteView.as_view(),
        name="subscription-delete",
    ),
    path("schema/", v.ScheduleListView.as_view(), name="schedule-list"),
    path("schema/<int:pk>/", v.ScheduleUpdateView.as_view(), name="schedule-update"),
    path("schema/<int:pk>/nu-uitvoeren/", v.ScheduleRunView.as_view(), name="schedule-run"),
    path("verdeelsleutel/", v.BudgetSharesView.as_view(), name="budget-shares"),
]
