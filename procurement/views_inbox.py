"""The staff side of the providers' inbox on the submission page: ask the provider for
evidence ("Bewijsstukken opvragen"), read its answer's files, and send a letter again that did
not go out. Every object comes through the tender in the URL (``restrict``) and the
submission; the files through ``EvidenceFile.objects.visible_to(user)``."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from core.files import serve
from core.ui.forms import DateInput, add_service_errors
from core.ui.forms import error_messages as _errors
from providers.models import EvidenceFile

from . import letters
from .views_tender import TenderChildMixin


class EvidenceRequestForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Wat vraagt u op?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=gettext_lazy("De aanbieder leest dit in het postvak van het portaal."),
    )
    due_on = forms.DateField(
        label=gettext_lazy("Uiterlijk op"),
        widget=DateInput(),
    )


class EvidenceRequestView(TenderChildMixin, generic.FormView):
    needs = "edit"
    form_class = EvidenceRequestForm
    template_name = "generic/form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = self.submission(kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Bewijsstukken opvragen: %(s)s") % {"s": self.object}
        context["cancel_url"] = self.object.get_absolute_url()
        return context

    def form_valid(self, form):
        try:
            letters.submission_evidence_request(
                submission=self.object,
                text=form.cleaned_data["text"],
                due_on=form.cleaned_data["due_on"],
                sent_by=self.request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Het verzoek staat in het postvak van de aanbieder."))
        return redirect(self.object)


class EvidenceFileView(TenderChildMixin, generic.View):
    needs = "confidential"

    def get(self, request, *args, **kwargs):
        sub = self.submission(kwargs["pk"])
        stored = get_object_or_404(
            EvidenceFile.objects.visible_to(request.user).filter(
                answer__message__submission_id=sub.pk
            ),
            pk=kwargs["file"],
        )
        return serve(stored.file, filename=stored.name)


class LetterSendView(TenderChildMixin, generic.View):
    """Send a letter that did not go out (a failed render) again; a sent one stays as it is."""

    needs = "edit"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        sub = self.submission(kwargs["pk"])
        if kwargs["kind"] not in letters.expected_letters(sub, self.tender):
            raise Http404
        try:
            letters.submission_letter_send(
                submission=sub, letter_kind=kwargs["kind"], sent_by=request.user
            )
        except ValidationError as exc:
            for e in _errors(exc):
                messages.error(request, e)
        else:
            messages.success(request, _("De brief staat in het postvak van de aanbieder."))
        return redirect(sub)
