"""Forms of the framework themes, the adoption decision and the market consultations; they
only collect input, the services in ``kader`` and ``consultations`` decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.files import DOCUMENT_KINDS
from core.ui.forms import DateInput, RegionBoundModelForm
from providers.models import Provider

from .models import ConsultationKind, MarketConsultation, Theme


class ThemeForm(RegionBoundModelForm):
    class Meta:
        model = Theme
        fields = ["name", "description"]


class AdoptionDecisionForm(forms.Form):
    decided_by = forms.CharField(
        label=_("Besloten door"),
        max_length=200,
        help_text=_("Bijv. het Algemeen Bestuur."),
    )
    decided_on = forms.DateField(label=_("Besloten op"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Waarom het kader wordt vastgesteld zonder de ontbrekende zienswijzen."),
    )


class ConsultationForm(forms.ModelForm):
    minutes_file = forms.FileField(
        label=_("Verslag (document)"),
        required=False,
        help_text=_("Optioneel: %(kinds)s.")
        % {"kinds": ", ".join(k.label for k in DOCUMENT_KINDS)},
    )
    clear_file = forms.BooleanField(label=_("Document verwijderen"), required=False)

    class Meta:
        model = MarketConsultation
        fields = [
            "held_on",
            "kind",
            "title",
            "providers",
            "other_participants",
            "themes",
            "minutes",
        ]
        widgets = {
            "held_on": DateInput(),
            "providers": forms.SelectMultiple(attrs={"size": 8}),
            "themes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.strategy = strategy
        self.fields["kind"].choices = ConsultationKind.choices
        self.fields["providers"].queryset = Provider.objects.filter(
            region=strategy.region_id
        ).order_by("name")
        self.fields["themes"].queryset = Theme.objects.filter(region=strategy.region_id)
        if not self.instance.minutes_file:
            del self.fields["clear_file"]
