"""The form of the structured negotiation outcome: the task, a row per budget year and kind,
and a row per agreement (development assignment). Empty rows are left out."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.ui.forms import DateInput

from .models_negotiation import NegotiatedBudgetKind


class NegotiationOutcomeForm(forms.Form):
    task = forms.CharField(
        label=_("Taak van de partner"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wat de partner doet: doelgroep, jeugdhulpvormen, omvang, acceptatieplicht."),
    )


class NegotiatedBudgetForm(forms.Form):
    year = forms.IntegerField(label=_("Jaar"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Soort"), choices=NegotiatedBudgetKind.choices)
    amount = forms.DecimalField(label=_("Bedrag (€)"), max_digits=14, decimal_places=2)


class NegotiatedAssignmentForm(forms.Form):
    title = forms.CharField(label=_("Ontwikkelopdracht"), max_length=200)
    description = forms.CharField(
        label=_("Omschrijving"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = forms.DateField(
        label=_("Gereed op"),
        required=False,
        widget=DateInput(),
    )


BudgetFormSet = forms.formset_factory(NegotiatedBudgetForm, extra=2)
AssignmentFormSet = forms.formset_factory(NegotiatedAssignmentForm, extra=2)
