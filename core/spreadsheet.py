"""Cells of a CSV or spreadsheet a user opens: a text that starts with ``=``, ``+``, ``-``, ``@``
(also after leading spaces or line breaks) or with a tab or carriage return would be run as a
formula (CSV injection, OWASP). Such a text gets a leading apostrophe, which spreadsheets show as
text and never evaluate; every other value is unchanged.

Only texts are neutralised, never numbers: a writer passes a number as a number (``Decimal``,
``int``), or formats it itself and leaves it out of :func:`safe_cell` (``-12,50`` in a CSV is a
number to Excel and must stay one). Where numbers only arrive as texts (the API's CSV, whose
serializers write decimals as ``"-12.50"``), ``numeric_text=True`` keeps a text that is just a
number as it is: a number is never a formula."""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?")


def is_formula_like(value, *, numeric_text: bool = False) -> bool:
    """Whether a spreadsheet could read ``value`` (a text) as a formula."""
    if not isinstance(value, str) or not value:
        return False
    if value.startswith(("\t", "\r")):
        return True
    stripped = value.lstrip()
    if not stripped.startswith(FORMULA_STARTS):
        return False
    return not (numeric_text and NUMBER.fullmatch(value))


def safe_cell(value, *, numeric_text: bool = False):
    if is_formula_like(value, numeric_text=numeric_text):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]
