"""The form for a case director's consent (``contracts.consent``). The family is picked from
the contract's families with two or more profiles, never typed; the service decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from segments.models import Product

from .codes import ConsentKind
from .forms import date_widget, text_widget


class ProfileConsentForm(forms.Form):
    family = forms.ChoiceField(
        label=_("Gezin (pseudoniem)"),
        help_text=_(
            "De gezinnen met toewijzingen van twee of meer profielen op dit contract, zoals de "
            "afrekening ze noemt."
        ),
    )
    kind = forms.ChoiceField(label=_("Soort"), choices=ConsentKind.choices)
    products = forms.ModelMultipleChoiceField(
        label=_("Profielen (producten)"),
        queryset=Product.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Bij stapeling beide profielen die naast elkaar lopen; bij een profielwissel het "
            "nieuwe profiel."
        ),
    )
    given_on = forms.DateField(label=_("Datum instemming"), widget=date_widget())
    case_director = forms.CharField(
        label=_("Regisseur (naam en functie)"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: J. de Vries, regisseur lokaal team Zaandam. Geen BSN."),
    )
    reason = forms.CharField(label=_("Reden (verplicht)"), required=False, widget=text_widget())
    valid_from = forms.DateField(label=_("Geldt vanaf"), widget=date_widget())
    valid_until = forms.DateField(
        label=_("Geldt tot en met"),
        required=False,
        widget=date_widget(),
        help_text=_("Leeg: tot het einde van de toewijzingen."),
    )

    def __init__(self, *args, families: dict[str, list[str]], products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family"].choices = [("", "---------")] + [
            (family, f"{family} ({', '.join(codes)})") for family, codes in families.items()
        ]
        self.fields["products"].queryset = products
        self.fields["products"].label_from_instance = lambda p: f"{p.code} {p.name}"


class ProfileConsentRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van de intrekking (verplicht)"), required=False, widget=text_widget()
    )
