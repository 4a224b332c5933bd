"""/portaal/<provider>/…: the portal's steering pages (dashboard, signals, dialogues)."""

from django.urls import path

from . import views_steering as v

urlpatterns = [
    path("dashboard/", v.DashboardView.as_view(), name="dashboard"),
    path("signalen/", v.SignalListView.as_view(), name="signals"),
    path("gesprekken/", v.DialogueListView.as_view(), name="dialogues"),
    path("gesprekken/<int:pk>/", v.DialogueDetailView.as_view(), name="dialogue"),
    path(
        "gesprekken/<int:pk>/acties/<int:action>/voortgang/",
        v.ActionProgressView.as_view(),
        name="action-progress",
    ),
    path(
        "gesprekken/<int:pk>/voortgang/<int:progress>/bestand/",
        v.ProgressFileView.as_view(),
        name="progress-file",
    ),
]
