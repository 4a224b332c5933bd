"""The provider's inbox in the portal (``/portaal/<provider>/postvak/``): letters, notas van
inlichtingen and requests for evidence the region sent. Every message is found through
``ProviderMessage.objects.visible_to(user)`` and the provider in the URL (another provider's
message is a 404); opening a message records the user's read receipt; the letter and the
uploaded evidence are served only through these views."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic

from core.export import records_sheet
from core.files import serve
from core.ui.forms import add_service_errors
from core.ui.views import SheetExportMixin
from providers import inbox
from providers.models import EvidenceFile, MessageKind, ProviderMessage

from . import forms_inbox
from .views import PortalMixin


class InboxMixin(PortalMixin):
    portal_section = "inbox"

    def message(self, pk) -> ProviderMessage:
        return get_object_or_404(
            ProviderMessage.objects.visible_to(self.request.user)
            .filter(provider=self.provider)
            .select_related("provider"),
            pk=pk,
        )


class InboxView(SheetExportMixin, InboxMixin, generic.ListView):
    template_name = "portal/inbox/list.html"
    context_object_name = "inbox_messages"
    paginate_by = 25

    def get_queryset(self):
        self.filter_form = forms_inbox.InboxFilterForm(self.request.GET or None)
        kind = None
        if self.filter_form.is_valid():
            kind = self.filter_form.cleaned_data["soort"] or None
        self.kind = kind
        return inbox.inbox_for(self.request.user, self.provider, kind=kind)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Postvak")
        context["filter_form"] = self.filter_form
        context["kind"] = self.kind
        context["unread"] = inbox.unread_count(self.request.user, self.provider)
        return context

    def export_sheets(self, context) -> dict:
        """Every message of the filter (not only the page's 25); downloading marks none read."""
        columns = [
            (_("Status"), lambda m: _("gelezen") if m.is_read else _("nieuw")),
            (_("Soort"), "get_kind_display"),
            (_("Onderwerp"), "subject"),
            (_("Uiterlijk"), "due_on"),
            (_("Verzonden"), "sent_at"),
        ]
        return {"berichten": records_sheet(_("Postvak"), columns, self.object_list)}


class MessageView(InboxMixin, generic.TemplateView):
    """One message; opening it records the read receipt (once per user)."""

    template_name = "portal/inbox/message.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = self.message(kwargs["pk"])

    def get(self, request, *args, **kwargs):
        inbox.provider_message_read(message=self.object, user=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        message = self.object
        context["title"] = message.subject
        context["message"] = message
        context["answers"] = message.answers.select_related("answered_by").prefetch_related("files")
        context["can_answer"] = message.kind == MessageKind.EVIDENCE_REQUEST and (
            message.due_on is None or timezone.localdate() <= message.due_on
        )
        return context


class LetterView(InboxMixin, generic.View):
    """The letter of a message, as a download (also counts as reading it)."""

    def get(self, request, *args, **kwargs):
        message = self.message(kwargs["pk"])
        if not message.letter:
            raise Http404
        inbox.provider_message_read(message=message, user=request.user)
        return serve(message.letter, filename=message.letter_name or None)


class EvidenceAnswerView(InboxMixin, generic.FormView):
    """Answer a request for evidence: files and a note."""

    template_name = "portal/inbox/answer.html"
    form_class = forms_inbox.EvidenceAnswerForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = self.message(kwargs["pk"])
        if self.object.kind != MessageKind.EVIDENCE_REQUEST:
            raise Http404

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Bewijsstukken sturen")
        context["message"] = self.object
        return context

    def form_valid(self, form):
        try:
            inbox.evidence_answer_submit(
                message=self.object,
                note=form.cleaned_data["note"],
                files=form.cleaned_data["files"],
                answered_by=self.request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Uw bewijsstukken zijn verstuurd naar de regio."))
        return redirect("portal:inbox-message", provider=self.provider.pk, pk=self.object.pk)


class EvidenceFileView(InboxMixin, generic.View):
    """A file the provider sent in answer to a request (its own, through the scope)."""

    def get(self, request, *args, **kwargs):
        message = self.message(kwargs["pk"])
        stored = get_object_or_404(
            EvidenceFile.objects.visible_to(request.user).filter(answer__message=message),
            pk=kwargs["file"],
        )
        return serve(stored.file, filename=stored.name)
