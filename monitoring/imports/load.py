"""The staging table: checks across lines in SQL, then one set-based write.

Checked records go into a temporary table (PostgreSQL: ``COPY``; SQLite: ``executemany``),
one column per model field plus the file's row number. Then, set-based:

- a reference twice in the file;
- a reference already imported: identical → ``state = 's'`` (unchanged, not added); different
  content → ``state = 'd'``, an error (a change is a correction line);
- a correction whose target does not exist (not imported and not earlier in the file), is
  already corrected, or is corrected twice in the file;
- occupancy: more than one valid line per contract, facility and month (a line without a
  facility, from before facilities, counts for every facility of its contract).

:meth:`Stage.write` deactivates the corrected lines and inserts the new ones with
``INSERT … SELECT`` (the caller holds the transaction); :meth:`Stage.undo` takes that back when
the refresh after it fails. Checks against the line table probe its ``(contract, reference)``
index (``Stage.check`` forbids hash and merge joins for them). The table holds pseudonyms
only, never a BSN, and is dropped afterwards (and would vanish with the session anyway).
"""

# The SQL here is composed of identifiers from model metadata (quoted) and integers; every
# value from a file goes in as a parameter or through COPY.
# ruff: noqa: S608

from __future__ import annotations

from datetime import date

from django.db import connection
from django.utils.translation import gettext as _

from contracts.models import Contract
from monitoring.imports.models import LINE_MODELS, DatasetKind
from monitoring.imports.validate import (
    ERROR_LIMIT,
    FIELD_COLUMNS,
    KIND_FIELDS,
    SPAN_FIELDS,
    Errors,
    Lookups,
    scope_message,
)
from segments.models import Municipality

#: advisory lock class for "an import is writing in this region" (PostgreSQL)
LOCK_CLASS = 5_240_517
#: ``work_mem`` of the write's transaction (PostgreSQL): the INSERT … SELECT sorts by line number
WRITE_WORK_MEM = "128MB"


class Stage:
    def __init__(self, *, kind: str, batch_id: int, region_id: int, lookups: Lookups):
        self.kind = kind
        self.model = LINE_MODELS[kind]
        self.batch_id = batch_id
        self.region_id = region_id
        self.lookups = lookups
        self.postgres = connection.vendor == "postgresql"
        self.qn = connection.ops.quote_name
        self.table = self.qn(f"import_stage_{batch_id}")
        self.target = self.qn(self.model._meta.db_table)
        self.fields = KIND_FIELDS[kind]
        meta = self.model._meta
        self.columns = [meta.get_field(name).column for name in self.fields]
        self.buffer: list[tuple] = []
        self.staged = 0
        self.corrections = 0
        self.same_op = "IS NOT DISTINCT FROM" if self.postgres else "IS"
        self.locked = False

    # -- filling ---------------------------------------------------------------------------------

    def create(self) -> None:
        meta = self.model._meta
        typed = ", ".join(
            f"{self.qn(column)} {meta.get_field(name).db_type(connection)}"
            for name, column in zip(self.fields, self.columns, strict=True)
        )
        # PostgreSQL: room in every page, so that marking lines unchanged is a HOT update
        storage = " WITH (fillfactor = 50)" if self.postgres else ""
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} (line_no integer NOT NULL, "
                "contract_id bigint NOT NULL, reference varchar(64) NOT NULL, "
                "corrects varchar(64) NOT NULL, bad boolean NOT NULL, "
                "state char(1) NOT NULL DEFAULT 'n', active boolean NOT NULL DEFAULT true, "
                f"{typed}){storage}"
            )

    def _insert_columns(self) -> str:
        names = ["line_no", "contract_id", "reference", "corrects", "bad", *self.columns]
        return ", ".join(self.qn(n) for n in names)

    def add(self, record: tuple) -> None:
        self.buffer.append(record)
        if record[3]:
            self.corrections += 1

    def flush(self) -> None:
        if not self.buffer:
            return
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.copy(
                    f"COPY {self.table} ({self._insert_columns()}) FROM STDIN"
                ) as copy:
                    write_row = copy.write_row
                    for record in self.buffer:
                        write_row(record)
            else:
                marks = ", ".join(["%s"] * len(self.buffer[0]))
                cursor.executemany(
                    f"INSERT INTO {self.table} ({self._insert_columns()}) VALUES ({marks})",
                    [
                        tuple(v.isoformat() if isinstance(v, date) else v for v in record)
                        for record in self.buffer
                    ],
                )
        self.staged += len(self.buffer)
        self.buffer = []

    def copy_frame(self, accepted) -> None:
        """The rows the set-based check accepted (a polars frame in the staging columns, see
        :mod:`.vectorised`) with one ``COPY … (FORMAT csv)``; on SQLite ``executemany``."""
        if not accepted.height:
            return
        self.flush()
        self.corrections += accepted.filter(accepted["corrects"] != "").height
        with connection.cursor() as cursor:
            if self.postgres:
                import io

                buffer = io.BytesIO()
                # strings quoted: an empty text ("") is not NULL in CSV
                accepted.write_csv(buffer, include_header=False, quote_style="non_numeric")
                sql = f"COPY {self.table} ({self._insert_columns()}) FROM STDIN (FORMAT csv)"
                with cursor.copy(sql) as copy:
                    copy.write(buffer.getbuffer())
            else:
                marks = ", ".join(["%s"] * accepted.width)
                cursor.executemany(
                    f"INSERT INTO {self.table} ({self._insert_columns()}) VALUES ({marks})",
                    [
                        tuple(v.isoformat() if isinstance(v, date) else v for v in record)
                        for record in accepted.iter_rows()
                    ],
                )
        self.staged += accepted.height

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")

    # -- checks across lines ---------------------------------------------------------------------

    def prepare(self) -> None:
        """Indexes for the joins of the staging table with itself: only a file with
        corrections (and occupancy) has those; the checks against the line table probe *its*
        index, and the duplicate check hashes. (No ANALYZE: it costs more than it saves here;
        without statistics PostgreSQL estimates the table's size from its pages, which is
        enough.)"""
        with connection.cursor() as cursor:
            if self.corrections or self.kind == DatasetKind.OCCUPANCY:
                name = self.qn(f"import_stage_{self.batch_id}_ref")
                cursor.execute(f"CREATE INDEX {name} ON {self.table} (contract_id, reference)")
            if self.corrections:
                name = self.qn(f"import_stage_{self.batch_id}_cor")
                cursor.execute(f"CREATE INDEX {name} ON {self.table} (contract_id, corrects)")

    def lock(self) -> None:
        """One import at a time checks, writes and refreshes in a region: checks and write see
        the same lines, and the refresh after the write's commit is not interleaved with
        another import's write. A session lock (the write and the refresh are two
        transactions); :meth:`unlock` releases it."""
        if self.postgres and not self.locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_CLASS, self.region_id])
            self.locked = True

    def unlock(self) -> None:
        if self.locked:
            self.locked = False
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, self.region_id])

    def undo(self) -> list[tuple[date, date | None]]:
        """Take back a committed :meth:`write` (its refresh failed), in the caller's
        transaction: the lines it deactivated active again, the lines it inserted deleted
        (found through the staging table: index probes, no scan). Returns the spans."""
        S, T = self.table, self.target
        batch = int(self.batch_id)
        spans = self._spans()
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {T} SET active = true WHERE NOT active "
                f"AND ({T}.batch_id IS NULL OR {T}.batch_id <> {batch}) AND EXISTS (SELECT 1 "
                f"FROM {S} c WHERE c.state = 'n' AND c.corrects <> '' "
                f"AND c.contract_id = {T}.contract_id AND c.corrects = {T}.reference)"
            )
            cursor.execute(
                f"DELETE FROM {T} WHERE {T}.batch_id = {batch} AND EXISTS (SELECT 1 FROM {S} s "
                f"WHERE s.state = 'n' AND s.contract_id = {T}.contract_id "
                f"AND s.reference = {T}.reference)"
            )
        return spans

    def _spans(self) -> list[tuple[date, date | None]]:
        span_from, span_until = (
            self.qn(self.model._meta.get_field(f).column) for f in SPAN_FIELDS[self.kind]
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT {span_from}, {span_until} FROM {self.table} WHERE state = 'n'"
            )
            return [(_as_date(a), _as_date(b)) for a, b in cursor.fetchall()]

    def _collect(self, errors: Errors, sql: str, params, make) -> None:
        """Run a check query (selecting the line number first); every result is an error."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) q", params)
            total = cursor.fetchone()[0]
            if not total:
                return
            cursor.execute(f"{sql} ORDER BY 1 LIMIT {ERROR_LIMIT}", params)
            rows = cursor.fetchall()
        for result in rows:
            column, message = make(*result)
            errors.add(result[0], column, message)
        errors.count += total - len(rows)

    def _contract(self, contract_id: int) -> str:
        info = self.lookups.contracts_by_id.get(contract_id)
        return info.reference if info else str(contract_id)

    def check(self, errors: Errors) -> None:
        """All checks across lines; marks unchanged lines ``state = 's'``, changed ones
        ``'d'`` (new ones stay ``'n'``)."""
        if self.postgres:
            # every check against the line table probes its (contract, reference) index, a
            # few reads per staged line. Left to itself, the planner hash-joins the whole
            # table as soon as it knows the staging table's size (23 s instead of 1 s for
            # 100,000 lines against 10 million, see docs/import.md)
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_hashjoin = off")
                cursor.execute("SET LOCAL enable_mergejoin = off")
            try:
                self._check(errors)
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL enable_hashjoin TO DEFAULT")
                    cursor.execute("SET LOCAL enable_mergejoin TO DEFAULT")
        else:
            self._check(errors)

    def _check(self, errors: Errors) -> None:
        S, T = self.table, self.target
        same = " AND ".join(
            f"t.{self.qn(c)} {self.same_op} {S}.{self.qn(c)}" for c in ["corrects", *self.columns]
        )
        with connection.cursor() as cursor:
            # already imported: identical → 's' (unchanged), other content → 'd' (an error)
            cursor.execute(
                f"UPDATE {S} SET state = CASE WHEN {same} THEN 's' ELSE 'd' END FROM {T} t "
                f"WHERE t.contract_id = {S}.contract_id AND t.reference = {S}.reference "
                f"AND NOT {S}.bad"
            )
        # a reference twice in the file: the staging table with itself, hashed (nothing
        # probes the line table here, and the staging table has no index without corrections)
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_hashjoin = on")
        self._collect(
            errors,
            f"SELECT s.line_no, s.reference, s.contract_id, d.first FROM {S} s JOIN "
            f"(SELECT contract_id, reference, MIN(line_no) AS first FROM {S} "
            "GROUP BY contract_id, reference HAVING COUNT(*) > 1) d "
            "ON d.contract_id = s.contract_id AND d.reference = s.reference "
            "WHERE s.line_no > d.first",
            [],
            lambda row, ref, contract_id, first: (
                "referentie",
                _("Referentie %(ref)s van contract %(contract)s staat al in regel %(first)s.")
                % {"ref": ref, "contract": self._contract(contract_id), "first": first},
            ),
        )
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_hashjoin = off")
        # a reference already imported with other content
        content = ["corrects", *self.columns]
        picked = ", ".join(f"s.{self.qn(c)}, t.{self.qn(c)}" for c in content)
        self._collect(
            errors,
            f"SELECT s.line_no, s.reference, {picked} FROM {S} s JOIN {T} t "
            "ON t.contract_id = s.contract_id AND t.reference = s.reference "
            "WHERE s.state = 'd'",
            [],
            lambda row, ref, *pairs: ("referentie", self._differs_message(ref, pairs)),
        )
        if self.corrections:
            self._check_corrections(errors)
        if "municipality" in self.fields:
            self._check_scope(errors)
        if self.kind == DatasetKind.OCCUPANCY:
            self._check_occupancy(errors)

    def _check_scope(self, errors: Errors) -> None:
        """A line for a municipality outside its contract's municipalities, against the scopes
        as they are now, under the region's lock (the per-row check read them before it, and
        narrowing a scope takes the same lock, ``monitoring.imports.scope``). Nothing to do in
        a region without a scoped contract (one probe)."""
        S = self.table
        through = Contract.municipalities.through
        M = self.qn(through._meta.db_table)
        if not through.objects.filter(contract__region_id=self.region_id).exists():
            return
        municipality = self.qn(self.model._meta.get_field("municipality").column)
        names = dict(
            Municipality.objects.filter(region_id=self.region_id).values_list("pk", "name")
        )
        scopes: dict[int, list[str]] = {}
        for contract_id, municipality_id in through.objects.filter(
            contract__region_id=self.region_id
        ).values_list("contract_id", "municipality_id"):
            scopes.setdefault(contract_id, []).append(names.get(municipality_id, "?"))
        self._collect(
            errors,
            f"SELECT s.line_no, s.contract_id, s.{municipality} FROM {S} s "
            "WHERE NOT s.bad AND s.state <> 's' "
            f"AND EXISTS (SELECT 1 FROM {M} m WHERE m.contract_id = s.contract_id) "
            f"AND NOT EXISTS (SELECT 1 FROM {M} m WHERE m.contract_id = s.contract_id "
            f"AND m.municipality_id = s.{municipality})",
            [],
            lambda row, contract_id, municipality_id: (
                "gemeente",
                scope_message(
                    self._contract(contract_id),
                    names.get(municipality_id, str(municipality_id)),
                    sorted(scopes.get(contract_id, [])),
                ),
            ),
        )

    def _differs_message(self, reference: str, pairs) -> str:
        names = ["corrects", *self.fields]
        differing = []
        for i, name in enumerate(names):
            new, old = pairs[2 * i], pairs[2 * i + 1]
            if _normal(new) != _normal(old):
                differing.append(FIELD_COLUMNS.get(name, name))
        return _(
            "Referentie %(ref)s bestaat al met andere gegevens (verschil in: %(columns)s); "
            "lever een correctieregel met kolom corrigeert."
        ) % {"ref": reference, "columns": ", ".join(differing) or "?"}

    def _check_corrections(self, errors: Errors) -> None:
        S, T = self.table, self.target
        # the target is neither imported nor earlier in the file
        self._collect(
            errors,
            f"SELECT c.line_no, c.corrects, c.contract_id, "
            f"(SELECT MIN(l.line_no) FROM {S} l WHERE l.contract_id = c.contract_id "
            "AND l.reference = c.corrects) "
            f"FROM {S} c WHERE c.corrects <> '' AND c.state <> 's' "
            f"AND NOT EXISTS (SELECT 1 FROM {T} t WHERE t.contract_id = c.contract_id "
            "AND t.reference = c.corrects) "
            f"AND NOT EXISTS (SELECT 1 FROM {S} e WHERE e.contract_id = c.contract_id "
            "AND e.reference = c.corrects AND e.line_no < c.line_no)",
            [],
            self._missing_target_message,
        )
        # the target was corrected before
        self._collect(
            errors,
            f"SELECT c.line_no, c.corrects, (SELECT MIN(n.reference) FROM {T} n "
            "WHERE n.contract_id = t.contract_id AND n.corrects = t.reference AND n.active) "
            f"FROM {S} c JOIN {T} t ON t.contract_id = c.contract_id "
            "AND t.reference = c.corrects "
            "WHERE c.corrects <> '' AND c.state <> 's' AND NOT t.active",
            [],
            lambda row, target, current: (
                "corrigeert",
                (
                    _(
                        "Regel %(ref)s is al gecorrigeerd (door %(current)s); corrigeer de "
                        "geldende regel %(current)s."
                    )
                    % {"ref": target, "current": current}
                )
                if current
                else _("Regel %(ref)s is al gecorrigeerd.") % {"ref": target},
            ),
        )
        # two lines of the file correct the same line
        self._collect(
            errors,
            f"SELECT c.line_no, c.corrects, MIN(o.line_no) FROM {S} c JOIN {S} o "
            "ON o.contract_id = c.contract_id AND o.corrects = c.corrects "
            "AND o.line_no < c.line_no "
            "WHERE c.corrects <> '' AND c.state <> 's' AND o.state <> 's' "
            "GROUP BY c.line_no, c.corrects",
            [],
            lambda row, target, first: (
                "corrigeert",
                _("Regel %(ref)s wordt in dit bestand al gecorrigeerd door regel %(first)s.")
                % {"ref": target, "first": first},
            ),
        )
        # lines corrected by a later line of the file go in inactive
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {S} SET active = false WHERE state <> 's' AND EXISTS (SELECT 1 FROM {S} c "
                f"WHERE c.state <> 's' AND c.contract_id = {S}.contract_id "
                f"AND c.corrects = {S}.reference)"
            )

    def _missing_target_message(self, row, target, contract_id, later):
        if later:
            message = _(
                "Regel %(ref)s staat pas later in dit bestand (regel %(later)s); zet de regel "
                "die gecorrigeerd wordt vóór de correctie."
            ) % {"ref": target, "later": later}
        else:
            message = _(
                "Er is geen regel %(ref)s bij contract %(contract)s om te corrigeren (niet eerder "
                "geïmporteerd en niet eerder in dit bestand)."
            ) % {"ref": target, "contract": self._contract(contract_id)}
        return "corrigeert", message

    def _check_occupancy(self, errors: Errors) -> None:
        S, T = self.table, self.target
        month = self.qn("month")
        facility = self.qn("facility")
        # a valid line of that facility and month already imported and not corrected by this
        # file (a line without a facility is one of the whole contract)
        self._collect(
            errors,
            f"SELECT s.line_no, s.contract_id, s.{month}, t.reference, s.{facility} "
            f"FROM {S} s JOIN {T} t "
            f"ON t.contract_id = s.contract_id AND t.{month} = s.{month} AND t.active "
            f"AND (t.{facility} = s.{facility} OR t.{facility} = '' OR s.{facility} = '') "
            "AND t.reference <> s.reference "
            "WHERE s.state <> 's' AND s.active AND NOT s.bad "
            f"AND NOT EXISTS (SELECT 1 FROM {S} c WHERE c.state <> 's' "
            "AND c.contract_id = t.contract_id AND c.corrects = t.reference)",
            [],
            self._occupancy_message,
        )
        # two valid lines of the same facility and month in the file
        self._collect(
            errors,
            f"SELECT s.line_no, s.contract_id, s.{month}, MIN(o.reference), s.{facility} "
            f"FROM {S} s JOIN {S} o "
            f"ON o.contract_id = s.contract_id AND o.{month} = s.{month} AND o.line_no < s.line_no "
            f"AND o.{facility} = s.{facility} "
            "WHERE s.state <> 's' AND s.active AND NOT s.bad AND o.active AND NOT o.bad "
            f"GROUP BY s.line_no, s.contract_id, s.{month}, s.{facility}",
            [],
            self._occupancy_message,
        )

    def _occupancy_message(self, row, contract_id, month, other, facility=""):
        if isinstance(month, str):
            month = date.fromisoformat(month)
        values = {
            "contract": self._contract(contract_id),
            "month": f"{month:%Y-%m}",
            "other": other,
            "facility": facility,
        }
        if facility:
            return "maand", _(
                "Contract %(contract)s heeft voor %(month)s al een geldende bezettingsregel "
                "(referentie %(other)s) voor voorziening %(facility)s; per voorziening per "
                "maand geldt één regel. Corrigeer die regel met kolom corrigeert."
            ) % values
        return "maand", _(
            "Contract %(contract)s heeft voor %(month)s al een geldende bezettingsregel "
            "(referentie %(other)s); per maand geldt één regel. Corrigeer die regel met kolom "
            "corrigeert."
        ) % values

    # -- writing ---------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT state, corrects <> '', COUNT(*) FROM {self.table} GROUP BY 1, 2"
            )
            rows = cursor.fetchall()
        out = {"added": 0, "corrected": 0, "unchanged": 0}
        for state, correcting, n in rows:
            if state == "s":
                out["unchanged"] += n
            elif correcting:
                out["corrected"] += n
            else:
                out["added"] += n
        return out

    def write(self) -> list[tuple[date, date | None]]:
        """Deactivate the corrected lines, insert the new ones; the spans (from, until) of all
        lines added or deactivated."""
        S, T = self.table, self.target
        span_from, span_until = (
            self.qn(self.model._meta.get_field(f).column) for f in SPAN_FIELDS[self.kind]
        )
        spans: set[tuple] = set()
        with connection.cursor() as cursor:
            if self.corrections:
                # from the correction lines, a probe of the (contract, reference) index each
                cursor.execute(
                    f"UPDATE {T} SET active = false FROM {S} c WHERE {T}.active "
                    f"AND c.state = 'n' AND c.corrects <> '' "
                    f"AND {T}.contract_id = c.contract_id AND {T}.reference = c.corrects "
                    f"RETURNING {T}.{span_from}, {T}.{span_until}"
                )
                spans.update(cursor.fetchall())
            columns = ", ".join(self.qn(c) for c in self.columns)
            if self.postgres:
                # room to sort the staged lines by line number in memory (100,000 lines take
                # about 20 MB; with the default 4 MB the sort goes to disk), this transaction only
                cursor.execute(f"SET LOCAL work_mem = '{WRITE_WORK_MEM}'")
            cursor.execute(
                f"INSERT INTO {T} (region_id, batch_id, contract_id, reference, corrects, active, "
                f"{columns}) SELECT %s, %s, contract_id, reference, corrects, active, {columns} "
                f"FROM {S} WHERE state = 'n' ORDER BY line_no",
                [self.region_id, self.batch_id],
            )
            cursor.execute(f"SELECT DISTINCT {span_from}, {span_until} FROM {S} WHERE state = 'n'")
            spans.update(cursor.fetchall())
        return sorted(
            {(_as_date(a), _as_date(b)) for a, b in spans}, key=lambda s: (s[0], s[1] or date.max)
        )


def _normal(value):
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return None
    try:
        from decimal import Decimal

        return Decimal(str(value))
    except Exception:  # noqa: BLE001 - not a number: compare as it is
        return value


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def undo_batch(kind: str, batch_id: int) -> None:
    """Take back the lines a batch wrote when its import was cut off between the write's
    commit and the refresh (a worker lost; the task runs the batch again): the lines it
    deactivated active again, its own lines deleted. Without its staging table this scans
    the line table by batch (no index on ``batch``: only this rare path needs it)."""
    model = LINE_MODELS[kind]
    qn = connection.ops.quote_name
    T = qn(model._meta.db_table)
    batch = int(batch_id)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {T} SET active = true WHERE NOT active "
            f"AND ({T}.batch_id IS NULL OR {T}.batch_id <> {batch}) AND EXISTS (SELECT 1 "
            f"FROM {T} c WHERE c.batch_id = {batch} AND c.corrects <> '' "
            f"AND c.contract_id = {T}.contract_id AND c.corrects = {T}.reference)"
        )
        cursor.execute(f"DELETE FROM {T} WHERE batch_id = {batch}")
