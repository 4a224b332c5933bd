"""The sentence of a KPI or facility signal, in the reader's language.

A signal keeps its figures in ``Signal.message_params`` (the level, the KPI, the month as an ISO
date, the figures as decimal strings); :func:`render` writes the sentence in the active language
when a page, a report or the portal shows it, so an English page reads "May 2026" where the
stored ``Signal.message`` (Dutch, for the API and the history) reads "mei 2026". A signal without
parameters (a finance check, or one made before they existed) shows its stored message."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext

from contracts.codes import Kpi
from core.ui.formatting import format_number
from monitoring.kpis import definitions as kpis
from monitoring.kpis.definitions import format_figure
from monitoring.steering.models import Level

KPI = "kpi"
FACILITY = "facility"


def _decimal(value) -> str | None:
    return None if value is None else str(Decimal(value))


def kpi_params(contract, kpi: str, month: date, level: str, value, norm) -> dict:
    """The parameters of a KPI signal's sentence: ``norm`` is a ``steering.norms.Norm``."""
    return {
        "kind": KPI,
        "level": str(level),
        "kpi": str(kpi),
        "contract": contract.reference,
        "provider": contract.provider.name,
        "month": month.isoformat(),
        "value": _decimal(value),
        "norm": _decimal(norm.norm),
        "amber": _decimal(norm.amber),
        "red": _decimal(norm.red),
    }


def facility_params(contract, figure, level: str) -> dict:
    """The parameters of a facility's occupancy signal (``facilities.FacilityMonth``)."""
    norm = figure.norm
    return {
        "kind": FACILITY,
        "level": str(level),
        "facility": figure.facility,
        "contract": contract.reference,
        "provider": contract.provider.name,
        "month": figure.month.isoformat(),
        "value": _decimal(figure.value),
        "occupied": _decimal(figure.occupied_days),
        "place_days": figure.place_days,
        "own_threshold": norm.source == "facility",
        "norm": _decimal(norm.norm),
        "amber": _decimal(norm.amber),
        "red": _decimal(norm.red),
    }


def _figure(topic: str, value: str | None) -> str:
    return format_figure(topic, None if value is None else Decimal(value), empty="–")


def render(params: dict | None) -> str | None:
    """The sentence in the active language; ``None`` for no (or unknown) parameters."""
    kind = (params or {}).get("kind")
    if kind == KPI:
        kpi = params["kpi"]
        try:
            label = kpis.definition(kpi).label
        except KeyError:
            return None
        return gettext(
            "%(level)s: %(kpi)s bij contract %(contract)s (%(provider)s) in %(month)s is "
            "%(value)s; norm %(norm)s, oranje vanaf %(amber)s, rood vanaf %(red)s."
        ) % {
            "level": Level(params["level"]).label,
            "kpi": label,
            "contract": params["contract"],
            "provider": params["provider"],
            "month": formats.date_format(date.fromisoformat(params["month"]), "F Y"),
            "value": _figure(kpi, params["value"]),
            "norm": _figure(kpi, params["norm"]),
            "amber": _figure(kpi, params["amber"]),
            "red": _figure(kpi, params["red"]),
        }
    if kind == FACILITY:
        occupancy = Kpi.OCCUPANCY
        values = {
            "level": Level(params["level"]).label,
            "facility": params["facility"],
            "contract": params["contract"],
            "provider": params["provider"],
            "month": formats.date_format(date.fromisoformat(params["month"]), "F Y"),
            "value": _figure(occupancy, params["value"]),
            "occupied": format_number(Decimal(params["occupied"] or 0), 1),
            "place_days": params["place_days"],
            "norm": _figure(occupancy, params["norm"]),
            "amber": _figure(occupancy, params["amber"]),
            "red": _figure(occupancy, params["red"]),
        }
        if params.get("own_threshold"):
            return (
                gettext(
                    "%(level)s: bezettingsgraad van voorziening %(facility)s bij contract "
                    "%(contract)s (%(provider)s) in %(month)s is %(value)s (%(occupied)s van "
                    "%(place_days)s plaatsdagen); onder de afgesproken drempel van %(amber)s "
                    "is oranje, onder %(red)s rood."
                )
                % values
            )
        return (
            gettext(
                "%(level)s: bezettingsgraad van voorziening %(facility)s bij contract "
                "%(contract)s (%(provider)s) in %(month)s is %(value)s (%(occupied)s van "
                "%(place_days)s plaatsdagen); norm %(norm)s, oranje vanaf %(amber)s, rood vanaf "
                "%(red)s."
            )
            % values
        )
    return None
