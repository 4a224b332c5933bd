from django.urls import path

from . import views

app_name = "providers"

urlpatterns = [
    path("", views.ProviderListView.as_view(), name="provider-list"),
    path("nieuw/", views.ProviderCreateView.as_view(), name="provider-create"),
    path("<int:pk>/", views.ProviderDetailView.as_view(), name="provider-detail"),
    path("<int:pk>/wijzigen/", views.ProviderUpdateView.as_view(), name="provider-update"),
    path("<int:pk>/verwijderen/", views.ProviderDeleteView.as_view(), name="provider-delete"),
    path("<int:pk>/leden/", views.ConsortiumMembersView.as_view(), name="consortium-members"),
    path(
        "<int:provider>/screenings/nieuw/",
        views.ScreeningCreateView.as_view(),
        name="screening-create",
    ),
    path(
        "<int:provider>/screenings/<int:screening>/wijzigen/",
        views.ScreeningUpdateView.as_view(),
        name="screening-update",
    ),
    path(
        "<int:provider>/screenings/<int:screening>/verwijderen/",
        views.ScreeningDeleteView.as_view(),
        name="screening-delete",
    ),
]
