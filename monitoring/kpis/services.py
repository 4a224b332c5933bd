"""The one door for a region's own KPIs and measurement kinds, and a segment's steering KPIs.

Every write is one transaction (audited by django-auditlog, ``monitoring.audit``). Saving or
changing a KPI's computation recomputes its rollups over every month with data (set-based, a
few seconds at most) and re-judges the signals of its norms; the figures are thus never out of
step with the definition.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from contracts.codes import Kpi
from core.ui.formatting import month_range
from monitoring.imports.models import (
    EndReason,
    MeasurementKind,
    OutcomeMeasurement,
    Trajectory,
    ValueType,
)
from monitoring.kpis import regional
from monitoring.kpis.definitions import MEASURES
from monitoring.kpis.models import (
    Computation,
    KpiUnit,
    LaterTrajectory,
    Population,
    RegionKpi,
    RegionKpiRollup,
    SteeringKpi,
)
from segments.codes import ProductCategory

#: the measures a ratio KPI may use, with their names (for messages and the form)
RATIO_MEASURES = MEASURES


def _clean_codes(values, allowed, field: str, what: str) -> list[str]:
    values = [str(v).strip() for v in (values or []) if str(v).strip()]
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValidationError(
            {
                field: _("Onbekende %(what)s: %(codes)s. Kies uit %(allowed)s.")
                % {"what": what, "codes": ", ".join(unknown), "allowed": ", ".join(allowed)}
            }
        )
    return sorted(set(values))


def _check_code(region, code: str, instance, model, field="code") -> None:
    same = model.objects.filter(region=region, code=code)
    if instance is not None and instance.pk:
        same = same.exclude(pk=instance.pk)
    if same.exists():
        raise ValidationError(
            {field: _("De code %(code)s is in deze regio al in gebruik.") % {"code": code}}
        )


# --- measurement kinds -------------------------------------------------------------------------


@transaction.atomic
def measurement_kind_create(
    *,
    region,
    code: str,
    name: str,
    value_type: str = ValueType.NUMBER,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
    description: str = "",
    user=None,
) -> MeasurementKind:
    return _measurement_kind_save(
        MeasurementKind(region=region),
        code=code,
        name=name,
        value_type=value_type,
        minimum=minimum,
        maximum=maximum,
        description=description,
    )


@transaction.atomic
def measurement_kind_update(*, kind: MeasurementKind, user=None, **fields) -> MeasurementKind:
    stored = MeasurementKind.objects.get(pk=kind.pk)  # a model form has changed ``kind``
    in_use = OutcomeMeasurement.objects.filter(measurement_kind=kind).exists()
    if in_use and (
        fields.get("code", kind.code) != stored.code
        or fields.get("value_type", kind.value_type) != stored.value_type
    ):
        raise ValidationError(
            {
                "code": _(
                    "Er zijn al metingen van deze soort geïmporteerd: code en soort waarde liggen "
                    "vast."
                )
            }
        )
    values = {
        name: fields.get(name, getattr(kind, name))
        for name in ("code", "name", "value_type", "minimum", "maximum", "description")
    }
    return _measurement_kind_save(kind, **values)


def _measurement_kind_save(kind, *, code, name, value_type, minimum, maximum, description):
    code = (code or "").strip().lower()
    _check_code(kind.region, code, kind, MeasurementKind)
    if value_type not in ValueType.values:
        raise ValidationError({"value_type": _("Kies getal of ja/nee.")})
    if value_type == ValueType.YES_NO:
        minimum = maximum = None
    if minimum is not None and maximum is not None and minimum > maximum:
        raise ValidationError({"maximum": _("De hoogste waarde ligt onder de laagste.")})
    kind.code, kind.name, kind.value_type = code, name, value_type
    kind.minimum, kind.maximum, kind.description = minimum, maximum, description or ""
    kind.full_clean()
    kind.save()
    return kind


@transaction.atomic
def measurement_kind_delete(*, kind: MeasurementKind, user=None) -> None:
    if OutcomeMeasurement.objects.filter(measurement_kind=kind).exists():
        raise ValidationError(
            _("Er zijn al metingen van deze soort geïmporteerd; die blijven bij de soort horen.")
        )
    if kind.kpis.exists():
        raise ValidationError(
            _("KPI %(kpi)s rekent met deze soort meting; wijzig of verwijder die eerst.")
            % {"kpi": kind.kpis.first().name}
        )
    kind.delete()


# --- region KPIs -------------------------------------------------------------------------------

KPI_FIELDS = (
    "code",
    "name",
    "definition",
    "unit",
    "direction",
    "computation",
    "population",
    "population_categories",
    "end_reasons",
    "max_duration_days",
    "later",
    "later_months",
    "later_categories",
    "measurement_kind",
    "moment",
    "numerator",
    "denominator",
    "scale",
)
#: what changes the figures (a change of only these recomputes nothing)
_COSMETIC = {"name", "definition", "code", "direction"}


def _validate_kpi(kpi: RegionKpi) -> None:
    """The checks a KPI definition must pass; fields that do not belong to its computation are
    emptied, so that a definition reads as what it computes."""
    kpi.code = (kpi.code or "").strip().lower()
    from monitoring.kpis.api import API_KPIS

    reserved = set(Kpi.values) | {c.replace("_", "-") for c in Kpi.values} | set(API_KPIS.values())
    if kpi.code in reserved:
        raise ValidationError(
            {
                "code": _("%(code)s is de code van een standaard-KPI; kies een andere.")
                % {"code": kpi.code}
            }
        )
    _check_code(kpi.region, kpi.code, kpi, RegionKpi)
    if kpi.unit not in KpiUnit.values:
        raise ValidationError({"unit": _("Kies een eenheid.")})
    if kpi.computation == Computation.TRAJECTORY_SHARE:
        if kpi.population not in Population.values:
            raise ValidationError(
                {
                    "population": _(
                        "Kies welke trajecten meetellen: gestart of beëindigd in de maand."
                    )
                }
            )
        categories = ProductCategory.values
        kpi.population_categories = _clean_codes(
            kpi.population_categories, categories, "population_categories", _("zorgvorm")
        )
        kpi.later_categories = _clean_codes(
            kpi.later_categories, categories, "later_categories", _("zorgvorm")
        )
        kpi.end_reasons = _clean_codes(kpi.end_reasons, EndReason.values, "end_reasons", _("reden"))
        if kpi.later in (LaterTrajectory.WITH, LaterTrajectory.WITHOUT):
            if kpi.population != Population.ENDED:
                raise ValidationError(
                    {
                        "later": _(
                            "Een voorwaarde over een later traject telt vanaf het einde: kies "
                            "'beëindigd in de maand'."
                        )
                    }
                )
            if not kpi.later_months or not 1 <= kpi.later_months <= regional.MAX_LATER_MONTHS:
                raise ValidationError(
                    {
                        "later_months": _("Geef een termijn van 1 tot %(max)s maanden.")
                        % {"max": regional.MAX_LATER_MONTHS}
                    }
                )
        else:
            kpi.later, kpi.later_months, kpi.later_categories = "", None, []
        if not (kpi.end_reasons or kpi.max_duration_days is not None or kpi.later):
            raise ValidationError(
                {
                    "end_reasons": _(
                        "Geef minstens één voorwaarde (reden van beëindiging, duur of later "
                        "traject); zonder voorwaarde is het aandeel altijd 100%."
                    )
                }
            )
        if kpi.unit != KpiUnit.PERCENT:
            raise ValidationError({"unit": _("Een aandeel trajecten is een percentage.")})
        kpi.measurement_kind, kpi.moment = None, ""
        kpi.numerator = kpi.denominator = ""
        kpi.scale = 100
    elif kpi.computation == Computation.MEASUREMENT_AVERAGE:
        if kpi.measurement_kind_id is None:
            raise ValidationError({"measurement_kind": _("Kies een soort meting.")})
        if kpi.measurement_kind.region_id != kpi.region_id:
            raise ValidationError(
                {"measurement_kind": _("Die soort meting hoort niet bij deze regio.")}
            )
        if kpi.measurement_kind.value_type == ValueType.YES_NO and kpi.unit != KpiUnit.PERCENT:
            raise ValidationError(
                {"unit": _("Het gemiddelde van een ja/nee-meting is een percentage 'ja'.")}
            )
        kpi.population, kpi.population_categories, kpi.end_reasons = "", [], []
        kpi.max_duration_days, kpi.later, kpi.later_months, kpi.later_categories = (
            None,
            "",
            None,
            [],
        )
        kpi.numerator = kpi.denominator = ""
        kpi.scale = 1
    elif kpi.computation == Computation.RATIO:
        for field in ("numerator", "denominator"):
            value = getattr(kpi, field)
            if value not in RATIO_MEASURES:
                raise ValidationError(
                    {
                        field: _("Onbekende maat %(name)s. Kies uit: %(names)s.")
                        % {"name": value or "—", "names": ", ".join(RATIO_MEASURES)}
                    }
                )
        if kpi.numerator == kpi.denominator:
            raise ValidationError(
                {"denominator": _("Teller en noemer zijn dezelfde maat: de uitkomst is altijd 1.")}
            )
        if not kpi.scale or kpi.scale < 1:
            raise ValidationError({"scale": _("De factor is een geheel getal vanaf 1.")})
        kpi.population, kpi.population_categories, kpi.end_reasons = "", [], []
        kpi.max_duration_days, kpi.later, kpi.later_months, kpi.later_categories = (
            None,
            "",
            None,
            [],
        )
        kpi.measurement_kind, kpi.moment = None, ""
    else:
        raise ValidationError({"computation": _("Kies een berekening.")})
    kpi.full_clean()


def computes_in_background(region) -> bool:
    """Whether a KPI's figures are computed in the background (with progress) rather than
    during the request: when the region holds more than ``REGION_KPI_SYNC_LINES``
    trajectories and outcome measurements (about 3–4 s a KPI at 10M declaration lines)."""
    limit = getattr(settings, "REGION_KPI_SYNC_LINES", 200_000)
    lines = Trajectory.objects.filter(region=region).count()
    if lines <= limit:
        lines += OutcomeMeasurement.objects.filter(region=region).count()
    return lines > limit


def _recompute(kpi: RegionKpi, user, reason: str) -> bool:
    """The KPI's figures of every month with data, and its norms' signals: during the request
    in a small region (the signals then in the background recalculation, if it has norms), else
    all in a background recalculation. True when that was left to the background."""
    from monitoring.kpis.rollups import data_bounds
    from monitoring.steering.models import RecalculationKind
    from monitoring.steering.services import signal_recalculation_request

    if computes_in_background(kpi.region):
        signal_recalculation_request(
            region=kpi.region,
            reason=reason,
            user=user,
            kind=RecalculationKind.REGION_KPI,
            region_kpi=kpi,
        )
        return True
    bounds = data_bounds(kpi.region_id)
    if bounds is not None:
        regional.refresh_months(kpi.region_id, month_range(*bounds), kpis=[kpi])
    _rejudge(kpi, user, reason)
    return False


def _rejudge(kpi: RegionKpi, user, reason: str) -> None:
    """The signals of the KPI's norms over every month, in the background (the norms'
    recalculation, ``monitoring.steering.services``)."""
    from monitoring.steering.models import KpiNorm
    from monitoring.steering.services import signal_recalculation_request

    if KpiNorm.objects.filter(kpi=kpi.topic).exists():
        signal_recalculation_request(region=kpi.region, reason=reason, user=user)


@transaction.atomic
def region_kpi_create(*, region, user=None, **fields) -> RegionKpi:
    unknown = set(fields) - set(KPI_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    kpi = RegionKpi(region=region, **fields)
    _validate_kpi(kpi)
    kpi.save()
    regional.forget(kpi)
    region.__dict__.pop("_region_kpis_rolled_up", None)
    if kpi.computation != Computation.RATIO:
        with translation.override("nl"):  # a recalculation's reason is stored text: Dutch
            reason = _("Eigen KPI %(kpi)s gedefinieerd") % {"kpi": kpi.name}
        kpi.in_background = _recompute(kpi, user, reason)
    return kpi


@transaction.atomic
def region_kpi_update(*, kpi: RegionKpi, user=None, **fields) -> RegionKpi:
    unknown = set(fields) - set(KPI_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    stored = RegionKpi.objects.get(pk=kpi.pk)  # a model form has changed ``kpi`` already
    before = {name: getattr(stored, name) for name in KPI_FIELDS}
    for name, value in fields.items():
        setattr(kpi, name, value)
    _validate_kpi(kpi)
    kpi.save()
    regional.forget(kpi)
    kpi.region.__dict__.pop("_region_kpis_rolled_up", None)
    changed = {name for name in KPI_FIELDS if getattr(kpi, name) != before[name]}
    with translation.override("nl"):  # a recalculation's reason is stored text: Dutch
        if changed - _COSMETIC:
            reason = _("Berekening van KPI %(kpi)s gewijzigd") % {"kpi": kpi.name}
        else:
            reason = _("Richting van KPI %(kpi)s gewijzigd") % {"kpi": kpi.name}
    kpi.in_background = False
    if changed - _COSMETIC:
        if kpi.computation == Computation.RATIO:
            RegionKpiRollup.objects.filter(kpi=kpi).delete()  # a ratio reads KpiRollup
            _rejudge(kpi, user, reason)
        else:
            kpi.in_background = _recompute(kpi, user, reason)
    elif "direction" in changed:
        _rejudge(kpi, user, reason)
    return kpi


@transaction.atomic
def region_kpi_delete(*, kpi: RegionKpi, user=None) -> None:
    """Remove a KPI with its rollups, norms and steering places; refused once it has signals
    (they are part of the steering history)."""
    from monitoring.steering.models import KpiNorm, RiskWeight, Signal

    if Signal.objects.filter(region=kpi.region, topic=kpi.topic).exists():
        raise ValidationError(
            _(
                "Over deze KPI zijn al signalen gegeven; die horen bij de sturingsgeschiedenis. "
                "Verwijder eerst de normen als er niet meer op gestuurd wordt."
            )
        )
    KpiNorm.objects.filter(segment__region=kpi.region, kpi=kpi.topic).delete()
    SteeringKpi.objects.filter(segment__region=kpi.region, kpi=kpi.topic).delete()
    RiskWeight.objects.filter(region=kpi.region, topic=kpi.topic).delete()
    regional.forget(kpi)
    kpi.region.__dict__.pop("_region_kpis_rolled_up", None)
    kpi.delete()


# --- steering KPIs of a segment ---------------------------------------------------------------


def known_kpis(region) -> list[tuple[str, str]]:
    """(code, name) of every KPI a region can steer on: the built-in ones and its own."""
    builtin = [(code, str(label)) for code, label in Kpi.choices]
    own = [(k.code, k.label) for k in regional.for_region(region.pk)]
    return builtin + own


@transaction.atomic
def steering_kpis_set(*, segment, kpis: list[str], user=None) -> list[SteeringKpi]:
    """The KPIs the segment steers on (its tactical goals), in this order."""
    allowed = {code for code, _name in known_kpis(segment.region)}
    unknown = [k for k in kpis if k not in allowed]
    if unknown:
        raise ValidationError(
            {"kpis": _("Onbekende KPI: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    seen: list[str] = []
    for k in kpis:
        if k not in seen:
            seen.append(k)
    SteeringKpi.objects.filter(segment=segment).exclude(kpi__in=seen).delete()
    result = []
    for position, code in enumerate(seen):
        row, _created = SteeringKpi.objects.update_or_create(
            segment=segment, kpi=code, defaults={"position": position}
        )
        result.append(row)
    return result
