"""Checking every record of an import file, one record at a time, without the database.

:func:`make_checker` returns a function that takes ``(row, values)`` and returns the record as a
tuple ready for the staging table (``STAGE_FIELDS``), with the BSN already replaced by its
pseudonym; every problem goes to :class:`Errors` with the row, the column and a message that
says what is wrong and what would be right. The lookups (contracts, products, municipalities of
the region) are loaded once; parsing results are cached per distinct text, so a file of a
million lines costs a million dictionary look-ups rather than a million date parses and HMACs.

Checks that need other lines (a reference twice in the file, a reference already imported, a
correction of a line that does not exist) are set-based and run in SQL on the staging table
(:mod:`.load`).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from contracts.codes import ArrangementModel
from contracts.models import Contract, FundingArrangement
from contracts.terms import add_years
from core.ui.formatting import add_months, euro, format_date
from monitoring.imports.formats import (
    MAX_AMOUNT,
    MAX_PER_MONTH,
    MAX_PLACES,
    ascii_digits,
    clean_text,
)
from monitoring.imports.models import (
    DatasetKind,
    EndReason,
    MeasurementKind,
    OutcomeMoment,
    Referrer,
    ValueType,
)
from monitoring.imports.pseudonym import is_valid_bsn, normalise_bsn, pseudonymise
from providers.models import Provider
from segments.codes import Unit
from segments.models import Municipality, Product

MAX_REFERENCE = 64
ERROR_LIMIT = 1000
#: a stored message is cut here (a message quotes values, and a value may be a megabyte)
MAX_MESSAGE = 1000
_CACHE_LIMIT = 500_000

#: the model fields of each kind, in the order a checked record carries them after the common
#: part (row, contract_id, reference, corrects, bad)
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    DatasetKind.DECLARATIONS: (
        "municipality",
        "client_key",
        "product",
        "month",
        "quantity",
        "unit",
        "amount",
    ),
    DatasetKind.TRAJECTORIES: (
        "municipality",
        "client_key",
        "product",
        "started_on",
        "ended_on",
        "end_reason",
    ),
    DatasetKind.ALLOCATIONS: ("municipality", "client_key", "product", "start", "end"),
    DatasetKind.REFERRALS: ("municipality", "client_key", "referred_on", "referrer"),
    DatasetKind.OUTCOMES: (
        "municipality",
        "client_key",
        "moment",
        "measured_on",
        "goal_realisation",
        "client_experience",
        "measurement_kind",
        "measurement_value",
    ),
    DatasetKind.OCCUPANCY: ("facility", "arrangement", "month", "places", "occupied_days"),
}

#: the import column each model field comes from (for messages about differences)
FIELD_COLUMNS = {
    "corrects": "corrigeert",
    "municipality": "gemeente",
    "client_key": "bsn",
    "product": "product",
    "month": "maand",
    "quantity": "aantal",
    "unit": "eenheid",
    "amount": "bedrag",
    "started_on": "start",
    "ended_on": "einde",
    "end_reason": "reden_einde",
    "start": "ingang",
    "end": "einde",
    "referred_on": "datum",
    "referrer": "verwijzer",
    "moment": "moment",
    "measured_on": "datum",
    "goal_realisation": "doelrealisatie",
    "client_experience": "clientervaring",
    "measurement_kind": "meting",
    "measurement_value": "waarde",
    "places": "plaatsen",
    "occupied_days": "bezette_dagen",
    "facility": "voorziening",
    "arrangement": "voorziening",
}

#: the (from, until) fields of each kind that say which period a line is about
SPAN_FIELDS = {
    DatasetKind.DECLARATIONS: ("month", "month"),
    DatasetKind.OCCUPANCY: ("month", "month"),
    DatasetKind.TRAJECTORIES: ("started_on", "ended_on"),
    DatasetKind.ALLOCATIONS: ("start", "end"),
    DatasetKind.REFERRALS: ("referred_on", "referred_on"),
    DatasetKind.OUTCOMES: ("measured_on", "measured_on"),
}

UNIT_PLURAL = {
    Unit.MINUTE: "minuten",
    Unit.HOUR: "uur",
    Unit.ETMAAL: "etmalen",
    Unit.DAGDEEL: "dagdelen",
    Unit.PIECES_OUTPUT: "stuks (output)",
    Unit.EUROS: "euro",
    Unit.PIECES_EFFORT: "stuks (inspanning)",
    Unit.KILOMETRE: "kilometer",
}
UNIT_LABELS = {value: str(label) for value, label in Unit.choices}


class Errors:
    """Every problem found, counted; the first ``ERROR_LIMIT`` kept as row, column, message."""

    def __init__(self, limit: int = ERROR_LIMIT):
        self.limit = limit
        self.items: list[dict] = []
        self.count = 0
        #: ``locate(row, column) -> column``: a source whose rows are not lines of a file (iJw
        #: messages) says where a row's value is (file · message · element path)
        self.locate = None

    def add(self, row: int, column: str, message) -> None:
        """The one place an error is recorded: its column and message never hold a BSN
        (:func:`mask_bsns`) nor a control character (:func:`~.formats.clean_text`; PostgreSQL
        refuses U+0000 in jsonb, and the batch must always be able to save its report)."""
        self.count += 1
        if len(self.items) < self.limit:
            if self.locate is not None and row:
                column = self.locate(row, column)
            self.items.append(
                {"row": row, "column": safe_text(column), "message": safe_text(message)}
            )

    def __bool__(self) -> bool:
        return self.count > 0


# --- the region's reference data ----------------------------------------------------------------


@dataclass(frozen=True)
class ContractInfo:
    id: int
    reference: str
    start: date
    last: date | None  # terminated_on, else the end after all options
    products: frozenset[int] | None  # None: the arrangements name no products
    provider_id: int | None = None
    #: the municipalities the contract applies to; None: every municipality of the region
    municipalities: frozenset[int] | None = None

    def applies_in(self, municipality_id: int) -> bool:
        return self.municipalities is None or municipality_id in self.municipalities

    @property
    def period(self) -> str:
        end = format_date(self.last) if self.last else "…"
        return f"{format_date(self.start)} – {end}"


@dataclass(frozen=True)
class FacilityInfo:
    """An availability arrangement of a contract: one facility with its places."""

    arrangement_id: int
    name: str
    places: int
    valid_from: date
    valid_until: date | None

    def runs_in(self, month: date) -> bool:
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        return self.valid_from <= last and (self.valid_until is None or self.valid_until >= month)


@dataclass(frozen=True)
class ProductInfo:
    id: int
    code: str
    unit: str


@dataclass(frozen=True)
class KindInfo:
    id: int
    code: str
    yes_no: bool
    minimum: Decimal | None
    maximum: Decimal | None


@dataclass
class Lookups:
    region_name: str
    contracts: dict[str, ContractInfo]
    contracts_by_id: dict[int, ContractInfo]
    products: dict[str, ProductInfo]
    products_by_id: dict[int, ProductInfo]
    municipalities: dict[str, int]
    measurement_kinds: dict[str, KindInfo] = field(default_factory=dict)
    #: a delivery by one provider (API client or portal): its name, for the refusal of a
    #: contract that is not its own
    provider_name: str = ""
    #: {contract id: its availability arrangements (facilities)}
    facilities: dict[int, tuple[FacilityInfo, ...]] = field(default_factory=dict)
    #: {AGB code: (provider id, name)} of the providers with a contract here (iJw messages
    #: name the provider by its AGB code, not the contract)
    agb_codes: dict[str, tuple[int, str]] = field(default_factory=dict)
    region_id: int | None = None
    #: {municipality id: name}, for the refusal of a line outside a contract's municipalities
    municipality_names: dict[int, str] = field(default_factory=dict)

    def scope_message(self, contract: ContractInfo, municipality_id: int) -> str:
        """Why a line of ``municipality_id`` does not belong to ``contract``."""
        names = self.municipality_names
        return scope_message(
            contract.reference,
            names.get(municipality_id, str(municipality_id)),
            sorted(names.get(m, str(m)) for m in contract.municipalities or ()),
        )

    def contracts_of(self, provider_id: int) -> list[ContractInfo]:
        """The contracts of one provider (for iJw messages, which name no contract)."""
        by_provider = self.__dict__.get("_by_provider")
        if by_provider is None:
            by_provider = {}
            for info in self.contracts.values():
                by_provider.setdefault(info.provider_id, []).append(info)
            self.__dict__["_by_provider"] = by_provider
        return by_provider.get(provider_id, [])

    def facilities_in(self, contract_id: int, month: date) -> list[FacilityInfo]:
        """The contract's facilities with an availability arrangement in ``month``; per
        facility name the arrangement that starts last (as settlement picks)."""
        found: dict[str, FacilityInfo] = {}
        for f in self.facilities.get(contract_id, ()):
            if f.runs_in(month):
                key = f.name.casefold()
                if key not in found or f.valid_from >= found[key].valid_from:
                    found[key] = f
        return sorted(found.values(), key=lambda f: f.name.casefold())

    @classmethod
    def for_region(cls, region, provider_id: int | None = None) -> Lookups:
        """The region's contracts, products and municipalities; with ``provider_id`` only that
        provider's contracts (a delivery by a provider's API client)."""
        covered: dict[int, set[int]] = {}
        through = FundingArrangement.products.through
        for contract_id, product_id in through.objects.filter(
            fundingarrangement__contract__region=region
        ).values_list("fundingarrangement__contract_id", "product_id"):
            covered.setdefault(contract_id, set()).add(product_id)
        contracts = {}
        own = Contract.objects.filter(region=region)
        scopes: dict[int, set[int]] = {}
        for contract_id, municipality_id in Contract.municipalities.through.objects.filter(
            contract__region=region
        ).values_list("contract_id", "municipality_id"):
            scopes.setdefault(contract_id, set()).add(municipality_id)
        provider_name = ""
        if provider_id is not None:
            own = own.filter(provider_id=provider_id)
            provider_name = (
                Provider.objects.filter(pk=provider_id).values_list("name", flat=True).first() or ""
            )
        agb_codes: dict[str, tuple[int, str]] = {}
        for (
            pk,
            reference,
            start,
            terminated_on,
            final_end,
            end,
            contract_provider,
            agb,
            name,
        ) in own.values_list(
            "pk",
            "reference",
            "start_date",
            "terminated_on",
            "final_end_date",
            "end_date",
            "provider_id",
            "provider__agb_code",
            "provider__name",
        ):
            products = covered.get(pk)
            contracts[reference] = ContractInfo(
                id=pk,
                reference=reference,
                start=start,
                last=terminated_on or final_end or end,
                products=frozenset(products) if products else None,
                provider_id=contract_provider,
                municipalities=frozenset(scopes[pk]) if pk in scopes else None,
            )
            if agb:
                agb_codes[agb] = (contract_provider, name)
        products = {
            code: ProductInfo(pk, code, unit)
            for pk, code, unit in Product.objects.filter(region=region).values_list(
                "pk", "code", "unit"
            )
        }
        facilities: dict[int, list[FacilityInfo]] = {}
        for pk, contract_id, name, places, valid_from, valid_until in (
            FundingArrangement.objects.filter(
                contract__in=[c.id for c in contracts.values()], model=ArrangementModel.AVAILABILITY
            )
            .order_by("valid_from", "pk")
            .values_list("pk", "contract_id", "facility", "places", "valid_from", "valid_until")
        ):
            facilities.setdefault(contract_id, []).append(
                FacilityInfo(pk, name, places or 0, valid_from, valid_until)
            )
        return cls(
            agb_codes=agb_codes,
            region_id=region.pk,
            facilities={k: tuple(v) for k, v in facilities.items()},
            region_name=region.name,
            provider_name=provider_name,
            contracts=contracts,
            contracts_by_id={c.id: c for c in contracts.values()},
            products=products,
            products_by_id={p.id: p for p in products.values()},
            municipalities=dict(
                Municipality.objects.filter(region=region).values_list("cbs_code", "pk")
            ),
            municipality_names=dict(
                Municipality.objects.filter(region=region).values_list("pk", "name")
            )
            if scopes
            else {},
            measurement_kinds={
                code: KindInfo(pk, code, value_type == ValueType.YES_NO, low, high)
                for pk, code, value_type, low, high in MeasurementKind.objects.filter(
                    region=region
                ).values_list("pk", "code", "value_type", "minimum", "maximum")
            },
        )


def scope_message(contract: str, municipality: str, scope: list[str]) -> str:
    """The refusal of a line for a municipality outside the contract's municipalities (the
    per-row check and the check after the import's lock say the same)."""
    return _(
        "Gemeente %(name)s valt buiten contract %(contract)s: dat contract geldt alleen voor "
        "%(scope)s."
    ) % {"name": municipality, "contract": contract, "scope": ", ".join(scope)}


# --- parsing ------------------------------------------------------------------------------------


def _month_text(month: date) -> str:
    return month.strftime("%Y-%m")


def nl_number(value: Decimal | int) -> str:
    """``44640`` → ``44.640``, ``12.5`` → ``12,5`` (Dutch notation, no trailing zeros)."""
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
        text = f"{value:,f}"
    else:
        text = f"{value:,}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


#: 8 or 9 digits of any script (fullwidth, Arabic-Indic, …), perhaps grouped with single spaces
#: or dots as people write a BSN (``123 456 782``, ``123.456.782``); not part of a longer run of
#: digits (a comma before or after does not protect it: a file without header quotes whole lines)
_BSN_LIKE = re.compile(r"(?<!\d)\d(?:[ .]?\d){7,8}(?!\d)")


def _as_ascii(digits: str) -> str:
    return "".join(str(unicodedata.digit(c)) for c in digits if c.isdigit())


def looks_like_bsn(text: str) -> bool:
    """Nine digits (any script), or eight that pass the eleven-test with the leading zero a
    spreadsheet drops. Nine digits that fail it may still be a BSN with a typing error; eight
    that fail it are not a BSN (and are often an AGB code, which a message must name)."""
    digits = _as_ascii(text)
    return len(digits) == 9 or (len(digits) == 8 and is_valid_bsn("0" + digits))


def mask_bsns(message: str) -> str:
    """A message quotes values from the file; a number that looks like a BSN (a BSN in the
    wrong column, a file without header, a fullwidth BSN) is masked to its last four digits, so
    that no error (kept on the batch, shown, downloaded, answered by the API) holds one."""

    def masked(match):
        text = match.group(0)
        return mask_bsn(text) if looks_like_bsn(text) else text

    return _BSN_LIKE.sub(masked, message)


def safe_text(message, limit: int = MAX_MESSAGE) -> str:
    """A message or column as it may be stored, shown and downloaded: no BSN, no control
    character, not longer than ``limit``."""
    text = clean_text(mask_bsns(str(message)))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def mask_bsn(value: str) -> str:
    """Never the whole number in a message: ``123456782`` → ``****6782``."""
    digits = [c for c in value.strip() if c.isdigit()]
    if len(digits) >= 4:
        return "****" + "".join(digits[-4:])
    return "****"


#: only the digits 0-9: ``\d`` and ``Decimal`` also take fullwidth and Arabic-Indic digits
_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")
_THOUSANDS = re.compile(r"-?[0-9]{1,3}(?:[.,][0-9]{3})+(?:[.,][0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_BAD = object()
#: the answers a yes/no measurement takes
YES_NO = {
    "ja": Decimal(1),
    "j": Decimal(1),
    "1": Decimal(1),
    "yes": Decimal(1),
    "nee": Decimal(0),
    "n": Decimal(0),
    "0": Decimal(0),
    "no": Decimal(0),
}


def _number_message(raw: str) -> str:
    if _THOUSANDS.fullmatch(raw) and raw.count(".") + raw.count(",") > 1:
        return _(
            "'%(value)s' is geen getal: gebruik geen scheidingsteken voor duizendtallen, alleen "
            "een komma of punt voor decimalen (bijvoorbeeld 1234,50)."
        ) % {"value": raw}
    return _(
        "'%(value)s' is geen getal; gebruik cijfers met een komma of punt als decimaalteken "
        "(bijvoorbeeld 12,5)."
    ) % {"value": raw}


class Parser:
    """Parsing with a cache per distinct text; results are values, or a message string in
    ``.problem`` (returned as ``_BAD``)."""

    def __init__(self):
        self._dates: dict[str, date | str] = {}
        self._months: dict[str, date | str] = {}
        self._decimals: dict[tuple[str, int], Decimal | str] = {}

    def date(self, raw: str) -> date | str:
        hit = self._dates.get(raw)
        if hit is None:
            hit = self._dates[raw] = self._parse_date(raw)
        return hit

    @staticmethod
    def _parse_date(raw: str) -> date | str:
        text = raw.strip()
        if _DATE.fullmatch(text):  # fromisoformat alone also reads week dates (2026-W10-1)
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
        return _(
            "'%(value)s' is geen geldige datum; gebruik JJJJ-MM-DD, bijvoorbeeld 2026-03-31."
        ) % {"value": raw}

    def month(self, raw: str) -> date | str:
        hit = self._months.get(raw)
        if hit is None:
            hit = self._months[raw] = self._parse_month(raw)
        return hit

    @staticmethod
    def _parse_month(raw: str) -> date | str:
        text = raw.strip()
        if len(text) == 10 and text.endswith("-01"):
            text = text[:7]
        if len(text) == 7 and text[4] == "-" and ascii_digits(text[:4]) and ascii_digits(text[5:]):
            year, month = int(text[:4]), int(text[5:])
            if 1 <= month <= 12 and year >= 1900:
                return date(year, month, 1)
        return _("'%(value)s' is geen geldige maand; gebruik JJJJ-MM, bijvoorbeeld 2026-03.") % {
            "value": raw
        }

    def decimal(self, raw: str, places: int) -> Decimal | str:
        key = (raw, places)
        hit = self._decimals.get(key)
        if hit is None:
            hit = self._parse_decimal(raw, places)
            if len(self._decimals) >= _CACHE_LIMIT:
                self._decimals.clear()
            self._decimals[key] = hit
        return hit

    @staticmethod
    def _parse_decimal(raw: str, places: int) -> Decimal | str:
        text = raw.strip()
        if not _NUMBER.fullmatch(text):
            return _number_message(text)
        try:
            value = Decimal(text.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern rules this out
            return _number_message(text)
        if -value.as_tuple().exponent > places:
            if places == 0:
                return _("'%(value)s' is geen geheel getal.") % {"value": text}
            return _("'%(value)s' heeft te veel decimalen: hoogstens %(places)s.") % {
                "value": text,
                "places": places,
            }
        return value


def _code(raw: str) -> str:
    """A code as the lists write it: a spreadsheet's ``4`` is ``04``."""
    text = raw.strip()
    if len(text) == 1 and ascii_digits(text):
        return "0" + text
    return text


def _municipality_code(raw: str) -> str:
    text = raw.strip().upper()
    if ascii_digits(text) and len(text) <= 4:
        return "GM" + text.zfill(4)
    return text


def _is_the_bsn(raw_bsn: str, reference: str, corrects: str) -> bool:
    """Whether the reference or the corrected reference is the line's own BSN (columns
    swapped, or a BSN used as the line's id). Cheap for the usual reference: a BSN has at most
    eleven characters (``123.456.782``)."""
    for text in (reference, corrects):
        if text and len(text) <= 13 and text[-1:].isdigit():
            bsn = normalise_bsn(raw_bsn)
            if bsn and normalise_bsn(text) == bsn:
                return True
    return False


def _codes(values) -> str:
    return ", ".join(values)


# --- the checker --------------------------------------------------------------------------------


def make_checker(kind: str, lookups: Lookups, errors: Errors):
    """``check(row, values) -> tuple | None`` for one kind of data.

    The tuple is ``(row, contract_id, reference, corrects, bad, *KIND_FIELDS[kind])``; with
    ``bad`` true the fields are ``None`` (the line is staged only so that checks across lines
    still see its reference). ``None``: not even the contract or the reference is usable."""
    parser = Parser()
    add = errors.add
    contracts = lookups.contracts
    products = lookups.products
    municipalities = lookups.municipalities
    region_name = lookups.region_name
    provider_name = lookups.provider_name
    bsn_cache: dict[str, tuple[str | None, str]] = {}
    municipality_cache: dict[str, int | str] = {}
    # the fast path: only values that passed every check go in these
    valid_keys: dict[str, str] = {}  # raw BSN → pseudonym
    valid_amounts: dict[str, Decimal] = {}  # raw text → value ≥ 0 with at most 2 decimals
    valid_context: dict[tuple, tuple] = {}  # declaration (contract, gemeente, product, maand,
    # eenheid) → (contract_id, municipality_id, product_id, month, unit, maximum quantity)
    width = len(KIND_FIELDS[kind])
    nothing = (None,) * width
    has_bsn = "client_key" in KIND_FIELDS[kind]

    def empty(row, column):
        add(row, column, _("Kolom %(column)s is leeg; die is verplicht.") % {"column": column})

    def common(row, v):
        """(contract info, reference, corrects, ok) from the first three columns."""
        ok = True
        reference = v[0].strip()
        if not reference:
            empty(row, "referentie")
            ok = False
        elif len(reference) > MAX_REFERENCE:
            add(
                row,
                "referentie",
                _("De referentie is langer dan %(max)s tekens.") % {"max": MAX_REFERENCE},
            )
            ok = False
        corrects = v[1].strip()
        if corrects:
            if corrects == reference:
                add(row, "corrigeert", _("Een regel kan zichzelf niet corrigeren."))
                ok = False
            elif len(corrects) > MAX_REFERENCE:
                add(
                    row,
                    "corrigeert",
                    _("De referentie is langer dan %(max)s tekens.") % {"max": MAX_REFERENCE},
                )
                ok = False
        if has_bsn and (reference or corrects) and _is_the_bsn(v[4], reference, corrects):
            # the reference is kept with the line: it must not be the youth's BSN
            add(
                row,
                "corrigeert" if normalise_bsn(reference) != normalise_bsn(v[4]) else "referentie",
                _(
                    "De referentie is het BSN van deze regel; gebruik uw eigen kenmerk van de "
                    "regel (een BSN wordt nooit opgeslagen). Staan de kolommen verwisseld?"
                ),
            )
            ok = False
        text = v[2].strip()
        contract = contracts.get(text)
        if contract is None:
            ok = False
            if not text:
                empty(row, "contract")
            elif provider_name:
                # the same words whether the reference is another provider's or nobody's
                add(
                    row,
                    "contract",
                    _(
                        "Onbekend contract '%(ref)s': %(provider)s heeft geen contract met dit "
                        "kenmerk in %(region)s; lever alleen regels van uw eigen contracten aan."
                    )
                    % {"ref": text, "provider": provider_name, "region": region_name},
                )
            else:
                add(
                    row,
                    "contract",
                    _("Onbekend contract '%(ref)s': geen contract met dit kenmerk in %(region)s.")
                    % {"ref": text, "region": region_name},
                )
        return contract, reference, corrects, ok

    def municipality(row, raw, contract=None):
        hit = municipality_cache.get(raw)
        if hit is None:
            code = _municipality_code(raw)
            if not code:
                hit = ""
            else:
                hit = municipalities.get(code)
                if hit is None:
                    hit = _("Onbekende gemeentecode '%(code)s': geen gemeente van %(region)s.") % {
                        "code": raw.strip(),
                        "region": region_name,
                    }
            municipality_cache[raw] = hit
        if isinstance(hit, int):
            if contract is None or contract.applies_in(hit):
                return hit
            add(row, "gemeente", lookups.scope_message(contract, hit))
            return None
        if hit == "":
            empty(row, "gemeente")
        else:
            add(row, "gemeente", hit)
        return None

    def client_key(row, raw):
        hit = bsn_cache.get(raw)
        if hit is None:
            bsn = normalise_bsn(raw)
            if not bsn:
                hit = (None, "")
            elif any(c.isdigit() and not c.isascii() for c in bsn):
                # ``int`` reads a fullwidth or Arabic-Indic digit, and its HMAC would make
                # another client of the same youth; nothing of the number is shown
                hit = (
                    None,
                    _(
                        "Het BSN bevat tekens die geen cijfers 0-9 zijn (bijvoorbeeld "
                        "volbreedte- of Arabisch-Indische cijfers); gebruik alleen 0-9."
                    ),
                )
            elif len(bsn) != 9 or not ascii_digits(bsn):
                hit = (
                    None,
                    _("BSN %(bsn)s heeft geen 9 cijfers.") % {"bsn": mask_bsn(bsn)},
                )
            elif not is_valid_bsn(bsn):
                hit = (
                    None,
                    _("BSN %(bsn)s voldoet niet aan de elfproef.") % {"bsn": mask_bsn(bsn)},
                )
            else:
                hit = (pseudonymise(bsn), "")
            if len(bsn_cache) >= _CACHE_LIMIT:
                bsn_cache.clear()
                valid_keys.clear()
            bsn_cache[raw] = hit
            if hit[0] is not None:
                valid_keys[raw] = hit[0]
        if hit[0] is None:
            if hit[1]:
                add(row, "bsn", hit[1])
            else:
                empty(row, "bsn")
        return hit[0]

    def product(row, raw, contract):
        code = raw.strip()
        info = products.get(code)
        if info is None:
            if not code:
                empty(row, "product")
            else:
                add(
                    row,
                    "product",
                    _("Onbekende productcode '%(code)s': geen product van %(region)s.")
                    % {"code": code, "region": region_name},
                )
            return None
        if (
            contract is not None
            and contract.products is not None
            and info.id not in contract.products
        ):
            add(
                row,
                "product",
                _(
                    "Product %(code)s valt niet onder een bekostigingsafspraak van contract "
                    "%(contract)s."
                )
                % {"code": code, "contract": contract.reference},
            )
            return None
        return info

    def day(row, column, raw, required=True):
        if not raw.strip():
            if required:
                empty(row, column)
                return _BAD
            return None
        value = parser.date(raw)
        if isinstance(value, str):
            add(row, column, value)
            return _BAD
        return value

    def month(row, raw):
        if not raw.strip():
            empty(row, "maand")
            return _BAD
        value = parser.month(raw)
        if isinstance(value, str):
            add(row, "maand", value)
            return _BAD
        return value

    def number(row, column, raw, places, required=True):
        if not raw.strip():
            if required:
                empty(row, column)
                return _BAD
            return None
        value = parser.decimal(raw, places)
        if isinstance(value, str):
            add(row, column, value)
            return _BAD
        if value < 0:
            add(
                row,
                column,
                _("%(column)s mag niet negatief zijn (%(value)s).")
                % {"column": column.capitalize(), "value": raw.strip()},
            )
            return _BAD
        if places == 2:
            if len(valid_amounts) >= _CACHE_LIMIT:
                valid_amounts.clear()
            valid_amounts[raw] = value
        return value

    def code(row, column, raw, allowed, required=True):
        value = _code(raw)
        if not value:
            if required:
                empty(row, column)
                return _BAD
            return ""
        if value not in allowed:
            add(
                row,
                column,
                _("Onbekende waarde '%(value)s' voor %(column)s; toegestaan: %(codes)s.")
                % {"value": raw.strip(), "column": column, "codes": _codes(allowed)},
            )
            return _BAD
        return value

    def outside(row, column, value: date, contract: ContractInfo, first: date, last, how=""):
        text = _month_text(value) if column in ("maand",) else format_date(value)
        window = f"{format_date(first)} – {format_date(last) if last else '…'}"
        add(
            row,
            column,
            _(
                "%(what)s %(value)s valt buiten de looptijd van contract %(contract)s "
                "(%(period)s)%(how)s."
            )
            % {
                "what": column.capitalize(),
                "value": text,
                "contract": contract.reference,
                "period": window,
                "how": how,
            },
        )

    def in_contract(row, column, value, contract, *, before=None, after=None, how=""):
        """Whether ``value`` lies within the contract's term, widened by ``before``/``after``
        (functions of the start and of the last day)."""
        first = before(contract.start) if before else contract.start
        last = contract.last
        if last is not None and after:
            last = after(last)
        if value < (first.replace(day=1) if column == "maand" else first) or (
            last is not None and value > last
        ):
            outside(row, column, value, contract, first, last, how)
            return False
        return True

    # -- per kind ----------------------------------------------------------------------------

    def declaration(row, v):
        contract, reference, corrects, ok = common(row, v)
        municipality_id = municipality(row, v[3], contract)
        key = client_key(row, v[4])
        info = product(row, v[5], contract)
        m = month(row, v[6])
        quantity = number(row, "aantal", v[7], 2)
        unit = code(row, "eenheid", v[8], UNIT_LABELS)
        amount = number(row, "bedrag", v[9], 2)
        if m is not _BAD and contract is not None:
            ok = in_contract(row, "maand", m, contract) and ok
        if info is not None and unit is not _BAD and unit != info.unit:
            add(
                row,
                "eenheid",
                _("Product %(code)s wordt geleverd in eenheid %(unit)s, niet in %(given)s.")
                % {"code": info.code, "unit": UNIT_LABELS[info.unit], "given": UNIT_LABELS[unit]},
            )
            ok = False
        if quantity is not _BAD and unit is not _BAD and quantity > MAX_PER_MONTH[unit]:
            add(
                row,
                "aantal",
                _(
                    "Aantal %(value)s %(unit)s in één maand kan niet: hoogstens %(max)s %(unit)s "
                    "per regel per maand."
                )
                % {
                    "value": nl_number(quantity),
                    "unit": UNIT_PLURAL[unit],
                    "max": nl_number(MAX_PER_MONTH[unit]),
                },
            )
            ok = False
        if amount is not _BAD and amount > MAX_AMOUNT:
            add(
                row,
                "bedrag",
                _(
                    "Bedrag %(value)s op één regel is onwaarschijnlijk hoog: hoogstens %(max)s "
                    "per regel. Splits de declaratie of controleer het bedrag."
                )
                % {"value": euro(amount), "max": euro(MAX_AMOUNT)},
            )
            ok = False
        if (
            not ok
            or municipality_id is None
            or key is None
            or info is None
            or m is _BAD
            or quantity is _BAD
            or unit is _BAD
            or amount is _BAD
        ):
            return _staged_bad(row, contract, reference, corrects)
        if len(valid_context) < _CACHE_LIMIT:
            valid_context[(v[2], v[3], v[5], v[6], v[8])] = (
                contract.id,
                municipality_id,
                info.id,
                m,
                unit,
                MAX_PER_MONTH[unit],
            )
        return (
            row,
            contract.id,
            reference,
            corrects,
            False,
            municipality_id,
            key,
            info.id,
            m,
            quantity,
            unit,
            amount,
        )

    context_get = valid_context.get
    key_get = valid_keys.get
    amount_get = valid_amounts.get

    def declaration_fast(row, v):
        """A line made of values seen before and found right: a few dictionary look-ups.
        Anything else takes the full path, which reports what is wrong."""
        context = context_get((v[2], v[3], v[5], v[6], v[8]))
        if context is not None:
            key = key_get(v[4])
            quantity = amount_get(v[7])
            amount = amount_get(v[9])
            if (
                key is not None
                and quantity is not None
                and amount is not None
                and quantity <= context[5]
                and amount <= MAX_AMOUNT
            ):
                reference = v[0].strip()
                corrects = v[1].strip()
                if (
                    reference
                    and len(reference) <= MAX_REFERENCE
                    and len(corrects) <= MAX_REFERENCE
                    and corrects != reference
                    and not _is_the_bsn(v[4], reference, corrects)
                ):
                    return (
                        row,
                        context[0],
                        reference,
                        corrects,
                        False,
                        context[1],
                        key,
                        context[2],
                        context[3],
                        quantity,
                        context[4],
                        amount,
                    )
        return declaration(row, v)

    def _staged_bad(row, contract, reference, corrects):
        if contract is None or not reference or len(reference) > MAX_REFERENCE:
            return None
        return (row, contract.id, reference, corrects[:MAX_REFERENCE], True, *nothing)

    def trajectory(row, v):
        contract, reference, corrects, ok = common(row, v)
        municipality_id = municipality(row, v[3], contract)
        key = client_key(row, v[4])
        info = product(row, v[5], contract)
        start = day(row, "start", v[6])
        end = day(row, "einde", v[7], required=False)
        reason = code(row, "reden_einde", v[8], EndReason.values, required=False)
        if start is not _BAD and contract is not None:
            ok = in_contract(row, "start", start, contract) and ok
        if end not in (None, _BAD):
            if start is not _BAD and end < start:
                add(
                    row,
                    "einde",
                    _("Einde %(end)s ligt vóór de start %(start)s.")
                    % {"end": format_date(end), "start": format_date(start)},
                )
                ok = False
            elif contract is not None:
                ok = in_contract(row, "einde", end, contract) and ok
        if reason is not _BAD:
            if end is None and reason:
                add(
                    row,
                    "reden_einde",
                    _("Vul reden_einde alleen in als einde is ingevuld."),
                )
                ok = False
            elif end not in (None, _BAD) and not reason:
                add(row, "reden_einde", _("Reden_einde is verplicht als einde is ingevuld."))
                ok = False
        if (
            not ok
            or municipality_id is None
            or key is None
            or info is None
            or start is _BAD
            or end is _BAD
            or reason is _BAD
        ):
            return _staged_bad(row, contract, reference, corrects)
        return (
            row,
            contract.id,
            reference,
            corrects,
            False,
            municipality_id,
            key,
            info.id,
            start,
            end,
            reason,
        )

    def allocation(row, v):
        contract, reference, corrects, ok = common(row, v)
        municipality_id = municipality(row, v[3], contract)
        key = client_key(row, v[4])
        info = product(row, v[5], contract)
        start = day(row, "ingang", v[6])
        end = day(row, "einde", v[7], required=False)
        if start is not _BAD and contract is not None:
            ok = in_contract(row, "ingang", start, contract) and ok
        if end not in (None, _BAD):
            if start is not _BAD and end < start:
                add(
                    row,
                    "einde",
                    _("Einde %(end)s ligt vóór de ingang %(start)s.")
                    % {"end": format_date(end), "start": format_date(start)},
                )
                ok = False
            elif contract is not None:
                ok = in_contract(row, "einde", end, contract) and ok
        if (
            not ok
            or municipality_id is None
            or key is None
            or info is None
            or start is _BAD
            or end is _BAD
        ):
            return _staged_bad(row, contract, reference, corrects)
        return (
            row,
            contract.id,
            reference,
            corrects,
            False,
            municipality_id,
            key,
            info.id,
            start,
            end,
        )

    year_before = lambda start: add_years(start, -1)  # noqa: E731

    def referral(row, v):
        contract, reference, corrects, ok = common(row, v)
        municipality_id = municipality(row, v[3], contract)
        key = client_key(row, v[4])
        on = day(row, "datum", v[5])
        referrer = code(row, "verwijzer", v[6], Referrer.values)
        if on is not _BAD and contract is not None:
            ok = (
                in_contract(
                    row,
                    "datum",
                    on,
                    contract,
                    before=year_before,
                    how=_("; een verwijzing mag tot een jaar vóór de ingangsdatum"),
                )
                and ok
            )
        if not ok or municipality_id is None or key is None or on is _BAD or referrer is _BAD:
            return _staged_bad(row, contract, reference, corrects)
        return (row, contract.id, reference, corrects, False, municipality_id, key, on, referrer)

    after_end = lambda last: add_months(add_years(last, 2), 1)  # noqa: E731

    def outcome(row, v):
        contract, reference, corrects, ok = common(row, v)
        municipality_id = municipality(row, v[3], contract)
        key = client_key(row, v[4])
        moment = code(row, "moment", v[5].strip().lower(), OutcomeMoment.values)
        on = day(row, "datum", v[6])
        goal = number(row, "doelrealisatie", v[7], 1, required=False)
        experience = number(row, "clientervaring", v[8], 1, required=False)
        kind_id, kind_value = measurement(
            row, v[9] if len(v) > 9 else "", v[10] if len(v) > 10 else ""
        )
        if on is not _BAD and contract is not None:
            ok = (
                in_contract(
                    row,
                    "datum",
                    on,
                    contract,
                    after=after_end,
                    how=_("; een meting mag tot 2 jaar en 1 maand na het einde"),
                )
                and ok
            )
        if goal not in (None, _BAD) and goal > 100:
            add(
                row,
                "doelrealisatie",
                _("Doelrealisatie %(value)s ligt niet tussen 0 en 100.")
                % {"value": nl_number(goal)},
            )
            goal = _BAD
        if experience not in (None, _BAD) and not 1 <= experience <= 10:
            add(
                row,
                "clientervaring",
                _("Cliëntervaring %(value)s ligt niet tussen 1 en 10.")
                % {"value": nl_number(experience)},
            )
            experience = _BAD
        if goal is None and experience is None and kind_id is None:
            add(
                row,
                "doelrealisatie",
                _(
                    "Vul doelrealisatie of clientervaring in (minstens één van beide), of een "
                    "eigen meting met haar waarde."
                ),
            )
            ok = False
        if (
            not ok
            or municipality_id is None
            or key is None
            or moment is _BAD
            or on is _BAD
            or goal is _BAD
            or experience is _BAD
            or kind_id is _BAD
        ):
            return _staged_bad(row, contract, reference, corrects)
        return (
            row,
            contract.id,
            reference,
            corrects,
            False,
            municipality_id,
            key,
            moment,
            on,
            goal,
            experience,
            kind_id,
            kind_value,
        )

    def measurement(row, raw_kind, raw_value):
        """(kind id, value) of a region's own measurement; (None, None) without one; (_BAD,
        None) after an error."""
        code_text = raw_kind.strip().lower()
        value_text = raw_value.strip()
        if not code_text:
            if value_text:
                add(row, "meting", _("Bij een waarde hoort een meting: vul de code in."))
                return _BAD, None
            return None, None
        kind = lookups.measurement_kinds.get(code_text)
        if kind is None:
            known = ", ".join(sorted(lookups.measurement_kinds)) or _("(geen)")
            add(
                row,
                "meting",
                _("Meting %(code)s is geen soort meting van regio %(region)s; die kent: %(known)s.")
                % {"code": code_text, "region": region_name, "known": known},
            )
            return _BAD, None
        if not value_text:
            empty(row, "waarde")
            return _BAD, None
        if kind.yes_no:
            answer = YES_NO.get(value_text.lower())
            if answer is None:
                add(
                    row,
                    "waarde",
                    _("Meting %(code)s is ja/nee: vul ja, nee, 1 of 0 in, niet %(value)s.")
                    % {"code": kind.code, "value": value_text},
                )
                return _BAD, None
            return kind.id, answer
        value = number(row, "waarde", value_text, 2)
        if value is _BAD:
            return _BAD, None
        if (kind.minimum is not None and value < kind.minimum) or (
            kind.maximum is not None and value > kind.maximum
        ):
            low = nl_number(kind.minimum) if kind.minimum is not None else "…"
            high = nl_number(kind.maximum) if kind.maximum is not None else "…"
            add(
                row,
                "waarde",
                _("Waarde %(value)s van meting %(code)s ligt niet tussen %(low)s en %(high)s.")
                % {"value": nl_number(value), "code": kind.code, "low": low, "high": high},
            )
            return _BAD, None
        return kind.id, value

    def facility(row, raw, contract, m) -> FacilityInfo | None | object:
        """The facility a line is about: the one named, or the only one of that month.
        ``None``: the contract has no availability arrangement in that month (a line of the
        contract as a whole, as before facilities); ``_BAD``: reported."""
        text = " ".join(raw.split())
        if contract is None or m is _BAD:
            return _BAD
        found = lookups.facilities_in(contract.id, m)
        if not text:
            if len(found) <= 1:
                return found[0] if found else None
            add(
                row,
                "voorziening",
                _(
                    "Contract %(contract)s heeft in %(month)s meer dan één voorziening "
                    "(%(names)s); vul kolom voorziening in."
                )
                % {
                    "contract": contract.reference,
                    "month": _month_text(m),
                    "names": ", ".join(f.name for f in found),
                },
            )
            return _BAD
        for f in found:
            if f.name.casefold() == text.casefold():
                return f
        known = sorted({f.name for f in lookups.facilities.get(contract.id, ())}, key=str.casefold)
        elsewhere = any(
            f.name.casefold() == text.casefold() for f in lookups.facilities.get(contract.id, ())
        )
        if elsewhere:
            message = _(
                "Contract %(contract)s heeft voor voorziening '%(name)s' geen "
                "beschikbaarheidsafspraak in %(month)s; wel voor: %(names)s."
            ) % {
                "contract": contract.reference,
                "name": text,
                "month": _month_text(m),
                "names": ", ".join(f.name for f in found) or _("geen"),
            }
        else:
            message = _(
                "Contract %(contract)s heeft geen voorziening '%(name)s'; wel: %(names)s."
            ) % {
                "contract": contract.reference,
                "name": text,
                "names": ", ".join(known) or _("geen (geen beschikbaarheidsafspraak)"),
            }
        add(row, "voorziening", message)
        return _BAD

    def occupancy(row, v):
        contract, reference, corrects, ok = common(row, v)
        m = month(row, v[4])
        places = number(row, "plaatsen", v[5], 0)
        occupied = number(row, "bezette_dagen", v[6], 1)
        if m is not _BAD and contract is not None:
            ok = in_contract(row, "maand", m, contract) and ok
        where = facility(row, v[3], contract, m)
        if places is not _BAD and places > MAX_PLACES:
            add(
                row,
                "plaatsen",
                _("%(value)s plaatsen is onwaarschijnlijk veel: hoogstens %(max)s.")
                % {"value": nl_number(places), "max": nl_number(MAX_PLACES)},
            )
            places = _BAD
        if m is not _BAD and places is not _BAD and occupied is not _BAD:
            days = calendar.monthrange(m.year, m.month)[1]
            if occupied > places * days:
                add(
                    row,
                    "bezette_dagen",
                    _(
                        "Bezette dagen %(value)s is meer dan %(places)s plaatsen × %(days)s dagen "
                        "= %(max)s in %(month)s."
                    )
                    % {
                        "value": nl_number(occupied),
                        "places": nl_number(places),
                        "days": days,
                        "max": nl_number(places * days),
                        "month": _month_text(m),
                    },
                )
                ok = False
            elif isinstance(where, FacilityInfo) and occupied > where.places * days:
                add(
                    row,
                    "bezette_dagen",
                    _(
                        "Bezette dagen %(value)s is meer dan de %(places)s afgesproken plaatsen "
                        "van voorziening %(facility)s × %(days)s dagen = %(max)s in %(month)s."
                    )
                    % {
                        "value": nl_number(occupied),
                        "places": nl_number(where.places),
                        "facility": where.name,
                        "days": days,
                        "max": nl_number(where.places * days),
                        "month": _month_text(m),
                    },
                )
                ok = False
        if not ok or m is _BAD or places is _BAD or occupied is _BAD or where is _BAD:
            return _staged_bad(row, contract, reference, corrects)
        name, arrangement_id = (where.name, where.arrangement_id) if where else ("", None)
        return (
            row,
            contract.id,
            reference,
            corrects,
            False,
            name,
            arrangement_id,
            m,
            int(places),
            occupied,
        )

    return {
        DatasetKind.DECLARATIONS: declaration_fast,
        DatasetKind.TRAJECTORIES: trajectory,
        DatasetKind.ALLOCATIONS: allocation,
        DatasetKind.REFERRALS: referral,
        DatasetKind.OUTCOMES: outcome,
        DatasetKind.OCCUPANCY: occupancy,
    }[kind]
