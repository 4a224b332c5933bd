"""Expensive fixture data, built once per test process and replayed per test.

``replayed(name, build)`` returns what ``build()`` returns, as if ``build()`` had just run in this
test. The first time, it runs ``build()`` inside a savepoint, records the rows it added (every
table, audit entries included), rolls the savepoint back and keeps the recording with the
returned objects, pickled. Every time (the first included) it then inserts the recorded rows
with their recorded primary keys and unpickles the objects: fresh instances per test, with the
related objects cached as ``build()`` left them, so that in-memory changes cannot leak from one
test into the next. The test's own transaction (or, for transactional tests, pytest-django's
flush) removes the rows afterwards, as before.

A recording is only replayed into exactly the database state it was recorded from: the key is
the row count and highest primary key of every table (so a test that made rows of its own
first, or a flush that recreated the content types, gets a recording of its own), today's date
and the database. Where the rows cannot be inserted, ``build()`` simply runs as before.

The builders (``tests/conftest.py``) only add rows, and nothing they do outside the database
(a document file in MEDIA_ROOT) is undone by a test; ``replayed`` checks that the rows it
records are exactly the rows that were added.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone


@dataclass
class Recording:
    tables: list[tuple[str, list[str], list[tuple]]]  # table, columns, rows
    value: bytes  # the builder's objects, pickled
    built_at: datetime


_recordings: dict[tuple, Recording] = {}
_tables: list[tuple[str, str]] | None = None  # (table, primary key column) of every model


def _model_tables() -> list[tuple[str, str]]:
    global _tables
    if _tables is None:
        seen, tables = set(), []
        for model in apps.get_models(include_auto_created=True):
            opts = model._meta
            if opts.proxy or not opts.managed or opts.db_table in seen:
                continue
            seen.add(opts.db_table)
            tables.append((opts.db_table, opts.pk.column))
        _tables = sorted(tables)
    return _tables


def _state() -> tuple:
    """Row count and highest primary key of every table, in one query."""
    qn = connection.ops.quote_name
    parts = []
    for table, pk in _model_tables():
        parts.append(f"(SELECT COUNT(*) FROM {qn(table)})")
        parts.append(f"(SELECT MAX({qn(pk)}) FROM {qn(table)})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return tuple(row)


def _record(build, before: tuple) -> Recording:
    qn = connection.ops.quote_name
    with transaction.atomic():
        built_at = timezone.now()
        value = build()
        after = _state()
        tables = []
        with connection.cursor() as cursor:
            for i, (table, pk) in enumerate(_model_tables()):
                count_before, max_before = before[2 * i], before[2 * i + 1]
                count_after = after[2 * i]
                if count_after == count_before and after[2 * i + 1] == max_before:
                    continue
                where = "" if max_before is None else f" WHERE {qn(pk)} > %s"
                cursor.execute(
                    f"SELECT * FROM {qn(table)}{where} ORDER BY {qn(pk)}",
                    [] if max_before is None else [max_before],
                )
                rows = cursor.fetchall()
                if len(rows) != count_after - count_before:
                    raise AssertionError(f"{build!r} changed rows it did not add in {table}")
                columns = [c[0] for c in cursor.description]
                tables.append((table, columns, rows))
        transaction.set_rollback(True)
    return Recording(tables=tables, value=pickle.dumps(value), built_at=built_at)


def _insert(recording: Recording) -> None:
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table, columns, rows in recording.tables:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) "
                f"VALUES ({placeholders})",
                rows,
            )


def replayed(name: str, build):
    """``build()``'s objects and rows in this test, recorded once per starting state."""
    key = (name, connection.alias, connection.settings_dict["NAME"], date.today(), _state())
    recording = _recordings.get(key)
    if recording is None or recording.built_at > timezone.now():
        recording = _recordings[key] = _record(build, key[-1])
    try:
        _insert(recording)
    except (IntegrityError, DatabaseError):
        # Rows that cannot go in as recorded: build them as the test always did.
        del _recordings[key]
        return build()
    return pickle.loads(recording.value)
