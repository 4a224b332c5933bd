"""Reading and checking a CSV or JSON file set-based (polars): a conservative filter in front of
the per-row checker.

:func:`read_frame` reads the records of a file into a dataframe of strings (``row`` plus the
kind's columns), with the records that are not plain (a blank line, a wrong number of fields, a
JSON record that is not an object of strings) aside as ``(row, values | None, problem)``
exactly as :class:`~monitoring.imports.formats.CsvRows` / ``JsonRows`` would yield them.
:func:`vet` checks every column at once and splits the frame in two:

- ``accepted``: rows it can vouch for, already in the staging table's shape (``line_no``,
  ``contract_id``, ``reference``, ``corrects``, ``bad``, ``KIND_FIELDS``), the BSN replaced by
  its pseudonym (each distinct BSN hashed once, :func:`~.pseudonym.pseudonymise_many`). Such a
  row yields exactly the record :func:`~.validate.make_checker` would produce, and no error;
- ``flagged``: every other row (anything wrong, unusual or outside the rules implemented here,
  such as a value with spaces around it, a non-ASCII or control character, a BSN written with
  dots). The import re-checks these with the per-row rules, which give the record or the exact
  errors (row, column, reason) as always.

So the error report is as specific as ever, and a rule that exists only per row (or is added
there later) still decides for every row this filter does not accept. What it accepts is kept
narrow on purpose: identifiers, codes and digits of printable ASCII only, no whitespace at the
ends, numbers without leading zeros or thousands separators. Declarations, by far the biggest
kind, are checked here; the other kinds are read set-based and then checked per row (every row
flagged) — they are small files.

A CSV file that is not plain enough to split by lines (a double quote anywhere, a lone carriage
return, bytes that are not UTF-8) is not read here at all (:func:`read_frame` returns ``None``)
and the import reads it with the per-row reader.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import polars as pl

from monitoring.imports.formats import (
    DELIMITER,
    MAX_AMOUNT,
    MAX_PER_MONTH,
    CsvRows,
    JsonRows,
    column_names,
)
from monitoring.imports.models import DatasetKind, ImportFormat
from monitoring.imports.pseudonym import pseudonymise_many
from monitoring.imports.validate import (
    KIND_FIELDS,
    MAX_REFERENCE,
    UNIT_LABELS,
    Lookups,
    Parser,
    _code,
    _municipality_code,
)

#: a reference, contract or code as the filter accepts it: printable ASCII, no space at the ends
_PLAIN = r"^[!-~](?:[ -~]*[!-~])?$"
_REFERENCE = rf"^[!-~](?:[ -~]{{0,{MAX_REFERENCE - 2}}}[!-~])?$"
#: an amount or a quantity: ASCII digits, no leading zero, at most two decimals
_AMOUNT = r"^(?:0|[1-9][0-9]{0,11})(?:[.,][0-9]{1,2})?$"
_BSN = r"^[0-9]{8,9}$"
_MONTH = r"^[0-9]{4}-[0-9]{2}(?:-01)?$"
_UNIT = r"^[0-9]{1,2}$"
_PRINTABLE = r"^[ -~]*$"

#: the staging columns before the kind's fields
STAGE_HEAD = ("line_no", "contract_id", "reference", "corrects", "bad")

Record = tuple[int, list[str] | None, object]


@dataclass
class Frame:
    """The records of a file: the plain ones as strings in ``frame``, the rest in ``odd``."""

    frame: pl.DataFrame
    odd: list[Record]

    @property
    def total(self) -> int:
        return self.frame.height + len(self.odd)


def _empty(kind: str) -> pl.DataFrame:
    schema = {"row": pl.Int64, **dict.fromkeys(column_names(kind), pl.String)}
    return pl.DataFrame(schema=schema)


def read_frame(path, kind: str, file_format: str) -> Frame | None:
    """The file's records as a :class:`Frame`; ``None``: not plain enough, read it per row.
    A problem with the file as a whole raises ``FileProblem`` as the per-row readers do."""
    if file_format == ImportFormat.JSON:
        return _read_json(path, kind)
    if file_format == ImportFormat.CSV:
        return _read_csv(path, kind)
    return None


def _read_json(path, kind: str) -> Frame:
    source = JsonRows(path, kind)
    names = column_names(kind)
    rows: list[int] = []
    columns: list[list[str]] = [[] for _ in names]
    odd: list[Record] = []
    for row, values, problem in source.rows():
        if values is None:
            odd.append((row, None, problem))
            continue
        rows.append(row)
        for column, value in zip(columns, values, strict=True):
            column.append(value)
    data = {"row": pl.Series(rows, dtype=pl.Int64)}
    for name, column in zip(names, columns, strict=True):
        data[name] = pl.Series(column, dtype=pl.String)
    frame = pl.DataFrame(data)
    return Frame(frame, odd)


def _read_csv(path, kind: str) -> Frame | None:
    header = CsvRows(path, kind)  # the header's checks and the column positions
    header.close()
    raw = Path(path).read_bytes()
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    if b'"' in raw or raw.count(b"\r") != raw.count(b"\r\n"):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    del raw
    names = column_names(kind)
    width, named, index = header.width, header.named, header.index
    lines = pl.DataFrame({"line": text.split("\n")}).with_row_index("row", offset=1)
    del text
    lines = lines.slice(1).with_columns(
        row=pl.col("row").cast(pl.Int64), line=pl.col("line").str.strip_suffix("\r")
    )
    fields = pl.col("line").str.count_matches(DELIMITER, literal=True) + 1
    split = pl.col("line").str.split(DELIMITER)
    extra = split.list.slice(named).list.join("")
    regular = (
        fields.is_between(named, width)
        & (extra == "")
        & pl.col("line").str.contains(r"[!-:<-~]")  # not only delimiters
        # a character csv would treat otherwise, or whitespace str.strip() knows: per row
        & pl.col("line").str.contains(r"^[^\x00-\x08\x0b-\x1f\x85\u2028\u2029]*$")
    )
    lines = lines.with_columns(regular=regular)
    odd: list[Record] = []
    shape = header.shape
    for row, line in lines.filter(~pl.col("regular")).select("row", "line").iter_rows():
        shaped = shape(row, line.split(DELIMITER))
        if shaped is not None:
            odd.append(shaped)
    plain = lines.filter(pl.col("regular")).select(
        "row", pl.col("line").str.split(DELIMITER).alias("f")
    )
    frame = plain.select(
        "row",
        *(
            (pl.col("f").list.get(i, null_on_oob=True) if i is not None else pl.lit("")).alias(name)
            for name, i in zip(names, index, strict=True)
        ),
    )
    frame = frame.with_columns(pl.col(name).cast(pl.String) for name in names)
    return Frame(frame, odd)


# ---------------------------------------------------------------------------------------- vet


@dataclass
class Vetted:
    #: rows accepted, in the staging table's columns
    accepted: pl.DataFrame
    #: rows to re-check per row: ``row`` plus the kind's columns (strings)
    flagged: pl.DataFrame


def vet(kind: str, frame: pl.DataFrame, lookups: Lookups) -> Vetted:
    """Split the plain records into accepted (staging rows) and flagged (to check per row)."""
    if kind == DatasetKind.DECLARATIONS and frame.height:
        return _vet_declarations(frame, lookups)
    return Vetted(accepted=pl.DataFrame(), flagged=frame)


def _lookup(values: pl.Series, compute, dtype) -> pl.DataFrame:
    """A frame mapping each distinct text of ``values`` to ``compute(text)`` (None: not
    accepted); computed with the per-row code itself, once per distinct text."""
    distinct = values.unique().to_list()
    return pl.DataFrame(
        {"raw": pl.Series(distinct, dtype=pl.String), "out": [compute(v) for v in distinct]},
        schema={"raw": pl.String, "out": dtype},
    )


def _cents(column: str) -> pl.Expr:
    """An amount text matching ``_AMOUNT`` as whole cents (Int64)."""
    parts = pl.col(column).str.replace(",", ".", literal=True).str.split_exact(".", 1)
    whole = parts.struct.field("field_0").cast(pl.Int64)
    fraction = parts.struct.field("field_1").fill_null("").str.pad_end(2, "0").cast(pl.Int64)
    return whole * 100 + fraction


def _as_bsn(column: str) -> pl.Expr:
    """A value read as a BSN the way ``pseudonym.normalise_bsn`` does (spaces and dots out,
    a dropped leading zero restored)."""
    text = pl.col(column).str.replace_all(r"[ .]", "")
    return pl.when(text.str.contains(r"^[0-9]{8}$")).then("0" + text).otherwise(text)


def _vet_declarations(frame: pl.DataFrame, lookups: Lookups) -> Vetted:
    parser = Parser()
    contracts = pl.DataFrame(
        {
            "contract": [c.reference for c in lookups.contracts.values()],
            "contract_id": [c.id for c in lookups.contracts.values()],
            "first": [c.start.replace(day=1) for c in lookups.contracts.values()],
            "last": [c.last for c in lookups.contracts.values()],
            "any_products": [c.products is not None for c in lookups.contracts.values()],
            "scoped": [c.municipalities is not None for c in lookups.contracts.values()],
        },
        schema={
            "contract": pl.String,
            "contract_id": pl.Int64,
            "first": pl.Date,
            "last": pl.Date,
            "any_products": pl.Boolean,
            "scoped": pl.Boolean,
        },
    )
    # a contract for some municipalities only: a line of another one is flagged, and the
    # per-row check names the contract and its municipalities
    in_scope = pl.DataFrame(
        [(c.id, m) for c in lookups.contracts.values() for m in (c.municipalities or ())],
        schema={"contract_id": pl.Int64, "municipality_id": pl.Int64},
        orient="row",
    ).with_columns(in_scope=pl.lit(True))
    covered = pl.DataFrame(
        [(c.id, p) for c in lookups.contracts.values() for p in (c.products or ())],
        schema={"contract_id": pl.Int64, "product_id": pl.Int64},
        orient="row",
    ).with_columns(covered=pl.lit(True))
    products = pl.DataFrame(
        {
            "product": list(lookups.products),
            "product_id": [p.id for p in lookups.products.values()],
            "product_unit": [p.unit for p in lookups.products.values()],
        },
        schema={"product": pl.String, "product_id": pl.Int64, "product_unit": pl.String},
    )

    def municipality(raw):
        return lookups.municipalities.get(_municipality_code(raw))

    def month(raw):
        value = parser.month(raw)
        return None if isinstance(value, str) else value

    def unit(raw):
        value = _code(raw)
        return value if value in UNIT_LABELS else None

    maximum = pl.DataFrame(
        {
            "unit": list(MAX_PER_MONTH),
            "max_cents": [int(v * 100) for v in MAX_PER_MONTH.values()],
        },
        schema={"unit": pl.String, "max_cents": pl.Int64},
    )
    gm = frame.filter(pl.col("gemeente").str.contains(_PRINTABLE))["gemeente"]
    months = frame.filter(pl.col("maand").str.contains(_MONTH))["maand"]
    units = frame.filter(pl.col("eenheid").str.contains(_UNIT))["eenheid"]
    bsn = pl.col("bsn")
    digits = bsn.str.zfill(9)
    weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
    elf = pl.sum_horizontal(
        digits.str.slice(i, 1).cast(pl.Int64) * w for i, w in enumerate(weights)
    )
    plain = (
        pl.col("referentie").str.contains(_REFERENCE)
        & (
            (pl.col("corrigeert") == "")
            | (
                pl.col("corrigeert").str.contains(_REFERENCE)
                & (pl.col("corrigeert") != pl.col("referentie"))
            )
        )
        & pl.col("contract").str.contains(_PLAIN)
        & pl.col("product").str.contains(_PLAIN)
        & pl.col("aantal").str.contains(_AMOUNT)
        & pl.col("bedrag").str.contains(_AMOUNT)
        & bsn.str.contains(_BSN)
        # a reference that is the line's own BSN (columns swapped): the per-row rule says so
        & (_as_bsn("referentie") != digits)
        & (_as_bsn("corrigeert") != digits)
    )
    work = frame.with_row_index("_i").with_columns(_plain=plain)
    candidates = work.filter(pl.col("_plain"))
    candidates = candidates.with_columns(
        _bsn=digits, _elf_ok=(elf % 11 == 0) & (digits != "000000000")
    ).filter(pl.col("_elf_ok"))
    candidates = (
        candidates.join(contracts, on="contract", how="inner")
        .join(_lookup(gm, municipality, pl.Int64).rename({"raw": "gemeente"}), on="gemeente")
        .rename({"out": "municipality_id"})
        .join(_lookup(months, month, pl.Date).rename({"raw": "maand"}), on="maand")
        .rename({"out": "month"})
        .join(_lookup(units, unit, pl.String).rename({"raw": "eenheid"}), on="eenheid")
        .rename({"out": "unit"})
        .join(products, on="product", how="inner")
        .join(covered, on=["contract_id", "product_id"], how="left")
        .join(in_scope, on=["contract_id", "municipality_id"], how="left")
        .join(maximum, on="unit", how="inner")
        .with_columns(_q=_cents("aantal"), _a=_cents("bedrag"))
        .filter(
            pl.col("municipality_id").is_not_null()
            & pl.col("month").is_not_null()
            & pl.col("unit").is_not_null()
            & (~pl.col("any_products") | pl.col("covered").fill_null(False))
            & (~pl.col("scoped") | pl.col("in_scope").fill_null(False))
            & (pl.col("month") >= pl.col("first"))
            & (pl.col("last").is_null() | (pl.col("month") <= pl.col("last")))
            & (pl.col("unit") == pl.col("product_unit"))
            & (pl.col("_q") <= pl.col("max_cents"))
            & (pl.col("_a") <= int(MAX_AMOUNT * 100))
        )
    )
    keys = candidates["_bsn"].unique()
    pseudonyms = pl.DataFrame(
        {"_bsn": keys, "client_key": pseudonymise_many(keys.to_list())},
        schema={"_bsn": pl.String, "client_key": pl.String},
    )
    candidates = candidates.join(pseudonyms, on="_bsn", how="left")
    accepted = candidates.sort("row").select(
        pl.col("row").alias("line_no"),
        "contract_id",
        pl.col("referentie").alias("reference"),
        pl.col("corrigeert").alias("corrects"),
        pl.lit(False).alias("bad"),
        "municipality_id",
        "client_key",
        "product_id",
        "month",
        pl.col("aantal").str.replace(",", ".", literal=True).alias("quantity"),
        "unit",
        pl.col("bedrag").str.replace(",", ".", literal=True).alias("amount"),
    )
    flagged = work.join(candidates.select("_i"), on="_i", how="anti").sort("row")
    return Vetted(accepted=accepted, flagged=flagged.select(frame.columns))


def staged_columns(kind: str) -> list[str]:
    """The accepted frame's column names: the staging head, then the kind's fields (by the
    model field name; ``Stage`` maps them to columns)."""
    return [*STAGE_HEAD, *KIND_FIELDS[kind]]


def as_records(accepted: pl.DataFrame) -> list[tuple]:
    """The accepted rows as the per-row checker's tuples (amounts as ``Decimal``)."""
    out = []
    for record in accepted.iter_rows():
        out.append(
            tuple(
                Decimal(v) if name in ("quantity", "amount") else v
                for name, v in zip(accepted.columns, record, strict=True)
            )
        )
    return out
