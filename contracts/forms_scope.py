"""Forms for a contract's municipality scope and a segment's free and reserved budgets. They
collect input; ``contracts.scope`` and ``contracts.segment_budgets`` decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from segments.models import Municipality, Segment

from .codes import SegmentBudgetKind
from .forms import MONEY, date_widget, text_widget

ALL = "all"
SOME = "some"


class MunicipalityScopeForm(forms.Form):
    applies_to = forms.ChoiceField(
        label=_("Geldt voor"),
        choices=[(ALL, _("Alle gemeenten van de regio")), (SOME, _("Alleen deze gemeenten"))],
        widget=forms.RadioSelect,
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Gemeenten"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen bij 'Alleen deze gemeenten', bijvoorbeeld de gemeenten van een pilot."),
    )
    effective_on = forms.DateField(label=_("Gaat in op"), widget=date_widget())
    reason = forms.CharField(label=_("Toelichting"), required=False, widget=text_widget())

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = municipalities
        self.fields["municipalities"].label_from_instance = lambda m: m.name

    def clean(self):
        data = super().clean()
        if data.get("applies_to") == SOME and not data.get("municipalities"):
            self.add_error(
                "municipalities",
                _("Kies de gemeenten waarvoor het contract geldt, of kies 'Alle gemeenten'."),
            )
        return data

    def chosen(self) -> list:
        if self.cleaned_data["applies_to"] == ALL:
            return []
        return list(self.cleaned_data["municipalities"])


class SegmentBudgetForm(forms.Form):
    segment = forms.ModelChoiceField(label=_("Segment"), queryset=Segment.objects.none())
    year = forms.IntegerField(label=_("Jaar"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Soort"), choices=SegmentBudgetKind.choices)
    amount = forms.DecimalField(label=_("Bedrag (€)"), min_value=0, **MONEY)
    note = forms.CharField(label=_("Toelichting"), required=False, widget=text_widget())

    def __init__(self, *args, segments, fixed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = segments
        if fixed:
            # an existing budget keeps its segment, year and kind; only the amount and note change
            for name in ("segment", "year", "kind"):
                del self.fields[name]
