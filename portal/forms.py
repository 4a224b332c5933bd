from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import PersonFields
from providers.models import ProviderRole


class ProviderUserInviteForm(PersonFields):
    role = forms.ChoiceField(
        label=_("Rol"),
        choices=ProviderRole.choices,
        initial=ProviderRole.EMPLOYEE,
        widget=forms.RadioSelect,
        help_text=_(
            "Een beheerder nodigt collega's uit en verwijdert ze, en maakt API-sleutels aan; "
            "een medewerker doet de rest."
        ),
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code uit de authenticator-app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("Zes cijfers; de code wisselt elke 30 seconden."),
    )
