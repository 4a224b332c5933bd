"""Tariffs as pure functions: the reasonable-price build-up, indexation and validity periods.

Money is ``Decimal`` with two places, rounded half up (the way a region's tariff sheet does).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from core.ui.formatting import euro, format_date, money, percent

HUNDRED = Decimal("100")


class TariffError(ValueError):
    """A tariff that would break the rules; the message says which and why."""


@dataclass(frozen=True)
class BuildUp:
    """The reasonable-price build-up of one tariff (Besluit Jeugdwet art. 2.3), per unit.

    tariff = (staff client-bound + staff not client-bound + other client-bound)
             × (1 + overhead %) × (1 + indexation %), rounded to cents at the end.
    """

    staff_client_bound: Decimal
    staff_not_client_bound: Decimal = Decimal("0")
    other_client_bound: Decimal = Decimal("0")
    overhead_pct: Decimal = Decimal("0")
    indexation_pct: Decimal = Decimal("0")

    def direct_costs(self) -> Decimal:
        return self.staff_client_bound + self.staff_not_client_bound + self.other_client_bound

    def overhead(self) -> Decimal:
        return self.direct_costs() * self.overhead_pct / HUNDRED

    def indexation(self) -> Decimal:
        return (self.direct_costs() + self.overhead()) * self.indexation_pct / HUNDRED

    def tariff(self) -> Decimal:
        return money(self.direct_costs() + self.overhead() + self.indexation())

    def validate(self) -> None:
        for name in ("staff_client_bound", "staff_not_client_bound", "other_client_bound"):
            if getattr(self, name) < 0:
                raise TariffError(_("Kosten in de tariefopbouw kunnen niet negatief zijn."))
        if self.staff_client_bound <= 0:
            raise TariffError(
                _("Een reëel tarief rust op cliëntgebonden personeelskosten; vul die in.")
            )
        if self.overhead_pct < 0 or self.overhead_pct > 50:
            raise TariffError(_("Overhead ligt tussen 0% en 50%."))
        if self.indexation_pct < -10 or self.indexation_pct > 25:
            raise TariffError(_("Indexatie in de opbouw ligt tussen -10% en 25%."))

    def lines(self) -> list[tuple[str, Decimal]]:
        """The build-up as lines a region can publish, ending with the tariff."""
        return [
            (_("Personeelskosten cliëntgebonden"), money(self.staff_client_bound)),
            (_("Personeelskosten niet-cliëntgebonden"), money(self.staff_not_client_bound)),
            (_("Overige cliëntgebonden kosten"), money(self.other_client_bound)),
            (_("Overhead %(pct)s") % {"pct": percent(self.overhead_pct)}, money(self.overhead())),
            (
                _("Indexatie %(pct)s") % {"pct": percent(self.indexation_pct)},
                money(self.indexation()),
            ),
            (_("Tarief"), self.tariff()),
        ]


def indexed(amount: Decimal, pct: Decimal) -> Decimal:
    """``amount`` raised by ``pct`` percent, rounded to cents."""
    return money(Decimal(amount) * (HUNDRED + Decimal(pct)) / HUNDRED)


def check_indexation_pct(pct: Decimal) -> None:
    if pct < -10 or pct > 25:
        raise TariffError(
            _(
                "Een indexatie van %(pct)s is niet aannemelijk; kies een percentage tussen "
                "-10%% en 25%%."
            )
            % {"pct": percent(pct)}
        )
    if pct == 0:
        raise TariffError(_("Een indexatie van 0% verandert geen tarief."))


@dataclass(frozen=True)
class Validity:
    """A version's validity period; ``until`` None means open-ended."""

    valid_from: date
    until: date | None
    amount: Decimal | None = None

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.until is None or day <= self.until)

    def label(self) -> str:
        end = format_date(self.until, empty=_("doorlopend"))
        return f"{format_date(self.valid_from)} – {end}"


def check_new_version(
    new: Validity, existing: Iterable[Validity], product_label: str
) -> Validity | None:
    """Whether ``new`` may be added next to ``existing`` versions of the same tariff.

    A new version may start after an open-ended current version; that version then closes the
    day before (the one it returns). Any other overlap is refused with the version it overlaps.
    """
    if new.until is not None and new.until < new.valid_from:
        raise TariffError(_("'Geldig tot en met' ligt vóór 'geldig vanaf'."))
    to_close = None
    for old in sorted(existing, key=lambda v: v.valid_from):
        if old.until is None and old.valid_from < new.valid_from:
            # The open-ended version closes; anything later than it would be caught below.
            to_close = old
            continue
        overlaps = old.valid_from <= (new.until or date.max) and new.valid_from <= (
            old.until or date.max
        )
        if overlaps:
            amount = f" {euro(old.amount)}" if old.amount is not None else ""
            raise TariffError(
                _(
                    "Deze versie overlapt met de tariefversie%(amount)s van %(product)s die "
                    "geldt van %(period)s. Laat de nieuwe versie later ingaan of eerder eindigen."
                )
                % {"amount": amount, "product": product_label, "period": old.label()}
            )
    return to_close


def price_on(versions: Iterable[Validity], day: date) -> Decimal | None:
    for version in versions:
        if version.covers(day):
            return version.amount
    return None
