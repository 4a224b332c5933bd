"""Every change to a contract, its tariffs, arrangements and budgets goes through these functions.

They check the rules (pure ones live in ``terms``, ``tariffs`` and ``settlement``), change the
data in one transaction and leave history: contracts change by dated events, tariffs by new
versions, budgets by revisions with a reason. Refusals are ``ValidationError`` with a specific
message, keyed by field where there is one, and leave nothing half-saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.ui.formatting import euro, percent
from core.ui.formatting import format_date as _d
from procurement.codes import ProcedureType
from procurement.negotiation import contract_term_for
from segments.codes import Unit
from segments.models import Product

from . import terms as term_rules
from .codes import ArrangementModel, BudgetKind, EventKind, ReportingFrequency, TariffOrigin
from .models import (
    Budget,
    BudgetRevision,
    Contract,
    ContractEvent,
    EffectScenario,
    EffectScenarioPrice,
    FundingArrangement,
    KpiAgreement,
    TariffIndexation,
    TariffVersion,
)
from .settlement import decreasing_lumpsum
from .signals import kpi_agreement_changed
from .tariffs import (
    BuildUp,
    TariffError,
    Validity,
    check_indexation_pct,
    check_new_version,
    indexed,
)

DEFAULT_TERM_YEARS = 1  # as procurement.negotiation.DEFAULT_TERM_YEARS
STRATEGIC_TYPES = {ProcedureType.SAS, ProcedureType.PARTNERSHIP}

# Units a product may have under each funding model (iJw WJ756).
UNITS_BY_MODEL = {
    ArrangementModel.PXQ: {
        Unit.MINUTE,
        Unit.HOUR,
        Unit.ETMAAL,
        Unit.DAGDEEL,
        Unit.PIECES_EFFORT,
        Unit.KILOMETRE,
    },
    ArrangementModel.OUTPUT: {Unit.PIECES_OUTPUT},
    ArrangementModel.AVAILABILITY: {Unit.ETMAAL, Unit.DAGDEEL},
    ArrangementModel.TASK: set(Unit.values),
}
AMENDABLE = (
    "development_assignments",
    "acceptance_obligation",
    "is_strategic_partner",
    "reporting_frequency",
)


# ---------------------------------------------------------------- contracts and their events


def live_events(contract: Contract):
    """The events that count for the term: neither a reversal nor reversed by one."""
    return contract.events.exclude(kind=EventKind.REVERSAL).filter(reversed_by__isnull=True)


def _term_state(contract: Contract, events) -> term_rules.TermState:
    return term_rules.derive(
        start=contract.start_date,
        initial_years=contract.initial_term_years,
        options=contract.extension_options,
        events=[term_rules.EventFact(e.kind, e.effective_on, e.years) for e in events],
    )


def contract_recompute(*, contract: Contract) -> Contract:
    """Store the end dates and extensions that follow from the start, term and the events
    that count (one rule: ``terms.derive`` over ``live_events``; a reversed event and its
    reversal do not count)."""
    state = _term_state(contract, live_events(contract))
    contract.end_date = state.end_date
    contract.final_end_date = state.final_end_date
    contract.terminated_on = state.terminated_on
    contract.extensions_used = state.extensions_used
    Contract.objects.filter(pk=contract.pk).update(
        end_date=state.end_date,
        final_end_date=state.final_end_date,
        terminated_on=state.terminated_on,
        extensions_used=state.extensions_used,
    )
    return contract


def _check_options(options) -> list[int]:
    if not isinstance(options, list | tuple) or not all(
        isinstance(n, int) and 1 <= n <= 10 for n in options
    ):
        raise ValidationError(
            {"extension_options": _("Verlengingsopties zijn hele jaren van 1 tot en met 10.")}
        )
    return list(options)


@transaction.atomic
def contract_create(*, user=None, **fields) -> Contract:
    """A contract entered directly (an existing one, or one outside a procedure)."""
    fields["extension_options"] = _check_options(fields.get("extension_options", []))
    contract = Contract(**fields)
    contract.full_clean()
    contract.save()
    ContractEvent.objects.create(
        contract=contract,
        kind=EventKind.START,
        effective_on=contract.start_date,
        reason=_("Contract vastgelegd."),
        recorded_by=user,
    )
    return contract_recompute(contract=contract)


def contracts_from_award(sender, *, tender, submissions, **kwargs) -> list[Contract]:
    """One contract per awarded or admitted submission; repeating an award adds nothing."""
    strategy = tender.strategy
    created = []
    for sub in submissions:
        # One rule for the term (procurement.negotiation), so negotiated budgets fit in it.
        term = contract_term_for(tender, sub)
        contract, new = Contract.objects.get_or_create(
            submission=sub,
            defaults={
                "region": tender.region,
                "reference": f"{tender.reference}-{sub.number:03d}",
                "provider": sub.provider,
                "segment": sub.lot.segment,
                "lot": sub.lot,
                # An admission starts the day it is granted; an award on the planned start.
                "start_date": term.start,
                "initial_term_years": term.initial_years,
                "extension_options": list(term.extension_options),
                "is_strategic_partner": tender.procedure_type in STRATEGIC_TYPES,
                "development_assignments": strategy.development_assignments if strategy else "",
            },
        )
        if new:
            ContractEvent.objects.create(
                contract=contract,
                kind=EventKind.START,
                effective_on=contract.start_date,
                reason=_("Gegund in %(tender)s.") % {"tender": tender.reference},
            )
            contract_recompute(contract=contract)
            # The negotiated budgets and agreements become the contract's (contracts.development)
            from .development import contract_take_negotiation

            contract_take_negotiation(contract=contract, submission=sub)
        created.append(contract)
    return created


def _locked(contract: Contract) -> Contract:
    fresh = Contract.objects.select_for_update().get(pk=contract.pk)
    return contract_recompute(contract=fresh)


def contract_extension_check(*, contract: Contract, years: int, decided_on: date) -> date:
    """The end date after extending by ``years`` (nothing is written); refused with a
    ``ValidationError`` as ``contract_extend`` would refuse."""
    try:
        term_rules.check_extension(
            options=contract.extension_options,
            extensions_used=contract.extensions_used,
            years=years,
            end_date=contract.end_date,
            terminated_on=contract.terminated_on,
            on=decided_on,
        )
    except term_rules.TermError as error:
        raise ValidationError({"years": str(error)}) from error
    options = contract.extension_options
    return term_rules.term_end(
        contract.start_date,
        contract.initial_term_years + sum(options[: contract.extensions_used + 1]),
    )


@transaction.atomic
def contract_extend(
    *, contract: Contract, years: int, decided_on: date, reason: str = "", user=None
) -> ContractEvent:
    """Exercise the next extension option. It takes effect the day after the current end."""
    contract = _locked(contract)
    contract_extension_check(contract=contract, years=years, decided_on=decided_on)
    event = ContractEvent.objects.create(
        contract=contract,
        kind=EventKind.EXTENSION,
        effective_on=contract.end_date + timedelta(days=1),
        years=years,
        reason=reason.strip()
        or _("Verlengingsoptie %(n)s van %(of)s benut (besloten op %(day)s).")
        % {
            "n": contract.extensions_used + 1,
            "of": len(contract.extension_options),
            "day": _d(decided_on),
        },
        recorded_by=user,
    )
    contract_recompute(contract=contract)
    return event


@transaction.atomic
def contract_terminate(
    *, contract: Contract, effective_on: date, reason: str, user=None
) -> ContractEvent:
    contract = _locked(contract)
    contract_termination_check(contract=contract, effective_on=effective_on, reason=reason)
    event = ContractEvent.objects.create(
        contract=contract,
        kind=EventKind.TERMINATION,
        effective_on=effective_on,
        reason=reason.strip(),
        recorded_by=user,
    )
    contract_recompute(contract=contract)
    return event


def contract_termination_check(*, contract: Contract, effective_on: date, reason: str) -> None:
    """Refuse (``ValidationError``) a termination ``contract_terminate`` would refuse; nothing
    is written."""
    try:
        term_rules.check_termination(
            start=contract.start_date,
            end_date=contract.end_date,
            terminated_on=contract.terminated_on,
            on=effective_on,
            reason=reason,
        )
    except term_rules.TermError as error:
        field = "reason" if str(error) == _("Geef de reden van de beëindiging.") else "effective_on"
        raise ValidationError({field: str(error)}) from error


def _display(field: str, value) -> str:
    if field == "reporting_frequency":
        return str(ReportingFrequency(value).label)
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    return str(value)


@transaction.atomic
def contract_amend(
    *,
    contract: Contract,
    effective_on: date,
    reason: str,
    changes: Mapping[str, object] | None = None,
    user=None,
) -> ContractEvent:
    """Record an amendment (addendum): what changed and why, from a date. The old and new
    values are kept on the event (``changes``), so that a reversal can restore them."""
    contract = _locked(contract)
    changed = contract_amendment_check(
        contract=contract, effective_on=effective_on, reason=reason, changes=changes
    )
    for field, (_old, new) in changed.items():
        setattr(contract, field, new)
    contract.full_clean()
    contract.save(update_fields=[*AMENDABLE])
    text = reason.strip()
    if changed:
        text += "\n" + "\n".join(amendment_lines(changed))
    return ContractEvent.objects.create(
        contract=contract,
        kind=EventKind.AMENDMENT,
        effective_on=effective_on,
        reason=text,
        changes=changed,
        recorded_by=user,
    )


def amendment_lines(changed: Mapping[str, list]) -> list[str]:
    """'Label: old → new' for each changed field."""
    return [
        f"{Contract._meta.get_field(field).verbose_name}: "
        f"{_display(field, old)} → {_display(field, new)}"
        for field, (old, new) in changed.items()
    ]


def contract_amendment_check(
    *,
    contract: Contract,
    effective_on: date,
    reason: str,
    changes: Mapping[str, object] | None = None,
) -> dict[str, list]:
    """What an amendment would change, as ``{field: [old, new]}`` (nothing is written);
    refused with a ``ValidationError`` as ``contract_amend`` would refuse."""
    if not reason.strip():
        raise ValidationError({"reason": _("Beschrijf de wijziging.")})
    if contract.terminated_on is not None:
        raise ValidationError({"effective_on": _("Een beëindigd contract wordt niet gewijzigd.")})
    if not contract.start_date <= effective_on <= contract.end_date:
        raise ValidationError(
            {
                "effective_on": _(
                    "Een wijziging gaat in tijdens de looptijd (%(start)s – %(end)s)."
                )
                % {"start": _d(contract.start_date), "end": _d(contract.end_date)}
            }
        )
    changed = {}
    for field, value in (changes or {}).items():
        if field not in AMENDABLE:
            raise ValidationError(_("%(field)s kan niet via een wijziging.") % {"field": field})
        if field == "reporting_frequency" and value not in ReportingFrequency.values:
            raise ValidationError({field: _("Kies een rapportagefrequentie uit de lijst.")})
        old = getattr(contract, field)
        if old != value:
            changed[field] = [old, value]
    return changed


# ---------------------------------------------------------------- reversal of a contract event


def contract_event_reversal_check(*, event: ContractEvent) -> term_rules.TermState:
    """The contract's term once ``event`` is reversed (nothing is written), or a
    ``ValidationError`` saying why it cannot be (the rule: ``terms.reversal_refusal``)."""
    live = list(live_events(event.contract))
    if why := term_rules.reversal_refusal(event, live):
        raise ValidationError(why)
    return _term_state(event.contract, [e for e in live if e.pk != event.pk])


@transaction.atomic
def contract_event_reverse(*, event: ContractEvent, by=None, reason: str) -> ContractEvent:
    """Correct a mistaken event by a recorded reversal (never a delete): a new event of kind
    reversal that points at it, with the reason; an amendment's old values come back; the
    contract's end date and state are derived again from the events that still count."""
    contract = _locked(event.contract)
    event = ContractEvent.objects.select_for_update().get(pk=event.pk)
    event.contract = contract
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden van het terugdraaien.")})
    contract_event_reversal_check(event=event)
    text = _("Draait terug: %(event)s.") % {"event": event}
    if event.kind == EventKind.AMENDMENT and event.changes:
        for field, (old, _new) in event.changes.items():
            setattr(contract, field, old)
        contract.full_clean()
        contract.save(update_fields=list(event.changes))
        restored = {field: [new, old] for field, (old, new) in event.changes.items()}
        text += "\n" + "\n".join(amendment_lines(restored))
    reversal = ContractEvent.objects.create(
        contract=contract,
        kind=EventKind.REVERSAL,
        effective_on=timezone.localdate(),
        reverses=event,
        reason=f"{reason.strip()}\n{text}",
        recorded_by=by,
    )
    contract_recompute(contract=contract)
    return reversal


# ---------------------------------------------------------------- tariffs


def _tariff_scope(product: Product, contract: Contract | None):
    qs = TariffVersion.objects.filter(product=product)
    return qs.filter(contract=contract) if contract else qs.filter(contract__isnull=True)


def _close(version: TariffVersion, until: date) -> None:
    # The one change an existing version gets: its end date, when the next version starts.
    TariffVersion.objects.filter(pk=version.pk).update(valid_until=until)
    version.valid_until = until


@transaction.atomic
def tariff_version_create(
    *,
    product: Product,
    valid_from: date,
    contract: Contract | None = None,
    valid_until: date | None = None,
    amount: Decimal | None = None,
    build_up: BuildUp | None = None,
    note: str = "",
    user=None,
) -> TariffVersion:
    """A new tariff version; the open-ended version before it closes the day before."""
    region = contract.region if contract else product.region
    if product.region_id != region.pk:
        raise ValidationError({"product": _("Dit product hoort bij een andere regio.")})
    Product.objects.select_for_update().filter(pk=product.pk).first()
    if build_up is not None:
        try:
            build_up.validate()
        except TariffError as error:
            raise ValidationError({"staff_client_bound": str(error)}) from error
        computed = build_up.tariff()
        if amount is not None and amount != computed:
            raise ValidationError(
                {
                    "amount": _("Het tarief volgt uit de opbouw: %(computed)s, niet %(amount)s.")
                    % {"computed": euro(computed), "amount": euro(amount)}
                }
            )
        amount = computed
    if amount is None:
        raise ValidationError({"amount": _("Vul het tarief in, of de kostprijsopbouw.")})
    if amount < 0:
        raise ValidationError({"amount": _("Een tarief kan niet negatief zijn.")})
    if contract is not None and valid_from < contract.start_date:
        raise ValidationError(
            {
                "valid_from": _(
                    "Een contracttarief geldt niet vóór de ingangsdatum van het contract."
                )
            }
        )
    if contract is not None and contract.final_end_date and valid_from > contract.final_end_date:
        raise ValidationError(
            {"valid_from": _("Een contracttarief geldt niet na het einde van het contract.")}
        )
    existing = {v.pk: v for v in _tariff_scope(product, contract).order_by("valid_from")}
    try:
        to_close = check_new_version(
            Validity(valid_from, valid_until),
            [Validity(v.valid_from, v.valid_until, v.amount) for v in existing.values()],
            str(product.code),
        )
    except TariffError as error:
        raise ValidationError({"valid_from": str(error)}) from error
    previous = None
    if to_close is not None:
        previous = next(v for v in existing.values() if v.valid_from == to_close.valid_from)
        _close(previous, valid_from - timedelta(days=1))
    fields = {}
    if build_up is not None:
        fields = {
            "origin": TariffOrigin.BUILD_UP,
            "staff_client_bound": build_up.staff_client_bound,
            "staff_not_client_bound": build_up.staff_not_client_bound,
            "other_client_bound": build_up.other_client_bound,
            "overhead_pct": build_up.overhead_pct,
            "indexation_pct": build_up.indexation_pct,
        }
    return TariffVersion.objects.create(
        region=region,
        product=product,
        contract=contract,
        valid_from=valid_from,
        valid_until=valid_until,
        amount=amount,
        previous=previous,
        note=note,
        created_by=user,
        **fields,
    )


def current_versions(
    region, contract: Contract | None, day: date, products: Iterable[Product] | None = None
):
    """The versions in force on ``day``: regional ones, or a contract's own."""
    qs = TariffVersion.objects.filter(region=region, valid_from__lte=day).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    )
    qs = qs.filter(contract=contract) if contract else qs.filter(contract__isnull=True)
    if products is not None:
        qs = qs.filter(product__in=list(products))
    return qs.select_related("product").order_by("product__code")


@transaction.atomic
def tariffs_index(
    *,
    region,
    percentage: Decimal,
    valid_from: date,
    contract: Contract | None = None,
    products: Iterable[Product] | None = None,
    note: str = "",
    user=None,
) -> TariffIndexation:
    """The yearly indexation as one action: every tariff in force the day before ``valid_from``
    gets a next version from ``valid_from``, raised by ``percentage``, rounded to cents."""
    try:
        check_indexation_pct(percentage)
    except TariffError as error:
        raise ValidationError({"percentage": str(error)}) from error
    if contract is not None and contract.region_id != region.pk:
        raise ValidationError({"contract": _("Dit contract hoort bij een andere regio.")})
    day_before = valid_from - timedelta(days=1)
    in_force = list(current_versions(region, contract, day_before, products))
    later = TariffVersion.objects.filter(
        product__in=[v.product_id for v in in_force], valid_from__gte=valid_from
    )
    later = later.filter(contract=contract) if contract else later.filter(contract__isnull=True)
    clash = later.select_related("product").order_by("product__code").first()
    if clash is not None:
        raise ValidationError(
            {
                "valid_from": _(
                    "Voor %(code)s bestaat al een tariefversie vanaf %(day)s; is deze indexatie "
                    "al uitgevoerd? Er is niets gewijzigd."
                )
                % {"code": clash.product.code, "day": _d(clash.valid_from)}
            }
        )
    # A version that was set to end the day before ends: it is not carried into the new year.
    current = [v for v in in_force if v.valid_until != day_before]
    if not current:
        raise ValidationError(
            {
                "valid_from": _("Op %(day)s geldt geen doorlopend tarief om te indexeren.")
                % {"day": _d(day_before)}
            }
        )
    indexation = TariffIndexation.objects.create(
        region=region,
        contract=contract,
        percentage=percentage,
        valid_from=valid_from,
        note=note,
        performed_by=user,
    )
    for version in current:
        until = version.valid_until  # a later end date carries over to the successor
        _close(version, day_before)
        TariffVersion.objects.create(
            region=region,
            product=version.product,
            contract=contract,
            valid_from=valid_from,
            valid_until=until,
            amount=indexed(version.amount, percentage),
            origin=TariffOrigin.INDEXATION,
            previous=version,
            indexation=indexation,
            note=note,
            created_by=user,
        )
    return indexation


def tariff_chain(version: TariffVersion) -> list[TariffVersion]:
    """The version and the ones it was derived from, oldest first (how it was set)."""
    chain = [version]
    while chain[-1].previous_id is not None and len(chain) < 100:
        chain.append(chain[-1].previous)
    return list(reversed(chain))


# ---------------------------------------------------------------- funding arrangements


#: the facility of an availability arrangement that names none (one location)
DEFAULT_FACILITY = "Hoofdlocatie"


def _facility_clash(
    contract: Contract, facility: str, valid_from: date, valid_until: date | None
) -> FundingArrangement | None:
    """An availability arrangement of the contract for the same facility (any case) whose
    validity overlaps ``valid_from`` – ``valid_until``."""
    return (
        contract.arrangements.filter(
            model=ArrangementModel.AVAILABILITY,
            facility__iexact=facility,
            valid_from__lte=valid_until or date.max,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
        .first()
    )


@transaction.atomic
def arrangement_create(
    *,
    contract: Contract,
    model: str,
    valid_from: date,
    products: Iterable[Product] = (),
    valid_until: date | None = None,
    **fields,
) -> FundingArrangement:
    contract = _locked(contract)
    products = list(products)
    errors: dict[str, list[str]] = {}
    last_day = contract.terminated_on or contract.final_end_date
    if valid_from < contract.start_date or (last_day and valid_from > last_day):
        errors.setdefault("valid_from", []).append(
            _("Een afspraak geldt binnen de looptijd van het contract (%(start)s – %(end)s).")
            % {"start": _d(contract.start_date), "end": _d(last_day) if last_day else "…"}
        )
    if valid_until is not None and valid_until < valid_from:
        errors.setdefault("valid_until", []).append(
            _("'Geldig tot en met' ligt vóór 'geldig vanaf'.")
        )
    elif valid_until is not None and last_day and valid_until > last_day:
        errors.setdefault("valid_until", []).append(
            _("Het contract loopt uiterlijk tot en met %(end)s.") % {"end": _d(last_day)}
        )
    allowed = UNITS_BY_MODEL[ArrangementModel(model)]
    for product in products:
        if product.region_id != contract.region_id:
            errors.setdefault("products", []).append(
                _("%(code)s hoort bij een andere regio.") % {"code": product.code}
            )
        elif product.unit not in allowed:
            errors.setdefault("products", []).append(
                _(
                    "%(code)s heeft eenheid %(unit)s; die past niet bij %(model)s "
                    "(toegestaan: %(allowed)s)."
                )
                % {
                    "code": product.code,
                    "unit": Unit(product.unit).label,
                    "model": ArrangementModel(model).label,
                    "allowed": ", ".join(sorted(str(Unit(u).label) for u in allowed)),
                }
            )
    if model in (ArrangementModel.PXQ, ArrangementModel.OUTPUT) and not products:
        errors.setdefault("products", []).append(
            _("Kies de producten die onder deze afspraak vallen.")
        )
    if model == ArrangementModel.AVAILABILITY:
        for name, label in (
            ("places", _("het aantal plaatsen")),
            ("place_fee", _("de vergoeding per plaats per maand")),
            ("occupancy_threshold_pct", _("de bezettingsdrempel")),
        ):
            value = fields.get(name)
            if value in (None, ""):
                errors.setdefault(name, []).append(_("Vul %(what)s in.") % {"what": label})
            elif value < 0 or (name == "places" and value < 1):
                errors.setdefault(name, []).append(_("Dit kan niet negatief of nul zijn."))
        threshold = fields.get("occupancy_threshold_pct")
        if threshold not in (None, "") and threshold > 100:
            errors.setdefault("occupancy_threshold_pct", []).append(
                _("Een bezettingsdrempel ligt tussen 0% en 100%.")
            )
    if model == ArrangementModel.AVAILABILITY:
        facility = " ".join(str(fields.get("facility") or "").split())
        if not facility:  # one facility: the arrangement's name, else the main location
            facility = (fields.get("name") or "").strip()[:100] or DEFAULT_FACILITY
        fields["facility"] = facility
        clash = _facility_clash(contract, facility, valid_from, valid_until)
        if clash is not None:
            errors.setdefault("facility", []).append(
                _(
                    "Voorziening '%(facility)s' heeft al een beschikbaarheidsafspraak in "
                    "dezelfde periode (%(other)s, %(start)s – %(end)s); kies een andere naam "
                    "of laat de afspraken niet overlappen."
                )
                % {
                    "facility": facility,
                    "other": clash,
                    "start": _d(clash.valid_from),
                    "end": _d(clash.valid_until) if clash.valid_until else "…",
                }
            )
    elif fields.get("facility"):
        errors.setdefault("facility", []).append(
            _("Een voorziening hoort alleen bij een beschikbaarheidsafspraak.")
        )
    # A product is paid under one arrangement at a time (task-based arrangements excepted).
    if model != ArrangementModel.TASK and products:
        others = (
            contract.arrangements.exclude(model=ArrangementModel.TASK)
            .filter(products__in=products, valid_from__lte=valid_until or date.max)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
        )
        for other in others.distinct():
            codes = sorted(p.code for p in other.products.all() if p in products)
            errors.setdefault("products", []).append(
                _("%(codes)s valt al onder '%(other)s' in dezelfde periode.")
                % {"codes": ", ".join(codes), "other": other}
            )
    if errors:
        raise ValidationError(errors)
    arrangement = FundingArrangement(
        contract=contract, model=model, valid_from=valid_from, valid_until=valid_until, **fields
    )
    arrangement.full_clean()
    arrangement.save()
    arrangement.products.set(products)
    return arrangement


# ---------------------------------------------------------------- KPI agreements

KPI_AGREEMENT_FIELDS = ("kpi", "direction", "norm", "amber_threshold", "red_threshold", "note")


def _kpi_agreement_store(agreement: KpiAgreement) -> KpiAgreement:
    others = KpiAgreement.objects.filter(contract_id=agreement.contract_id, kpi=agreement.kpi)
    if agreement.pk:
        others = others.exclude(pk=agreement.pk)
    if others.exists():
        raise ValidationError(
            {"kpi": _("Voor deze KPI bestaat al een afspraak in dit contract; wijzig die.")}
        )
    agreement.full_clean()
    agreement.save()
    return agreement


def kpi_agreement_create(
    *,
    contract: Contract,
    kpi: str,
    norm: Decimal,
    amber_threshold: Decimal,
    red_threshold: Decimal,
    direction: str | None = None,
    note: str = "",
    user=None,
) -> KpiAgreement:
    """A KPI agreed in the contract: one per KPI, thresholds on the right side of the norm.
    Sends ``kpi_agreement_changed`` (monitoring judges the region's months again)."""
    agreement = KpiAgreement(
        contract=contract,
        kpi=kpi,
        norm=norm,
        amber_threshold=amber_threshold,
        red_threshold=red_threshold,
        note=note.strip(),
    )
    if direction:
        agreement.direction = direction
    with transaction.atomic():
        _kpi_agreement_store(agreement)
        kpi_agreement_changed.send(
            sender=KpiAgreement, agreement=agreement, action="created", user=user
        )
        return agreement


def kpi_agreement_update(*, agreement: KpiAgreement, user=None, **fields) -> KpiAgreement:
    """Change the norm, thresholds, direction, KPI or note of an agreement; sends
    ``kpi_agreement_changed``."""
    unknown = set(fields) - set(KPI_AGREEMENT_FIELDS)
    if unknown:
        raise TypeError(f"kpi_agreement_update: unknown fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(agreement, name, value.strip() if name == "note" else value)
    with transaction.atomic():
        _kpi_agreement_store(agreement)
        kpi_agreement_changed.send(
            sender=KpiAgreement, agreement=agreement, action="updated", user=user
        )
        return agreement


def kpi_agreement_delete(*, agreement: KpiAgreement, user=None) -> None:
    """Remove an agreement; its history stays in the audit log. Sends
    ``kpi_agreement_changed``."""
    with transaction.atomic():
        agreement.delete()
        kpi_agreement_changed.send(
            sender=KpiAgreement, agreement=agreement, action="deleted", user=user
        )


# ---------------------------------------------------------------- budgets


def _last_year(contract: Contract) -> int:
    if contract.terminated_on is not None:
        return contract.terminated_on.year
    return (contract.final_end_date or contract.end_date or contract.start_date).year


def _check_year(contract: Contract, year: int) -> None:
    last = _last_year(contract)
    if not contract.start_date.year <= year <= last:
        raise ValidationError(
            {
                "year": _(
                    "Het contract loopt van %(first)s tot en met %(last)s; een budget voor "
                    "%(year)s valt daarbuiten."
                )
                % {"first": contract.start_date.year, "last": last, "year": year}
            }
        )


@transaction.atomic
def budget_set(
    *,
    contract: Contract,
    year: int,
    kind: str,
    amount: Decimal,
    support_profile=None,
    note: str = "",
) -> Budget:
    contract = _locked(contract)
    _check_year(contract, year)
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("Een budget kan niet negatief zijn.")})
    if support_profile is not None:
        if kind != BudgetKind.CEILING:
            raise ValidationError(
                {"support_profile": _("Alleen een plafond kan per profiel gelden.")}
            )
        if support_profile.region_id != contract.region_id:
            raise ValidationError({"support_profile": _("Dit profiel hoort bij een andere regio.")})
    if Budget.objects.filter(
        contract=contract, year=year, kind=kind, support_profile=support_profile
    ).exists():
        raise ValidationError(
            {
                "year": _(
                    "Voor %(year)s bestaat dit budget al; herijk het met een reden in plaats "
                    "van het te vervangen."
                )
                % {"year": year}
            }
        )
    return Budget.objects.create(
        contract=contract,
        year=year,
        kind=kind,
        amount=amount,
        support_profile=support_profile,
        note=note,
    )


@transaction.atomic
def budget_revise(
    *, budget: Budget, effective_on: date, amount: Decimal, reason: str, user=None
) -> BudgetRevision:
    """A recalibration (herijking): the new amount from a date, with the reason."""
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Geef de reden van de herijking.")
    if amount is None or amount < 0:
        errors["amount"] = _("Een budget kan niet negatief zijn.")
    contract = budget.contract
    if contract.terminated_on is not None and effective_on > contract.terminated_on:
        errors["effective_on"] = _("Het contract is per %(day)s beëindigd.") % {
            "day": _d(contract.terminated_on)
        }
    elif effective_on.year != budget.year:
        errors["effective_on"] = _("Een herijking van het budget %(year)s gaat in dat jaar in.") % {
            "year": budget.year
        }
    if errors:
        raise ValidationError(errors)
    return BudgetRevision.objects.create(
        budget=budget,
        effective_on=effective_on,
        amount=amount,
        reason=reason.strip(),
        recorded_by=user,
    )


@transaction.atomic
def lumpsum_plan(
    *,
    arrangement: FundingArrangement,
    base_amount: Decimal,
    base_year: int,
    decrease_pct: Decimal,
) -> list[Budget]:
    """Lumpsum budgets for every contract year from ``base_year``, decreasing by a yearly
    percentage (afnemende lumpsum)."""
    contract = _locked(arrangement.contract)
    if arrangement.model != ArrangementModel.TASK:
        raise ValidationError(_("Een lumpsum hoort bij een taakgerichte afspraak."))
    if base_amount is None or base_amount < 0:
        raise ValidationError({"base_amount": _("Een budget kan niet negatief zijn.")})
    if decrease_pct < 0 or decrease_pct >= 50:
        raise ValidationError({"decrease_pct": _("De jaarlijkse afname ligt tussen 0% en 50%.")})
    _check_year(contract, base_year)
    last = _last_year(contract)
    amounts = decreasing_lumpsum(base_amount, base_year, decrease_pct, last - base_year + 1)
    existing = set(
        contract.budgets.filter(kind=BudgetKind.LUMPSUM, year__in=amounts).values_list(
            "year", flat=True
        )
    )
    if existing:
        raise ValidationError(
            {
                "base_year": _("Er bestaat al een lumpsum voor %(years)s; herijk die.")
                % {"years": ", ".join(str(y) for y in sorted(existing))}
            }
        )
    FundingArrangement.objects.filter(pk=arrangement.pk).update(lumpsum_decrease_pct=decrease_pct)
    arrangement.lumpsum_decrease_pct = decrease_pct
    note = _("Afnemende lumpsum: %(base)s in %(year)s, %(pct)s minder per jaar.") % {
        "base": euro(base_amount),
        "year": base_year,
        "pct": percent(decrease_pct),
    }
    return [
        Budget.objects.create(
            contract=contract, year=year, kind=BudgetKind.LUMPSUM, amount=amount, note=note
        )
        for year, amount in sorted(amounts.items())
    ]


# ---------------------------------------------------------------- procurement-effect scenarios

SCENARIO_FIELDS = (
    "name",
    "description",
    "segment",
    "model",
    "output_payment",
    "regional_amount",
    "year",
    "first_month",
    "last_month",
)


def _scenario_rows(scenario: EffectScenario, rows: Iterable[Mapping]) -> list[EffectScenarioPrice]:
    """The parameter rows as unsaved objects; a row that names nothing or twice the same
    subject is refused with its number."""
    region_id = scenario.region_id
    objects, seen, errors = [], set(), []
    for number, row in enumerate(rows, start=1):
        product, profile = row.get("product"), row.get("support_profile")
        provider, intensity = row.get("provider"), row.get("intensity")
        amount, places = row.get("amount"), row.get("places")
        subjects = [x for x in (product, profile, provider) if x is not None]
        if len(subjects) != 1:
            errors.append(
                _("Rij %(n)s: kies één product, één profiel of één aanbieder.") % {"n": number}
            )
            continue
        subject = subjects[0]
        if subject.region_id != region_id or (
            intensity is not None and intensity.region_id != region_id
        ):
            errors.append(_("Rij %(n)s: hoort bij een andere regio.") % {"n": number})
            continue
        key = (type(subject).__name__, subject.pk, intensity.pk if intensity else None)
        if key in seen:
            errors.append(
                _("Rij %(n)s: %(subject)s staat er twee keer in.")
                % {"n": number, "subject": subject}
            )
            continue
        seen.add(key)
        if amount is None:
            errors.append(
                _("Rij %(n)s (%(subject)s): vul het bedrag in.") % {"n": number, "subject": subject}
            )
            continue
        if amount < 0:
            errors.append(
                _("Rij %(n)s (%(subject)s): het bedrag is negatief.")
                % {"n": number, "subject": subject}
            )
            continue
        objects.append(
            EffectScenarioPrice(
                scenario=scenario,
                product=product,
                support_profile=profile,
                intensity=intensity if profile is not None else None,
                provider=provider,
                amount=amount,
                places=places,
            )
        )
    if errors:
        raise ValidationError({"prices": errors})
    return objects


def _scenario_check(
    scenario: EffectScenario, products: list[Product], rows: list[EffectScenarioPrice]
) -> None:
    """The parameters the model needs, for the production the scenario covers: every product
    with production in the period has a price (output, PxQ, availability), every provider with
    production has an amount (task-based, unless one regional sum) or places and a fee
    (availability). All problems at once; the messages name the products and providers."""
    from . import selectors
    from .scenarios import Alternative, products_with_production, providers_with_production
    from .settlement import Period

    errors: dict[str, list[str]] = {}
    if not scenario.name.strip():
        errors.setdefault("name", []).append(_("Geef het scenario een naam."))
    elif (
        EffectScenario.objects.filter(region=scenario.region, name=scenario.name.strip())
        .exclude(pk=scenario.pk)
        .exists()
    ):
        errors.setdefault("name", []).append(
            _("Er is al een scenario met deze naam in deze regio.")
        )
    if (scenario.segment is None) == (not products):
        errors.setdefault("segment", []).append(
            _("Kies een segment of kies producten (niet allebei).")
        )
    if scenario.segment is not None and scenario.segment.region_id != scenario.region_id:
        errors.setdefault("segment", []).append(_("Dit segment hoort bij een andere regio."))
    if any(p.region_id != scenario.region_id for p in products):
        errors.setdefault("products", []).append(_("Een product hoort bij een andere regio."))
    if not (1 <= scenario.first_month <= scenario.last_month <= 12):
        errors.setdefault("last_month", []).append(
            _("De laatste maand ligt vóór de eerste; een periode valt binnen één jaar.")
        )
    if scenario.model not in ArrangementModel.values:
        errors.setdefault("model", []).append(_("Kies een bekostigingsvorm."))
    if errors:
        raise ValidationError(errors)

    model = scenario.model
    product_rows = [r for r in rows if r.product is not None]
    profile_rows = [r for r in rows if r.support_profile is not None]
    provider_rows = [r for r in rows if r.provider is not None]
    if model in (ArrangementModel.PXQ, ArrangementModel.AVAILABILITY) and profile_rows:
        errors.setdefault("prices", []).append(
            _("Een prijs per profiel × intensiteit hoort alleen bij outputgerichte bekostiging.")
        )
    if model in (ArrangementModel.PXQ, ArrangementModel.OUTPUT) and provider_rows:
        errors.setdefault("prices", []).append(
            _("Bedragen per aanbieder horen bij taakgerichte bekostiging of beschikbaarheid.")
        )
    if model == ArrangementModel.TASK and (product_rows or profile_rows):
        errors.setdefault("prices", []).append(
            _("Taakgerichte bekostiging heeft bedragen per aanbieder, geen prijzen per product.")
        )
    if model == ArrangementModel.TASK and scenario.regional_amount is not None and provider_rows:
        errors.setdefault("regional_amount", []).append(
            _("Kies één regionaal bedrag of bedragen per aanbieder, niet allebei.")
        )
    if model == ArrangementModel.AVAILABILITY:
        for row in provider_rows:
            if not row.places or row.places < 1:
                errors.setdefault("prices", []).append(
                    _("%(provider)s: vul het aantal plaatsen in (ten minste 1).")
                    % {"provider": row.provider}
                )
    if errors:
        raise ValidationError(errors)

    period = Period.months(scenario.year, scenario.first_month, scenario.last_month)
    contracts = selectors.scenario_contracts(
        Contract.objects.filter(region=scenario.region),
        period,
        segment=scenario.segment,
        products=products or None,
    )
    pairs = selectors.scenario_pairs(contracts, period)
    codes = frozenset(p.code for p in products) if products else None
    if model in (ArrangementModel.PXQ, ArrangementModel.OUTPUT, ArrangementModel.AVAILABILITY):
        alternative = Alternative(
            model=model,
            prices={r.product.code: r.amount for r in product_rows},
            profile_prices={
                (r.support_profile.number, r.intensity.name if r.intensity else ""): r.amount
                for r in profile_rows
            },
        )
        found = products_with_production(pairs, period, codes)
        missing = sorted(
            code for code, product in found.items() if alternative.price_for(product) is None
        )
        if missing:
            names = ", ".join(f"{code} ({found[code].name})" for code in missing)
            errors.setdefault("prices", []).append(
                ngettext(
                    "Geen prijs voor het product met productie in %(period)s: %(products)s. "
                    "Vul een prijs in; er is niets opgeslagen.",
                    "Geen prijs voor de producten met productie in %(period)s: %(products)s. "
                    "Vul voor elk een prijs in; er is niets opgeslagen.",
                    len(missing),
                )
                % {"period": period.label(), "products": names}
            )
    if (
        model == ArrangementModel.TASK
        and scenario.regional_amount is None
        or (model == ArrangementModel.AVAILABILITY)
    ):
        given = {r.provider.name for r in provider_rows}
        missing = sorted(providers_with_production(pairs, period, codes) - given)
        if missing:
            message = (
                _("Geen lumpsum voor de aanbieders met productie in %(period)s: %(providers)s.")
                if model == ArrangementModel.TASK
                else _(
                    "Geen plaatsen en vergoeding voor de aanbieders met productie in "
                    "%(period)s: %(providers)s."
                )
            )
            errors.setdefault("prices", []).append(
                message % {"period": period.label(), "providers": ", ".join(missing)}
            )
    if errors:
        raise ValidationError(errors)


def _scenario_store(
    scenario: EffectScenario, products: Iterable[Product], prices: Iterable[Mapping]
) -> EffectScenario:
    products = list(products)
    scenario.name = scenario.name.strip()
    scenario.description = scenario.description.strip()
    if scenario.model != ArrangementModel.TASK:
        scenario.regional_amount = None
    if scenario.segment is not None:
        products = []
    rows = _scenario_rows(scenario, prices)
    _scenario_check(scenario, products, rows)
    scenario.full_clean(exclude=["products"])
    scenario.save()
    scenario.products.set(products)
    scenario.prices.all().delete()
    for row in rows:
        row.scenario = scenario
        row.save()
    return scenario


@transaction.atomic
def effect_scenario_create(
    *,
    region,
    name: str,
    model: str,
    year: int,
    first_month: int = 1,
    last_month: int = 12,
    segment=None,
    products: Iterable[Product] = (),
    prices: Iterable[Mapping] = (),
    description: str = "",
    output_payment: str = "start",
    regional_amount: Decimal | None = None,
    user=None,
) -> EffectScenario:
    """A named procurement-effect scenario under another funding model. Refused (nothing
    saved) when the production it covers lacks a price or amount."""
    scenario = EffectScenario(
        region=region,
        name=name,
        description=description,
        segment=segment,
        model=model,
        output_payment=output_payment,
        regional_amount=regional_amount,
        year=year,
        first_month=first_month,
        last_month=last_month,
        created_by=user,
    )
    return _scenario_store(scenario, products, prices)


@transaction.atomic
def effect_scenario_update(
    *,
    scenario: EffectScenario,
    products: Iterable[Product] | None = None,
    prices: Iterable[Mapping] | None = None,
    **fields,
) -> EffectScenario:
    """Change a scenario's name, scope, model, period or parameters (the rows are replaced)."""
    unknown = set(fields) - set(SCENARIO_FIELDS)
    if unknown:
        raise TypeError(f"effect_scenario_update: unknown fields {sorted(unknown)}")
    scenario = EffectScenario.objects.select_for_update().get(pk=scenario.pk)
    if products is None:
        products = list(scenario.products.all())
    if prices is None:
        prices = [
            {
                "product": r.product,
                "support_profile": r.support_profile,
                "intensity": r.intensity,
                "provider": r.provider,
                "amount": r.amount,
                "places": r.places,
            }
            for r in scenario.prices.select_related(
                "product", "support_profile", "intensity", "provider"
            )
        ]
    for name, value in fields.items():
        setattr(scenario, name, value)
    return _scenario_store(scenario, products, prices)


@transaction.atomic
def effect_scenario_delete(*, scenario: EffectScenario) -> None:
    """Remove a scenario and its rows; the history stays in the audit log."""
    scenario.prices.all().delete()
    scenario.delete()
