"""/portaal/<provider>/…: the portal's inbox pages."""

from django.urls import path

from . import views_inbox as v

urlpatterns: list = [
    path("postvak/", v.InboxView.as_view(), name="inbox"),
    path("postvak/<int:pk>/", v.MessageView.as_view(), name="inbox-message"),
    path("postvak/<int:pk>/brief/", v.LetterView.as_view(), name="inbox-letter"),
    path("postvak/<int:pk>/antwoorden/", v.EvidenceAnswerView.as_view(), name="inbox-answer"),
    path(
        "postvak/<int:pk>/bestanden/<int:file>/",
        v.EvidenceFileView.as_view(),
        name="inbox-answer-file",
    ),
]
