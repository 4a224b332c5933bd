"""Forms of development assignments: a new one, a progress update, a status change."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import date_widget, text_widget


class DevelopmentAssignmentForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(label=_("Omschrijving"), required=False, widget=text_widget())
    due_on = forms.DateField(label=_("Gereed op"), required=False, widget=date_widget())


class DevelopmentProgressForm(forms.Form):
    on = forms.DateField(label=_("Datum"), widget=date_widget())
    percentage = forms.IntegerField(label=_("Voortgang (%)"), min_value=0, max_value=100)
    text = forms.CharField(label=_("Wat is er gedaan"), widget=text_widget())


class DevelopmentTransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Nieuwe status"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Toelichting"),
        required=False,
        widget=text_widget(2),
        help_text=_("Verplicht als de opdracht vervalt."),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = choices
