"""/installatie/: the installation administrator's pages (superusers)."""

from django.urls import path

from . import installation_views as v

app_name = "installation"

urlpatterns = [
    path("regios/", v.RegionListView.as_view(), name="region-list"),
    path("regios/nieuw/", v.RegionCreateView.as_view(), name="region-create"),
    path("regios/<slug:region>/", v.RegionDetailView.as_view(), name="region-detail"),
    path("regios/<slug:region>/wijzigen/", v.RegionUpdateView.as_view(), name="region-update"),
    path(
        "regios/<slug:region>/beheerder-uitnodigen/",
        v.AdministratorInviteView.as_view(),
        name="administrator-invite",
    ),
]
