import django_filters
from django.utils.translation import gettext_lazy as _

from segments.filters import RegionFilterSet, yes_no_filter
from segments.models import CareForm, Municipality

from .models import Provider, ProviderKind, ProviderReach


class ProviderFilterSet(RegionFilterSet):
    """Filters for the provider list (page and API). ``admissible`` needs the queryset to be
    annotated by ``selectors.with_admissibility``."""

    search_fields = ("name", "kvk_number", "agb_code", "city")
    kind = django_filters.ChoiceFilter(choices=ProviderKind.choices, label=_("Soort"))
    reach = django_filters.ChoiceFilter(choices=ProviderReach.choices, label=_("Reikwijdte"))
    care_form = django_filters.ModelChoiceFilter(
        field_name="care_forms",
        queryset=CareForm.objects.all(),
        label=_("Jeugdhulpvorm"),
        distinct=True,
    )
    municipality = django_filters.ModelChoiceFilter(
        field_name="municipalities_served",
        queryset=Municipality.objects.all(),
        label=_("Levert in gemeente"),
        distinct=True,
    )
    identity_bound = yes_no_filter(label=_("Identiteitsgebonden"))
    admissible = yes_no_filter(field_name="is_admissible", label=_("Toelaatbaar"))

    class Meta:
        model = Provider
        fields = ["q", "kind", "reach", "care_form", "municipality", "identity_bound", "admissible"]
