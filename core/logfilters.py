"""Expected refusals logged as one line.

Django's ``django.request`` logger writes a 403 (``PermissionDenied``) as a warning *with* the
exception's traceback, and a 404 as ``Not Found: <path>``. A 403 or 404 is the scoping doing its
job (a user of region A asking for region B's object), not a fault: :class:`OneLineRefusals`
turns such a record into one line with what an operator needs (status, method, path, user id)
and drops the traceback. Anything else (a 500 above all) passes untouched, traceback included.
"""

from __future__ import annotations

import logging

#: the statuses logged as one line: refusals the app gives on purpose
ONE_LINE_STATUSES = frozenset({401, 403, 404, 405})


def _escape(value: str) -> str:
    # a path is decoded from the URL: a newline in it must not start a forged log line
    return value.encode("unicode_escape").decode("ascii")


def _user_id(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return str(user.pk)
    return "-"


class OneLineRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        request = getattr(record, "request", None)
        if status not in ONE_LINE_STATUSES or request is None:
            return True
        record.msg = "%s %s %s user=%s"
        record.args = (
            status,
            _escape(getattr(request, "method", "") or "-"),
            _escape(getattr(request, "path", "") or "-"),
            _user_id(request),
        )
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
