"""Checks on a provider's annual accounts (jaarrekening): profit margin and executive pay.

Pure functions on anything with the attributes of ``providers.models.AnnualAccount``
(``year``, ``revenue``, ``result``, ``executive_pay``, ``wnt_maximum``). Each check returns a
:class:`Check`: the traffic light (``monitoring.models.Level`` value, or ``None`` when there is
nothing to judge) and a Dutch explanation that is shown in the UI and in the signal.

Margin (``result / revenue × 100``, rounded to one decimal; the rounded figure is judged, so
what is shown is what is judged):

- above 15%: red (an excessive profit on public money);
- above 5%: amber;
- below −5%: amber as well, but for another reason: a loss that large is a continuity risk
  (can the provider keep delivering?);
- otherwise green. Exactly 5.0% and exactly 15.0% count as the lower band.

Executive pay (WNT, Wet normering topinkomens): the pay of the highest executive above the
applicable maximum is red, otherwise green. The applicable maximum is the account's own
``wnt_maximum`` (e.g. a lower sector class) or else the general maximum of the year
(:data:`WNT_GENERAL_MAXIMUM`); for later years the account must carry its own maximum.
Without pay or without a maximum the check has no level.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from core.ui.formatting import euro, percent

#: the general WNT maximum per year (bezoldigingsmaximum, € incl. pension contributions)
WNT_GENERAL_MAXIMUM: dict[int, Decimal] = {
    2019: Decimal("194000"),
    2020: Decimal("201000"),
    2021: Decimal("209000"),
    2022: Decimal("216000"),
    2023: Decimal("223000"),
    2024: Decimal("233000"),
    2025: Decimal("246000"),
}

MARGIN_AMBER = Decimal("5")
MARGIN_RED = Decimal("15")
#: a loss beyond this margin is amber: a continuity risk
MARGIN_LOSS_AMBER = Decimal("-5")

# Level values (monitoring.models.Level) without importing monitoring into providers.
GREEN, AMBER, RED = "green", "amber", "red"


@dataclass(frozen=True)
class Check:
    """The outcome of one check: a level ("green"/"amber"/"red" or ``None``) and why."""

    level: str | None
    message: str
    value: Decimal | None = None
    limit: Decimal | None = None


def margin(account) -> Decimal | None:
    """Result as a percentage of revenue, one decimal; ``None`` without revenue."""
    if not account.revenue:
        return None
    value = Decimal(account.result) * 100 / Decimal(account.revenue)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def check_margin(account) -> Check:
    """Margin above 15% red, above 5% amber, below −5% amber (continuity risk), else green."""
    value = margin(account)
    if value is None:
        return Check(None, _("Geen omzet bekend: de marge is niet te bepalen."))
    shown = {"margin": percent(value), "year": account.year}
    if value > MARGIN_RED:
        return Check(
            RED,
            _("Marge %(margin)s in %(year)s is hoger dan 15%%: bovenmatige winst.") % shown,
            value,
            MARGIN_RED,
        )
    if value > MARGIN_AMBER:
        return Check(
            AMBER,
            _("Marge %(margin)s in %(year)s is hoger dan 5%%.") % shown,
            value,
            MARGIN_AMBER,
        )
    if value < MARGIN_LOSS_AMBER:
        return Check(
            AMBER,
            _(
                "Marge %(margin)s in %(year)s: een verlies van meer dan 5%% van de omzet is een "
                "risico voor de continuïteit."
            )
            % shown,
            value,
            MARGIN_LOSS_AMBER,
        )
    return Check(
        GREEN, _("Marge %(margin)s in %(year)s ligt binnen de grenzen.") % shown, value, None
    )


def wnt_maximum(account) -> Decimal | None:
    """The account's own WNT maximum, else the general maximum of its year, else ``None``."""
    if account.wnt_maximum is not None:
        return Decimal(account.wnt_maximum)
    return WNT_GENERAL_MAXIMUM.get(account.year)


def check_wnt(account) -> Check:
    """Executive pay above the applicable maximum is red, else green; no level without pay or
    maximum."""
    maximum = wnt_maximum(account)
    pay = account.executive_pay
    if pay is None:
        return Check(None, _("Geen bezoldiging van de topfunctionaris bekend."))
    if maximum is None:
        return Check(
            None,
            _("Geen WNT-maximum bekend voor %(year)s: vul het toepasselijke maximum in.")
            % {"year": account.year},
            Decimal(pay),
        )
    shown = {"pay": euro(Decimal(pay)), "maximum": euro(maximum), "year": account.year}
    if Decimal(pay) > maximum:
        return Check(
            RED,
            _(
                "Bezoldiging topfunctionaris %(pay)s in %(year)s is hoger dan het WNT-maximum "
                "van %(maximum)s."
            )
            % shown,
            Decimal(pay),
            maximum,
        )
    return Check(
        GREEN,
        _(
            "Bezoldiging topfunctionaris %(pay)s in %(year)s blijft binnen het WNT-maximum van "
            "%(maximum)s."
        )
        % shown,
        Decimal(pay),
        maximum,
    )
