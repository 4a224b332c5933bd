"""Forms of the portal's inbox."""

from django import forms
from django.utils.translation import gettext_lazy as _

from providers.models import MessageKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (``check_upload``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


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
