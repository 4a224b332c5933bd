from django.urls import path

from core.ui.views import crud_paths

from . import views as v
from . import views_conditions as vcond
from . import views_inbox as i
from . import views_letters as lt
from . import views_negotiation as n
from . import views_objections as o
from . import views_ranking as r
from . import views_tender as t
from .models import Strategy, Tender

app_name = "procurement"

T = "aanbestedingen/<int:tender>/"


def condition_paths(prefix: str, owner: str, owner_model) -> list:
    """The pages of the admission conditions of one strategy or one procedure."""
    base = f"{prefix}/<int:{owner}>/voorwaarden/"
    kw = {"owner_model": owner_model, "owner_kwarg": owner}
    return [
        path(base, vcond.ConditionListView.as_view(**kw), name=f"{owner}-conditions"),
        path(
            base + "nieuw/",
            vcond.ConditionCreateView.as_view(**kw),
            name=f"{owner}-condition-create",
        ),
        path(
            base + "<int:pk>/wijzigen/",
            vcond.ConditionUpdateView.as_view(**kw),
            name=f"{owner}-condition-update",
        ),
        path(
            base + "<int:pk>/verwijderen/",
            vcond.ConditionDeleteView.as_view(**kw),
            name=f"{owner}-condition-delete",
        ),
    ]


urlpatterns = [
    *crud_paths(
        "kaders",
        "framework",
        list_view=v.FrameworkListView,
        create=v.FrameworkCreateView,
        detail=v.FrameworkDetailView,
        update=v.FrameworkUpdateView,
        delete=v.FrameworkDeleteView,
    ),
    path("kaders/<int:pk>/status/", v.FrameworkAdvanceView.as_view(), name="framework-advance"),
    path(
        "kaders/<int:pk>/nota-van-reactie.pdf", v.FrameworkPdfView.as_view(), name="framework-pdf"
    ),
    path(
        "kaders/<int:pk>/strategieoverzicht/",
        v.FrameworkStrategiesView.as_view(),
        name="framework-strategies",
    ),
    path(
        "kaders/<int:pk>/strategieoverzicht.pdf",
        v.FrameworkStrategiesPdfView.as_view(),
        name="framework-strategies-pdf",
    ),
    path(
        "kaders/<int:framework>/zienswijzen/nieuw/",
        v.MunicipalViewCreateView.as_view(),
        name="view-create",
    ),
    path(
        "kaders/<int:framework>/zienswijzen/<int:pk>/wijzigen/",
        v.MunicipalViewUpdateView.as_view(),
        name="view-update",
    ),
    *crud_paths(
        "strategieen",
        "strategy",
        list_view=v.StrategyListView,
        create=v.StrategyCreateView,
        detail=v.StrategyDetailView,
        update=v.StrategyUpdateView,
        delete=v.StrategyDeleteView,
    ),
    path(
        "strategieen/<int:pk>/procedure-starten/",
        v.StrategyStartTenderView.as_view(),
        name="strategy-start-tender",
    ),
    *condition_paths("strategieen", "strategy", Strategy),
    *crud_paths(
        "aanbestedingen",
        "tender",
        list_view=v.TenderListView,
        create=v.TenderCreateView,
        detail=v.TenderDetailView,
        update=v.TenderUpdateView,
        delete=v.TenderDeleteView,
    ),
    path("aanbestedingen/<int:pk>/opzet/", v.TenderSetupView.as_view(), name="tender-setup"),
    path(
        "aanbestedingen/<int:pk>/stap/<slug:step>/",
        v.TenderTransitionView.as_view(),
        name="tender-transition",
    ),
    path("aanbestedingen/<int:pk>/venster/openen/", v.WindowOpenView.as_view(), name="window-open"),
    path(
        "aanbestedingen/<int:pk>/venster/sluiten/",
        v.WindowCloseView.as_view(),
        name="window-close",
    ),
    *condition_paths("aanbestedingen", "tender", Tender),
    path(
        T + "vensters/<int:pk>/besluit.pdf",
        v.WindowDecisionPdfView.as_view(),
        name="window-decision-pdf",
    ),
    path(T + "documenten/nieuw/", t.DocumentCreateView.as_view(), name="document-create"),
    path(T + "documenten/<int:pk>/", t.DocumentDownloadView.as_view(), name="document-download"),
    path(T + "vragen/", t.QnaView.as_view(), name="qna"),
    path(T + "vragen/<int:pk>/antwoord/", t.AnswerView.as_view(), name="question-answer"),
    path(T + "vragen/publiceren/", t.QnaPublishView.as_view(), name="qna-publish"),
    path(T + "vragen/nota-<int:number>.pdf", t.QnaPdfView.as_view(), name="qna-pdf"),
    path(T + "inschrijvingen/", t.SubmissionListView.as_view(), name="submission-list"),
    path(T + "inschrijvingen/nieuw/", t.SubmissionCreateView.as_view(), name="submission-create"),
    path(
        T + "inschrijvingen/<int:pk>/", t.SubmissionDetailView.as_view(), name="submission-detail"
    ),
    path(T + "inschrijvingen/<int:pk>/scoren/", r.ScoreView.as_view(), name="submission-score"),
    path(
        T + "inschrijvingen/<int:pk>/bestanden/<int:file>/",
        t.SubmissionFileView.as_view(),
        name="submission-file",
    ),
    path(
        T + "inschrijvingen/<int:pk>/consensus/",
        r.ScoreView.as_view(consensus=True),
        name="submission-consensus",
    ),
    path(
        T + "inschrijvingen/<int:pk>/postvak/bewijsstukken-opvragen/",
        i.EvidenceRequestView.as_view(),
        name="submission-evidence-request",
    ),
    path(
        T + "inschrijvingen/<int:pk>/postvak/bestanden/<int:file>/",
        i.EvidenceFileView.as_view(),
        name="submission-evidence-file",
    ),
    path(
        T + "inschrijvingen/<int:pk>/postvak/brief-<slug:kind>/versturen/",
        i.LetterSendView.as_view(),
        name="submission-letter-send",
    ),
    path(
        T + "inschrijvingen/<int:pk>/onderhandelingsresultaat/",
        n.NegotiationOutcomeView.as_view(),
        name="submission-negotiation-outcome",
    ),
    path(
        T + "inschrijvingen/<int:pk>/<slug:action>/",
        t.SubmissionActionView.as_view(),
        name="submission-action",
    ),
    path(
        T + "inschrijvingen/<int:pk>/brief-<slug:kind>.pdf",
        t.LetterView.as_view(),
        name="submission-letter",
    ),
    path(T + "brieven/", lt.TenderLetterListView.as_view(), name="tender-letters"),
    path(
        T + "inschrijvingen/<int:pk>/brieven/<int:letter>/",
        lt.LetterDownloadView.as_view(),
        name="letter-download",
    ),
    path(T + "ondertekening/", lt.TenderSignatoryView.as_view(), name="tender-signatory"),
    path(T + "rangschikking/", r.RankingView.as_view(), name="ranking"),
    path(T + "bezwaren/", o.ObjectionsView.as_view(), name="objections"),
    path(
        T + "bezwaren/<int:pk>/beslisdocument/",
        o.ObjectionDocumentView.as_view(),
        name="objection-document",
    ),
    path(T + "dekking/", r.CoverageView.as_view(), name="coverage"),
    path("dekking/segment/<int:pk>/", r.SegmentCoverageView.as_view(), name="segment-coverage"),
]

# Themes, the adoption decision and market consultations (issue 21)
from .urls_kader import urlpatterns as _kader_urls  # noqa: E402

urlpatterns += _kader_urls
