"""Forms of the portal's inbox."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.ui.forms import MultipleFileField
from providers.models import MessageKind


class EvidenceAnswerForm(forms.Form):
    files = MultipleFileField(
        label=_("Bewijsstukken"),
        required=False,
        help_text=_("PDF, Word, Excel, OpenDocument, PNG of JPEG; u kunt meer bestanden kiezen."),
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class InboxFilterForm(forms.Form):
    soort = forms.ChoiceField(
        label=_("Soort"),
        required=False,
        choices=[("", _("Alle berichten")), *MessageKind.choices],
    )
