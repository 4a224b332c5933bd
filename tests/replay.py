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
first gets a recording of its own), today's date and the database. Content types and
permissions are left out of that state: pytest-django's flush after a transactional test
recreates them with new ids, so recorded references to a content type (audit entries) are
stored by natural key and translated to the current ids when replayed. Where the rows cannot be
inserted, ``build()`` simply runs as before.

Rows that were there before and that ``build()`` changed (the demo touches django-celery-beat's
change marker) are recorded as they were left and updated on replay. Nothing ``build()`` does
outside the database (a document file, the demo's report PDFs in MEDIA_ROOT) is undone by a
test, so the recorded rows may refer to it.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

#: recreated with new ids by every flush: not part of the state, referenced by natural key
_SCHEMA_MODELS = (ContentType, Permission)


@dataclass(frozen=True)
class _Table:
    name: str
    pk: str
    content_type_columns: tuple[str, ...] = ()  # foreign keys to ContentType
    permission_columns: tuple[str, ...] = ()  # foreign keys to Permission


@dataclass
class Recording:
    # table, columns, rows (content type ids replaced by (app_label, model))
    tables: list[tuple[_Table, list[str], list[tuple]]] = field(default_factory=list)
    # rows that were there before and that build() changed: table, columns, new rows
    updates: list[tuple[_Table, list[str], list[tuple]]] = field(default_factory=list)
    value: bytes = b""  # the builder's objects, pickled
    built_at: datetime | None = None


_recordings: dict[tuple, Recording] = {}
_tables: list[_Table] | None = None


def _model_tables() -> list[_Table]:
    global _tables
    if _tables is None:
        seen, tables = {m._meta.db_table for m in _SCHEMA_MODELS}, []
        for model in apps.get_models(include_auto_created=True):
            opts = model._meta
            if opts.proxy or not opts.managed or opts.db_table in seen:
                continue
            seen.add(opts.db_table)
            fks = [f for f in opts.concrete_fields if f.is_relation and f.many_to_one]
            tables.append(
                _Table(
                    opts.db_table,
                    opts.pk.column,
                    tuple(f.column for f in fks if f.related_model is ContentType),
                    tuple(f.column for f in fks if f.related_model is Permission),
                )
            )
        _tables = sorted(tables, key=lambda t: t.name)
    return _tables


def _state() -> tuple:
    """Row count and highest primary key of every table, in one query."""
    qn = connection.ops.quote_name
    parts = []
    for table in _model_tables():
        parts.append(f"(SELECT COUNT(*) FROM {qn(table.name)})")
        parts.append(f"(SELECT MAX({qn(table.pk)}) FROM {qn(table.name)})")
    for model in _SCHEMA_MODELS:
        parts.append(f"(SELECT COUNT(*) FROM {qn(model._meta.db_table)})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return tuple(row)


def _content_types() -> dict[int, tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, app_label, model FROM django_content_type")
        return {pk: (app_label, model) for pk, app_label, model in cursor.fetchall()}


def _existing_rows(state: tuple) -> dict[_Table, tuple[list[str], list[tuple]]]:
    """The rows that were there before ``build()`` (few: the worlds, post_migrate's tasks)."""
    qn = connection.ops.quote_name
    existing = {}
    with connection.cursor() as cursor:
        for i, table in enumerate(_model_tables()):
            if state[2 * i]:
                cursor.execute(
                    f"SELECT * FROM {qn(table.name)} WHERE {qn(table.pk)} <= %s",
                    [state[2 * i + 1]],
                )
                columns = [c[0] for c in cursor.description]
                existing[table] = (columns, cursor.fetchall())
    return existing


def _record(build, before: tuple) -> Recording:
    qn = connection.ops.quote_name
    recording = Recording()
    with transaction.atomic():
        recording.built_at = timezone.now()
        existing = _existing_rows(before)
        value = build()
        after = _state()
        if after[-len(_SCHEMA_MODELS) :] != before[-len(_SCHEMA_MODELS) :]:
            raise AssertionError(f"{build!r} added content types or permissions")
        content_types = None
        with connection.cursor() as cursor:
            for i, table in enumerate(_model_tables()):
                count_before, max_before = before[2 * i], before[2 * i + 1]
                if after[2 * i] == count_before and after[2 * i + 1] == max_before:
                    continue
                where = "" if max_before is None else f" WHERE {qn(table.pk)} > %s"
                cursor.execute(
                    f"SELECT * FROM {qn(table.name)}{where} ORDER BY {qn(table.pk)}",
                    [] if max_before is None else [max_before],
                )
                rows = cursor.fetchall()
                if len(rows) != after[2 * i] - count_before:
                    raise AssertionError(f"{build!r} changed rows it did not add in {table.name}")
                columns = [c[0] for c in cursor.description]
                if table.permission_columns:
                    raise AssertionError(f"{build!r} added rows that refer to permissions")
                if table.content_type_columns:
                    content_types = content_types or _content_types()
                    at = [columns.index(c) for c in table.content_type_columns]
                    rows = [
                        tuple(content_types.get(v, v) if j in at else v for j, v in enumerate(row))
                        for row in rows
                    ]
                recording.tables.append((table, columns, rows))
        for table, (columns, rows) in _existing_rows(before).items():
            changed = [row for row in rows if row not in existing[table][1]]
            if changed:
                if table.content_type_columns or table.permission_columns:
                    raise AssertionError(f"{build!r} changed rows that refer to content types")
                recording.updates.append((table, columns, changed))
        transaction.set_rollback(True)
    recording.value = pickle.dumps(value)
    return recording


def _write(cursor, table: _Table, columns: list[str], rows: list[tuple]) -> None:
    """Insert the rows with their recorded keys: on PostgreSQL with COPY (the demo's hundred
    thousand rows in seconds, not the quarter of a minute row by row) and the table's sequence
    moved past them, so rows the test makes afterwards get new keys."""
    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in columns)
    if connection.vendor != "postgresql":
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {qn(table.name)} ({names}) VALUES ({placeholders})", rows)
        return
    with cursor.cursor.copy(f"COPY {qn(table.name)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, %s), MAX(" + qn(table.pk) + ")) "
        f"FROM {qn(table.name)} HAVING MAX({qn(table.pk)}) IS NOT NULL "
        "AND pg_get_serial_sequence(%s, %s) IS NOT NULL",
        [table.name, table.pk, table.name, table.pk],
    )


def _insert(recording: Recording) -> None:
    qn = connection.ops.quote_name
    content_type_ids = None
    with transaction.atomic(), connection.cursor() as cursor:
        for table, columns, rows in recording.tables:
            if table.content_type_columns:
                if content_type_ids is None:
                    content_type_ids = {key: pk for pk, key in _content_types().items()}
                at = [columns.index(c) for c in table.content_type_columns]
                rows = [
                    tuple(
                        content_type_ids[v] if j in at and v is not None else v
                        for j, v in enumerate(row)
                    )
                    for row in rows
                ]
            _write(cursor, table, columns, rows)
        for table, columns, rows in recording.updates:
            at = columns.index(table.pk)
            assignments = ", ".join(f"{qn(c)} = %s" for c in columns)
            cursor.executemany(
                f"UPDATE {qn(table.name)} SET {assignments} WHERE {qn(table.pk)} = %s",
                [(*row, row[at]) for row in rows],
            )


#: tables whose rows post_migrate makes again after every flush (the periodic tasks of
#: reports and notifications), each time with the next ids
_HOUSEKEEPING_APP = "django_celery_beat"


def _same_housekeeping_rows() -> None:
    """In a transactional test (a browser test's live server): the post_migrate rows as on a
    fresh database. pytest-django flushes after such a test and post_migrate makes them again
    with the next ids, so every browser test would start from a state of its own, and record
    the demo again (a minute each); emptied with their ids reset and made again, they have the
    same ids each time. Only outside a transaction: the flush removes them anyway."""
    from django.core.management.color import no_style
    from django.core.management.sql import emit_post_migrate_signal

    models = list(apps.get_app_config(_HOUSEKEEPING_APP).get_models())
    # the tables that refer to them (a report schedule's task) go along when empty: PostgreSQL
    # truncates a referenced table only together with the tables that refer to it
    referring = {
        rel.related_model
        for model in models
        for rel in model._meta.related_objects
        if rel.related_model not in models
    }
    if any(model._base_manager.exists() for model in referring):
        return
    tables = [m._meta.db_table for m in (*models, *referring)]
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    except DatabaseError:
        return  # rows of other tables refer to them: leave them as they are
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)


def replayed(name: str, build):
    """``build()``'s objects and rows in this test, recorded once per starting state."""
    if not connection.in_atomic_block:
        _same_housekeeping_rows()
    key = (name, connection.alias, connection.settings_dict["NAME"], date.today(), _state())
    recording = _recordings.get(key)
    if recording is None or recording.built_at > timezone.now():
        recording = _recordings[key] = _record(build, key[-1])
    try:
        _insert(recording)
    except (IntegrityError, DatabaseError, KeyError):
        # Rows that cannot go in as recorded: build them as the test always did.
        del _recordings[key]
        return build()
    return pickle.loads(recording.value)
