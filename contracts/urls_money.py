"""Tariffs, settlement and the procurement effect (under /regios/<region>/contracten/)."""

from django.urls import path

from . import views_effect as e
from . import views_money as v
from . import views_settlement as vset

urlpatterns = [
    path("tarieven/", v.TariffListView.as_view(), name="tariff-list"),
    path("tarieven/nieuw/", v.TariffCreateView.as_view(), name="tariff-create"),
    path("tarieven/indexeren/", v.TariffIndexView.as_view(), name="tariff-index"),
    path("tarieven/<int:pk>/", v.TariffDetailView.as_view(), name="tariff-detail"),
    path("<int:pk>/tarieven/nieuw/", v.TariffCreateView.as_view(), name="contract-tariff-create"),
    path(
        "<int:pk>/tarieven/indexeren/",
        v.TariffIndexView.as_view(),
        name="contract-tariff-index",
    ),
    path("<int:pk>/afrekening/", vset.ContractSettlementView.as_view(), name="contract-settlement"),
    path(
        "<int:pk>/afrekening/csv/",
        vset.ContractSettlementCsvView.as_view(),
        name="contract-settlement-csv",
    ),
    path("inkoopeffect/", e.EffectView.as_view(), name="effect"),
    path(
        "inkoopeffect/scenarios/", e.EffectScenarioListView.as_view(), name="effect-scenario-list"
    ),
    path(
        "inkoopeffect/scenarios/nieuw/",
        e.EffectScenarioEditView.as_view(),
        name="effect-scenario-create",
    ),
    path(
        "inkoopeffect/scenarios/vergelijken/",
        e.EffectScenarioCompareView.as_view(),
        name="effect-scenario-compare",
    ),
    path(
        "inkoopeffect/scenarios/<int:pk>/",
        e.EffectScenarioDetailView.as_view(),
        name="effect-scenario-detail",
    ),
    path(
        "inkoopeffect/scenarios/<int:pk>/wijzigen/",
        e.EffectScenarioEditView.as_view(),
        name="effect-scenario-update",
    ),
    path(
        "inkoopeffect/scenarios/<int:pk>/verwijderen/",
        e.EffectScenarioDeleteView.as_view(),
        name="effect-scenario-delete",
    ),
    path(
        "inkoopeffect/scenarios/<int:pk>/csv/",
        e.EffectScenarioCsvView.as_view(),
        name="effect-scenario-csv",
    ),
]
