from django.urls import path

from core.ui.views import crud_paths

from . import views as v
from . import views_profiles as vp

app_name = "segments"

urlpatterns = [
    path("", v.RegionDetailView.as_view(), name="region-detail"),
    path("openbare-pagina/", v.RegionPublicPageView.as_view(), name="public-page"),
    path("ondertekening/", v.RegionLetterSignatoryView.as_view(), name="letter-signatory"),
    *crud_paths(
        "gemeenten",
        "municipality",
        list_view=v.MunicipalityListView,
        create=v.MunicipalityCreateView,
        detail=v.MunicipalityDetailView,
        update=v.MunicipalityUpdateView,
        delete=v.MunicipalityDeleteView,
    ),
    path("gemeenten/toevoegen/", v.MunicipalityAddView.as_view(), name="municipality-add"),
    path("segmenten/", v.SegmentTreeView.as_view(), name="segment-tree"),
    path("segmenten/nieuw/", v.SegmentCreateView.as_view(), name="segment-create"),
    path("segmenten/<int:pk>/", v.SegmentDetailView.as_view(), name="segment-detail"),
    path("segmenten/<int:pk>/wijzigen/", v.SegmentUpdateView.as_view(), name="segment-update"),
    path("segmenten/<int:pk>/verwijderen/", v.SegmentDeleteView.as_view(), name="segment-delete"),
    path("deelname/", v.ParticipationMatrixView.as_view(), name="participation-matrix"),
    path(
        "deelname/<int:municipality>/<int:segment>/",
        v.ParticipationEditView.as_view(),
        name="participation-edit",
    ),
    *crud_paths(
        "jeugdhulpvormen",
        "careform",
        list_view=v.CareFormListView,
        create=v.CareFormCreateView,
        detail=v.CareFormDetailView,
        update=v.CareFormUpdateView,
        delete=v.CareFormDeleteView,
    ),
    *crud_paths(
        "producten",
        "product",
        list_view=v.ProductListView,
        create=v.ProductCreateView,
        detail=v.ProductDetailView,
        update=v.ProductUpdateView,
        delete=v.ProductDeleteView,
    ),
    *crud_paths(
        "ondersteuningsprofielen",
        "supportprofile",
        list_view=vp.SupportProfileListView,
        create=vp.SupportProfileCreateView,
        detail=vp.SupportProfileDetailView,
        update=vp.SupportProfileUpdateView,
        delete=vp.SupportProfileDeleteView,
    ),
    path(
        "ondersteuningsprofielen/<int:pk>/in-gebruik/",
        vp.SupportProfileRetireView.as_view(),
        name="supportprofile-retire",
    ),
    *crud_paths(
        "intensiteiten",
        "intensity",
        list_view=vp.IntensityListView,
        create=vp.IntensityCreateView,
        detail=vp.IntensityDetailView,
        update=vp.IntensityUpdateView,
        delete=vp.IntensityDeleteView,
    ),
    path(
        "intensiteiten/<int:pk>/in-gebruik/",
        vp.IntensityRetireView.as_view(),
        name="intensity-retire",
    ),
    path("geschiedenis/<str:model>/<int:pk>/", v.HistoryView.as_view(), name="history"),
]
