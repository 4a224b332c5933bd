"""core.export and core.spreadsheet: cells as Dutch Excel reads them, numbers typed, texts that
would run as a formula neutralised (in CSV and in .xlsx)."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.utils.safestring import mark_safe

from core import export
from core.spreadsheet import is_formula_like, safe_cell


def test_texts_that_would_run_are_neutralised_also_after_whitespace():
    assert safe_cell(" =1+1") == "' =1+1"
    assert safe_cell("\n@SUM(A1)") == "'\n@SUM(A1)"
    assert safe_cell("\r1") == "'\r1"
    assert safe_cell("-2+3") == "'-2+3"
    assert safe_cell("Leiden") == "Leiden" and safe_cell("a=b") == "a=b"
    # numbers are never touched; a text that is a number only where the writer asks
    assert safe_cell(Decimal("-12.50")) == Decimal("-12.50") and safe_cell(-3) == -3
    assert safe_cell("-12.50") == "'-12.50"
    assert safe_cell("-12.50", numeric_text=True) == "-12.50"
    assert safe_cell("-2+3", numeric_text=True) == "'-2+3"
    assert not is_formula_like("") and not is_formula_like(None)


def test_csv_cells_as_dutch_excel_reads_them():
    assert export.csv_text(Decimal("-12.50")) == "-12,50"  # a number: not neutralised
    assert export.csv_text(Decimal("1234567.5")) == "1234567,5"  # no thousands separator
    assert export.csv_text(3) == "3" and export.csv_text(2.5) == "2,5"
    assert export.csv_text(date(2026, 12, 7)) == "2026-12-07"
    assert export.csv_text(datetime(2026, 12, 7, 9, 5)) == "2026-12-07 09:05"
    assert export.csv_text(True) == "ja" and export.csv_text(None) == ""
    assert export.csv_text("-12,50") == "'-12,50"  # a text that looks like one: neutralised
    assert export.csv_text(mark_safe('<a href="x">=1+1</a>')) == "'=1+1"


def sheet():
    return export.Sheet(
        title="Proef: [1]",
        header=["naam", "bedrag", "datum"],
        rows=iter(
            [
                ['=HYPERLINK("http://x","y")', Decimal("-12.50"), date(2026, 1, 31)],
                ["+1", Decimal("1000.00"), None],
                ["gewoon\x01", 7, date(2026, 2, 1)],
            ]
        ),
    )


def test_csv_is_streamed_with_bom_and_semicolons():
    response = export.csv_response(sheet(), "proef-regio-2026-12-07.csv")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["naam", "bedrag", "datum"],
        ['\'=HYPERLINK("http://x","y")', "-12,50", "2026-01-31"],
        ["'+1", "1000,00", ""],
        ["gewoon\x01", "7", "2026-02-01"],
    ]
    assert response["Content-Disposition"] == 'attachment; filename="proef-regio-2026-12-07.csv"'


def test_xlsx_has_typed_cells_and_no_formula():
    response = export.xlsx_response(sheet(), "proef.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = workbook.active
    assert ws.title == "Proef   1 "
    cells = list(ws.iter_rows(min_row=2))
    name, amount, day = cells[0]
    assert name.data_type == "s" and name.value == '\'=HYPERLINK("http://x","y")'
    assert amount.data_type == "n" and amount.value == -12.5 and amount.number_format == "#,##0.00"
    assert day.is_date and day.value == datetime(2026, 1, 31) and day.number_format == "DD-MM-YYYY"
    assert cells[1][0].value == "'+1"
    assert cells[2][0].value == "gewoon"  # a control character xlsx cannot hold is dropped
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_xlsx_refuses_more_rows_than_excel_holds(monkeypatch):
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 2)
    with pytest.raises(export.TooManyRows):
        export.xlsx_response(sheet(), "proef.xlsx")  # counted while writing
    big = export.Sheet(title="x", header=["a"], rows=iter([]), count=3)
    with pytest.raises(export.TooManyRows):
        export.xlsx_response(big, "x.xlsx")  # refused before writing


def test_file_name():
    assert export.filename("Productieregels-Declaraties", "regio-a", "csv", date(2026, 12, 7)) == (
        "productieregels-declaraties-regio-a-2026-12-07.csv"
    )
