"""FilterSets for the landscape: one per model, shared by the list pages and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .codes import ProductCategory, Unit
from .models import CareForm, Municipality, Product, Segment


class RegionFilterSet(django_filters.FilterSet):
    """A FilterSet whose choices of related objects are limited to one region (when given)."""

    search_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(label=_("Zoeken"), method="filter_search")

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        for filter_ in self.filters.values():
            if isinstance(filter_, django_filters.ChoiceFilter | django_filters.ModelChoiceFilter):
                filter_.extra["empty_label"] = _("Alle")
        if region is not None:
            for filter_ in self.filters.values():
                queryset = getattr(filter_, "queryset", None)  # model choice filters
                if (
                    queryset is not None
                    and hasattr(queryset, "model")
                    and hasattr(queryset.model, "region")
                ):
                    filter_.queryset = queryset.filter(region=region)

    def filter_search(self, queryset, name, value):
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


YES_NO_ALL = forms.Select(choices=[("", _("Alle")), ("true", _("Ja")), ("false", _("Nee"))])


def yes_no_filter(**kwargs):
    """A yes / no / all filter that reads as such (instead of 'unknown')."""
    return django_filters.BooleanFilter(widget=YES_NO_ALL, **kwargs)


class MunicipalityFilterSet(RegionFilterSet):
    search_fields = ("name", "cbs_code")

    class Meta:
        model = Municipality
        fields = ["q"]


class CareFormFilterSet(RegionFilterSet):
    search_fields = ("name", "code", "description")

    class Meta:
        model = CareForm
        fields = ["q"]


class SegmentFilterSet(RegionFilterSet):
    search_fields = ("name", "code", "description", "target_group")
    care_form = django_filters.ModelChoiceFilter(
        field_name="care_forms", queryset=CareForm.objects.all(), label=_("Jeugdhulpvorm")
    )

    bought_regionally = yes_no_filter(label=_("Regionaal ingekocht"))

    class Meta:
        model = Segment
        fields = ["q", "care_form", "bought_regionally"]


class ProductFilterSet(RegionFilterSet):
    search_fields = ("name", "code")
    care_form = django_filters.ModelChoiceFilter(
        queryset=CareForm.objects.all(), label=_("Jeugdhulpvorm")
    )
    category = django_filters.ChoiceFilter(choices=ProductCategory.choices, label=_("Categorie"))
    unit = django_filters.ChoiceFilter(choices=Unit.choices, label=_("Eenheid"))

    class Meta:
        model = Product
        fields = ["q", "care_form", "category", "unit"]
