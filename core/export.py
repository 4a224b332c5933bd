"""Spreadsheets out: any table a page shows, as CSV or as Excel (``.xlsx``).

One mechanism for every download of a list page, a dashboard table or the production lines
behind a figure (the view side is ``core.ui.views.ExportMixin``):

- a :class:`Sheet` is a title, a header and an iterable of rows of *typed* values (numbers as
  ``int``/``Decimal``, dates as ``date``, texts as ``str``); :func:`table_sheet` makes one from a
  django-tables2 table and the page's own (filtered, scoped, sorted) data;
- :func:`csv_response` streams it as CSV the way Dutch Excel opens it: UTF-8 with a byte order
  mark, ``;`` between cells, a decimal comma in numbers (no thousands separator, so ``-12,50`` is
  a number), dates as ISO ``JJJJ-MM-DD`` (every Excel and LibreOffice, whatever its language,
  reads that as a date; ``07-12-2026`` turns into 12 July in an English one);
- :func:`xlsx_response` writes it with openpyxl in write-only mode: numbers and dates as typed
  cells (dates shown ``dd-mm-jjjj``), texts as string cells; a sheet above
  :data:`XLSX_MAX_ROWS` rows is refused (:class:`TooManyRows`): CSV has no limit.

Every text goes through :func:`core.spreadsheet.safe_cell` (a text a spreadsheet would run as a
formula gets an apostrophe), numbers never do."""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .spreadsheet import safe_cell

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
#: the query parameter that asks a page for its download (the page's other parameters stay)
EXPORT_PARAM = "export"
#: Excel's sheet holds 1,048,576 rows; one is the header
XLSX_MAX_ROWS = 1_048_575
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CHUNK = 2000
#: characters an xlsx file cannot hold (openpyxl refuses them)
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE = re.compile(r"[\\/*?:\[\]]")


class TooManyRows(Exception):
    def __init__(self, count: int):
        super().__init__(count)
        self.count = count


@dataclass
class Sheet:
    """A table to download: ``rows`` are lists of typed values (may be a generator)."""

    title: str
    header: list[str]
    rows: Iterable[list]
    count: int | None = None  # the number of rows when known beforehand (the xlsx limit)
    notes: list[str] = field(default_factory=list)


# --- cells -------------------------------------------------------------------------------------


def plain(value):
    """A value as a spreadsheet cell: numbers, dates and texts stay typed; a boolean is
    ja/nee, HTML is reduced to its text, anything else is its text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, int | float | Decimal | date):
        return value
    if isinstance(value, SafeData):
        return " ".join(strip_tags(str(value)).split())
    return force_str(value)


def csv_text(value) -> str:
    """One CSV cell as Dutch Excel reads it."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", ",")
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return safe_cell(value)


class _Echo:
    def write(self, value):
        return value


def csv_lines(sheet: Sheet) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff"  # so that Excel reads UTF-8
    yield writer.writerow([csv_text(h) for h in sheet.header])
    for row in sheet.rows:
        yield writer.writerow([csv_text(v) for v in row])
    for note in sheet.notes:
        yield writer.writerow([csv_text(note)])


def _xlsx_cell(ws, value):
    from openpyxl.cell import WriteOnlyCell

    value = plain(value)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "DD-MM-YYYY HH:MM"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "DD-MM-YYYY"
        return cell
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(ws, value=value)
        if value.as_tuple().exponent == -2:
            cell.number_format = "#,##0.00"
        return cell
    if isinstance(value, str):
        # neutralised, and written as a string cell: openpyxl would make "=..." a formula
        cell = WriteOnlyCell(ws, value=safe_cell(_ILLEGAL_XML.sub("", value)))
        cell.data_type = "s"
        return cell
    return WriteOnlyCell(ws, value=value)


def xlsx_file(sheet: Sheet):
    """The sheet as an .xlsx file (a temporary file, at its start)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title=_SHEET_TITLE.sub(" ", str(sheet.title))[:31] or "Blad1")
    ws.append([_xlsx_cell(ws, h) for h in sheet.header])
    for written, row in enumerate(sheet.rows, start=1):
        if written > XLSX_MAX_ROWS:
            ws.close()  # ends openpyxl's temporary sheet file; the workbook is dropped
            raise TooManyRows(written)
        ws.append([_xlsx_cell(ws, v) for v in row])
    for note in sheet.notes:
        ws.append([_xlsx_cell(ws, note)])
    handle = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


# --- responses ---------------------------------------------------------------------------------


def filename(page: str, region: str, fmt: str, day: date | None = None) -> str:
    """``<page>-<region>-<date>.<csv|xlsx>``."""
    day = day or timezone.localdate()
    return f"{slugify(page) or 'export'}-{slugify(region)}-{day.isoformat()}.{fmt}"


def csv_response(sheet: Sheet, name: str) -> StreamingHttpResponse:
    """The sheet streamed as CSV: the rows are read as they are sent, never all at once."""
    response = StreamingHttpResponse(csv_lines(sheet), content_type=CONTENT_TYPES[CSV])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def xlsx_response(sheet: Sheet, name: str) -> FileResponse:
    """The sheet as an Excel file; :class:`TooManyRows` above :data:`XLSX_MAX_ROWS`."""
    if sheet.count is not None and sheet.count > XLSX_MAX_ROWS:
        raise TooManyRows(sheet.count)
    return FileResponse(
        xlsx_file(sheet), as_attachment=True, filename=name, content_type=CONTENT_TYPES[XLSX]
    )


def sheet_response(sheet: Sheet, fmt: str, name: str):
    return xlsx_response(sheet, name) if fmt == XLSX else csv_response(sheet, name)


# --- django-tables2 ----------------------------------------------------------------------------


def export_columns(table) -> list:
    """The columns the page shows, less those marked ``exclude_from_export``."""
    return [
        column
        for column in table.columns.iterall()
        if column.visible and not column.column.exclude_from_export
    ]


def _raw(bound_row, bound_column):
    return bound_row._get_and_render_with(
        bound_column, render_func=lambda _column, value=None: value, default=None
    )


def cell_value(bound_row, bound_column):
    """A cell's value for a spreadsheet: the table's ``value_<column>`` when it has one; else
    the record's own number or date (typed, not the page's ``€ 1.234,50``); else the text the
    page shows (without HTML). A table whose ``render_<column>`` hides a number (a small cell)
    must say so in a ``value_<column>``."""
    table = bound_row.table
    if hasattr(table, f"value_{bound_column.name}"):
        return bound_row.get_cell_value(bound_column.name)
    raw = _raw(bound_row, bound_column)
    if isinstance(raw, bool | int | float | Decimal | date):
        return raw
    return bound_row.get_cell_value(bound_column.name)


def table_records(table):
    """The table's records in its order; a queryset is read in chunks (a 10M-line export
    never sits in memory)."""
    from django.db.models import QuerySet

    data = getattr(table.data, "data", table.data)
    if isinstance(data, QuerySet):
        return data.iterator(chunk_size=CHUNK)
    return iter(data)


def table_count(table) -> int:
    from django.db.models import QuerySet

    data = getattr(table.data, "data", table.data)
    return data.count() if isinstance(data, QuerySet) else len(data)


def table_sheet(table, title: str, *, counted: bool = False) -> Sheet:
    """A django-tables2 table (unpaginated, ordered as the page) as a sheet; ``counted``: with
    its number of rows (one COUNT, for the Excel limit; a CSV does not need it)."""
    from django_tables2.rows import BoundRow

    columns = export_columns(table)

    def rows():
        for record in table_records(table):
            bound = BoundRow(record, table=table)
            yield [cell_value(bound, column) for column in columns]

    return Sheet(
        title=title,
        header=[force_str(column.header) for column in columns],
        rows=rows(),
        count=table_count(table) if counted else None,
    )


# --- pages without a django-tables2 table ------------------------------------------------------


def _attribute(record, path: str):
    value = record
    for part in path.split("."):
        if value is None:
            return None
        value = value.get(part) if isinstance(value, dict) else getattr(value, part)
        if callable(value):
            value = value()
    return value


def records_sheet(title: str, columns, records, *, counted: bool = False) -> Sheet:
    """A page's own table as a sheet, for a page without a django-tables2 table: ``columns``
    are ``(header, value)`` pairs, ``value`` an attribute path (``"provider.name"``, a dict key,
    a method without arguments: ``"get_kind_display"``) or a function of the record; ``records``
    the page's own (scoped, filtered) rows, a queryset read in chunks."""
    from django.db.models import QuerySet

    columns = list(columns)

    def value(record, getter):
        return getter(record) if callable(getter) else _attribute(record, getter)

    def rows():
        source = records.iterator(chunk_size=CHUNK) if isinstance(records, QuerySet) else records
        for record in source:
            yield [value(record, getter) for _header, getter in columns]

    count = None
    if counted:
        count = records.count() if isinstance(records, QuerySet) else len(records)
    return Sheet(title=title, header=[force_str(h) for h, _g in columns], rows=rows(), count=count)
