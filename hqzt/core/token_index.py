"""The n-gram token index on SQLite: an FTS5 table over each searchable table's `search_ngrams`.

PostgreSQL indexes the tokens with GIN (a migration, `search.search_index_operation`). SQLite, the
embedded default, had nothing, so a rare term was found by testing every row: 1.2 s at 200,000
needs, growing with the ledger (issue 18). FTS5 is compiled into the SQLite of every CPython build
we know of; where it is missing, nothing is created and the search walks as before.

The FTS5 table is "external content" (it stores only the index, reading the text from the table
itself) and triggers keep it in step with every insert, delete and change of the tokens. They are
(re)created after every `migrate` rather than by a migration: SQLite rebuilds a table to alter it,
and dropping the old table drops its triggers, so a later migration of a searchable table would
silently stop the index. `ensure` recreates what is missing and then rebuilds the index from the
table, which makes it right whatever happened in between.
"""

import logging

from django.db import DatabaseError

logger = logging.getLogger(__name__)

FIELD = "search_ngrams"


def fts_table(table: str) -> str:
    return f"{table}_ngram_fts"


# Every name in the SQL below comes from a model's Meta (db_table) and constants, never from input.


def _statements(table: str) -> list[str]:
    fts, f = fts_table(table), FIELD
    remove = f'INSERT INTO "{fts}"("{fts}", rowid, {f}) VALUES (\'delete\', old.id, old.{f});'  # noqa: S608 # nosec B608 # names from Meta
    add = f'INSERT INTO "{fts}"(rowid, {f}) VALUES (new.id, new.{f});'  # noqa: S608 # nosec B608 # names from Meta
    return [
        f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" '
        f"USING fts5({f}, content='{table}', content_rowid='id')",
        f'CREATE TRIGGER IF NOT EXISTS "{fts}_insert" AFTER INSERT ON "{table}" BEGIN {add} END',
        f'CREATE TRIGGER IF NOT EXISTS "{fts}_delete" AFTER DELETE ON "{table}" BEGIN {remove} END',
        f'CREATE TRIGGER IF NOT EXISTS "{fts}_update" AFTER UPDATE OF {f} ON "{table}" '
        f"BEGIN {remove} {add} END",
    ]


def _triggers(cursor, table: str) -> int:
    cursor.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s "
        "AND name LIKE %s",
        [table, f"{fts_table(table)}_%"],
    )
    return cursor.fetchone()[0]


def ensure(connection, tables: list[str]) -> None:
    """Create the FTS5 table and triggers of each of `tables` where any is missing, then fill the
    index from the table (SQLite only)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table in tables:
            if _triggers(cursor, table) == 3:
                continue
            try:
                for statement in _statements(table):
                    cursor.execute(statement)
            except DatabaseError as error:  # an SQLite built without FTS5
                logger.warning("No token index for %s (%s): searches walk the table", table, error)
                return
            fts = fts_table(table)
            cursor.execute(f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')')  # noqa: S608 # nosec B608 # names from Meta
    _present.clear()


_present: dict[tuple[str, str], bool] = {}


def present(connection, table: str) -> bool:
    """Whether `table` has its token index on this (SQLite) database, asked once per process."""
    key = (str(connection.settings_dict["NAME"]), table)
    if key not in _present:
        with connection.cursor() as cursor:
            _present[key] = _triggers(cursor, table) == 3
    return _present[key]


def match_sql(table: str) -> str:
    """The ids of `table`'s rows holding every token of a MATCH expression (one parameter)."""
    fts = fts_table(table)
    return f'SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s'  # noqa: S608 # nosec B608 # names from Meta


def match_expression(tokens: list[str]) -> str:
    return " AND ".join(f'"{token}"' for token in tokens)
