"""SQLite's indexes beyond Django's schema: the title search's FTS5 table with the trigram
tokenizer over the models' folded `search_text`, the counterpart of PostgreSQL's GIN trigram
index, and SQLITE_INDEXES.

`search_text LIKE '%word%'` has no index to use on SQLite and reads every model (a million
at national scale: 0.35 s per search). A trigram FTS5 table answers the same question, "which
folded texts hold this substring", from its index. It is an external-content table (it keeps
the index, not a second copy of the text) kept in step by triggers, so every writer — the
ORM, bulk_update, the importer's raw inserts, a restore — maintains it without knowing.

`ensure(connection)` creates what is missing and runs after every `migrate`: Django remakes a
SQLite table to alter it (new table, copy, drop the old), and dropping the old table drops
its triggers and the indexes Django does not know of with it. A word shorter than three
characters has no trigram: the caller falls back to LIKE for it.
"""
from __future__ import annotations

from django.db.models.expressions import RawSQL

TABLE = "initiatives_initiative"
INDEX = "initiatives_search"
MIN_WORD = 3  # trigram: a shorter substring matches nothing in a full-text query

_TRIGGERS = {
    f"{INDEX}_ai": f"""CREATE TRIGGER {INDEX}_ai AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {INDEX}(rowid, search_text) VALUES (new.id, new.search_text); END""",
    f"{INDEX}_ad": f"""CREATE TRIGGER {INDEX}_ad AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {INDEX}({INDEX}, rowid, search_text)
        VALUES ('delete', old.id, old.search_text); END""",
    f"{INDEX}_au": f"""CREATE TRIGGER {INDEX}_au AFTER UPDATE OF search_text, id ON {TABLE}
        BEGIN
        INSERT INTO {INDEX}({INDEX}, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO {INDEX}(rowid, search_text) VALUES (new.id, new.search_text); END""",
}


# Indexes only SQLite needs. It groups by sorting (PostgreSQL hashes): the home page's counts
# per level and state of a phase sorted a million index entries (1.6 s) unless an index
# holds them in that order, which lets SQLite count them as they come (0.15 s).
SQLITE_INDEXES = {
    "registration_level_state_sqlite":
        "CREATE INDEX registration_level_state_sqlite ON initiatives_registration "
        "(phase_id, level_id, state, is_exceptional)",
}


def _names(cursor, kind: str) -> set[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = %s", [kind])
    return {row[0] for row in cursor.fetchall()}


def ensure(connection) -> bool:
    """Create the indexes and triggers where missing (SQLite only); True if it rebuilt the
    search index from the table. A no-op on other databases and on an SQLite without FTS5."""
    if connection.vendor != "sqlite" or not supported(connection):
        return False
    with connection.cursor() as cursor:
        tables = _names(cursor, "table")
        if TABLE not in tables:
            return False
        indexes = _names(cursor, "index")
        for name, sql in SQLITE_INDEXES.items():
            if name not in indexes:
                cursor.execute(sql)
        triggers = _names(cursor, "trigger")
        missing = [sql for name, sql in _TRIGGERS.items() if name not in triggers]
        if INDEX in tables and not missing:
            return False
        if INDEX not in tables:
            cursor.execute(f"CREATE VIRTUAL TABLE {INDEX} USING fts5(search_text, "
                           f"content='{TABLE}', content_rowid='id', tokenize='trigram')")
        for sql in missing:
            cursor.execute(sql)
        # Rows written while a trigger was missing (a table remake) are caught up here.
        cursor.execute(f"INSERT INTO {INDEX}({INDEX}) VALUES ('rebuild')")
    return True


def supported(connection) -> bool:
    """Whether this SQLite was built with FTS5 and the trigram tokenizer (3.34+)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()")
        version = tuple(int(p) for p in cursor.fetchone()[0].split(".")[:2])
        cursor.execute("PRAGMA compile_options")
        options = {row[0] for row in cursor.fetchall()}
    return version >= (3, 34) and "ENABLE_FTS5" in options


# Databases (by name) seen to hold the search index: `ensure` only creates it where FTS5 is
# supported, so its presence is all a search needs to know; once seen, it stays.
_READY: set[str] = set()


def ready(connection) -> bool:
    """Whether this database has the search index (checked once per process)."""
    if connection.vendor != "sqlite":
        return False
    key = str(connection.settings_dict.get("NAME"))
    if key not in _READY:
        with connection.cursor() as cursor:
            if INDEX not in _names(cursor, "table"):
                return False
        _READY.add(key)
    return True


def phrase(words) -> str:
    """An FTS5 query for texts holding every word as a substring: each word a quoted string
    (a quote inside doubled), side by side meaning AND."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def holding(words) -> RawSQL:
    """The ids of the models whose folded text holds every word (each ≥ MIN_WORD long)."""
    return RawSQL(f"SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH %s", [phrase(words)])
