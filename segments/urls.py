from django.urls import path

from . import views

app_name = "segments"

urlpatterns = [
    path("", views.RegionDetailView.as_view(), name="region-detail"),
    path("gemeenten/", views.MunicipalityListView.as_view(), name="municipality-list"),
    path("gemeenten/nieuw/", views.MunicipalityCreateView.as_view(), name="municipality-create"),
    path("gemeenten/<int:pk>/", views.MunicipalityDetailView.as_view(), name="municipality-detail"),
    path(
        "gemeenten/<int:pk>/wijzigen/",
        views.MunicipalityUpdateView.as_view(),
        name="municipality-update",
    ),
    path(
        "gemeenten/<int:pk>/verwijderen/",
        views.MunicipalityDeleteView.as_view(),
        name="municipality-delete",
    ),
    path("segmenten/", views.SegmentTreeView.as_view(), name="segment-tree"),
    path("segmenten/nieuw/", views.SegmentCreateView.as_view(), name="segment-create"),
    path("segmenten/<int:pk>/", views.SegmentDetailView.as_view(), name="segment-detail"),
    path("segmenten/<int:pk>/wijzigen/", views.SegmentUpdateView.as_view(), name="segment-update"),
    path(
        "segmenten/<int:pk>/verwijderen/", views.SegmentDeleteView.as_view(), name="segment-delete"
    ),
    path("deelname/", views.ParticipationMatrixView.as_view(), name="participation-matrix"),
    path(
        "deelname/<int:municipality>/<int:segment>/",
        views.ParticipationEditView.as_view(),
        name="participation-edit",
    ),
    path("jeugdhulpvormen/", views.CareFormListView.as_view(), name="careform-list"),
    path("jeugdhulpvormen/nieuw/", views.CareFormCreateView.as_view(), name="careform-create"),
    path("jeugdhulpvormen/<int:pk>/", views.CareFormDetailView.as_view(), name="careform-detail"),
    path(
        "jeugdhulpvormen/<int:pk>/wijzigen/",
        views.CareFormUpdateView.as_view(),
        name="careform-update",
    ),
    path(
        "jeugdhulpvormen/<int:pk>/verwijderen/",
        views.CareFormDeleteView.as_view(),
        name="careform-delete",
    ),
    path("producten/", views.ProductListView.as_view(), name="product-list"),
    path("producten/nieuw/", views.ProductCreateView.as_view(), name="product-create"),
    path("producten/<int:pk>/", views.ProductDetailView.as_view(), name="product-detail"),
    path("producten/<int:pk>/wijzigen/", views.ProductUpdateView.as_view(), name="product-update"),
    path(
        "producten/<int:pk>/verwijderen/", views.ProductDeleteView.as_view(), name="product-delete"
    ),
    path(
        "ondersteuningsprofielen/",
        views.SupportProfileListView.as_view(),
        name="supportprofile-list",
    ),
    path("geschiedenis/<str:model>/<int:pk>/", views.HistoryView.as_view(), name="history"),
]
