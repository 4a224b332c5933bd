"""Development assignments on a contract or a strategy (names in the ``contracts`` namespace)."""

from django.urls import path

from . import views_development as d

urlpatterns = [
    path(
        "<int:pk>/ontwikkelopdrachten/nieuw/",
        d.ContractAssignmentCreateView.as_view(),
        name="contract-assignment-create",
    ),
    path(
        "strategieen/<int:pk>/ontwikkelopdrachten/nieuw/",
        d.StrategyAssignmentCreateView.as_view(),
        name="strategy-assignment-create",
    ),
    path(
        "ontwikkelopdrachten/<int:pk>/voortgang/",
        d.AssignmentProgressView.as_view(),
        name="assignment-progress",
    ),
    path(
        "ontwikkelopdrachten/<int:pk>/status/",
        d.AssignmentTransitionView.as_view(),
        name="assignment-transition",
    ),
]
