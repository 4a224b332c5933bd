"""Steering: signals, escalation steps, performance dialogues, segment norms, risk weights and
provider finance (``views_steering``)."""

from django.urls import path

from . import views_steering as views

urlpatterns = [
    path("signalen/", views.SignalListView.as_view(), name="signals"),
    path(
        "aanbieders/<int:pk>/signalen/",
        views.ProviderSignalsView.as_view(),
        name="provider-signals",
    ),
    path(
        "aanbieders/<int:pk>/escalatie/",
        views.ProviderEscalationView.as_view(),
        name="provider-escalations",
    ),
    path("dialogen/", views.DialogueListView.as_view(), name="dialogue-list"),
    path(
        "aanbieders/<int:pk>/dialogen/",
        views.ProviderDialoguesView.as_view(),
        name="provider-dialogues",
    ),
    path(
        "aanbieders/<int:pk>/dialogen/nieuw/",
        views.DialogueCreateView.as_view(),
        name="dialogue-create",
    ),
    path("dialogen/<int:pk>/", views.DialogueDetailView.as_view(), name="dialogue-detail"),
    path("normen/", views.NormsView.as_view(), name="norms"),
    path("risicoweging/", views.WeightsView.as_view(), name="weights"),
    path(
        "aanbieders/<int:pk>/financien/",
        views.ProviderFinanceView.as_view(),
        name="provider-finance",
    ),
]
