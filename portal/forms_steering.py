"""Forms of the portal's steering pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ActionProgressForm(forms.Form):
    text = forms.CharField(
        label=_("Voortgang"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Wat is er sinds de afspraak gedaan, en wat volgt nog?"),
    )
    file = forms.FileField(
        label=_("Bestand (optioneel)"),
        required=False,
        help_text=_("Bijvoorbeeld een verbeterplan of een rapportage."),
    )
