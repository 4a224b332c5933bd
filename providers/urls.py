from django.urls import path

from core.ui.views import crud_paths

from . import views as v

app_name = "providers"

urlpatterns = [
    *crud_paths(
        "screeningssoorten",
        "screeningkind",
        list_view=v.ScreeningKindListView,
        create=v.ScreeningKindCreateView,
        detail=v.ScreeningKindDetailView,
        update=v.ScreeningKindUpdateView,
        delete=v.ScreeningKindDeleteView,
    ),
    path(
        "screeningssoorten/<int:pk>/in-gebruik/",
        v.ScreeningKindRetireView.as_view(),
        name="screeningkind-retire",
    ),
    path("screenings/in-een-keer/", v.ScreeningBatchView.as_view(), name="screening-batch"),
    *crud_paths(
        "",
        "provider",
        list_view=v.ProviderListView,
        create=v.ProviderCreateView,
        detail=v.ProviderDetailView,
        update=v.ProviderUpdateView,
        delete=v.ProviderDeleteView,
    ),
    path("<int:pk>/leden/", v.ConsortiumMembersView.as_view(), name="consortium-members"),
    path(
        "<int:provider>/screenings/nieuw/", v.ScreeningCreateView.as_view(), name="screening-create"
    ),
    path(
        "<int:provider>/screenings/<int:screening>/wijzigen/",
        v.ScreeningUpdateView.as_view(),
        name="screening-update",
    ),
    path(
        "<int:provider>/screenings/<int:screening>/verwijderen/",
        v.ScreeningDeleteView.as_view(),
        name="screening-delete",
    ),
]
