"""Forms of the portal's pages after the award: a new API key of the provider. (The production
upload uses the import's own form, ``monitoring.imports.forms.ImportForm``.)"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.forms import ExpiryFieldMixin
from api.models import ALLOWED_SCOPES, ApiScope, ClientKind

from .services_contracts import NAME_MAX

PROVIDER_SCOPES = ALLOWED_SCOPES[ClientKind.PROVIDER]


class ProviderApiClientForm(ExpiryFieldMixin, forms.Form):
    name = forms.CharField(
        label=_("Naam"),
        max_length=NAME_MAX,
        help_text=_("Welk systeem de sleutel gebruikt, bijvoorbeeld 'Cliëntsysteem'."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Wat de sleutel mag"),
        choices=[(s, label) for s, label in ApiScope.choices if s in PROVIDER_SCOPES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies ten minste één recht.")},
        help_text=_(
            "Productiegegevens aanleveren: declaraties, trajecten, bezetting insturen. Lezen: "
            "alleen de contracten, tarieven, budgetten en cijfers van uw eigen organisatie."
        ),
    )
    contact_email = forms.EmailField(
        label=_("E-mailadres technisch contact"),
        required=False,
        help_text=_("Wie we bereiken als de sleutel verloopt of de koppeling misgaat."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_expiry_field(timezone.localdate())

    def clean_scopes(self):
        chosen = set(self.cleaned_data["scopes"])
        return [s for s in ApiScope.values if s in chosen]
