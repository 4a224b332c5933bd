from django import forms
from django.utils.translation import gettext_lazy as _

from core.ui.forms import RegionBoundModelForm

from .models import Provider, Screening


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
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "outcome_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.provider = provider


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
