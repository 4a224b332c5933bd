"""Filters of the drill-down list of production lines (``monitoring:lines``).

The query parameters are those the dashboards link with: ``soort`` (which lines), ``maand``
(one month, ``YYYY-MM``) or ``van``/``tot`` (a range of months), ``contract``, ``aanbieder``,
``segment``, ``gemeente``, and for trajectories ``telling`` (running in, started in or ended in
the period) and for outcome measurements ``moment``. Choices of related objects are those of the
region the user may see; another region's object is an invalid choice (and lists nothing).
"""

from __future__ import annotations

from datetime import date

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract
from core.ui.formatting import add_months
from monitoring.dashboards.selectors import parse_month
from monitoring.imports.models import LINE_MODELS, DatasetKind, MeasurementKind, OutcomeMoment
from providers.models import Provider
from segments.models import Municipality, Segment

#: the kinds the drill-down lists (by their ``soort`` value)
KINDS = [
    DatasetKind.DECLARATIONS,
    DatasetKind.TRAJECTORIES,
    DatasetKind.OUTCOMES,
    DatasetKind.OCCUPANCY,
    DatasetKind.REFERRALS,
    DatasetKind.ALLOCATIONS,
]
COUNTS = [
    ("lopend", _("lopend in de periode")),
    ("gestart", _("gestart in de periode")),
    ("beeindigd", _("beëindigd in de periode")),
]
NO_MUNICIPALITY = {DatasetKind.OCCUPANCY}


def kind_of(value: str | None) -> str:
    return value if value in {str(k) for k in KINDS} else str(DatasetKind.DECLARATIONS)


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "JJJJ-MM"})

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise ValidationError(_("Geef een maand als JJJJ-MM, bijvoorbeeld 2026-10."))
        return month


class MonthFilter(django_filters.Filter):
    field_class = MonthField

    def filter(self, qs, value):
        return qs  # the period is applied in LineFilterSet.filter_queryset (per kind)


class LineFilterSet(django_filters.FilterSet):
    """The common filters; :func:`line_filterset` makes the class of one kind of line."""

    kind: str = DatasetKind.DECLARATIONS

    soort = django_filters.ChoiceFilter(
        label=_("Soort regels"),
        choices=[(str(k), k.label) for k in KINDS],
        method="filter_nothing",
        empty_label=None,
    )
    maand = MonthFilter(label=_("Maand"))
    van = MonthFilter(label=_("Van maand"))
    tot = MonthFilter(label=_("Tot en met maand"))
    telling = django_filters.ChoiceFilter(
        label=_("Trajecten"), choices=COUNTS, method="filter_nothing", empty_label=None
    )
    moment = django_filters.ChoiceFilter(label=_("Meetmoment"), choices=OutcomeMoment.choices)
    meting = django_filters.ModelChoiceFilter(
        label=_("Eigen meting"),
        field_name="measurement_kind",
        to_field_name="code",
        queryset=MeasurementKind.objects.none(),
    )
    contract = django_filters.ModelChoiceFilter(
        label=_("Contract"), queryset=Contract.objects.none()
    )
    aanbieder = django_filters.ModelChoiceFilter(
        label=_("Aanbieder"), field_name="contract__provider", queryset=Provider.objects.none()
    )
    segment = django_filters.ModelChoiceFilter(
        label=_("Segment"), field_name="contract__segment", queryset=Segment.objects.none()
    )
    gemeente = django_filters.ModelChoiceFilter(
        label=_("Gemeente"), field_name="municipality", queryset=Municipality.objects.none()
    )

    def __init__(self, data=None, *args, region=None, user=None, **kwargs):
        data = data.copy() if data is not None else None
        if data is not None:
            data["soort"] = self.kind
            if "telling" in self.base_filters and not data.get("telling"):
                data["telling"] = "lopend"
        super().__init__(data, *args, **kwargs)
        querysets = {
            "contract": Contract.objects.visible_to(user)
            .filter(region=region)
            .select_related("provider")
            .order_by("reference"),
            "aanbieder": Provider.objects.visible_to(user).filter(region=region).order_by("name"),
            "segment": Segment.objects.visible_to(user).filter(region=region).order_by("code"),
            "gemeente": Municipality.objects.visible_to(user)
            .filter(region=region)
            .order_by("name"),
            "meting": MeasurementKind.objects.filter(region=region).order_by("name"),
        }
        for name, queryset in querysets.items():
            if name in self.filters:
                self.filters[name].queryset = queryset
                self.filters[name].extra["empty_label"] = _("Alle")
        if "moment" in self.filters:
            self.filters["moment"].extra["empty_label"] = _("Alle")

    def filter_nothing(self, queryset, name, value):
        return queryset

    def period(self) -> tuple[date | None, date | None]:
        """(first month, last month) of the period asked for; ``maand`` wins over van/tot."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        if data.get("maand"):
            return data["maand"], data["maand"]
        return data.get("van"), data.get("tot")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        first, last = self.period()
        if first is None and last is None:
            return queryset
        start = first
        end = add_months(last, 1) if last else None  # exclusive
        return self.filter_period(queryset, start, end)

    def filter_period(self, queryset, start, end):
        return _between(queryset, "month", start, end)


def _between(queryset, field, start, end):
    if start is not None:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end is not None:
        queryset = queryset.filter(**{f"{field}__lt": end})
    return queryset


def _running(queryset, begin, finish, start, end):
    """Lines that ran on some day of [start, end)."""
    if end is not None:
        queryset = queryset.filter(**{f"{begin}__lt": end})
    if start is not None:
        queryset = queryset.filter(
            Q(**{f"{finish}__isnull": True}) | Q(**{f"{finish}__gte": start})
        )
    return queryset


class TrajectoryFilterMixin:
    def filter_period(self, queryset, start, end):
        count = self.form.cleaned_data.get("telling") or "lopend"
        if count == "gestart":
            return _between(queryset, "started_on", start, end)
        if count == "beeindigd":
            return _between(queryset.filter(ended_on__isnull=False), "ended_on", start, end)
        return _running(queryset, "started_on", "ended_on", start, end)


class AllocationFilterMixin:
    def filter_period(self, queryset, start, end):
        return _running(queryset, "start", "end", start, end)


class DateFilterMixin:
    date_field = ""

    def filter_period(self, queryset, start, end):
        return _between(queryset, self.date_field, start, end)


def line_filterset(kind: str) -> type[LineFilterSet]:
    """The FilterSet of one kind of line, with only the filters that apply to it."""
    kind = kind_of(kind)
    model = LINE_MODELS[DatasetKind(kind)]
    mixins: tuple = ()
    attrs: dict = {"kind": kind}
    if kind == DatasetKind.TRAJECTORIES:
        mixins = (TrajectoryFilterMixin,)
    elif kind == DatasetKind.ALLOCATIONS:
        mixins = (AllocationFilterMixin,)
    elif kind == DatasetKind.REFERRALS:
        mixins, attrs["date_field"] = (DateFilterMixin,), "referred_on"
    elif kind == DatasetKind.OUTCOMES:
        mixins, attrs["date_field"] = (DateFilterMixin,), "measured_on"
    fields = ["soort", "maand", "van", "tot", "contract", "aanbieder", "segment", "gemeente"]
    if kind == DatasetKind.TRAJECTORIES:
        fields.insert(4, "telling")
    if kind == DatasetKind.OUTCOMES:
        fields.insert(4, "moment")
        fields.insert(5, "meting")
    if kind in NO_MUNICIPALITY:
        fields.remove("gemeente")
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": fields})
    cls = type(f"{model.__name__}LineFilterSet", (*mixins, LineFilterSet), attrs)
    for name in list(cls.base_filters):
        if name not in fields:
            del cls.base_filters[name]
    # keep the declared order
    cls.base_filters = {name: cls.base_filters[name] for name in fields}
    return cls
