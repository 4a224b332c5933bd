"""Forms of the tariff, settlement and procurement-effect pages. They only collect input; the
services and the settlement engine decide (and give the reasons)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from core.ui.forms import DateInput
from providers.models import Provider
from segments.models import CareForm, Intensity, Product, Segment, SupportProfile

from .codes import ArrangementModel, OutputPayment
from .settlement import Period
from .tariffs import BuildUp

MONTH_CHOICES = [(n, MONTHS[n].capitalize()) for n in range(1, 13)]


def decimal_field(label, *, required=False, help_text="", max_digits=14, decimal_places=2):
    """A decimal field that takes a Dutch comma (``3,4``) as well as a point."""
    return forms.DecimalField(
        label=label,
        required=required,
        help_text=help_text,
        max_digits=max_digits,
        decimal_places=decimal_places,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def last_complete_months(today: date | None = None) -> tuple[int, int, int]:
    """The default settlement period: this year up to the last complete month (in January:
    the whole previous year)."""
    today = today or timezone.localdate()
    if today.month == 1:
        return today.year - 1, 1, 12
    return today.year, 1, today.month - 1


# ---------------------------------------------------------------- tariffs


class TariffForm(forms.Form):
    """A new tariff version: an amount, or the reasonable-price build-up it follows from."""

    BUILD_UP_FIELDS = (
        "staff_client_bound",
        "staff_not_client_bound",
        "other_client_bound",
        "overhead_pct",
        "indexation_pct",
    )

    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    valid_from = forms.DateField(label=_("Geldig vanaf"), widget=DateInput())
    valid_until = forms.DateField(
        label=_("Geldig tot en met"),
        required=False,
        widget=DateInput(),
        help_text=_("Leeg: doorlopend, tot een volgende versie ingaat."),
    )
    amount = decimal_field(
        _("Tarief (€ per eenheid)"),
        help_text=_("Vul het tarief in, of laat het leeg en vul hieronder de kostprijsopbouw in."),
    )
    staff_client_bound = decimal_field(_("Personeelskosten cliëntgebonden (€)"))
    staff_not_client_bound = decimal_field(_("Personeelskosten niet-cliëntgebonden (€)"))
    other_client_bound = decimal_field(_("Overige cliëntgebonden kosten (€)"))
    overhead_pct = decimal_field(_("Overhead (%)"), max_digits=6)
    indexation_pct = decimal_field(_("Indexatie in de opbouw (%)"), max_digits=6)
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(region=region).order_by("code")

    def main_fields(self):
        return [self[name] for name in ("product", "valid_from", "valid_until", "amount")]

    def build_up_fields(self):
        return [self[name] for name in self.BUILD_UP_FIELDS]

    def build_up(self) -> BuildUp | None:
        """The build-up when any of its fields is filled (the service validates it)."""
        data = self.cleaned_data
        if all(data.get(name) is None for name in self.BUILD_UP_FIELDS):
            return None
        zero = Decimal("0")
        return BuildUp(
            staff_client_bound=data.get("staff_client_bound") or zero,
            staff_not_client_bound=data.get("staff_not_client_bound") or zero,
            other_client_bound=data.get("other_client_bound") or zero,
            overhead_pct=data.get("overhead_pct") or zero,
            indexation_pct=data.get("indexation_pct") or zero,
        )


class IndexForm(forms.Form):
    """The yearly indexation: one percentage from one date for every current tariff."""

    percentage = decimal_field(
        _("Percentage"),
        required=True,
        max_digits=6,
        help_text=_("Bijvoorbeeld 3,4 voor 3,4%; een verlaging met een minteken."),
    )
    valid_from = forms.DateField(
        label=_("Geldig vanaf"),
        widget=DateInput(),
        help_text=_(
            "De tarieven die de dag ervoor gelden krijgen vanaf deze datum een nieuwe versie."
        ),
    )
    care_form = forms.ModelChoiceField(
        label=_("Alleen producten van jeugdhulpvorm"),
        queryset=CareForm.objects.none(),
        required=False,
        empty_label=_("Alle producten"),
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bijvoorbeeld de bron van het percentage (OVA)."),
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["care_form"].queryset = CareForm.objects.filter(region=region).order_by("name")

    def products(self):
        care_form = self.cleaned_data.get("care_form")
        if care_form is None:
            return None
        return Product.objects.filter(region=self.region, care_form=care_form)


# ---------------------------------------------------------------- periods


class PeriodForm(forms.Form):
    """Whole calendar months within one year."""

    year = forms.TypedChoiceField(label=_("Jaar"), coerce=int)
    first_month = forms.TypedChoiceField(label=_("Van maand"), coerce=int, choices=MONTH_CHOICES)
    last_month = forms.TypedChoiceField(
        label=_("Tot en met maand"), coerce=int, choices=MONTH_CHOICES
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]

    def clean(self):
        data = super().clean()
        first, last = data.get("first_month"), data.get("last_month")
        if first and last and last < first:
            self.add_error(
                "last_month",
                _("De laatste maand ligt vóór de eerste; een periode valt binnen één jaar."),
            )
        return data

    def period(self) -> Period:
        data = self.cleaned_data
        return Period.months(data["year"], data["first_month"], data["last_month"])


class SettlementForm(PeriodForm):
    pass


SCENARIOS = [
    ("tariffs_on", _("Tarieven per peildatum")),
    ("tariff_change", _("Tariefwijziging")),
    ("pxq", _("Alles als PxQ")),
]


class EffectForm(PeriodForm):
    segment = forms.ModelChoiceField(
        label=_("Segment"),
        queryset=Segment.objects.none(),
        required=False,
        empty_label=_("Alle segmenten"),
        help_text=_("Met de deelsegmenten eronder."),
    )
    scenario = forms.ChoiceField(
        label=_("Scenario"), choices=SCENARIOS, widget=forms.RadioSelect, initial="tariffs_on"
    )
    on = forms.DateField(
        label=_("Peildatum"),
        required=False,
        widget=DateInput(),
        help_text=_("Bij 'Tarieven per peildatum': de productie tegen de tarieven van deze dag."),
    )
    percentage = decimal_field(
        _("Tariefwijziging (%)"),
        max_digits=6,
        help_text=_("Bij 'Tariefwijziging': bijvoorbeeld 10 voor alle tarieven 10% hoger."),
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = Segment.objects.filter(region=region).order_by("code")

    def clean(self):
        data = super().clean()
        scenario = data.get("scenario")
        if scenario == "tariffs_on" and data.get("on") is None:
            self.add_error("on", _("Kies de peildatum waarvan de tarieven gelden."))
        if scenario == "tariff_change":
            pct = data.get("percentage")
            if pct is None:
                self.add_error("percentage", _("Vul het percentage van de tariefwijziging in."))
            elif pct <= -100 or pct > 100:
                self.add_error("percentage", _("Kies een tariefwijziging tussen -100% en 100%."))
        return data

    def argument(self):
        scenario = self.cleaned_data["scenario"]
        if scenario == "tariffs_on":
            return self.cleaned_data["on"]
        if scenario == "tariff_change":
            return self.cleaned_data["percentage"]
        return None


# ---------------------------------------------------------------- funding-model scenarios


class EffectScenarioForm(PeriodForm):
    """A saved scenario: name, scope, period and the alternative model (the prices are rows of
    :class:`ScenarioPriceFormSet`)."""

    name = forms.CharField(label=_("Naam"), max_length=120)
    description = forms.CharField(
        label=_("Omschrijving"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    segment = forms.ModelChoiceField(
        label=_("Segment"),
        queryset=Segment.objects.none(),
        required=False,
        empty_label=_("Geen: de gekozen producten"),
        help_text=_("Met de deelsegmenten eronder."),
    )
    products = forms.ModelMultipleChoiceField(
        label=_("Of: producten"),
        queryset=Product.objects.none(),
        required=False,
        help_text=_("Alleen als er geen segment is gekozen."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    model = forms.ChoiceField(
        label=_("Alternatieve bekostigingsvorm"),
        choices=ArrangementModel.choices,
        widget=forms.RadioSelect,
        initial=ArrangementModel.OUTPUT,
    )
    output_payment = forms.ChoiceField(
        label=_("Betaalmoment output"),
        choices=OutputPayment.choices,
        initial=OutputPayment.AT_START,
        help_text=_("Outputgericht: welke trajecten in de periode tellen."),
    )
    regional_amount = decimal_field(
        _("Regionaal taakgericht budget per jaar (€)"),
        help_text=_(
            "Taakgericht: één bedrag voor de hele regio, verdeeld over de aanbieders naar hun "
            "huidige kosten. Leeg: vul hieronder een lumpsum per aanbieder in."
        ),
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment"].queryset = Segment.objects.filter(region=region).order_by("code")
        self.fields["products"].queryset = Product.objects.filter(region=region).order_by("code")

    def clean(self):
        data = super().clean()
        if data.get("segment") is None and not data.get("products"):
            self.add_error("segment", _("Kies een segment of kies producten."))
        return data

    def scenario_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "description": data.get("description", ""),
            "segment": data.get("segment"),
            "model": data["model"],
            "output_payment": data["output_payment"],
            "regional_amount": data.get("regional_amount"),
            "year": data["year"],
            "first_month": data["first_month"],
            "last_month": data["last_month"],
        }


class ScenarioPriceForm(forms.Form):
    """One parameter row: a product (or a profile × intensity, or a provider) and its amount."""

    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.none(), required=False
    )
    support_profile = forms.ModelChoiceField(
        label=_("Of: profiel"), queryset=SupportProfile.objects.none(), required=False
    )
    intensity = forms.ModelChoiceField(
        label=_("Intensiteit"), queryset=Intensity.objects.none(), required=False
    )
    provider = forms.ModelChoiceField(
        label=_("Of: aanbieder"), queryset=Provider.objects.none(), required=False
    )
    amount = decimal_field(_("Bedrag (€)"))
    places = forms.IntegerField(label=_("Plaatsen"), required=False, min_value=1)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(region=region).order_by("code")
        self.fields["support_profile"].queryset = SupportProfile.objects.filter(
            region=region
        ).order_by("number")
        self.fields["intensity"].queryset = Intensity.objects.filter(region=region).order_by(
            "position", "name"
        )
        self.fields["provider"].queryset = Provider.objects.filter(region=region).order_by("name")

    def clean(self):
        data = super().clean()
        subjects = [data.get(k) for k in ("product", "support_profile", "provider")]
        chosen = [s for s in subjects if s is not None]
        if len(chosen) > 1:
            raise forms.ValidationError(
                _("Kies per rij één product, één profiel of één aanbieder.")
            )
        if not chosen and data.get("amount") is not None:
            raise forms.ValidationError(
                _("Kies het product, profiel of de aanbieder bij dit bedrag.")
            )
        return data

    def row(self) -> dict | None:
        """The row for the service; ``None`` for a row left empty or without an amount (a
        filled-in product that needs no price)."""
        data = self.cleaned_data
        if not data or data.get("amount") is None:
            return None
        return {
            "product": data.get("product"),
            "support_profile": data.get("support_profile"),
            "intensity": data.get("intensity"),
            "provider": data.get("provider"),
            "amount": data.get("amount"),
            "places": data.get("places"),
        }


ScenarioPriceFormSet = forms.formset_factory(ScenarioPriceForm, extra=3, max_num=1000)


class ScenarioCompareForm(forms.Form):
    scenarios = forms.ModelMultipleChoiceField(
        label=_("Scenario's"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kies twee of drie scenario's."),
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenarios"].queryset = queryset

    def clean_scenarios(self):
        chosen = self.cleaned_data["scenarios"]
        if not 2 <= len(chosen) <= 3:
            raise forms.ValidationError(_("Kies twee of drie scenario's om te vergelijken."))
        return chosen
