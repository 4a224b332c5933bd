"""Cells of a CSV a user opens in a spreadsheet: a value that starts with ``=``, ``+``, ``-``,
``@`` (or a tab or carriage return) would be run as a formula (CSV injection). Such a value gets
a leading apostrophe, which spreadsheets show as text; every other value is unchanged."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]
