"""/portaal/<provider>/…: the portal's procedures pages."""

from django.urls import path

from . import views_procedures as v

P = "procedures/<int:tender>/"
S = "inschrijvingen/<int:pk>/"

urlpatterns = [
    path("procedures/", v.ProcedureListView.as_view(), name="procedure-list"),
    path(P, v.ProcedureDetailView.as_view(), name="procedure-detail"),
    path(P + "documenten/<int:pk>/", v.ProcedureDocumentView.as_view(), name="procedure-document"),
    path(P + "nota-<int:number>.pdf", v.ProcedureNotaView.as_view(), name="procedure-nota"),
    path(P + "vraag/", v.ProcedureQuestionView.as_view(), name="procedure-question"),
    path(
        P + "percelen/<int:lot>/inschrijven/",
        v.SubmissionCreateView.as_view(),
        name="procedure-submit",
    ),
    path(
        P + "percelen/<int:lot>/dekking/", v.CoverageCheckView.as_view(), name="procedure-coverage"
    ),
    path(S, v.SubmissionDetailView.as_view(), name="procedure-submission"),
    path(S + "wijzigen/", v.SubmissionUpdateView.as_view(), name="procedure-submission-update"),
    path(
        S + "intrekken/", v.SubmissionWithdrawView.as_view(), name="procedure-submission-withdraw"
    ),
    path(
        S + "bestanden/<int:file>/",
        v.SubmissionFileView.as_view(),
        name="procedure-submission-file",
    ),
]
