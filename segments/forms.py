from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.ui.forms import RegionBoundModelForm

from .models import (
    PUBLIC_MIN_CELL_FLOOR,
    CareForm,
    Intensity,
    Municipality,
    Participation,
    Product,
    Segment,
    SupportProfile,
)
from .selectors import segment_subtree_ids


class MunicipalityForm(RegionBoundModelForm):
    class Meta:
        model = Municipality
        fields = ["cbs_code", "name"]


class MunicipalityCodesForm(forms.Form):
    """One or many CBS municipality codes; the names come from the shipped CBS list."""

    codes = forms.CharField(
        label=_("CBS-gemeentecodes"),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_(
            "Eén code of meer, gescheiden door regels, komma's of spaties, bijvoorbeeld "
            "GM0505, GM0482. De naam komt uit de gemeentelijst van het CBS die Jeugdinkoop "
            "meelevert. Als één code niet kan, wordt niets toegevoegd."
        ),
    )


class CareFormForm(RegionBoundModelForm):
    class Meta:
        model = CareForm
        fields = ["code", "name", "description"]


class SegmentForm(RegionBoundModelForm):
    class Meta:
        model = Segment
        fields = [
            "parent",
            "code",
            "name",
            "description",
            "target_group",
            "development_assignments",
            "care_forms",
            "bought_regionally",
        ]
        widgets = {"care_forms": forms.CheckboxSelectMultiple}

    def limit_choices_to_region(self):
        super().limit_choices_to_region()
        if self.instance.pk:
            # Not under itself or one of its own sub-segments.
            excluded = segment_subtree_ids(self.instance)
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(pk__in=excluded)


class ProductForm(RegionBoundModelForm):
    class Meta:
        model = Product
        fields = ["code", "name", "care_form", "category", "unit", "support_profile", "intensity"]

    def limit_choices_to_region(self):
        super().limit_choices_to_region()
        # Retired profiles and intensities are not offered for new products; a product that
        # already has one keeps it.
        for name in ("support_profile", "intensity"):
            current = getattr(self.instance, f"{name}_id", None)
            field = self.fields[name]
            field.queryset = field.queryset.filter(Q(retired=False) | Q(pk=current))


class SupportProfileForm(RegionBoundModelForm):
    class Meta:
        model = SupportProfile
        fields = ["number", "name", "description"]


class IntensityForm(RegionBoundModelForm):
    class Meta:
        model = Intensity
        fields = ["code", "name", "description", "position", "parallel", "parallel_max_days"]
        widgets = {"parallel": forms.RadioSelect}


class ParticipationForm(forms.ModelForm):
    class Meta:
        model = Participation
        fields = ["level", "note"]
        widgets = {"level": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"note": _("Verplicht bij gedeeltelijke deelname.")}


class PublicPageForm(forms.Form):
    """The region administrator's settings of the region's public pages (docs/public.md)."""

    public_page_enabled = forms.BooleanField(
        label=_("Openbare pagina aan"),
        required=False,
        help_text=_(
            "Iedereen leest dan zonder inloggen het zorglandschap, de open procedures met hun "
            "documenten, de gegunde contracten en de resultaten per aanbieder."
        ),
    )
    public_min_cell = forms.IntegerField(
        label=_("Minimum aantal jeugdigen per cijfer"),
        min_value=PUBLIC_MIN_CELL_FLOOR,
        max_value=1000,
        help_text=_(
            "Een cijfer over minder jeugdigen staat niet op de openbare pagina. Minimaal 5; "
            "gebruikelijk is 10."
        ),
    )
    public_intro = forms.CharField(
        label=_("Inleiding"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Een korte tekst voor ouders, raadsleden en aanbieders (optioneel)."),
    )


class LetterSignatoryForm(forms.Form):
    """Who signs the region's decision letters, for the region administrator (docs/letters.md)."""

    contracting_authority = forms.CharField(
        label=_("Aanbestedende dienst"),
        max_length=250,
        error_messages={"required": _("Vul de aanbestedende dienst in.")},
        help_text=_(
            "Zoals het in de brieven staat, bijvoorbeeld ‘Gemeente Dordrecht namens de regio "
            "Zuid-Holland Zuid’."
        ),
    )
    letter_signatory_name = forms.CharField(
        label=_("Naam van de ondertekenaar"),
        max_length=150,
        error_messages={"required": _("Vul de naam van de ondertekenaar in.")},
        help_text=_("Bijvoorbeeld ‘mr. A.B. de Vries’."),
    )
    letter_signatory_function = forms.CharField(
        label=_("Functie van de ondertekenaar"),
        max_length=150,
        error_messages={"required": _("Vul de functie van de ondertekenaar in.")},
        help_text=_("Bijvoorbeeld ‘manager inkoop en contractmanagement’."),
    )
