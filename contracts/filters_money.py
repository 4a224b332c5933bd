"""Filters of the tariff list: by default the versions valid today; 'all versions' shows the
history."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ui.forms import DateInput
from segments.filters import RegionFilterSet
from segments.models import CareForm

from .codes import TariffOrigin
from .models import TariffVersion

ALL_VERSIONS = "all"


class TariffFilterSet(RegionFilterSet):
    search_fields = ("product__code", "product__name")
    care_form = django_filters.ModelChoiceFilter(
        field_name="product__care_form", queryset=CareForm.objects.all(), label=_("Jeugdhulpvorm")
    )
    valid_on = django_filters.DateFilter(
        label=_("Geldig op"),
        method="filter_valid_on",
        widget=DateInput(),
    )
    versions = django_filters.ChoiceFilter(
        label=_("Versies"),
        choices=[(ALL_VERSIONS, _("Alle versies (geschiedenis)"))],
        method="filter_nothing",
    )
    kind = django_filters.ChoiceFilter(
        label=_("Regionaal of contract"),
        choices=[("regional", _("Regionaal")), ("contract", _("Contracttarief"))],
        method="filter_kind",
    )
    origin = django_filters.ChoiceFilter(choices=TariffOrigin.choices, label=_("Herkomst"))

    class Meta:
        model = TariffVersion
        fields = ["q", "care_form", "valid_on", "versions", "kind", "origin"]

    def __init__(self, data=None, *args, **kwargs):
        # Without a date (and without 'all versions'): the versions valid today.
        data = data.copy() if data is not None else {}
        if not data.get("valid_on") and data.get("versions") != ALL_VERSIONS:
            data["valid_on"] = timezone.localdate().isoformat()
        super().__init__(data, *args, **kwargs)
        if "versions" in self.filters:  # the API's copy (core.api.filters) has no such filter
            self.filters["versions"].extra["empty_label"] = _("Geldig op de datum")

    def filter_valid_on(self, queryset, name, value):
        if self.form.cleaned_data.get("versions") == ALL_VERSIONS:
            return queryset
        return queryset.filter(valid_from__lte=value).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=value)
        )

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_kind(self, queryset, name, value):
        if value == "regional":
            return queryset.filter(contract__isnull=True)
        if value == "contract":
            return queryset.filter(contract__isnull=False)
        return queryset
