"""Filters of the report archive: soort, onderwerp (text), periode and status."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Report, ReportKind, ReportStatus


class ReportFilterSet(django_filters.FilterSet):
    soort = django_filters.ChoiceFilter(
        label=_("Soort"), field_name="kind", choices=ReportKind.choices, empty_label=_("Alle")
    )
    onderwerp = django_filters.CharFilter(
        label=_("Onderwerp"), field_name="subject_name", lookup_expr="icontains"
    )
    periode = django_filters.CharFilter(
        label=_("Periode"),
        field_name="period",
        lookup_expr="istartswith",
        help_text=_("2026 (alles van dat jaar), 2026-10 of 2026-K3."),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ReportStatus.choices, empty_label=_("Alle")
    )

    class Meta:
        model = Report
        fields = ["soort", "onderwerp", "periode", "status"]

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.filters["onderwerp"].field.widget.attrs["placeholder"] = _("naam of code")
        self.filters["periode"].field.widget.attrs.update(
            {"placeholder": "2026-10", "spellcheck": "false"}
        )
