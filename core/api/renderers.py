"""Renderers: JSON, problem+json for errors, and CSV as the alternative for tabular lists."""

import csv
import io

from rest_framework.renderers import BaseRenderer, JSONRenderer

from core.spreadsheet import safe_cell


class ProblemJSONRenderer(JSONRenderer):
    media_type = "application/problem+json"
    format = "problem"


def _cell(value):
    """A text that a spreadsheet would run as a formula (a name like ``=HYPERLINK(…)``, written
    over the API) starts with an apostrophe, so it stays text; numbers stay numbers (the
    serializers write decimals as texts): ``core.spreadsheet``, the product's one guard."""
    return safe_cell(value, numeric_text=True)


def _flatten(row, prefix=""):
    flat = {}
    for name, value in row.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{key}."))
        elif isinstance(value, list):
            flat[key] = _cell("|".join(str(v) for v in value if not isinstance(v, dict | list)))
        else:
            flat[key] = "" if value is None else _cell(value)
    return flat


class CSVRenderer(BaseRenderer):
    """The results of a list (one page) as CSV: one row per result, nested fields as
    ``veld.subveld``; the paging is in the ``Link`` and ``X-Total-Count`` headers."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "resultaten" in data:
            rows = data["resultaten"]
        elif isinstance(data, list):
            rows = data
        elif isinstance(data, dict):
            rows = [data]
        else:
            rows = []
        flat = [_flatten(row) for row in rows if isinstance(row, dict)]
        columns: list[str] = []
        for row in flat:
            for key in row:
                if key not in columns:
                    columns.append(key)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(flat)
        return buffer.getvalue().encode(self.charset)
