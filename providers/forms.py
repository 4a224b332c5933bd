from django import forms
from django.utils.translation import gettext_lazy as _

from core.ui.forms import DateInput, RegionBoundModelForm

from .models import Provider, Screening, ScreeningKind, ScreeningStatus


class ProviderForm(RegionBoundModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Provider
        fields = [
            "name",
            "kind",
            "kvk_number",
            "agb_code",
            "reach",
            "identity_bound",
            "denomination",
            "care_forms",
            "municipalities_served",
            "capacity_places",
            "capacity_fte",
            "city",
            "email",
            "website",
        ]
        widgets = {
            "care_forms": forms.CheckboxSelectMultiple,
            "municipalities_served": forms.CheckboxSelectMultiple,
        }


class ScreeningForm(forms.ModelForm):
    class Meta:
        model = Screening
        fields = ["kind", "status", "date", "valid_until", "outcome_note"]
        widgets = {
            "date": DateInput(),
            "valid_until": DateInput(),
            "outcome_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.provider = provider
        # The region's kinds in use (and, when editing, the screening's own kind even if it
        # has since been retired).
        kinds = ScreeningKind.objects.filter(region=provider.region_id)
        current = self.instance.kind_id
        self.fields["kind"].queryset = (
            kinds.filter(active=True) | kinds.filter(pk=current) if current else kinds.active()
        ).order_by("name")
        self.fields["valid_until"].help_text = _(
            "Leeg bij een voldoende screening: de geldigheid van de soort screening bepaalt de "
            "einddatum."
        )


class ScreeningBatchForm(forms.Form):
    """One screening of one kind for each chosen provider (``services.screenings_record``)."""

    providers = forms.ModelMultipleChoiceField(
        label=_("Aanbieders"), queryset=Provider.objects.none(), widget=forms.MultipleHiddenInput
    )
    kind = forms.ModelChoiceField(label=_("Soort screening"), queryset=ScreeningKind.objects.none())
    status = forms.ChoiceField(label=_("Uitkomst"), choices=ScreeningStatus.choices)
    date = forms.DateField(label=_("Datum"), widget=DateInput())
    valid_until = forms.DateField(
        label=_("Geldig tot en met"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Leeg bij een voldoende screening: de geldigheid van de soort screening bepaalt de "
            "einddatum."
        ),
    )
    outcome_note = forms.CharField(
        label=_("Toelichting op de uitkomst"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, providers, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["providers"].queryset = providers
        self.fields["kind"].queryset = (
            ScreeningKind.objects.filter(region=region).active().order_by("name")
        )


class ScreeningKindForm(RegionBoundModelForm):
    class Meta:
        model = ScreeningKind
        fields = ["name", "code", "description", "validity_months", "requirement", "segments"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "requirement": forms.RadioSelect,
            "segments": forms.CheckboxSelectMultiple,
        }

    def limit_choices_to_region(self):
        super().limit_choices_to_region()
        self.fields["segments"].queryset = self.fields["segments"].queryset.order_by("code")

    def clean_code(self):
        # At the field (the model's (region, code) constraint would say it above the form).
        code = self.cleaned_data["code"].strip()
        taken = ScreeningKind.objects.filter(region=self.region, code=code)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Deze code is in de regio al in gebruik."))
        return code


class ConsortiumMembersForm(forms.Form):
    lead = forms.ModelChoiceField(
        queryset=Provider.objects.none(),
        label=_("Hoofdaannemer"),
        required=False,
        help_text=_("De aanbieder die het contract met de regio sluit."),
    )
    members = forms.ModelMultipleChoiceField(
        queryset=Provider.objects.none(),
        label=_("Onderaannemers"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    def __init__(self, *args, consortium, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.consortium = consortium
        self.fields["lead"].queryset = choices
        self.fields["members"].queryset = choices
