"""Forms of the API-client pages: a new client (with the expiry of its first key), editing a
client, and a new key (rotation).

The organisation choices are the region's only. Everything the model knows about what fits
together (the organisation matches the kind and belongs to the region; a municipality cannot
deliver production data) is checked by :meth:`ApiClient.clean`, which a ModelForm runs; its
errors land next to the fields they are about.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.ui.forms import DateInput
from providers.models import Provider
from segments.models import Municipality

from .models import ApiClient, ApiScope, ClientKind
from .services import DEFAULT_VALIDITY, MAX_VALIDITY, ROTATION_OVERLAP

#: which organisation field belongs to which kind of client
ORGANISATION_FIELD = {
    ClientKind.MUNICIPALITY: "municipality",
    ClientKind.PROVIDER: "provider",
    ClientKind.REGIONAL: None,
}
SCOPE_HELP = gettext_lazy(
    "Cijfers lezen: KPI-waarden, signalen en rapportages. Contracten lezen: contracten, "
    "tarieven en budgetten. Productiegegevens aanleveren: declaraties en bezetting insturen "
    "(niet voor gemeenten). Wat een client met een recht ziet, hangt af van zijn organisatie."
)


def expiry_moment(day: date) -> datetime:
    """A key chosen to expire on ``day`` works until the end of that day (Dutch time)."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


class ExpiryFieldMixin:
    """An expiry date: not in the past and at most ``MAX_VALIDITY`` from today."""

    def add_expiry_field(self, today: date) -> None:
        self.today = today
        latest = today + MAX_VALIDITY
        self.fields["expires_on"] = forms.DateField(
            label=_("Sleutel verloopt op"),
            initial=today + DEFAULT_VALIDITY,
            widget=DateInput(attrs={"min": today.isoformat(), "max": latest.isoformat()}),
            help_text=_(
                "Standaard over een jaar; uiterlijk %(latest)s (twee jaar). De sleutel werkt tot "
                "het eind van die dag."
            )
            % {"latest": date_format(latest, "j F Y")},
        )

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day < self.today:
            raise forms.ValidationError(_("Deze datum ligt in het verleden."))
        if day > self.today + MAX_VALIDITY:
            raise forms.ValidationError(
                _("Een sleutel is hoogstens twee jaar geldig: kies uiterlijk %(latest)s.")
                % {"latest": date_format(self.today + MAX_VALIDITY, "j F Y")}
            )
        return day

    @property
    def expires_at(self) -> datetime:
        return expiry_moment(self.cleaned_data["expires_on"])


class ScopesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            label=gettext_lazy("Rechten"),
            choices=ApiScope.choices,
            widget=forms.CheckboxSelectMultiple,
            help_text=SCOPE_HELP,
            error_messages={"required": gettext_lazy("Kies ten minste één recht.")},
            **kwargs,
        )


class ClientFormBase(forms.ModelForm):
    scopes = ScopesField()

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.instance.region = region
        self.fields["name"].help_text = _(
            "Een naam die zegt wie of welk systeem de API gebruikt, bijvoorbeeld "
            "'Gemeente Breda – BI'."
        )
        self.fields["contact_email"].help_text = _(
            "Wie we bereiken als de sleutel verloopt of als er iets mis is met de koppeling."
        )
        if self.instance.pk:
            self.initial.setdefault("scopes", list(self.instance.scopes or []))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = ApiClient.objects.filter(region=self.region, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Deze regio heeft al een API-client met deze naam."))
        return name

    def clean_scopes(self):
        # in the order of ApiScope, whatever order the browser sent
        chosen = set(self.cleaned_data["scopes"])
        return [s for s in ApiScope.values if s in chosen]


class ApiClientCreateForm(ExpiryFieldMixin, ClientFormBase):
    """A new client of the region and the expiry of its first key."""

    class Meta:
        model = ApiClient
        fields = ["name", "kind", "municipality", "provider", "scopes", "contact_email"]

    def __init__(self, *args, region, user, today: date | None = None, **kwargs):
        super().__init__(*args, region=region, **kwargs)
        self.fields["kind"].choices = [("", _("Kies de soort")), *ClientKind.choices]
        self.fields["municipality"].queryset = (
            Municipality.objects.visible_to(user).filter(region=region).order_by("name", "pk")
        )
        self.fields["provider"].queryset = (
            Provider.objects.visible_to(user).filter(region=region).order_by("name", "pk")
        )
        self.fields["municipality"].empty_label = _("Kies een gemeente")
        self.fields["provider"].empty_label = _("Kies een aanbieder")
        self.fields["municipality"].help_text = _("Alleen bij soort 'Gemeente'.")
        self.fields["provider"].help_text = _("Alleen bij soort 'Aanbieder'.")
        self.add_expiry_field(today or timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in ORGANISATION_FIELD:
            # only the organisation that fits the kind counts (the other select may still
            # hold an earlier choice)
            for name in ("municipality", "provider"):
                if name != ORGANISATION_FIELD[kind] and name not in self.errors:
                    cleaned[name] = None
        return cleaned


class ApiClientEditForm(ClientFormBase):
    """Name, scopes and contact of an existing client (kind and organisation stay)."""

    class Meta:
        model = ApiClient
        fields = ["name", "scopes", "contact_email"]


OVERLAP_CHOICES = [
    (str(ROTATION_OVERLAP.days), gettext_lazy("7 dagen: de oude sleutel werkt nog een week")),
    ("0", gettext_lazy("Direct: de oude sleutel werkt meteen niet meer")),
]


class RotateForm(ExpiryFieldMixin, forms.Form):
    """A new key for the client; how long its current keys keep working."""

    overlap = forms.TypedChoiceField(
        label=gettext_lazy("Oude sleutel"),
        choices=OVERLAP_CHOICES,
        coerce=int,
        initial=str(ROTATION_OVERLAP.days),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_expiry_field(today or timezone.localdate())
        self.fields["expires_on"].label = _("Nieuwe sleutel verloopt op")

    @property
    def overlap_delta(self) -> timedelta:
        return timedelta(days=self.cleaned_data["overlap"])
