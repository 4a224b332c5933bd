"""The import file formats: which columns each kind of data has, and reading CSV and JSON.

One kind of data per file. CSV: UTF-8 (a BOM is allowed), delimiter ``;``, a header row with
the column names (any order; ``corrigeert`` may be left out), one line per record. JSON:
``{"soort": "<kind>", "regels": [{column: value, ...}, ...]}`` or just the list of records.

Reading yields ``(row, values)`` with ``values`` in the order of :func:`columns` (strings; an
absent optional column gives ``""``). ``row`` is the line number in a CSV file (the header is
line 1) or the 1-based position in the JSON list: the number the error report uses.

A problem with the file as a whole (empty, too large, not UTF-8, wrong delimiter, unknown or
missing columns, not JSON) raises :class:`FileProblem` with a message for the person who made
the file. Nothing here touches the database.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from monitoring.imports.models import DatasetKind, EndReason, ImportFormat, Referrer
from segments.codes import Unit

DELIMITER = ";"
#: columns that may be left out of the header altogether
OPTIONAL_COLUMNS = frozenset({"corrigeert", "meting", "waarde", "voorziening"})

# Per line per month: more than this is not a slip of the pen but an impossible number.
MAX_PER_MONTH = {
    Unit.MINUTE: Decimal("44640"),  # 31 days × 24 hours × 60 minutes
    Unit.HOUR: Decimal("744"),  # 31 × 24
    Unit.ETMAAL: Decimal("31"),
    Unit.DAGDEEL: Decimal("93"),  # 31 × 3 parts of a day
    Unit.PIECES_OUTPUT: Decimal("31"),
    Unit.EUROS: Decimal("100000"),
    Unit.PIECES_EFFORT: Decimal("1000"),
    Unit.KILOMETRE: Decimal("10000"),
}
MAX_AMOUNT = Decimal("250000")
MAX_PLACES = 10_000


# --- what a value may not hold -------------------------------------------------------------------

#: characters no value, header or key of an import may hold: the C0 controls (tab included: no
#: column of ours is prose, and a tab is a TSV or copy-paste accident), DEL and the C1
#: controls, the Unicode line and paragraph separators, invisible direction and zero-width
#: marks, a byte order mark inside the text and lone surrogates (from a JSON ``\ud800``).
#: CR and LF only end lines: inside a (quoted) value they are refused too. PostgreSQL refuses
#: U+0000 in text and jsonb, so such a character must never reach a stored message either
#: (:func:`clean_text`).
CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff]"
)


def codepoint(char: str) -> str:
    """``"\x00"`` → ``U+0000``."""
    return f"U+{ord(char):04X}"


def clean_text(text: str) -> str:
    """``text`` with every character of :data:`CONTROL` written as ``[U+0000]``: safe to store
    (PostgreSQL), show and download, and it still says what was there."""
    if CONTROL.search(text) is None:
        return text
    return CONTROL.sub(lambda m: f"[{codepoint(m.group(0))}]", text)


def control_message(char: str, file_format: str = "csv") -> str:
    """Why a value with ``char`` in it is refused."""
    if char in "\r\n":
        return _(
            "Deze waarde bevat een regeleinde (%(code)s); een waarde mag niet over meer dan "
            "één regel lopen. Haal het regeleinde uit de cel."
        ) % {"code": codepoint(char)}
    if file_format == "xml":
        return _(
            "Het bericht bevat hier een onzichtbaar stuurteken (%(code)s); haal het weg uit het "
            "bericht."
        ) % {"code": codepoint(char)}
    if file_format == "json":
        return _(
            "Het bestand bevat hier een onzichtbaar stuurteken (%(code)s); haal het weg en sla "
            "het bestand op als UTF-8 JSON."
        ) % {"code": codepoint(char)}
    return _(
        "Het bestand bevat hier een onzichtbaar stuurteken (%(code)s); haal het weg en sla het "
        "bestand op als 'CSV UTF-8' (in Excel: Opslaan als → CSV UTF-8)."
    ) % {"code": codepoint(char)}


#: every byte but the C0 controls other than CR and LF (tab included), and DEL
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not (b < 32 or b == 127) or b in (10, 13))


def may_hold_controls(path) -> bool:
    """Whether a UTF-8 file may hold a character of :data:`CONTROL` other than a line end:
    one fast pass over the bytes (a C0 control or DEL; a lead byte of the C1 controls or of the
    separators and invisible marks, ``\xc2``/``\xe2``/``\xef``, past a leading BOM; a CR that
    does not end a line). False: no record needs the per-value check (a line break inside a
    quoted value is seen from the line count of the record)."""
    with open(path, "rb") as f:
        first = True
        tail = b""
        while chunk := f.read(1 << 20):
            if first and chunk.startswith(codecs.BOM_UTF8):
                chunk = chunk[3:]
            first = False
            if chunk.translate(None, _NOT_CONTROL_BYTES):
                return True
            if b"\xc2" in chunk or b"\xe2" in chunk or b"\xef" in chunk:
                return True
            joined = tail + chunk
            if joined.count(b"\r") != joined.count(b"\r\n") + joined.endswith(b"\r"):
                return True
            tail = chunk[-1:]
    return False


def control_problem(values, names, file_format: str = "csv") -> tuple[str, str] | None:
    """``(column, reason)`` for the first value of a record holding a character of
    :data:`CONTROL` (``names``: the column of each value), or ``None``."""
    search = CONTROL.search
    for at, value in enumerate(values):
        found = search(value) if value else None
        if found is not None:
            column = names[at] if at < len(names) else ""
            return column, control_message(found.group(0), file_format)
    return None


def ascii_digits(text: str) -> bool:
    """Only the digits 0-9 (``str.isdigit`` also takes fullwidth, Arabic-Indic, superscript
    and other digits, which ``int`` and ``Decimal`` then read as numbers)."""
    return text.isascii() and text.isdigit()


class FileProblem(Exception):
    """The file as a whole cannot be imported; ``message`` says why, for the provider."""

    def __init__(self, message: str, row: int = 0, column: str = ""):
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # "tekst", "code", "datum", "maand", "getal", "geheel getal", "bsn"
    required: bool
    help: str

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS[self.type])


TYPE_LABELS = {
    "text": gettext_lazy("tekst (max. 64 tekens)"),
    "code": gettext_lazy("code"),
    "date": gettext_lazy("datum JJJJ-MM-DD"),
    "month": gettext_lazy("maand JJJJ-MM"),
    "decimal": gettext_lazy("getal (komma of punt)"),
    "integer": gettext_lazy("geheel getal"),
    "bsn": gettext_lazy("BSN (9 cijfers)"),
}


def _codes(choices) -> str:
    return ", ".join(str(label) for _value, label in choices)


def _column_spec() -> dict[str, tuple[Column, ...]]:
    reference = Column(
        "referentie",
        "text",
        True,
        gettext_lazy(
            "Uw eigen kenmerk van de regel, uniek binnen het contract. Dezelfde regel opnieuw "
            "aanleveren voegt niets toe."
        ),
    )
    corrects = Column(
        "corrigeert",
        "text",
        False,
        gettext_lazy(
            "Alleen bij een correctie: de referentie van de regel die deze regel vervangt "
            "(eerder geïmporteerd of eerder in dit bestand). Deze kolom mag ontbreken."
        ),
    )
    contract = Column("contract", "text", True, gettext_lazy("Kenmerk van het contract."))
    municipality = Column(
        "gemeente",
        "code",
        True,
        gettext_lazy("CBS-gemeentecode van een gemeente van de regio, bijvoorbeeld GM0505."),
    )
    bsn = Column(
        "bsn",
        "bsn",
        True,
        gettext_lazy(
            "Burgerservicenummer; moet de elfproef doorstaan. Wordt bij binnenkomst vervangen "
            "door een pseudoniem en nooit opgeslagen."
        ),
    )
    product = Column(
        "product",
        "code",
        True,
        gettext_lazy(
            "Productcode van de regio; moet vallen onder een bekostigingsafspraak van het contract."
        ),
    )
    month = Column(
        "maand", "month", True, gettext_lazy("Maand binnen de looptijd van het contract.")
    )
    common = (reference, corrects, contract)
    client = (*common, municipality, bsn)
    end = Column("einde", "date", False, gettext_lazy("Einddatum; leeg als het nog loopt."))
    return {
        DatasetKind.DECLARATIONS: (
            *client,
            product,
            month,
            Column(
                "aantal",
                "decimal",
                True,
                gettext_lazy(
                    "Geleverde eenheden in de maand, ≥ 0, hoogstens 2 decimalen. Maximaal per "
                    "regel: 44.640 minuten, 744 uur, 31 etmalen, 93 dagdelen, 31 stuks "
                    "(output), 100.000 euro, 1.000 stuks (inspanning), 10.000 km."
                ),
            ),
            Column(
                "eenheid",
                "code",
                True,
                gettext_lazy("iJw-eenheid (WJ756), gelijk aan die van het product: %(codes)s.")
                % {"codes": _codes(Unit.choices)},
            ),
            Column(
                "bedrag",
                "decimal",
                True,
                gettext_lazy("Gedeclareerd bedrag in euro, ≥ 0, hoogstens € 250.000 per regel."),
            ),
        ),
        DatasetKind.TRAJECTORIES: (
            *client,
            product,
            Column("start", "date", True, gettext_lazy("Startdatum, binnen de looptijd.")),
            end,
            Column(
                "reden_einde",
                "code",
                False,
                gettext_lazy("CBS-reden beëindiging, verplicht als einde is ingevuld: %(codes)s.")
                % {"codes": _codes(EndReason.choices)},
            ),
        ),
        DatasetKind.ALLOCATIONS: (
            *client,
            product,
            Column("ingang", "date", True, gettext_lazy("Ingangsdatum, binnen de looptijd.")),
            end,
        ),
        DatasetKind.REFERRALS: (
            *client,
            Column(
                "datum",
                "date",
                True,
                gettext_lazy(
                    "Datum van de verwijzing; vanaf een jaar vóór de ingangsdatum van het contract."
                ),
            ),
            Column(
                "verwijzer",
                "code",
                True,
                gettext_lazy("CBS-verwijzer: %(codes)s.") % {"codes": _codes(Referrer.choices)},
            ),
        ),
        DatasetKind.OUTCOMES: (
            *client,
            Column(
                "moment",
                "code",
                True,
                gettext_lazy("Meetmoment: start, einde, 6m of 2j."),
            ),
            Column(
                "datum",
                "date",
                True,
                gettext_lazy("Datum van de meting; tot 2 jaar en 1 maand na het contracteinde."),
            ),
            Column(
                "doelrealisatie",
                "decimal",
                False,
                gettext_lazy("Percentage bereikte doelen, 0-100 (minstens één van beide)."),
            ),
            Column(
                "clientervaring",
                "decimal",
                False,
                gettext_lazy("Rapportcijfer 1-10 (minstens één van beide)."),
            ),
            Column(
                "meting",
                "code",
                False,
                gettext_lazy(
                    "Code van een eigen soort meting van de regio (Monitoring → Eigen KPI's); "
                    "de kolom mag ontbreken. Met meting en waarde mogen doelrealisatie en "
                    "clientervaring leeg blijven."
                ),
            ),
            Column(
                "waarde",
                "decimal",
                False,
                gettext_lazy(
                    "Waarde van die meting: een getal binnen de grenzen van de soort, of ja/nee "
                    "(ook 1/0) bij een ja/nee-meting. Verplicht als meting is ingevuld."
                ),
            ),
        ),
        DatasetKind.OCCUPANCY: (
            *common,
            Column(
                "voorziening",
                "text",
                False,
                gettext_lazy(
                    "Naam van de voorziening (groep of locatie) zoals in de "
                    "beschikbaarheidsafspraak van het contract. Verplicht als het contract in "
                    "die maand meer dan één voorziening heeft; anders mag de kolom ontbreken."
                ),
            ),
            month,
            Column(
                "plaatsen",
                "integer",
                True,
                gettext_lazy("Beschikbaar gehouden plaatsen, geheel getal ≥ 0."),
            ),
            Column(
                "bezette_dagen",
                "decimal",
                True,
                gettext_lazy(
                    "Bezette dagen in de maand, ≥ 0, hoogstens 1 decimaal, niet meer dan "
                    "plaatsen × dagen in de maand, en niet meer dan de afgesproken plaatsen "
                    "van de voorziening × dagen in de maand."
                ),
            ),
        ),
    }


COLUMNS: dict[str, tuple[Column, ...]] = _column_spec()


def columns(kind: str) -> tuple[Column, ...]:
    return COLUMNS[kind]


def column_names(kind: str) -> tuple[str, ...]:
    return tuple(c.name for c in COLUMNS[kind])


def kind_label(kind: str) -> str:
    return str(DatasetKind(kind).label).lower()


# --- sizes and formats --------------------------------------------------------------------------


def human_size(size: int) -> str:
    """Bytes in Dutch notation with binary units: ``2147483648`` → ``2,0 GB``."""
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.1f}".replace(".", ",") + f" {unit}"
    return f"{size} bytes"


def check_size(size: int, maximum: int) -> None:
    """Refuse an empty file or one over ``maximum`` bytes (known before anything is read)."""
    if size <= 0:
        raise FileProblem(_("Het bestand is leeg."))
    if size > maximum:
        raise FileProblem(
            _("Het bestand is %(size)s; het maximum is %(max)s per bestand. Splits het bestand op.")
            % {"size": human_size(size), "max": human_size(maximum)}
        )


def format_for(file_name: str, explicit: str | None = None) -> str:
    """The format: as given, or from the file name's extension (.csv, .json)."""
    if explicit:
        if explicit not in ImportFormat.values:
            raise FileProblem(_("Onbekend formaat '%(format)s'.") % {"format": explicit})
        return explicit
    suffix = Path(file_name).suffix.lower().lstrip(".")
    if suffix in ("xml", "zip"):
        return ImportFormat.IJW  # iJw messages, one file or a zip of them
    if suffix in ImportFormat.values:
        return suffix
    raise FileProblem(
        _(
            "Het formaat van '%(name)s' is niet te bepalen: gebruik de extensie .csv of .json, "
            "of kies het formaat. iJw-berichten: de extensie .xml of .zip."
        )
        % {"name": Path(file_name).name}
    )


@dataclass
class FileFacts:
    """What one pass over the raw bytes tells: a fingerprint and a line count."""

    sha256: str
    lines: int


def scan(path: str | os.PathLike) -> FileFacts:
    digest = hashlib.sha256()
    lines = 0
    last = b""
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
            lines += chunk.count(b"\n")
            last = chunk
    if last and not last.endswith(b"\n"):
        lines += 1
    return FileFacts(digest.hexdigest(), lines)


# --- reading ------------------------------------------------------------------------------------


NOT_UTF8 = gettext_lazy(
    "Het bestand is geen UTF-8 (onleesbaar teken in regel %(row)s). Sla het op als "
    "'CSV UTF-8' (in Excel: Opslaan als → CSV UTF-8) en probeer het opnieuw."
)


def _first_bad_utf8_line(path) -> int:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as f:
        for number, line in enumerate(f, start=1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError:
                return number
    return 0


def looks_like_utf16(start: bytes) -> bool:
    """Whether the first bytes of a file are UTF-16 without a byte order mark: text in the Latin
    script then has a zero byte at every other position (valid UTF-8, so it would otherwise be
    read as values full of U+0000)."""
    if len(start) < 4 or b"\x00" not in start:
        return False
    half = len(start) // 2
    even = start[0::2].count(0)
    odd = start[1::2].count(0)
    return max(even, odd) >= 0.4 * half and min(even, odd) <= 0.1 * half


UTF16 = gettext_lazy(
    "Het bestand is UTF-16, niet UTF-8. Sla het op als 'CSV UTF-8' (in Excel: "
    "Opslaan als → CSV UTF-8) en probeer het opnieuw."
)


def _check_bom(path) -> None:
    with open(path, "rb") as f:
        start = f.read(4096)
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or looks_like_utf16(start):
        raise FileProblem(str(UTF16), row=1)


def _header_problem(kind: str, names: list[str]) -> FileProblem | None:
    expected = column_names(kind)
    known = set(expected)
    if len(names) == 1 and not names[0]:
        return FileProblem(_("De eerste regel (de kopregel met kolomnamen) is leeg."), row=1)
    for other in (",", "\t"):
        if len(names) == 1 and other in names[0]:
            parts = {p.strip().strip('"').lower() for p in names[0].split(other)}
            if parts & known:
                shown = "tab" if other == "\t" else other
                return FileProblem(
                    _(
                        "Scheidingsteken '%(found)s' gevonden; verwacht ';'. Sla het bestand op "
                        "met puntkomma's als scheidingsteken."
                    )
                    % {"found": shown},
                    row=1,
                )
    doubles = sorted({n for n in names if names.count(n) > 1})
    if doubles:
        return FileProblem(
            _("Kolom %(names)s staat meer dan eens in de kopregel.")
            % {"names": ", ".join(doubles)},
            row=1,
        )
    unknown = [n or _("(leeg)") for n in names if n not in known]
    missing = [n for n in expected if n not in names and n not in OPTIONAL_COLUMNS]
    if not unknown and not missing:
        return None
    parts = []
    if unknown:
        parts.append(_("onbekende kolom(men): %(names)s") % {"names": ", ".join(unknown)})
    if missing:
        parts.append(_("ontbrekende kolom(men): %(names)s") % {"names": ", ".join(missing)})
    message = _("De kopregel klopt niet voor %(kind)s: %(problems)s. Verwacht: %(expected)s.") % {
        "kind": kind_label(kind),
        "problems": "; ".join(parts),
        "expected": ";".join(expected),
    }
    for other_kind, spec in COLUMNS.items():
        names_set = set(names) - OPTIONAL_COLUMNS
        if other_kind != kind and names_set == {c.name for c in spec} - OPTIONAL_COLUMNS:
            message += " " + _(
                "Deze kolommen horen bij %(other)s: kies die soort gegevens, of lever een "
                "bestand met %(kind)s."
            ) % {"other": kind_label(other_kind), "kind": kind_label(kind)}
            break
    return FileProblem(message, row=1)


class CsvRows:
    """The records of a CSV file as ``(line number, values in column order)``."""

    def __init__(self, path, kind: str):
        self.path = path
        self.kind = kind
        self.names = column_names(kind)
        _check_bom(path)
        self._file = open(path, encoding="utf-8-sig", newline="", errors="strict")  # noqa: SIM115
        self._reader = csv.reader(self._file, delimiter=DELIMITER)
        try:
            header = next(self._reader)
        except StopIteration:
            self.close()
            raise FileProblem(_("Het bestand is leeg.")) from None
        except UnicodeDecodeError:
            self.close()
            row = _first_bad_utf8_line(path)
            raise FileProblem(str(NOT_UTF8) % {"row": row}, row=row) from None
        except csv.Error as exc:
            self.close()
            raise FileProblem(
                _("De kopregel is geen geldige CSV: %(error)s") % {"error": exc}, row=1
            ) from None
        for position, name in enumerate(header, start=1):
            found = CONTROL.search(name)
            if found and not (len(header) == 1 and CONTROL.search(name.replace("\t", "")) is None):
                # (a tab in a header of one field: tabs as delimiter, said below)
                self.close()
                raise FileProblem(
                    _("Kolom %(position)s van de kopregel: %(why)s")
                    % {"position": position, "why": control_message(found.group(0))},
                    row=1,
                )
        header = [name.strip().lower() for name in header]
        self.width = len(header)
        while len(header) > 1 and not header[-1]:
            header.pop()  # empty names at the end: a spreadsheet's trailing delimiters
        #: records may also stop after the last named column
        self.named = len(header)
        problem = _header_problem(kind, header)
        if problem:
            self.close()
            raise problem
        position = {name: i for i, name in enumerate(header)}
        #: for each column of the kind, its index in a record (None: left out)
        self.index = [position.get(name) for name in self.names]
        self.identity = self.index == list(range(len(self.names)))
        #: for each field of a record, the name of its column ("" for a column not read)
        self.positions = [
            self.names[self.index.index(i)] if i in self.index else "" for i in range(self.width)
        ]

    def close(self):
        self._file.close()

    def rows(self) -> Iterator[tuple[int, list[str] | None, str]]:
        """``(line number, values, "")``; a record with the wrong number of fields comes out as
        ``(line number, None, message)`` and reading goes on."""
        reader = self._reader
        index = self.index
        identity = self.identity
        width = self.width
        named = self.named
        shape = self.shape
        search = CONTROL.search
        # values are searched only when the bytes say they may hold a control character
        check_values = may_hold_controls(self.path)
        header = self.positions
        last = reader.line_num
        try:
            for values in reader:
                first, last = last + 1, reader.line_num
                if named <= len(values) <= width and not any(values[named:]):
                    if not values[0] and not any(v.strip() for v in values):
                        continue  # only delimiters (spreadsheets add those)
                    if (check_values or last > first) and search(";".join(values)):
                        # the line a value with a line break starts on, the column it is in
                        at = next(i for i, v in enumerate(values) if search(v))
                        char = search(values[at]).group(0)
                        yield first, None, (header[at], control_message(char))
                        continue
                    if identity:
                        yield reader.line_num, values, ""
                    else:
                        yield (
                            reader.line_num,
                            [values[i] if i is not None else "" for i in index],
                            "",
                        )
                else:
                    shaped = shape(reader.line_num, values)
                    if shaped is not None:
                        yield shaped
        except UnicodeDecodeError:
            row = _first_bad_utf8_line(self.path)
            raise FileProblem(str(NOT_UTF8) % {"row": row}, row=row) from None
        except csv.Error as exc:
            raise FileProblem(
                _("Regel %(row)s is geen geldige CSV: %(error)s")
                % {"row": reader.line_num, "error": exc},
                row=reader.line_num,
            ) from None

    def shape(self, row: int, values: list[str]) -> tuple[int, list[str] | None, str] | None:
        """What :meth:`rows` yields for the fields of one record (``None``: skipped); the
        set-based reader (:mod:`.vectorised`) hands it the lines it does not read itself."""
        if self.named <= len(values) <= self.width and not any(values[self.named :]):
            if not values[0] and not any(v.strip() for v in values):
                return None  # only delimiters (spreadsheets add those)
            problem = control_problem(values, self.positions)
            if problem is not None:
                return row, None, problem
            return row, [values[i] if i is not None else "" for i in self.index], ""
        if not values or not any(v.strip() for v in values):
            return None  # a blank line, or only delimiters (spreadsheets add those)
        return row, None, _width_message(len(values), self.named)


def _width_message(found: int, expected: int) -> str:
    return _(
        "Deze regel heeft %(found)s velden, de kopregel %(expected)s. Staat er een ';' in "
        "een waarde? Zet die waarde dan tussen dubbele aanhalingstekens."
    ) % {"found": found, "expected": expected}


def _json_value(value) -> str | None:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return None


class JsonRows:
    """The records of a JSON file as ``(position, values in column order)``."""

    def __init__(self, path, kind: str):
        self.path = path
        self.kind = kind
        self.names = column_names(kind)
        with open(path, "rb") as f:
            raw = f.read()
        if looks_like_utf16(raw[:4096]):
            raise FileProblem(
                _("Het bestand is UTF-16, niet UTF-8. Sla het op als UTF-8 en probeer het opnieuw.")
            )
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            row = raw.count(b"\n", 0, exc.start) + 1
            raise FileProblem(
                _("Het bestand is geen UTF-8 (onleesbaar teken in regel %(row)s).") % {"row": row},
                row=0,
            ) from None
        if not text.strip():
            raise FileProblem(_("Het bestand is leeg."))
        try:
            # numbers stay the text they were written as: no binary floating point on the way
            data = json.loads(text, parse_float=str, parse_int=str)
        except json.JSONDecodeError as exc:
            raise FileProblem(
                _("Het bestand is geen geldige JSON: %(error)s (regel %(line)s, kolom %(col)s).")
                % {"error": exc.msg, "line": exc.lineno, "col": exc.colno}
            ) from None
        except RecursionError:
            # lists or objects nested thousands deep: the reader stops at its depth limit
            raise FileProblem(
                _(
                    "De JSON is te diep genest (lijsten of objecten in elkaar tot voorbij de "
                    'grens van de lezer). Verwacht: een object met "soort" en "regels", of '
                    "een lijst met regels, elk een object met kolommen en tekst of getallen."
                )
            ) from None
        if isinstance(data, dict):
            soort = data.get("soort")
            if soort is not None and soort != kind:
                if soort in DatasetKind.values:
                    raise FileProblem(
                        _(
                            "Het bestand bevat %(found)s (soort '%(soort)s'), maar u importeert "
                            "%(kind)s. Kies de juiste soort gegevens."
                        )
                        % {"found": kind_label(soort), "soort": soort, "kind": kind_label(kind)}
                    )
                raise FileProblem(
                    _("Onbekende soort '%(soort)s'; verwacht '%(kind)s'.")
                    % {"soort": soort, "kind": kind}
                )
            records = data.get("regels")
            if not isinstance(records, list):
                raise FileProblem(
                    _(
                        'Verwacht een object met "soort" en "regels" (een lijst), of alleen '
                        "een lijst met regels."
                    )
                )
        elif isinstance(data, list):
            records = data
        else:
            raise FileProblem(
                _('Verwacht een object met "soort" en "regels", of een lijst met regels.')
            )
        if not records:
            raise FileProblem(_("Het bestand bevat geen regels."))
        self.records = records
        self.width = len(self.names)
        self.index = list(range(self.width))

    def close(self):
        pass

    def rows(self) -> Iterator[tuple[int, list[str] | None, str]]:
        names = self.names
        known = set(names)
        # a JSON record may leave out a key whose value may be empty
        required = [c.name for c in columns(self.kind) if c.required]
        for position, record in enumerate(self.records, start=1):
            if not isinstance(record, dict):
                yield position, None, _("Deze regel is geen object met kolommen en waarden.")
                continue
            bad = next(
                (
                    (key, found.group(0))
                    for key, value in record.items()
                    if (found := CONTROL.search(key))
                    or (isinstance(value, str) and (found := CONTROL.search(value)))
                ),
                None,
            )
            if bad is not None:
                key, char = bad
                yield position, None, (key, control_message(char, "json"))
                continue
            unknown = [key for key in record if key not in known]
            missing = [n for n in required if n not in record]
            if unknown or missing:
                parts = []
                if unknown:
                    parts.append(
                        _("onbekende kolom(men): %(names)s") % {"names": ", ".join(unknown)}
                    )
                if missing:
                    parts.append(
                        _("ontbrekende kolom(men): %(names)s") % {"names": ", ".join(missing)}
                    )
                yield position, None, "; ".join(parts).capitalize() + "."
                continue
            values = []
            wrong = []
            for name in names:
                value = _json_value(record.get(name))
                if value is None:
                    wrong.append(name)
                    value = ""
                values.append(value)
            if wrong:
                yield (
                    position,
                    None,
                    _("Waarde van %(names)s moet tekst of een getal zijn.")
                    % {"names": ", ".join(wrong)},
                )
                continue
            yield position, values, ""


def open_rows(path, kind: str, file_format: str) -> CsvRows | JsonRows:
    if file_format == ImportFormat.JSON:
        return JsonRows(path, kind)
    return CsvRows(path, kind)
