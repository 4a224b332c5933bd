"""The decision letters on the staff side: the letters kept per bidder and decision
(``DecisionLetter``), their scoped download, and who signs a procedure's letters. Objects come
through ``restrict()``; changes go through services (docs/letters.md)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import generic

from core.export import records_sheet
from core.files import serve
from core.ui.forms import add_service_errors
from core.ui.views import SheetExportMixin

from . import forms, selectors
from .models import DecisionLetter
from .signatory import signatory_for, tender_letter_signatory_set
from .views_tender import TenderChildMixin


class TenderLetterListView(SheetExportMixin, TenderChildMixin, generic.TemplateView):
    """Every letter that went out in this procedure, per bidder and decision."""

    def export_sheets(self, context) -> dict:
        """The kept letters as the page lists them (not the PDFs themselves)."""

        def by(letter):
            user = letter.sent_by
            return (user.get_full_name() or user.username) if user else ""

        columns = [
            (_("Inschrijving"), "submission.number"),
            (_("Aanbieder"), "submission.provider.name"),
            (_("Perceel"), lambda letter: str(letter.submission.lot)),
            (_("Brief"), "get_kind_display"),
            (_("Uitkomst"), "get_outcome_display"),
            (_("Besluit van"), "decision_on"),
            (_("Einde opschortende termijn"), "standstill_ends_on"),
            (_("Ondertekend door"), "signatory_name"),
            (_("Functie"), "signatory_function"),
            (_("Aanbestedende dienst"), "contracting_authority"),
            (_("Verzonden"), "sent_at"),
            (_("Verzonden door"), by),
            (_("SHA-256"), "sha256"),
        ]
        title = _("Verzonden brieven %(reference)s") % {"reference": self.tender.reference}
        return {"brieven": records_sheet(title, columns, context["letters"])}

    needs = "confidential"
    template_name = "procurement/tender_letters.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Verzonden brieven")
        context["letters"] = selectors.kept_letters(self.request.user, self.tender).order_by(
            "submission__number", "sent_at"
        )
        context["signatory"] = signatory_for(self.tender, self.region)
        return context


class LetterDownloadView(TenderChildMixin, generic.View):
    """A kept letter, exactly as it went to the bidder: found through ``restrict()`` under the
    submission in the URL (another region, a municipal user or a provider: 404)."""

    needs = "confidential"

    def get(self, request, *args, **kwargs):
        letter = get_object_or_404(
            DecisionLetter.objects.restrict(request.user).filter(
                submission__tender=self.tender, submission_id=kwargs["pk"]
            ),
            pk=kwargs["letter"],
        )
        return serve(letter.file, filename=letter.file_name)


class TenderSignatoryView(TenderChildMixin, generic.FormView):
    """Who signs this procedure's letters, where it differs from the region's."""

    needs = "edit"
    form_class = forms.TenderSignatoryForm
    template_name = "generic/form.html"

    def get_initial(self):
        t = self.tender
        return {
            "name": t.letter_signatory_name,
            "function": t.letter_signatory_function,
            "contracting_authority": t.letter_contracting_authority,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = self.region
        context["title"] = _("Ondertekening van de brieven van deze procedure")
        context["intro"] = _(
            "Leeg laten: de ondertekening van de regio (nu: %(authority)s; %(name)s, "
            "%(function)s). Brieven die al verzonden zijn, houden hun ondertekening."
        ) % {
            "authority": region.contracting_authority or "–",
            "name": region.letter_signatory_name or _("naam ontbreekt"),
            "function": region.letter_signatory_function or _("functie ontbreekt"),
        }
        return context

    def form_valid(self, form):
        try:
            tender_letter_signatory_set(tender=self.tender, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("De ondertekening van de brieven is opgeslagen."))
        return redirect(self.tender)
