"""Steering: signals, escalation steps, performance dialogues, segment norms, risk weights and
provider finance (``views``: signals;
``views_escalation``, ``views_dialogues``, ``views_norms``, ``views_recalculation``)."""

from django.urls import path

from monitoring.steering import (
    views,
    views_dialogues,
    views_escalation,
    views_norms,
    views_recalculation,
)

urlpatterns = [
    path("signalen/", views.SignalListView.as_view(), name="signals"),
    path("signalen/afhandelen/", views.SignalBulkView.as_view(), name="signals-bulk"),
    path(
        "aanbieders/<int:pk>/signalen/",
        views.ProviderSignalsView.as_view(),
        name="provider-signals",
    ),
    path(
        "aanbieders/<int:pk>/escalatie/",
        views_escalation.ProviderEscalationView.as_view(),
        name="provider-escalations",
    ),
    path("dialogen/", views_dialogues.DialogueListView.as_view(), name="dialogue-list"),
    path(
        "aanbieders/<int:pk>/dialogen/",
        views_dialogues.ProviderDialoguesView.as_view(),
        name="provider-dialogues",
    ),
    path(
        "aanbieders/<int:pk>/dialogen/nieuw/",
        views_dialogues.DialogueCreateView.as_view(),
        name="dialogue-create",
    ),
    path(
        "dialogen/<int:pk>/", views_dialogues.DialogueDetailView.as_view(), name="dialogue-detail"
    ),
    path(
        "dialogen/<int:pk>/voortgang/<int:progress>/bestand/",
        views_dialogues.DialogueProgressFileView.as_view(),
        name="dialogue-progress-file",
    ),
    path("normen/", views_norms.NormsView.as_view(), name="norms"),
    path("risicoweging/", views_norms.WeightsView.as_view(), name="weights"),
    path(
        "herberekeningen/",
        views_recalculation.RecalculationsView.as_view(),
        name="recalculations",
    ),
    path(
        "herberekeningen/<int:pk>/status/",
        views_recalculation.RecalculationStatusView.as_view(),
        name="recalculation-status",
    ),
    path(
        "aanbieders/<int:pk>/financien/",
        views_escalation.ProviderFinanceView.as_view(),
        name="provider-finance",
    ),
]
