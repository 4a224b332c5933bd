"""The regions' public pages under /openbaar/ (no login; docs/public.md)."""

from django.urls import path

from . import views as v

app_name = "public"

urlpatterns = [
    path("", v.IndexView.as_view(), name="index"),
    path("<slug:region>/", v.LandscapeView.as_view(), name="region"),
    path("<slug:region>/aanbestedingen/", v.ProceduresView.as_view(), name="procedures"),
    path(
        "<slug:region>/aanbestedingen/documenten/<int:pk>/",
        v.DocumentView.as_view(),
        name="document",
    ),
    path("<slug:region>/contracten/", v.ContractsView.as_view(), name="contracts"),
    path("<slug:region>/resultaten/", v.OutcomesView.as_view(), name="outcomes"),
]
