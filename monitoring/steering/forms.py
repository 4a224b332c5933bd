"""Forms and filters of the steering pages: signals, escalation, dialogues, norms, weights and
provider finance. They collect input; the services (``monitoring.steering.dialogues``,
``monitoring.steering.services``) decide, save and say why not."""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from contracts.forms import date_widget, text_widget
from monitoring.steering.dialogues import TOPICS
from monitoring.steering.models import (
    ActionStatus,
    EscalationStep,
    KpiNorm,
    Level,
    RecalculationKind,
    Signal,
    SignalSource,
    SignalStatus,
)
from monitoring.steering.norms import threshold_order_error
from providers.models import AnnualAccount, Provider
from segments.filters import RegionFilterSet
from segments.models import Segment

MONEY = {"max_digits": 14, "decimal_places": 2}


# ---------------------------------------------------------------- signals


class SignalFilterSet(RegionFilterSet):
    provider = django_filters.ModelChoiceFilter(
        queryset=Provider.objects.all(), label=_("Aanbieder")
    )
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Niveau"))
    status = django_filters.ChoiceFilter(choices=SignalStatus.choices, label=_("Status"))
    source = django_filters.ChoiceFilter(choices=SignalSource.choices, label=_("Bron"))
    topic = django_filters.ChoiceFilter(choices=TOPICS, label=_("Onderwerp"))

    class Meta:
        model = Signal
        fields = ["provider", "level", "status", "source", "topic"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.filters["q"]


class SignalCloseForm(forms.Form):
    signal = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Hoe is het signaal afgehandeld?"),
        required=False,
        widget=text_widget(2),
    )


class SignalBulkForm(forms.Form):
    """The confirmation of a bulk action on the signals chosen on the signals list."""

    ACTION_CLOSE = "close"
    signals = forms.TypedMultipleChoiceField(coerce=int, widget=forms.MultipleHiddenInput)
    action = forms.ChoiceField(
        label=_("Actie"),
        choices=[(ACTION_CLOSE, _("Afhandelen met een toelichting"))],
        initial=ACTION_CLOSE,
    )
    note = forms.CharField(
        label=_("Hoe zijn de signalen afgehandeld?"),
        help_text=_("Deze toelichting komt bij elk gekozen signaal in de geschiedenis."),
        required=False,
        widget=text_widget(3),
    )

    def __init__(self, *args, signal_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signals"].choices = [(pk, pk) for pk in signal_ids]


# ---------------------------------------------------------------- escalation


class EscalationStartForm(forms.Form):
    step = forms.ChoiceField(label=_("Stap"), choices=EscalationStep.choices)
    started_on = forms.DateField(label=_("Gestart op"), widget=date_widget())
    reason = forms.CharField(label=_("Aanleiding"), required=False, widget=text_widget())


class EscalationCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Afgesloten op"), widget=date_widget())
    outcome = forms.CharField(label=_("Uitkomst"), required=False, widget=text_widget())


# ---------------------------------------------------------------- dialogues


class DialogueCreateForm(forms.Form):
    scheduled_on = forms.DateField(label=_("Datum van het gesprek"), widget=date_widget())
    participants = forms.CharField(
        label=_("Deelnemers"),
        required=False,
        widget=text_widget(2),
        help_text=_("Namen en rollen, van de regio en van de aanbieder."),
    )


class DialogueRecordForm(forms.Form):
    participants = forms.CharField(label=_("Deelnemers"), required=False, widget=text_widget(2))
    notes = forms.CharField(
        label=_("Verslag"),
        required=False,
        widget=text_widget(8),
        help_text=_(
            "Wat is er per agendapunt besproken? Een later gewijzigd verslag blijft in de "
            "geschiedenis zichtbaar."
        ),
    )


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Onderwerp"), max_length=300, required=False)
    note = forms.CharField(label=_("Toelichting"), required=False, widget=text_widget(2))


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Afspraak"), required=False, widget=text_widget(2))
    owner = forms.CharField(label=_("Eigenaar"), max_length=200, required=False)
    due_on = forms.DateField(label=_("Uiterlijk"), widget=date_widget(), required=False)


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    follow_up = forms.CharField(
        label=_("Opvolging"),
        required=False,
        widget=text_widget(2),
        help_text=_("Verplicht bij 'Uitgevoerd' en 'Vervallen'."),
    )


# ---------------------------------------------------------------- norms and weights


CONSTRAINED_NORM_FIELDS = (
    "segment",
    "kpi",
    "direction",
    "norm",
    "amber_threshold",
    "red_threshold",
)


class KpiNormForm(forms.ModelForm):
    kpi = forms.ChoiceField(label=_("KPI"))

    class Meta:
        model = KpiNorm
        fields = ["segment", "kpi", "direction", "norm", "amber_threshold", "red_threshold", "note"]
        localized_fields = ("norm", "amber_threshold", "red_threshold")  # a Dutch comma too
        widgets = {"note": text_widget(2)}

    def __init__(self, *args, region, **kwargs):
        from monitoring.kpis.services import known_kpis

        super().__init__(*args, **kwargs)
        # the built-in KPIs and the region's own
        self.fields["kpi"].choices = [("", "---------"), *known_kpis(region)]
        segments = Segment.objects.filter(region=region).select_related("parent")
        self.fields["segment"].queryset = segments
        self.fields["segment"].label_from_instance = lambda s: f"{s.code} {s.name}"

    def _get_validation_exclusions(self):
        # The form fields check each value; the threshold order and the one norm per segment
        # and KPI are checked in clean() with a message at the field, instead of the generic
        # messages of the database constraints.
        return {*super()._get_validation_exclusions(), *CONSTRAINED_NORM_FIELDS}

    def clean(self):
        data = super().clean()
        message = threshold_order_error(
            data.get("direction"),
            data.get("norm"),
            data.get("amber_threshold"),
            data.get("red_threshold"),
        )
        if message:
            self.add_error("amber_threshold", message)
        return data


class NormDeleteForm(forms.Form):
    norm = forms.IntegerField(widget=forms.HiddenInput)


class RecalculationStartForm(forms.Form):
    """The "Signalen herberekenen" / "KPI's herberekenen" buttons: which kind to start."""

    kind = forms.ChoiceField(
        choices=[
            (k, label)
            for k, label in RecalculationKind.choices
            if k != RecalculationKind.REGION_KPI  # started by defining a KPI, not by hand
        ],
        widget=forms.HiddenInput,
    )


class RiskWeightsForm(forms.Form):
    """One weight (0-10, one decimal) per topic; a topic without a row weighs 1."""

    def __init__(self, *args, weights: dict[str, Decimal], **kwargs):
        super().__init__(*args, **kwargs)
        for topic, label in TOPICS:
            self.fields[topic] = forms.DecimalField(
                label=label,
                min_value=0,
                max_value=10,
                max_digits=4,
                decimal_places=1,
                initial=weights.get(topic, Decimal("1")),
                localize=True,  # a Dutch comma as well as a point
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "autocomplete": "off", "size": 5}
                ),
            )


# ---------------------------------------------------------------- provider finance


class AnnualAccountForm(forms.ModelForm):
    class Meta:
        model = AnnualAccount
        fields = ["year", "revenue", "result", "executive_pay", "wnt_maximum", "note"]
        localized_fields = ("revenue", "result", "executive_pay", "wnt_maximum")
        widgets = {"note": text_widget(2)}

    def __init__(self, *args, provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.provider = provider
        self.fields["year"].widget.attrs.update(min=2000, max=2100)

    def _get_validation_exclusions(self):
        # Revenue > 0 and one account per year get specific messages (below; the service).
        return {*super()._get_validation_exclusions(), "revenue", "year"}

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year < 2000 or year > 2100:
            raise forms.ValidationError(_("Vul een boekjaar tussen 2000 en 2100 in."))
        return year  # one account per year: checked by services.annual_account_save

    def clean_revenue(self):
        revenue = self.cleaned_data["revenue"]
        if revenue is not None and revenue <= 0:
            raise forms.ValidationError(_("De omzet moet groter zijn dan nul."))
        return revenue

    def clean_executive_pay(self):
        pay = self.cleaned_data["executive_pay"]
        if pay is not None and pay < 0:
            raise forms.ValidationError(_("Een bezoldiging is niet negatief."))
        return pay

    def clean_wnt_maximum(self):
        maximum = self.cleaned_data["wnt_maximum"]
        if maximum is not None and maximum <= 0:
            raise forms.ValidationError(_("Het WNT-maximum moet groter zijn dan nul."))
        return maximum
