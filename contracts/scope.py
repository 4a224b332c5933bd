"""A contract's municipality scope: the whole region (the default) or some of its
municipalities, e.g. a pilot "in 1 à 2 gemeenten" (seed 000, segment 6).

The scope is the contract's ``municipalities`` (empty: every municipality of the region). The
import refuses a line for a municipality outside it (``monitoring.imports.validate``), so
settlement, the KPIs per municipality and the municipal reports never see one; a municipal
user or client of a municipality outside it does not see the contract
(``Contract.scope_municipal_q``), and the municipal report splits a scoped contract's budget
over its own municipalities only (``reports.content``). Narrowing the scope while lines of a
municipality being removed exist is refused: monitoring counts them through the hook below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.ui.formatting import format_date as _d
from segments.models import Municipality

from .codes import EventKind
from .models import Contract, ContractEvent

LineCounter = Callable[[Contract, Iterable[int]], dict[int, int]]

_counter: LineCounter | None = None


def register_line_counter(counter: LineCounter) -> None:
    """Monitoring registers how many production lines a contract has per municipality."""
    global _counter
    _counter = counter


def lines_by_municipality(contract: Contract, municipality_ids: Iterable[int]) -> dict[int, int]:
    if _counter is None:
        return {}
    return _counter(contract, municipality_ids)


def scope_names(municipalities: Iterable[Municipality]) -> list[str]:
    return sorted(m.name for m in municipalities)


def scope_label(municipalities: Iterable[Municipality]) -> str:
    """ "alle gemeenten" or the names, alphabetically."""
    names = scope_names(municipalities)
    return ", ".join(names) if names else _("alle gemeenten")


@transaction.atomic
def contract_set_municipality_scope(
    *,
    contract: Contract,
    municipalities: Iterable[Municipality] | None,
    effective_on: date,
    reason: str = "",
    user=None,
) -> ContractEvent | None:
    """Limit the contract to ``municipalities`` (empty or ``None``: every municipality of the
    region), recorded as an amendment event "Geldt voor: old → new". ``None`` when nothing
    changes. Refused: a municipality of another region, a terminated contract, a date outside
    the term, and removing a municipality that already has production lines of the contract
    (the message names each with its number of lines)."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    chosen = list(municipalities or [])
    foreign = [m for m in chosen if m.region_id != contract.region_id]
    if foreign:
        raise ValidationError(
            {
                "municipalities": _("%(names)s hoort niet bij de regio van dit contract.")
                % {"names": ", ".join(scope_names(foreign))}
            }
        )
    if contract.terminated_on is not None:
        raise ValidationError(
            {"municipalities": _("Een beëindigd contract wordt niet meer gewijzigd.")}
        )
    last = contract.final_end_date or contract.end_date
    if effective_on < contract.start_date or (last is not None and effective_on > last):
        raise ValidationError(
            {
                "effective_on": _(
                    "Een wijziging gaat in tijdens de looptijd (%(start)s – %(end)s)."
                )
                % {"start": _d(contract.start_date), "end": _d(last) if last else "…"}
            }
        )
    before = list(contract.municipalities.all())
    old_ids = {m.pk for m in before}
    new_ids = {m.pk for m in chosen}
    if old_ids == new_ids:
        return None
    if new_ids:
        # what leaves the scope: from "all", every other municipality of the region
        leaving = (
            old_ids - new_ids
            if old_ids
            else set(
                Municipality.objects.filter(region=contract.region_id)
                .exclude(pk__in=new_ids)
                .values_list("pk", flat=True)
            )
        )
        counts = lines_by_municipality(contract, leaving)
        if counts:
            names = dict(Municipality.objects.filter(pk__in=counts).values_list("pk", "name"))
            parts = [
                ngettext(
                    "%(name)s (%(n)s productieregel)",
                    "%(name)s (%(n)s productieregels)",
                    n,
                )
                % {"name": names[pk], "n": n}
                for pk, n in sorted(counts.items(), key=lambda item: names[item[0]])
            ]
            raise ValidationError(
                {
                    "municipalities": _(
                        "Contract %(contract)s heeft al productie in %(list)s; die gemeente(n) "
                        "kunnen niet uit het contract. Corrigeer eerst die regels of kies ze "
                        "mee."
                    )
                    % {"contract": contract.reference, "list": "; ".join(parts)}
                }
            )
    contract.municipalities.set(chosen)
    text = _("Geldt voor: %(old)s → %(new)s") % {
        "old": scope_label(before),
        "new": scope_label(chosen),
    }
    if reason.strip():
        text = f"{reason.strip()}\n{text}"
    return ContractEvent.objects.create(
        contract=contract,
        kind=EventKind.AMENDMENT,
        effective_on=effective_on,
        reason=text,
        recorded_by=user,
    )
