"""Forms of a region's own KPIs, measurement kinds and a segment's steering KPIs."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.ui.forms import RegionBoundModelForm
from monitoring.imports.models import EndReason, MeasurementKind
from monitoring.kpis.definitions import MEASURES
from monitoring.kpis.models import KpiRollup, RegionKpi
from monitoring.kpis.services import KPI_FIELDS
from segments.codes import ProductCategory


def measure_choices():
    return [("", "—")] + [
        (name, str(KpiRollup._meta.get_field(name).verbose_name)) for name in MEASURES
    ]


class RegionKpiForm(RegionBoundModelForm):
    """All computations in one form; the page shows the part of the chosen computation (all
    parts without JavaScript). The service empties the fields of the other computations."""

    population_categories = forms.MultipleChoiceField(
        label=_("Alleen trajecten in zorgvorm"),
        choices=ProductCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leeg: alle zorgvormen."),
    )
    end_reasons = forms.MultipleChoiceField(
        label=_("Voorwaarde: beëindigd met reden"),
        choices=EndReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    later_categories = forms.MultipleChoiceField(
        label=_("Het latere traject in zorgvorm"),
        choices=ProductCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leeg: elk later traject telt."),
    )
    numerator = forms.ChoiceField(label=_("Teller"), required=False, choices=measure_choices)
    denominator = forms.ChoiceField(label=_("Noemer"), required=False, choices=measure_choices)

    class Meta:
        model = RegionKpi
        # the name first, then the code; every field the service takes
        fields = ["name", *(f for f in KPI_FIELDS if f != "name")]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "computation": forms.RadioSelect,
            "population": forms.RadioSelect,
            "later": forms.RadioSelect,
            "direction": forms.RadioSelect,
        }
        labels = {
            "max_duration_days": _("Voorwaarde: duur hoogstens (dagen)"),
            "later": _("Voorwaarde: later traject van dezelfde jeugdige"),
            "later_months": _("Binnen (maanden na het einde)"),
            "population": _("Welke trajecten tellen mee"),
            "scale": _("Vermenigvuldig met"),
        }
        help_texts = {
            "later": _(
                "Een later traject: één van dezelfde jeugdige in de regio dat na de start van "
                "dit traject begint en uiterlijk het gegeven aantal maanden na het einde. Alleen "
                "bij beëindigde trajecten."
            ),
            "scale": _("100 voor een percentage, 1 voor een gemiddelde of verhouding."),
            "moment": _("Leeg: metingen op elk meetmoment."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measurement_kind"].queryset = MeasurementKind.objects.filter(
            region=self.region
        ).order_by("name")
        self.fields["scale"].required = False
        for name in ("population", "later"):
            self.fields[name].required = False
        # radio buttons without the empty "---------" choice ("" of later means: no condition)
        for name in ("direction", "computation", "population"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0] != ""]

    def clean_scale(self):
        return self.cleaned_data.get("scale") or 1

    def clean_later(self):
        return self.cleaned_data.get("later") or ""


class MeasurementKindForm(RegionBoundModelForm):
    class Meta:
        model = MeasurementKind
        fields = ["name", "code", "value_type", "minimum", "maximum", "description"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "value_type": forms.RadioSelect,
        }


class SteeringKpisForm(forms.Form):
    kpis = forms.MultipleChoiceField(
        label=_("Het segment stuurt op"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "De tactische doelen van het segment: het dashboard van het segment begint met "
            "deze KPI's, in deze volgorde."
        ),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpis"].choices = choices
