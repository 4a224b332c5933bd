"""Forms of the onboarding pages: a region, an invitation, a user's roles in a region.

Plain forms: the services check everything that needs the database (an address in use, a
duplicate region code, the last region administrator) and their refusals are shown at the
field they name (``core.ui.forms.add_service_errors``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.roles import STAFF_ROLES, Role
from segments.models import Municipality

ROLE_CHOICES = [(r.value, r.label) for r in STAFF_ROLES]
ROLE_HELP = _(
    "Inkoper: landschap, aanbieders en aanbestedingen. Contractmanager: contracten, aanbieders "
    "en screenings. Meelezer: leest alles van de regio. Regiobeheerder: gebruikers, "
    "API-clients en rapportageschema. Voor een gemeentelijke gebruiker kiest u geen rol maar "
    "een gemeente."
)


class RegionForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=200)
    slug = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "Korte code in de adressen van de regio, bijvoorbeeld 'holland-rijnland': "
            "kleine letters, cijfers en streepjes. Ligt vast na het aanmaken."
        ),
    )
    contracting_authority = forms.CharField(
        label=_("Aanbestedende dienst"),
        max_length=250,
        help_text=_(
            "De organisatie die namens de regio inkoopt, bijvoorbeeld een centrumgemeente."
        ),
    )
    description = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RegionEditForm(RegionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["slug"]


class PersonFields(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"),
        help_text=_("Hier komt de uitnodiging met de link om een wachtwoord te kiezen."),
    )
    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)


class RolesFields(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Rollen in de regio"),
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=ROLE_HELP,
    )
    municipality = forms.ModelChoiceField(
        label=_("Of: gemeentelijke gebruiker van"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("— geen gemeente —"),
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["municipality"].queryset = Municipality.objects.filter(region=region).order_by(
            "name"
        )

    def clean(self):
        cleaned = super().clean()
        roles, municipality = cleaned.get("roles"), cleaned.get("municipality")
        if roles and municipality:
            self.add_error("roles", _("Kies rollen in de regio óf een gemeente, niet allebei."))
        elif not roles and not municipality and "roles" not in self.errors:
            self.add_error(
                "roles",
                _("Kies ten minste één rol, of een gemeente voor een gemeentelijke gebruiker."),
            )
        return cleaned


class InviteForm(PersonFields, RolesFields):
    field_order = ["email", "first_name", "last_name", "roles", "municipality"]


class RolesForm(RolesFields):
    pass


class AdministratorInviteForm(PersonFields):
    """The installation administrator invites a region's (first) region administrator."""

    role = Role.ADMINISTRATOR
