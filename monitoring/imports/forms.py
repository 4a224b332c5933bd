"""The upload form of a production import (the staff page and the provider portal)."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.ui.forms import MultipleFileField, MultipleFileInput
from monitoring.imports.formats import FileProblem, check_size, format_for, human_size
from monitoring.imports.models import DatasetKind, ImportFormat


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort gegevens"),
        choices=[("", _("Kies de soort gegevens")), *DatasetKind.choices],
        required=False,
        help_text=_(
            "Eén soort gegevens per bestand; de kolommen staan hieronder. Bij iJw-berichten "
            "volgt de soort uit de berichten."
        ),
    )
    file = MultipleFileField(
        label=_("Bestand"),
        allow_empty_file=True,  # the message for an empty file is ours
        widget=MultipleFileInput(
            attrs={
                "accept": ".csv,.json,.xml,.zip,text/csv,application/json,application/xml,"
                "text/xml,application/zip"
            }
        ),
    )
    file_format = forms.ChoiceField(
        label=_("Formaat"),
        choices=[
            ("", _("Uit de extensie (.csv, .json, of .xml/.zip voor iJw-berichten)")),
            *ImportFormat.choices,
        ],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV (UTF-8, puntkomma als scheidingsteken), JSON, of iJw 3.2-berichten: één .xml, "
            "meerdere .xml-bestanden tegelijk of een .zip; hoogstens %(max)s. Het bestand wordt "
            "alleen gebruikt voor deze import en daarna verwijderd."
        ) % {"max": human_size(settings.IMPORT_MAX_BYTES)}

    def clean(self):
        cleaned = super().clean()
        uploads = cleaned.get("file")
        if not uploads:
            return cleaned
        cleaned["files"] = uploads
        cleaned["file"] = upload = uploads[0]
        if len(uploads) > 1:
            others = [u.name for u in uploads if Path(u.name).suffix.lower() != ".xml"]
            if others:
                self.add_error(
                    "file",
                    _(
                        "Meerdere bestanden tegelijk kan alleen met iJw-berichten (.xml); niet: "
                        "%(names)s."
                    )
                    % {"names": ", ".join(others)},
                )
                return cleaned
            cleaned["file_format"] = ImportFormat.IJW
        try:
            check_size(sum(u.size for u in uploads), settings.IMPORT_MAX_BYTES)
        except FileProblem as problem:
            self.add_error("file", problem.message)
            return cleaned
        if len(uploads) == 1:
            try:
                cleaned["file_format"] = format_for(upload.name, cleaned.get("file_format") or None)
            except FileProblem as problem:
                self.add_error("file_format", problem.message)
                return cleaned
        if cleaned["file_format"] == ImportFormat.IJW:
            # the messages say which kind they hold; the import sets it on the batch
            cleaned["kind"] = cleaned.get("kind") or DatasetKind.DECLARATIONS
        elif not cleaned.get("kind"):
            self.add_error("kind", _("Kies de soort gegevens."))
        return cleaned
