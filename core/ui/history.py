"""The audit trail as a reader wants it: the action in words of the active language and each
change as "field: old → new", without the primary key and without "None".

django-auditlog stores every value as text ("None", "True", "3"); its own action labels are
English ("create") and it has no Dutch translation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.utils.translation import gettext as _

EMPTY = "—"
#: how auditlog writes an empty many-to-many or reverse relation: "segments.Segment.None"
_EMPTY_RELATION = re.compile(r"\w+\.\w+\.None")


def action_label(action: int) -> str:
    """'aangemaakt', 'gewijzigd', 'verwijderd', 'ingezien'."""
    return {
        LogEntry.Action.CREATE: _("aangemaakt"),
        LogEntry.Action.UPDATE: _("gewijzigd"),
        LogEntry.Action.DELETE: _("verwijderd"),
        LogEntry.Action.ACCESS: _("ingezien"),
    }.get(action, str(action))


def shown_value(value) -> str:
    """A stored value as text: nothing as '—', booleans as 'ja'/'nee'."""
    if isinstance(value, list | tuple):
        return ", ".join(shown_value(v) for v in value) or EMPTY
    text = "" if value is None else str(value)
    if text in ("", "None", "[]", "{}") or _EMPTY_RELATION.fullmatch(text):
        return EMPTY
    if text == "True":
        return _("ja")
    if text == "False":
        return _("nee")
    return text


@dataclass(frozen=True)
class Change:
    label: str
    old: str | None  # None: not shown (a new object has no old value)
    new: str | None  # None: not shown (a deleted object has no new value)


def changes(entry: LogEntry) -> list[Change]:
    """The changes of one audit entry, readable; the primary key is left out (the page is
    already about the object)."""
    model = entry.content_type.model_class()
    hidden = {"id", "ID"}
    if model is not None:
        pk = model._meta.pk
        hidden |= {pk.name, str(pk.verbose_name), str(pk.verbose_name).capitalize()}
        # reverse relations (a segment's "children", "contracts"): not a field of the object
        hidden |= {f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete}
    try:
        display = entry.changes_display_dict
    except Exception:  # noqa: BLE001 - a model that no longer has the field: show the raw values
        display = entry.changes_dict
    rows = []
    for label, values in display.items():
        if str(label) in hidden:
            continue
        values = list(values) + [None, None]
        old, new = shown_value(values[0]), shown_value(values[1])
        if entry.action == LogEntry.Action.CREATE:
            if new == EMPTY:
                continue
            rows.append(Change(str(label), None, new))
        elif entry.action == LogEntry.Action.DELETE:
            rows.append(Change(str(label), old, None))
        else:
            rows.append(Change(str(label), old, new))
    return rows
