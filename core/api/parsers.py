"""The API's JSON parser: DRF's, refusing text that is not valid Unicode."""

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


def _check_text(value) -> None:
    """A JSON string may carry a lone surrogate (``"\\ud800"``): valid JSON, but no Unicode
    text the database can store. Refuse it at the door, as a 400 instead of a 500 later."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise exceptions.ParseError(
                _("De inhoud bevat tekens die geen geldige Unicode zijn.")
            ) from exc
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _check_text(item)
    elif isinstance(value, list):
        for item in value:
            _check_text(item)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _check_text(data)
        return data
