"""Bulk inserts for imports: COPY on PostgreSQL, bulk_create elsewhere.

Use inside the import's transaction:

    with BulkWriter() as bulk:
        ids = bulk.insert(Initiative, ["unit_id", "title", …], rows, count)

PostgreSQL:
- ids are reserved from the table's sequence in one query, so rows referring to new rows
  can be built before those are written;
- rows are streamed with COPY from any iterable: the Python that builds a row runs while
  the server is still indexing the rows already sent;
- foreign keys. Django declares them DEFERRABLE INITIALLY DEFERRED, so PostgreSQL queues one
  trigger per non-null reference of every inserted row and runs them one by one at COMMIT:
  for 200 000 registrations that is ~2 million lookups, most of a large import's time.
  When the database role may set `session_replication_role` (a superuser, or on
  PostgreSQL 15+ `GRANT SET ON PARAMETER session_replication_role`), the writer turns those
  triggers off for its own statements and checks the references itself, set-wise, before
  the transaction commits: for every referenced table, one `SELECT … FOR KEY SHARE` over the
  distinct ids actually written. That is what the triggers check and lock, row by row. Ids
  this writer inserted itself need no lock: no other transaction can see them yet.
  Without that privilege the triggers stay on; the import is slower, not less safe.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from operator import itemgetter

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections
from psycopg.adapt import Dumper
from psycopg.copy import QueuedLibpqWriter

BATCH = 2000


class ReferenceMissing(IntegrityError):
    """A row written by the import refers to a row that no longer exists."""


class BulkWriter:
    def __init__(self):
        # The connection (and so the transaction) of the thread that opens the writer.
        self.db = connections[DEFAULT_DB_ALIAS]
        self.pg = self.db.vendor == "postgresql"
        self.checks_references = False  # True: triggers off, references checked set-wise
        self._refs: dict = defaultdict(set)   # referenced model -> ids written
        self._own: dict = defaultdict(set)    # model -> ids inserted here
        self._previous_role = None

    # -- context ------------------------------------------------------------------------

    def __enter__(self):
        if self.pg and _may_set_replication_role(self.db):
            with self.db.cursor() as cur:
                cur.execute("SELECT current_setting('session_replication_role')")
                self._previous_role = cur.fetchone()[0]
                cur.execute("SET LOCAL session_replication_role = replica")
            self.checks_references = True
        return self

    def __exit__(self, exc_type, exc, tb):
        if not self.checks_references or exc_type is not None:
            return False  # on error the transaction rolls back, the setting with it
        with self.db.cursor() as cur:
            cur.execute("SELECT set_config('session_replication_role', %s, true)",
                        [self._previous_role])
        self.check_references()
        return False

    # -- writing --------------------------------------------------------------------------

    def insert(self, model, cols: list[str], rows, count: int) -> list[int] | range:
        """Insert `count` rows (tuples of the attnames `cols`, from any iterable; other fields
        get their defaults) and return their new ids in order."""
        if not count:
            return []
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        by_att = {f.attname: f for f in fields}
        rest = [f for f in fields if f.attname not in cols]
        if not self.pg:
            defaults = {f.attname: f.get_default() for f in rest}
            objs = [model(**defaults, **dict(zip(cols, r))) for r in rows]
            model.objects.bulk_create(objs, batch_size=BATCH)
            return [o.pk for o in objs]

        consts = tuple(_copy_value(f, f.get_default()) for f in rest)
        table = model._meta.db_table
        names = ", ".join(f'"{f.column}"' for f in [by_att[c] for c in cols] + rest)
        ids = self.reserve_ids(model, count)
        fk_cols = [(i, by_att[c].related_model) for i, c in enumerate(cols)
                   if by_att[c].is_relation] if self.checks_references else []
        kept = [] if fk_cols else None
        sent = 0
        with self.db.cursor() as cur:
            # A writer thread sends the data while this one formats the next rows.
            cur.cursor.adapters.register_dumper(dt.datetime, _SameDatetimeDumper)
            with cur.cursor.copy(f'COPY "{table}" (id, {names}) FROM STDIN',
                                 writer=QueuedLibpqWriter(cur.cursor)) as copy:
                write = copy.write_row
                keep = kept.append if kept is not None else None
                for pk, row in zip(ids, rows):
                    write((pk, *row, *consts) if consts else (pk, *row))
                    if keep:
                        keep(row)
                    sent += 1
        if sent != count:
            raise ValueError(f"{table}: {sent} rows for {count} ids")
        for i, target in fk_cols:
            values = set(map(itemgetter(i), kept))
            values.discard(None)
            self._refs[target].update(values)
        if self.checks_references:
            self._own[model].update(ids)
        return ids

    def reserve_ids(self, model, count: int) -> list[int] | range:
        """`count` new ids from the table's sequence. One query; the ids come back as a range
        when they are contiguous (they are unless another session took ids meanwhile), which
        spares parsing a 200 000-element array.

        The sequence is named by a scalar subquery, evaluated once: as the argument of
        nextval() itself, pg_get_serial_sequence() ran for every id (a catalog lookup, 8×
        the cost of nextval()). An array ordered inside the aggregate would be sorted even
        when the CASE drops it: it is sorted here, in the rare case it is needed."""
        with self.db.cursor() as cur:
            cur.execute(
                "SELECT min(v), max(v), CASE WHEN max(v) - min(v) + 1 = count(*) THEN NULL "
                "ELSE array_agg(v) END FROM (SELECT nextval((SELECT pg_get_serial_sequence"
                "(%s, 'id'))::regclass) AS v FROM generate_series(1, %s)) AS s",
                [model._meta.db_table, count])
            low, high, scattered = cur.fetchone()
        return range(low, high + 1) if scattered is None else sorted(scattered)

    def check_references(self) -> None:
        """Every id written into a foreign key exists; lock those rows like the FK triggers."""
        with self.db.cursor() as cur:
            for target, values in self._refs.items():
                values = values - self._own.get(target, set())
                if not values:
                    continue
                table = target._meta.db_table
                cur.execute(f'SELECT t.id FROM unnest(%s::bigint[]) AS u(id) JOIN "{table}" t '
                            "ON t.id = u.id FOR KEY SHARE OF t", [sorted(values)])
                found = {pk for (pk,) in cur.fetchall()}
                if len(found) != len(values):
                    missing = sorted(values - found)
                    raise ReferenceMissing(
                        f"{table}: không còn bản ghi id {', '.join(map(str, missing[:5]))}"
                        + (" …" if len(missing) > 5 else ""))
        self._refs.clear()


class _SameDatetimeDumper(Dumper):
    """COPY's datetimes, formatted once per distinct object. An import stamps every row
    with the same `now` (created_at, updated_at, at), and psycopg's own dumper formats
    it again for each: ~70% of the time to format a registration row. COPY's text format
    carries no type, so the text is all the server sees: `str()` of an aware datetime
    names its offset (a naive one is read in the session's time zone, as psycopg's own
    dumper has it)."""
    _last = _text = None

    def dump(self, obj):
        if obj is not self._last:
            self._last, self._text = obj, str(obj).encode()
        return self._text


def _copy_value(field, value):
    return json.dumps(value) if field.get_internal_type() == "JSONField" else value


def _may_set_replication_role(db) -> bool:
    with db.cursor() as cur:
        if db.pg_version >= 150000:
            cur.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
        else:
            cur.execute("SELECT current_setting('is_superuser') = 'on'")
        return bool(cur.fetchone()[0])
