"""URLs of the region's themes, the adoption decision and the market consultations (included
at the end of ``procurement/urls.py``)."""

from django.urls import path

from core.ui.views import crud_paths

from . import views_kader as k

C = "strategieen/<int:strategy>/consultaties/"

urlpatterns = [
    *crud_paths(
        "themas",
        "theme",
        list_view=k.ThemeListView,
        create=k.ThemeCreateView,
        detail=k.ThemeDetailView,
        update=k.ThemeUpdateView,
        delete=k.ThemeDeleteView,
    ),
    path(
        "kaders/<int:pk>/besluit-zonder-alle-zienswijzen/",
        k.AdoptionDecisionView.as_view(),
        name="framework-adoption-decision",
    ),
    path(C + "nieuw/", k.ConsultationCreateView.as_view(), name="consultation-create"),
    path(C + "<int:pk>/wijzigen/", k.ConsultationUpdateView.as_view(), name="consultation-update"),
    path(
        C + "<int:pk>/verwijderen/", k.ConsultationDeleteView.as_view(), name="consultation-delete"
    ),
    path(C + "<int:pk>/verslag/", k.ConsultationFileView.as_view(), name="consultation-file"),
]
