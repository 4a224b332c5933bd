"""FilterSets of contract management, shared by the list pages (and later the API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from providers.models import Provider
from segments.filters import RegionFilterSet, yes_no_filter
from segments.models import Segment

from . import selectors
from .codes import ContractStatus
from .models import Contract

EXPIRING_CHOICES = [
    ("3", _("binnen 3 maanden")),
    ("6", _("binnen 6 maanden")),
    ("12", _("binnen 12 maanden")),
    ("24", _("binnen 24 maanden")),
]


class ContractFilterSet(RegionFilterSet):
    search_fields = ("reference", "provider__name")
    segment = django_filters.ModelChoiceFilter(queryset=Segment.objects.all(), label=_("Segment"))
    provider = django_filters.ModelChoiceFilter(
        queryset=Provider.objects.all(), label=_("Aanbieder")
    )
    status = django_filters.ChoiceFilter(
        choices=ContractStatus.choices, label=_("Status"), method="filter_status"
    )
    expiring = django_filters.ChoiceFilter(
        choices=EXPIRING_CHOICES,
        label=_("Loopt af"),
        method="filter_expiring",
        help_text=_("De huidige looptijd of de laatste optie eindigt in deze periode."),
    )
    is_strategic_partner = yes_no_filter(label=_("Strategisch partner"))

    class Meta:
        model = Contract
        fields = ["q", "segment", "provider", "status", "expiring", "is_strategic_partner"]

    def filter_status(self, queryset, name, value):
        return selectors.with_status(queryset, value)

    def filter_expiring(self, queryset, name, value):
        return selectors.expiring(queryset, int(value))
