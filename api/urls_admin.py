"""The region administrator's pages for API clients, under /regios/<region>/api-clients/
(see ``api.views`` for who may do what)."""

from django.urls import path

from . import views as v

app_name = "apiclients"

urlpatterns = [
    path("", v.ClientListView.as_view(), name="client-list"),
    path("nieuw/", v.ClientCreateView.as_view(), name="client-create"),
    path("<int:pk>/", v.ClientDetailView.as_view(), name="client-detail"),
    path("<int:pk>/wijzigen/", v.ClientUpdateView.as_view(), name="client-update"),
    path("<int:pk>/sleutel-vernieuwen/", v.ClientRotateView.as_view(), name="client-rotate"),
    path("<int:pk>/activeren/", v.ClientActiveView.as_view(), name="client-active"),
    path("<int:pk>/sleutels/<int:key>/intrekken/", v.KeyRevokeView.as_view(), name="key-revoke"),
]
