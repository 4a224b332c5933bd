"""The API in Dutch (API-04): the Dutch value of every code list the API exposes, in one place.

The database keeps the (English) values of the apps' ``TextChoices``; the API speaks Dutch. Every
code list the API shows is registered in ``DUTCH`` by the dotted path of its ``TextChoices``
class (``core`` imports no app, so the classes are named, not imported), with the Dutch API
value of each stored value. The serializers use ``DutchChoiceField``, the FilterSets
``DutchChoiceFilter`` (``core.api.filters.api_filterset`` converts a UI filter over a registered
code list by itself), so responses, query parameters, request bodies, the CSV and the OpenAPI
document (named enum components: ``SchemaEnums`` in
``SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]``) all show the Dutch values.

An old English value as input (``?status=active``) is refused since API 1.3.0 with a 400 that
names the Dutch value to use and the valid ones (docs/api.md, changelog).

Months are ``JJJJ-MM`` (``MonthField``), in and out, wherever the API means a month."""

from __future__ import annotations

import datetime
import re

import django_filters
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.fields import ChoiceField as FilterChoiceField
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

#: stored value -> Dutch API value, per code list (the dotted path of its TextChoices class, or
#: a name for a list that is no class). Lowercase, words joined by hyphens, as the API's other
#: codes (``in-wachtrij``, ``segment-gemeente``, ``cijfers-lezen``).
DUTCH: dict[str, dict[str, str]] = {
    "contracts.codes.ContractStatus": {
        "planned": "gepland",
        "active": "actief",
        "extended": "verlengd",
        "ended": "afgelopen",
        "terminated": "beeindigd",
    },
    "contracts.codes.ReportingFrequency": {
        "monthly": "maandelijks",
        "quarterly": "per-kwartaal",
        "half_yearly": "per-halfjaar",
        "yearly": "jaarlijks",
    },
    "contracts.codes.ArrangementModel": {
        "pxq": "inspanningsgericht",
        "output": "outputgericht",
        "task": "taakgericht",
        "availability": "beschikbaarheid",
    },
    "contracts.codes.TariffOrigin": {
        "set": "vastgesteld",
        "build_up": "kostprijsopbouw",
        "indexation": "indexatie",
    },
    "contracts.codes.BudgetKind": {"lumpsum": "taakgericht", "ceiling": "plafond"},
    "contracts.codes.Direction": {"higher": "hoger", "lower": "lager"},
    # the tariff list's filter "regional or contract tariff" (contracts.filters_money)
    "tarief-soort": {"regional": "regionaal", "contract": "contract"},
    "procurement.codes.ProcedureType": {
        "open_house": "open-house",
        "conditional": "toelating-met-voorwaarden",
        "sas": "sas",
        "tender": "aanbesteding",
        "partnership": "bestuurlijk-partnerschap",
        "grant": "begrotingssubsidie",
    },
    "procurement.codes.TenderState": {
        "draft": "concept",
        "published": "gepubliceerd",
        "qna": "vragenronde",
        "closed": "inschrijving-gesloten",
        "eligibility": "geschiktheidstoets",
        "scoring": "beoordeling",
        "preselection": "preselectie",
        "negotiation": "onderhandeling",
        "provisional": "voorlopige-gunning",
        "objection": "bezwaartermijn",
        "definitive": "definitieve-gunning",
        "implementation": "implementatie",
        "admission": "toelating",
        "ended": "beeindigd",
        "cancelled": "ingetrokken",
        "unsuccessful": "zonder-resultaat",
    },
    "providers.models.ProviderKind": {
        "institution": "instelling",
        "solo": "vrijgevestigde",
        "certified": "gecertificeerde-instelling",
        "consortium": "samenwerkingsverband",
    },
    "providers.models.ProviderReach": {
        "regional": "regionaal",
        "national": "landelijk",
        "custom": "maatwerk",
    },
    "providers.admissibility.Requirement": {
        "none": "geen",
        "all": "alle",
        "segments": "segmenten",
    },
    "segments.codes.ParallelRule": {
        "exclusive": "nooit",
        "alongside": "altijd",
        "limited": "beperkt",
    },
    "monitoring.steering.models.SignalSource": {"kpi": "kpi", "finance": "jaarrekening"},
    "monitoring.steering.models.Level": {"green": "groen", "amber": "oranje", "red": "rood"},
    "monitoring.steering.models.SignalStatus": {
        "open": "open",
        "agenda": "geagendeerd",
        "closed": "afgehandeld",
    },
    "reports.models.ReportKind": {
        "provider": "aanbieder",
        "segment": "segment",
        "municipality": "gemeente",
        "board": "bestuurlijk",
    },
    "reports.models.ReportStatus": {
        "queued": "in-wachtrij",
        "running": "bezig",
        "ready": "klaar",
        "failed": "mislukt",
    },
}

#: code lists the API has always served with Dutch values or as codes (no words): they need no
#: translation. The test of the API's values (tests/api/test_dutch_values.py) accepts an enum of
#: the OpenAPI document only if its values are Dutch values of ``DUTCH`` or of these.
ALREADY_DUTCH: dict[str, str] = {
    "monitoring.models.DatasetKind": "Dutch since 1.0.0 (declaraties, trajecten, …)",
    "api.models.SubmissionStatus": "Dutch since 1.0.0 (in-wachtrij, geimporteerd, …)",
    "monitoring.kpis.api.API_GRAINS": "Dutch since 1.0.0 (regio, segment-gemeente, …)",
    "segments.codes.ProductCategory": "iJw code list (40 … 55)",
    "segments.codes.Unit": "iJw code list (01, 04, …)",
    "contracts.filters.EXPIRING_CHOICES": "numbers of months (3, 6, 12, 24)",
}

_BY_VALUES: dict[frozenset[str], str] = {}
for _key, _mapping in DUTCH.items():
    if frozenset(_mapping) in _BY_VALUES:  # pragma: no cover - a registry mistake
        raise ValueError(f"{_key}: the same stored values as {_BY_VALUES[frozenset(_mapping)]}")
    _BY_VALUES[frozenset(_mapping)] = _key

API_VALUE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
API_VERSION_OF_CHANGE = "1.3.0"


def enum_key(enum) -> str:
    """The registry key of a TextChoices class (or a key given as a string)."""
    if isinstance(enum, str):
        return enum
    return f"{enum.__module__}.{enum.__qualname__}"


def mapping(enum) -> dict[str, str]:
    """Stored value -> Dutch API value of a registered code list."""
    key = enum_key(enum)
    try:
        return DUTCH[key]
    except KeyError:
        raise LookupError(
            f"{key} has no Dutch API values: add it to core.api.enums.DUTCH"
        ) from None


def key_for_values(values) -> str | None:
    """The registered code list with exactly these stored values (``None``: none)."""
    return _BY_VALUES.get(frozenset(str(v) for v in values))


def to_api(enum, value):
    """The Dutch API value of a stored value (``None`` and ``""`` stay as they are)."""
    if value is None or value == "":
        return value
    return mapping(enum).get(str(value), value)


def _labels(enum) -> dict[str, str]:
    choices = getattr(enum, "choices", None)
    return {str(v): label for v, label in choices} if choices else {}


def api_choices(enum, labels=None) -> list[tuple[str, object]]:
    """``(Dutch value, label)`` pairs; labels from the class, or ``labels`` (stored -> label)."""
    labels = labels if labels is not None else _labels(enum)
    return [(dutch, labels.get(stored, dutch)) for stored, dutch in mapping(enum).items()]


def refusal(enum, value) -> str | None:
    """The message for an input that is no Dutch value of this list: the old English value
    names its successor; both name the valid values. ``None`` when the value is valid."""
    table = mapping(enum)
    dutch = set(table.values())
    if value in dutch:
        return None
    valid = ", ".join(table.values())
    if value in table:
        return _(
            "'%(old)s' is sinds API %(version)s '%(new)s': de API gebruikt Nederlandse waarden. "
            "Kies een van: %(valid)s."
        ) % {"old": value, "new": table[value], "version": API_VERSION_OF_CHANGE, "valid": valid}
    return _("'%(value)s' is geen geldige keuze. Kies een van: %(valid)s.") % {
        "value": value,
        "valid": valid,
    }


class DutchChoiceField(serializers.ChoiceField):
    """A ChoiceField over a registered code list: shows and takes the Dutch API values, holds
    the stored value inside (``validated_data``, the services). A ``default`` is a stored
    value."""

    def __init__(self, enum, *, labels=None, **kwargs):
        self.enum_key = enum_key(enum)
        self.table = mapping(enum)
        self.from_api = {dutch: stored for stored, dutch in self.table.items()}
        kwargs.pop("choices", None)
        super().__init__(choices=api_choices(enum, labels), **kwargs)

    def to_representation(self, value):
        if value in ("", None):
            return value
        return self.table.get(str(value), value)

    def to_internal_value(self, data):
        if data == "" and self.allow_blank:
            return ""
        text = str(data)
        if text in self.from_api:
            return self.from_api[text]
        raise serializers.ValidationError(refusal(self.enum_key, text), code="invalid_choice")


class _DutchFormField(FilterChoiceField):
    """The form field of a ``DutchChoiceFilter``: Dutch values in, the stored value out."""

    def __init__(self, *args, enum_key: str, **kwargs):
        self.enum_key = enum_key
        super().__init__(*args, **kwargs)

    def validate(self, value):
        if value in self.empty_values:
            return super().validate(value)
        message = refusal(self.enum_key, str(value))
        if message is not None:
            raise forms.ValidationError(message, code="invalid_choice")

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        return {d: s for s, d in mapping(self.enum_key).items()}.get(value, value)


class DutchChoiceFilter(django_filters.ChoiceFilter):
    """A ChoiceFilter over a registered code list: the query parameter takes the Dutch value,
    the filter (or its ``method``) gets the stored value."""

    field_class = _DutchFormField

    def __init__(self, *args, enum, labels=None, **kwargs):
        kwargs["choices"] = api_choices(enum, labels)
        kwargs["enum_key"] = enum_key(enum)
        super().__init__(*args, **kwargs)


def dutch_filter(filter_):
    """A copy of a UI ChoiceFilter over a registered code list as a ``DutchChoiceFilter`` (the
    same field, lookup, method and label); any other filter as it is."""
    if not isinstance(filter_, django_filters.ChoiceFilter) or isinstance(
        filter_, DutchChoiceFilter
    ):
        return filter_
    choices = filter_.extra.get("choices")
    if not choices or callable(choices):
        return filter_
    key = key_for_values(v for v, _label in choices)
    if key is None:
        return filter_
    labels = {str(v): label for v, label in choices}
    extra = {k: v for k, v in filter_.extra.items() if k not in ("choices", "enum_key")}
    return DutchChoiceFilter(
        enum=key,
        labels=labels,
        field_name=filter_.field_name,
        lookup_expr=filter_.lookup_expr,
        label=filter_._label,
        method=filter_.method,
        distinct=filter_.distinct,
        exclude=filter_.exclude,
        **extra,
    )


MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MONTH_SCHEMA = {
    "type": "string",
    "pattern": r"^\d{4}-(0[1-9]|1[0-2])$",
    "example": "2026-10",
}


@extend_schema_field(MONTH_SCHEMA)
class MonthField(serializers.Field):
    """A calendar month as ``JJJJ-MM`` (inside: the first-of-month ``date``)."""

    default_error_messages = {
        "invalid": gettext_lazy("Geef een maand als JJJJ-MM, bijvoorbeeld 2026-10."),
    }

    def to_representation(self, value):
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value[:10])
        return f"{value.year:04d}-{value.month:02d}"

    def to_internal_value(self, data):
        match = MONTH.match(str(data)) if isinstance(data, str) else None
        if match is None:
            self.fail("invalid")
        return datetime.date(int(match[1]), int(match[2]), 1)


def _schema_choices(key: str):
    def choices():
        # the class is named by its path (core imports no app), as in the settings
        from django.utils.module_loading import import_string

        return api_choices(import_string(key))

    return choices


class SchemaEnums:
    """Dutch choices of the code lists whose OpenAPI enum component is named in
    ``SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]`` (zero-argument callables)."""

    report_kind = staticmethod(_schema_choices("reports.models.ReportKind"))
    budget_kind = staticmethod(_schema_choices("contracts.codes.BudgetKind"))
    provider_kind = staticmethod(_schema_choices("providers.models.ProviderKind"))
