"""Contracts and the actions on one contract (names in the ``contracts`` namespace)."""

from django.urls import path

from . import views as v
from . import views_agreements as va
from . import views_consent as vc
from . import views_scope as vs

C = "<int:pk>/"

urlpatterns = [
    path("", v.ContractListView.as_view(), name="contract-list"),
    path("nieuw/", v.ContractCreateView.as_view(), name="contract-create"),
    path(C, v.ContractDetailView.as_view(), name="contract-detail"),
    path(C + "verlengen/", v.ContractExtendView.as_view(), name="contract-extend"),
    path(C + "wijzigen/", v.ContractAmendView.as_view(), name="contract-amend"),
    path(C + "beeindigen/", v.ContractTerminateView.as_view(), name="contract-terminate"),
    path(
        C + "gebeurtenissen/<int:event>/terugdraaien/",
        v.ContractEventReverseView.as_view(),
        name="contract-event-reverse",
    ),
    path(C + "kpis/nieuw/", va.KpiCreateView.as_view(), name="kpi-create"),
    path(C + "kpis/<int:kpi>/wijzigen/", va.KpiUpdateView.as_view(), name="kpi-update"),
    path(C + "kpis/<int:kpi>/verwijderen/", va.KpiDeleteView.as_view(), name="kpi-delete"),
    path(C + "bekostiging/nieuw/", va.ArrangementCreateView.as_view(), name="arrangement-create"),
    path(
        C + "bekostiging/<int:arrangement>/lumpsum/",
        va.LumpsumPlanView.as_view(),
        name="lumpsum-plan",
    ),
    path(C + "budgetten/nieuw/", va.BudgetCreateView.as_view(), name="budget-create"),
    path(
        C + "budgetten/<int:budget>/herijken/", va.BudgetReviseView.as_view(), name="budget-revise"
    ),
    path(
        C + "instemmingen/nieuw/",
        vc.ProfileConsentCreateView.as_view(),
        name="profile-consent-create",
    ),
    path(
        C + "instemmingen/<int:consent>/intrekken/",
        vc.ProfileConsentRevokeView.as_view(),
        name="profile-consent-revoke",
    ),
    path(C + "gemeenten/", vs.ContractScopeView.as_view(), name="contract-municipalities"),
    path("segmentbudgetten/", vs.SegmentBudgetListView.as_view(), name="segment-budgets"),
    path(
        "segmentbudgetten/nieuw/", vs.SegmentBudgetEditView.as_view(), name="segment-budget-create"
    ),
    path(
        "segmentbudgetten/<int:pk>/wijzigen/",
        vs.SegmentBudgetEditView.as_view(),
        name="segment-budget-update",
    ),
    path(
        "segmentbudgetten/<int:pk>/verwijderen/",
        vs.SegmentBudgetDeleteView.as_view(),
        name="segment-budget-delete",
    ),
]
