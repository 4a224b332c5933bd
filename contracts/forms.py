"""Forms of contract management. They collect input; the services decide (and say why not).

Action forms are plain forms, never model forms bound to the contract: a contract changes only
through ``services`` (dated events, revisions), so a form must not touch the instance.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.ui.forms import DateInput, RegionBoundModelForm
from procurement.forms import IntListField
from procurement.models import Lot
from segments.models import Product, SupportProfile

from .codes import ArrangementModel, BudgetKind, OutputPayment, ReportingFrequency
from .models import Contract, KpiAgreement

MONEY = {"max_digits": 14, "decimal_places": 2}
PERCENT = {"max_digits": 6, "decimal_places": 2}


def date_widget():
    return DateInput()


def text_widget(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class ContractForm(RegionBoundModelForm):
    """An existing contract entered directly (not from an award)."""

    extension_options = IntListField(
        label=_("Verlengingsopties (jaren)"),
        help_text=_("Bijvoorbeeld 1 + 1 of 1, 1; leeg: geen opties."),
    )

    class Meta:
        model = Contract
        fields = [
            "reference",
            "provider",
            "segment",
            "lot",
            "start_date",
            "initial_term_years",
            "extension_options",
            "is_strategic_partner",
            "acceptance_obligation",
            "reporting_frequency",
            "development_assignments",
        ]
        widgets = {"start_date": date_widget(), "development_assignments": text_widget()}

    def limit_choices_to_region(self):
        super().limit_choices_to_region()
        lots = Lot.objects.filter(tender__region=self.region).select_related("tender", "segment")
        self.fields["lot"].queryset = lots
        self.fields["lot"].label_from_instance = lambda lot: f"{lot.tender.reference} – {lot}"
        self.fields["lot"].help_text = _("Alleen als het contract uit een aanbesteding komt.")


class ExtendForm(forms.Form):
    years = forms.IntegerField(label=_("Aantal jaren"), min_value=1, max_value=10)
    decided_on = forms.DateField(label=_("Besloten op"), widget=date_widget())
    reason = forms.CharField(
        label=_("Toelichting"),
        required=False,
        widget=text_widget(),
        help_text=_("Leeg: de optie en de besluitdatum worden als toelichting vastgelegd."),
    )


class AmendForm(forms.Form):
    effective_on = forms.DateField(label=_("Gaat in op"), widget=date_widget())
    reason = forms.CharField(
        label=_("Wat wijzigt en waarom (verplicht)"), required=False, widget=text_widget()
    )
    development_assignments = forms.CharField(
        label=_("Ontwikkelopdrachten"), required=False, widget=text_widget(5)
    )
    acceptance_obligation = forms.BooleanField(label=_("Acceptatieplicht"), required=False)
    is_strategic_partner = forms.BooleanField(label=_("Strategisch partner"), required=False)
    reporting_frequency = forms.ChoiceField(
        label=_("Rapportagefrequentie"), choices=ReportingFrequency.choices
    )

    CHANGES = (
        "development_assignments",
        "acceptance_obligation",
        "is_strategic_partner",
        "reporting_frequency",
    )

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.CHANGES}


class TerminateForm(forms.Form):
    effective_on = forms.DateField(label=_("Beëindigd per"), widget=date_widget())
    reason = forms.CharField(label=_("Reden (verplicht)"), required=False, widget=text_widget(4))


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van het terugdraaien (verplicht)"), widget=text_widget(4)
    )


class KpiAgreementForm(forms.ModelForm):
    class Meta:
        model = KpiAgreement
        fields = ["kpi", "direction", "norm", "amber_threshold", "red_threshold", "note"]
        widgets = {"note": text_widget()}

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.contract = contract

    def _get_validation_exclusions(self):
        # The contract takes part in validation: one agreement per KPI per contract.
        exclusions = super()._get_validation_exclusions()
        exclusions.discard("contract")
        return exclusions

    def clean_kpi(self):
        kpi = self.cleaned_data["kpi"]
        others = KpiAgreement.objects.filter(contract=self.instance.contract, kpi=kpi)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("Voor deze KPI bestaat al een afspraak in dit contract; wijzig die.")
            )
        return kpi


class ProductChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name} ({obj.get_unit_display()})"


class ArrangementForm(forms.Form):
    model = forms.ChoiceField(label=_("Bekostigingsvorm"), choices=ArrangementModel.choices)
    name = forms.CharField(label=_("Naam"), max_length=200, required=False)
    valid_from = forms.DateField(label=_("Geldig vanaf"), widget=date_widget())
    valid_until = forms.DateField(
        label=_("Geldig tot en met"), required=False, widget=date_widget()
    )
    products = ProductChoices(
        label=_("Producten"),
        queryset=Product.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "PxQ en output: de producten die onder deze afspraak vallen. Beschikbaarheid: het "
            "product (in etmalen of dagdelen) waarmee bezette plaatsen worden vergoed."
        ),
    )
    output_payment = forms.ChoiceField(
        label=_("Betaalmoment (outputgericht)"),
        choices=OutputPayment.choices,
        initial=OutputPayment.AT_START,
    )
    facility = forms.CharField(
        label=_("Voorziening (beschikbaarheid)"),
        max_length=100,
        required=False,
        help_text=_(
            "De groep of locatie waar de plaatsen zijn, bijvoorbeeld 'Groep De Linde'. Per "
            "voorziening een eigen afspraak; de bezetting wordt per voorziening aangeleverd "
            "(kolom voorziening). Leeg: de naam van de afspraak, anders 'Hoofdlocatie'."
        ),
    )
    places = forms.IntegerField(label=_("Aantal plaatsen (beschikbaarheid)"), required=False)
    place_fee = forms.DecimalField(
        label=_("Vergoeding per plaats per maand in € (beschikbaarheid)"),
        required=False,
        **MONEY,
    )
    occupancy_threshold_pct = forms.DecimalField(
        label=_("Bezettingsdrempel in % (beschikbaarheid)"), required=False, **PERCENT
    )
    lumpsum_decrease_pct = forms.DecimalField(
        label=_("Jaarlijkse afname lumpsum in % (taakgericht)"), required=False, **PERCENT
    )
    note = forms.CharField(label=_("Toelichting"), required=False, widget=text_widget())

    FIELDS_BY_MODEL = {
        ArrangementModel.PXQ: (),
        ArrangementModel.OUTPUT: ("output_payment",),
        ArrangementModel.TASK: ("lumpsum_decrease_pct",),
        ArrangementModel.AVAILABILITY: (
            "facility",
            "places",
            "place_fee",
            "occupancy_threshold_pct",
        ),
    }

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = Product.objects.filter(region=region)

    def service_kwargs(self) -> dict:
        """The arguments of ``services.arrangement_create``: only the fields of the model."""
        data = self.cleaned_data
        model = ArrangementModel(data["model"])
        fields = {name: data[name] for name in self.FIELDS_BY_MODEL[model]}
        return {
            "model": model,
            "valid_from": data["valid_from"],
            "valid_until": data["valid_until"],
            "products": list(data["products"]),
            "name": data["name"],
            "note": data["note"],
            **fields,
        }


class LumpsumPlanForm(forms.Form):
    base_amount = forms.DecimalField(label=_("Bedrag in het eerste jaar (€)"), min_value=0, **MONEY)
    base_year = forms.IntegerField(label=_("Eerste jaar"), min_value=2000, max_value=2100)
    decrease_pct = forms.DecimalField(label=_("Jaarlijkse afname (%)"), **PERCENT)


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("Jaar"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Soort"), choices=BudgetKind.choices)
    support_profile = forms.ModelChoiceField(
        label=_("Ondersteuningsprofiel"),
        queryset=SupportProfile.objects.none(),
        required=False,
        empty_label=_("Geen (het hele contract)"),
        help_text=_("Alleen bij een plafond per profiel."),
    )
    amount = forms.DecimalField(label=_("Bedrag (€)"), **MONEY)
    note = forms.CharField(label=_("Toelichting"), required=False, widget=text_widget())

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["support_profile"].queryset = SupportProfile.objects.filter(region=region)


class BudgetReviseForm(forms.Form):
    effective_on = forms.DateField(label=_("Gaat in op"), widget=date_widget())
    amount = forms.DecimalField(label=_("Nieuw bedrag (€)"), **MONEY)
    reason = forms.CharField(label=_("Reden (verplicht)"), required=False, widget=text_widget())
