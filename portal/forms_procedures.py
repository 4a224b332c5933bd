"""Forms of the portal's procedure pages: a question, and a submission (or application) in
one lot with its declarations and files. The rules are the services'
(``procurement.services.submission_submit`` / ``submission_change``)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.files import DOCUMENT_KINDS
from segments.models import CareForm

DECLARE_CHOICES = [("yes", _("Ja, wij voldoen hieraan")), ("no", _("Nee"))]
ACCEPT = ",".join(ext for kind in DOCUMENT_KINDS for ext in kind.extensions)


class PortalQuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Uw vraag"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "De regio beantwoordt vragen in een nota van inlichtingen; daarin wordt niet "
            "vermeld wie de vraag stelde."
        ),
    )
    reference = forms.CharField(
        label=_("Verwijzing naar document"),
        max_length=120,
        required=False,
        help_text=_("Bijv. Inkoopleidraad §3.2, p. 14."),
    )


def _file_field(label, help_text=""):
    return forms.FileField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class PortalSubmissionForm(forms.Form):
    """Care forms, per requirement a declaration (yes/no, explanation) and evidence, per
    requested document an upload. Files are optional here: the service says what is missing."""

    care_forms = forms.ModelMultipleChoiceField(
        label=_("Aangeboden jeugdhulpvormen"),
        queryset=CareForm.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, lot, provider, submission=None, **kwargs):
        super().__init__(*args, **kwargs)
        tender = lot.tender
        self.requirements = list(tender.requirements.all())
        self.requests = list(tender.document_requests.all())
        present = {}
        if submission is not None:
            present = {f.request_id or ("r", f.requirement_id): f for f in submission.files.all()}
        self.fields["care_forms"].queryset = (
            CareForm.objects.filter(
                Q(pk__in=lot.scope_care_forms().values("pk"))
                | Q(pk__in=provider.effective_care_forms().values("pk")),
                region=tender.region_id,
            )
            .distinct()
            .order_by("name")
        )
        self.fields["care_forms"].help_text = _(
            "De dekkingsregel wordt meteen gecontroleerd: alleen vormen die u (of, bij een "
            "samenwerkingsverband, een van de leden) levert en die in dit perceel vallen."
        )
        for r in self.requirements:
            self.fields[f"declared_{r.pk}"] = forms.ChoiceField(
                label=r.text,
                choices=DECLARE_CHOICES,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"declaration_{r.pk}"] = forms.CharField(
                label=_("Toelichting"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Verplicht als u niet voldoet."),
            )
            current = present.get(("r", r.pk))
            self.fields[f"evidence_{r.pk}"] = _file_field(
                _("Bewijs (bestand)"),
                _("Geüpload: %(name)s; een nieuw bestand vervangt het.") % {"name": current.name}
                if current
                else "",
            )
        for d in self.requests:
            current = present.get(d.pk)
            help_text = d.description
            if current:
                help_text = _("Geüpload: %(name)s; een nieuw bestand vervangt het.") % {
                    "name": current.name
                }
            field = _file_field(d.title, help_text)
            field.is_requested_document = True
            self.fields[f"document_{d.pk}"] = field
        if submission is not None and not self.is_bound:
            self.initial["care_forms"] = [f.pk for f in submission.care_forms.all()]
            for c in submission.checks.all():
                if c.declared is not None:
                    self.initial[f"declared_{c.requirement_id}"] = "yes" if c.declared else "no"
                self.initial[f"declaration_{c.requirement_id}"] = c.declaration

    def requirement_rows(self):
        """(requirement, declared, explanation, evidence) bound fields, for the template."""
        return [
            (r, self[f"declared_{r.pk}"], self[f"declaration_{r.pk}"], self[f"evidence_{r.pk}"])
            for r in self.requirements
        ]

    def request_rows(self):
        return [(d, self[f"document_{d.pk}"]) for d in self.requests]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        answer = {"yes": True, "no": False}
        return {
            "care_form_ids": [f.pk for f in d["care_forms"]],
            "declarations": {
                r.pk: (answer.get(d.get(f"declared_{r.pk}")), d.get(f"declaration_{r.pk}", ""))
                for r in self.requirements
            },
            "evidence": {
                r.pk: d[f"evidence_{r.pk}"] for r in self.requirements if d.get(f"evidence_{r.pk}")
            },
            "documents": {
                q.pk: d[f"document_{q.pk}"] for q in self.requests if d.get(f"document_{q.pk}")
            },
        }
