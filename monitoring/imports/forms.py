"""The upload form of a production import."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from monitoring.imports.formats import FileProblem, check_size, format_for, human_size
from monitoring.imports.models import DatasetKind, ImportFormat


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort gegevens"),
        choices=[("", _("Kies de soort gegevens")), *DatasetKind.choices],
        help_text=_("Eén soort gegevens per bestand; de kolommen staan hieronder."),
    )
    file = forms.FileField(
        label=_("Bestand"),
        allow_empty_file=True,  # the message for an empty file is ours
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.json,text/csv,application/json"}),
    )
    file_format = forms.ChoiceField(
        label=_("Formaat"),
        choices=[("", _("Uit de extensie (.csv of .json)")), *ImportFormat.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV (UTF-8, puntkomma als scheidingsteken) of JSON; hoogstens %(max)s. Het "
            "bestand wordt alleen gebruikt voor deze import en daarna verwijderd."
        ) % {"max": human_size(settings.IMPORT_MAX_BYTES)}

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        try:
            check_size(upload.size, settings.IMPORT_MAX_BYTES)
        except FileProblem as problem:
            self.add_error("file", problem.message)
            return cleaned
        try:
            cleaned["file_format"] = format_for(upload.name, cleaned.get("file_format") or None)
        except FileProblem as problem:
            self.add_error("file_format", problem.message)
        return cleaned
