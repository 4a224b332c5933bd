import django_filters
from django.utils.translation import gettext_lazy as _

from segments.filters import RegionFilterSet
from segments.models import Segment

from .codes import FrameworkStatus, ProcedureType, TenderState
from .models import Framework, Strategy, Tender


class FrameworkFilterSet(RegionFilterSet):
    search_fields = ("title", "principles")
    status = django_filters.ChoiceFilter(choices=FrameworkStatus.choices, label=_("Status"))

    class Meta:
        model = Framework
        fields = ["q", "status"]


class StrategyFilterSet(RegionFilterSet):
    search_fields = ("title", "development_assignments", "tactical_goals")
    procedure_type = django_filters.ChoiceFilter(
        choices=ProcedureType.choices, label=_("Procedure")
    )
    segment = django_filters.ModelChoiceFilter(queryset=Segment.objects.all(), label=_("Segment"))

    class Meta:
        model = Strategy
        fields = ["q", "procedure_type", "segment"]


class TenderFilterSet(RegionFilterSet):
    search_fields = ("title", "reference", "tenderned_reference")
    procedure_type = django_filters.ChoiceFilter(
        choices=ProcedureType.choices, label=_("Procedure")
    )
    state = django_filters.ChoiceFilter(choices=TenderState.choices, label=_("Fase"))
    segment = django_filters.ModelChoiceFilter(
        field_name="lots__segment",
        queryset=Segment.objects.all(),
        label=_("Segment"),
        distinct=True,
    )

    class Meta:
        model = Tender
        fields = ["q", "procedure_type", "state", "segment"]


class ThemeFilterSet(RegionFilterSet):
    search_fields = ("name", "description")

    class Meta:
        from .models import Theme

        model = Theme
        fields = ["q"]
