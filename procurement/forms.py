"""Forms of procurement. Model forms are bound to the region in the URL; action forms only
collect input — the services decide."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ui.forms import DateInput, DateTimeInput, RegionBoundModelForm
from providers.models import Provider
from segments.models import CareForm, Municipality, Segment

from . import kader, selectors, services
from .codes import FundingModel, Outcome, TenderState
from .models import (
    AdmissionCondition,
    AwardCriterion,
    DocumentRequest,
    Framework,
    Lot,
    Milestone,
    MunicipalView,
    Requirement,
    Strategy,
    Tender,
    TenderDocument,
    Theme,
)


class IntListField(forms.CharField):
    """A list of whole numbers typed as ``1 + 1`` or ``1, 4, 7, 10``."""

    def __init__(self, *args, separator="+", **kwargs):
        self.separator = separator
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return (
                f" {self.separator} ".join(str(v) for v in value)
                if self.separator == "+"
                else (", ".join(str(v) for v in value))
            )
        return value

    def to_python(self, value):
        value = (value or "").replace(",", "+").replace(";", "+")
        parts = [p.strip() for p in value.split("+") if p.strip()]
        try:
            return [int(p) for p in parts]
        except ValueError as exc:
            raise ValidationError(_("Gebruik hele getallen, bijvoorbeeld 1 + 1.")) from exc


class FrameworkForm(RegionBoundModelForm):
    class Meta:
        model = Framework
        fields = ["title", "period", "adopted_by", "principles", "summary"]


class FrameworkAdvanceForm(forms.Form):
    on = forms.DateField(label=_("Datum"), widget=DateInput())


class MunicipalViewForm(forms.ModelForm):
    class Meta:
        model = MunicipalView
        fields = ["municipality", "received_on", "view", "themes", "response", "responded_on"]
        widgets = {
            "received_on": DateInput(),
            "responded_on": DateInput(),
            "themes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.framework = framework
        self.fields["municipality"].queryset = Municipality.objects.filter(
            region=framework.region_id
        )
        self.fields["themes"].queryset = Theme.objects.filter(region=framework.region_id)
        self.fields["themes"].help_text = _(
            "De aandachtspunten die de gemeente inbrengt, uit de themalijst van de regio."
        )


class StrategyForm(RegionBoundModelForm):
    funding_models = forms.MultipleChoiceField(
        label=_("Bekostiging"),
        choices=FundingModel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    extension_options = IntListField(
        label=_("Verlengingsopties (jaren)"), help_text=_("Bijv. 1 + 1; leeg: geen opties.")
    )
    previous_funding_models = forms.MultipleChoiceField(
        label=_("Vorige bekostiging"),
        choices=FundingModel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("De bekostigingsvormen tot nu toe. Leeg: niet bekend."),
    )

    class Meta:
        model = Strategy
        fields = [
            "title",
            "framework",
            "segment",
            "previous_procedure_type",
            "procedure_type",
            "previous_funding_models",
            "funding_models",
            "change_reason",
            "contract_start",
            "access_notes",
            "supplier_management_notes",
            "contract_term_years",
            "extension_options",
            "max_providers",
            "care_forms",
            "coverage_min_care_forms",
            "development_assignments",
            "tactical_goals",
        ]
        widgets = {
            "care_forms": forms.CheckboxSelectMultiple,
            "contract_start": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the forms of the strategy's segment (and its sub-segments) are offered; a bound
        # form accepts the region's forms so another segment's is refused by name in clean().
        segment = self.instance.segment if self.instance.segment_id else None
        if segment is not None and not self.is_bound:
            self.fields["care_forms"].queryset = kader.segment_care_forms(segment)
        self.fields["care_forms"].help_text = _(
            "Alleen jeugdhulpvormen van het gekozen segment of zijn deelsegmenten."
        )

    def clean(self):
        data = super().clean()
        forms_in_scope = data.get("care_forms")
        segment = data.get("segment")
        if segment is not None and forms_in_scope:
            allowed = set(kader.segment_care_forms(segment).values_list("pk", flat=True))
            outside = [f for f in forms_in_scope if f.pk not in allowed]
            if outside:
                self.add_error("care_forms", kader.care_forms_outside_message(segment, outside))
        minimum = data.get("coverage_min_care_forms")
        if (
            minimum
            and forms_in_scope is not None
            and len(forms_in_scope)
            and (minimum > len(forms_in_scope))
        ):
            self.add_error(
                "coverage_min_care_forms",
                _("De dekkingseis vraagt meer jeugdhulpvormen dan er in scope zijn (%(n)s).")
                % {"n": len(forms_in_scope)},
            )
        return data


class StartTenderForm(forms.Form):
    reference = forms.CharField(label=_("Kenmerk van de procedure"), max_length=40)
    title = forms.CharField(label=_("Titel"), max_length=200, required=False)


class TenderForm(RegionBoundModelForm):
    admission_months = IntListField(
        label=_("Toelatingsmomenten (maanden)"),
        separator=",",
        help_text=_("Bij vaste momenten, bijv. 1, 4, 7, 10 voor elk kwartaal."),
    )

    class Meta:
        model = Tender
        fields = [
            "title",
            "reference",
            "strategy",
            "procedure_type",
            "description",
            "tenderned_reference",
            "submission_deadline",
            "contract_start",
            "score_scale_max",
            "preselection_count",
            "coverage_min_care_forms",
            "objection_days",
            "admission_mode",
            "admission_months",
            "admission_window_days",
            "reapply_bar_months",
        ]
        widgets = {
            "submission_deadline": DateTimeInput(),
            "contract_start": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.state != TenderState.DRAFT:
            # What was published stays as published.
            for name in ("procedure_type", "score_scale_max"):
                self.fields[name].disabled = True

    def clean_reference(self):
        """The service's uniqueness rule, at the field (the model's own check would put it
        above the form)."""
        reference = self.cleaned_data["reference"]
        try:
            services.tender_reference_check(
                region_id=self.region.pk, reference=reference, exclude_pk=self.instance.pk
            )
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["reference"]) from exc
        return reference


class LotForm(forms.ModelForm):
    class Meta:
        model = Lot
        fields = ["number", "segment", "title"]


class RequirementForm(forms.ModelForm):
    class Meta:
        model = Requirement
        fields = ["order", "kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class CriterionForm(forms.ModelForm):
    class Meta:
        model = AwardCriterion
        fields = ["order", "name", "weight", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["kind", "planned_on"]
        widgets = {"planned_on": DateInput()}


class CriteriaFormSetBase(forms.BaseInlineFormSet):
    def clean(self):
        """The award-criteria rules are the service's: its refusal is shown at this formset."""
        super().clean()
        if any(self.errors):
            return
        rows = [
            {
                "name": f.cleaned_data.get("name"),
                "weight": f.cleaned_data["weight"],
                "description": f.cleaned_data.get("description", ""),
            }
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        services.criteria_validate(tender=self.instance, rows=rows)


class RegionSegmentFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form in self.forms + [self.empty_form]:
            if "segment" in form.fields:
                form.fields["segment"].queryset = Segment.objects.filter(
                    region=self.instance.region_id
                )


class DocumentRequestForm(forms.ModelForm):
    class Meta:
        model = DocumentRequest
        fields = ["order", "title", "description", "required"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


LotFormSet = inlineformset_factory(
    Tender, Lot, form=LotForm, formset=RegionSegmentFormSet, extra=1, can_delete=True
)
RequirementFormSet = inlineformset_factory(
    Tender, Requirement, form=RequirementForm, extra=2, can_delete=True
)
CriterionFormSet = inlineformset_factory(
    Tender,
    AwardCriterion,
    form=CriterionForm,
    formset=CriteriaFormSetBase,
    extra=2,
    can_delete=True,
)
DocumentRequestFormSet = inlineformset_factory(
    Tender, DocumentRequest, form=DocumentRequestForm, extra=2, can_delete=True
)
MilestoneFormSet = inlineformset_factory(
    Tender, Milestone, form=MilestoneForm, extra=2, can_delete=True
)


class DocumentForm(forms.ModelForm):
    class Meta:
        model = TenderDocument
        fields = ["title", "file"]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SubmissionForm(forms.Form):
    lot = forms.ModelChoiceField(label=_("Perceel"), queryset=Lot.objects.none())
    provider = forms.ModelChoiceField(
        label=_("Inschrijver (aanbieder of samenwerkingsverband)"), queryset=Provider.objects.none()
    )
    care_forms = forms.ModelMultipleChoiceField(
        label=_("Aangeboden jeugdhulpvormen"),
        queryset=CareForm.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    received_at = forms.DateTimeField(
        label=_("Ontvangen op"),
        widget=DateTimeInput(),
    )

    def __init__(self, *args, tender, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = tender.lots.all()
        lots = list(tender.lots.all()[:2])
        if len(lots) == 1:
            self.initial.setdefault("lot", lots[0].pk)
        self.fields["provider"].queryset = Provider.objects.restrict(user).filter(
            region=tender.region
        )
        self.fields["care_forms"].queryset = CareForm.objects.filter(region=tender.region)
        self.initial.setdefault(
            "received_at", timezone.localtime().replace(second=0, microsecond=0)
        )
        self.fields["received_at"].widget.attrs["max"] = f"{timezone.localtime():%Y-%m-%dT%H:%M}"
        self.fields["received_at"].help_text = _(
            "Het moment waarop de inschrijving op papier binnenkwam: vandaag of eerder. De "
            "inschrijving wordt gemarkeerd als ingevoerd door u."
        )


PASS_CHOICES = [("", _("Nog niet beoordeeld")), ("pass", _("Voldoet")), ("fail", _("Voldoet niet"))]


class ChecklistForm(forms.Form):
    """One pair of fields (verdict, evidence) per requirement of the submission."""

    def __init__(self, *args, checks, **kwargs):
        super().__init__(*args, **kwargs)
        self.checks = list(checks)
        for c in self.checks:
            initial = "" if c.passed is None else ("pass" if c.passed else "fail")
            self.fields[f"verdict_{c.requirement_id}"] = forms.ChoiceField(
                label=c.requirement.text,
                choices=PASS_CHOICES,
                required=False,
                initial=initial,
                widget=forms.RadioSelect,
            )
            self.fields[f"evidence_{c.requirement_id}"] = forms.CharField(
                label=_("Onderbouwing"),
                required=False,
                initial=c.evidence,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        out = {}
        for c in self.checks:
            verdict = self.cleaned_data.get(f"verdict_{c.requirement_id}")
            out[c.requirement_id] = (
                None if not verdict else verdict == "pass",
                self.cleaned_data.get(f"evidence_{c.requirement_id}", ""),
            )
        return out

    def pairs(self):
        return [
            (c, self[f"verdict_{c.requirement_id}"], self[f"evidence_{c.requirement_id}"])
            for c in self.checks
        ]


class ScoreSheetForm(forms.Form):
    """A score and its reason per award criterion (one assessor's sheet, or the consensus)."""

    def __init__(self, *args, criteria, scale_max, existing=None, suggestions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        existing = existing or {}
        suggestions = suggestions or {}
        for c in self.criteria:
            value, reason = existing.get(c.pk, (suggestions.get(c.pk), ""))
            self.fields[f"score_{c.pk}"] = forms.DecimalField(
                label=_("Score"),
                min_value=Decimal(0),
                max_value=Decimal(scale_max),
                decimal_places=1,
                initial=value,
                help_text=_("0 tot en met %(max)s, hele of halve punten") % {"max": scale_max},
            )
            self.fields[f"reason_{c.pk}"] = forms.CharField(
                label=_("Motivering"), initial=reason, widget=forms.Textarea(attrs={"rows": 2})
            )

    def rows(self):
        return {
            c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"reason_{c.pk}"])
            for c in self.criteria
        }

    def pairs(self):
        return [(c, self[f"score_{c.pk}"], self[f"reason_{c.pk}"]) for c in self.criteria]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=[
            (Outcome.AWARDED, Outcome.AWARDED.label),
            (Outcome.NOT_AWARDED, Outcome.NOT_AWARDED.label),
        ],
        widget=forms.RadioSelect,
    )
    outcome_reason = forms.CharField(
        label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AdmissionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[("admit", _("Toelaten")), ("refuse", _("Afwijzen"))],
        widget=forms.RadioSelect,
    )
    outcome_reason = forms.CharField(
        label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 3})
    )


class NegotiationForm(forms.Form):
    notes = forms.CharField(
        label=_("Verslag onderhandeling"), widget=forms.Textarea(attrs={"rows": 4})
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van intrekking"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ConditionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} – {obj.text}"


class WindowOpenForm(forms.Form):
    """The decision to open a window: the condition is one of those defined for the procedure
    (its own and its strategy's); any other is an invalid choice at the field."""

    condition = ConditionChoiceField(
        label=_("Voorwaarde die zich voordoet"),
        queryset=AdmissionCondition.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    decision = forms.CharField(
        label=_("Besluit en onderbouwing"), widget=forms.Textarea(attrs={"rows": 3})
    )
    on = forms.DateField(label=_("Open vanaf"), widget=DateInput())

    def __init__(self, *args, tender, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["condition"].queryset = selectors.admission_conditions_for(tender)


class AdmissionConditionForm(forms.ModelForm):
    class Meta:
        model = AdmissionCondition
        fields = ["code", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner


class WindowCloseForm(forms.Form):
    on = forms.DateField(label=_("Gesloten op"), widget=DateInput())
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Vraag"), widget=forms.Textarea(attrs={"rows": 3}))
    reference = forms.CharField(label=_("Verwijzing naar document"), required=False, max_length=120)
    asked_by = forms.ModelChoiceField(
        label=_("Gesteld door (wordt nooit gepubliceerd)"),
        queryset=Provider.objects.none(),
        required=False,
        help_text=_("Leeg: ingevoerd door de inkoper."),
    )

    def __init__(self, *args, tender, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asked_by"].queryset = Provider.objects.restrict(user).filter(
            region=tender.region
        )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Antwoord"), widget=forms.Textarea(attrs={"rows": 3}))


class TenderSignatoryForm(forms.Form):
    """Who signs this procedure's letters, where it differs from the region (docs/letters.md)."""

    contracting_authority = forms.CharField(
        label=_("Aanbestedende dienst"), max_length=250, required=False
    )
    name = forms.CharField(label=_("Naam van de ondertekenaar"), max_length=150, required=False)
    function = forms.CharField(
        label=_("Functie van de ondertekenaar"), max_length=150, required=False
    )
