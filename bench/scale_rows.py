"""How `bench/scale.py build` writes millions of rows quickly and still exactly as the app does.

`Table` turns a model's attribute values into the row its `save()` would insert: every concrete
field in the model's order, defaults from the field, `auto_now(_add)` stamped, a `PhoneHashField`
computed by its own `pre_save`, and every value passed through the field's `get_db_prep_save` on
this connection — so an encrypted phone is Fernet ciphertext made by `EncryptedPhoneField`, a date
is what the backend stores. Only the ciphertext is random, so every other field's prepared value
is kept per distinct input (a need's 60 fields take 60 dictionary look-ups, not 60 Django calls).

`Loader` writes those rows: on PostgreSQL with COPY (psycopg's copy API, one transaction per
batch), on SQLite with executemany in a transaction per batch (its FTS5 triggers run as for any
insert). Ids are given by the loader, in order, and the tables' sequences moved past them at the
end with the statements `loaddata` uses.

`deferred_indexes` drops a table's secondary indexes, unique and foreign-key constraints for the
load and creates them again from their own definitions afterwards, as `pg_restore` does: the
primary key stays, and every constraint is checked when it is added back.
"""

import contextlib
import threading
import time
import types
from collections.abc import Hashable

from django.core.management.color import no_style
from django.db import transaction

from hqzt.core.fields import EncryptedPhoneField, PhoneHashField


class Table:
    """Rows of `model` as its save() writes them (see the module's docstring)."""

    def __init__(self, model, connection):
        self.model = model
        self.connection = connection
        self.fields = list(model._meta.concrete_fields)
        self.columns = [field.column for field in self.fields]
        self._plan = [(field, _kind(field), {}) for field in self.fields]
        self._stamp = None

    def stamp(self, now) -> None:
        """The time `auto_now`/`auto_now_add` fields get: one per batch, as one save() has one."""
        self._stamp = now

    def row(self, values: dict) -> tuple:
        """The inserted row for `values` (attribute names: `station_id`, not `station`)."""
        row = []
        for field, kind, prepared in self._plan:
            if kind is _STAMP:
                value = self._stamp
            elif kind is _HASH:
                source = types.SimpleNamespace(**{field.source: values.get(field.source)})
                value = field.pre_save(source, add=True)
            elif field.attname in values:
                value = values[field.attname]
            else:
                value = field.get_default()
            if kind is _ENCRYPTED:  # a new IV each time: never reused
                row.append(field.get_db_prep_save(value, self.connection))
                continue
            try:
                row.append(prepared[value])
            except (KeyError, TypeError):  # new, or unhashable (a list, a dict)
                ready = field.get_db_prep_save(value, self.connection)
                # Kept for the few values a field repeats (types, states, dates); ids, texts
                # and hashes are nearly all different and would only fill memory.
                if len(prepared) < PREPARED_PER_FIELD and isinstance(value, Hashable):
                    prepared[value] = ready
                row.append(ready)
        return tuple(row)


_STAMP, _HASH, _ENCRYPTED, _PLAIN = "stamp", "hash", "encrypted", "plain"
PREPARED_PER_FIELD = 4_096


def _kind(field) -> str:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return _STAMP
    if isinstance(field, PhoneHashField):
        return _HASH
    if isinstance(field, EncryptedPhoneField):
        return _ENCRYPTED
    return _PLAIN


class Loader:
    """Writes `Table` rows with COPY (PostgreSQL) or executemany (SQLite), ids in order."""

    def __init__(self, connection):
        self.connection = connection
        self.models: list = []
        self.seconds = 0.0  # spent writing (the rest of a build is making the rows)

    def next_id(self, model) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')  # noqa: S608 # nosec B608 # name from Meta
            return cursor.fetchone()[0]

    def write(self, table: Table, rows: list[tuple]) -> None:
        if table.model not in self.models:
            self.models.append(table.model)
        quoted = ", ".join(f'"{column}"' for column in table.columns)
        name = table.model._meta.db_table
        started = time.perf_counter()
        with transaction.atomic(), self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.copy(f'COPY "{name}" ({quoted}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(table.columns))
                cursor.executemany(f'INSERT INTO "{name}" ({quoted}) VALUES ({marks})', rows)  # noqa: S608 # nosec B608 # names from Meta
        self.seconds += time.perf_counter() - started

    def finish(self) -> None:
        """Move each written table's id sequence past its rows (`loaddata` does the same)."""
        statements = self.connection.ops.sequence_reset_sql(no_style(), self.models)
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


@contextlib.contextmanager
def deferred_indexes(connection, models: list, *, during=None):
    """Drop the secondary indexes (not the partial ones) and the unique and foreign-key
    constraints of `models`' tables for the block, then create them again from their
    definitions (PostgreSQL; elsewhere a no-op), noting each statement's seconds in the list
    the block gets. The primary keys stay.

    The n-gram GIN indexes take most of that time (to_tsvector over every row's tokens, one
    core). Outside a transaction they are built on a second connection while this one builds
    the B-tree indexes and runs `during()` (the statistics rows, which need neither), with
    column statistics gathered first; the constraints are added once both are done. The
    re-creation runs even if the block fails (then one statement after the other, without
    `during`), so a scratch database is never left without them."""
    if connection.vendor != "postgresql":
        yield []
        if during:
            during()
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        # Inside a transaction (a test), deferred checks still pending on these tables or the
        # ones they reference would refuse ALTER TABLE: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype "
            "FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'f')",
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = indexrelid)",
            [tables],
        )
        # A partial index stays: its predicate, printed by pg_get_indexdef and read back, comes
        # out spelled differently from what the migration made (equal, but not the same text).
        # It holds only open needs, so keeping it up during the load costs little.
        indexes = [(name, d) for name, d in cursor.fetchall() if " WHERE " not in d]
        # Foreign keys first (a unique constraint may not go while one leans on it).
        for table, name, _, _ in sorted(constraints, key=lambda c: c[3] != "f"):
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    took: list[tuple[float, str]] = []
    failed = False
    try:
        yield took
    except BaseException:
        failed = True
        raise
    finally:
        definitions = [definition for _, definition in indexes]
        gin = [d for d in definitions if " USING gin " in d]
        alongside = not (failed or connection.in_atomic_block) and gin
        if alongside:
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {', '.join(tables)}")
            errors: list[BaseException] = []
            thread = threading.Thread(target=_create_elsewhere, args=(gin, took, errors))
            thread.start()
            _execute(connection, [d for d in definitions if d not in gin], took)
            if during:
                during()
            thread.join()
            if errors:
                raise errors[0]
        else:
            _execute(connection, definitions, took)
        _execute(
            connection,
            [
                f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
                for table, name, definition, _ in sorted(constraints, key=lambda c: c[3] == "f")
            ],
            took,
        )
        if during and not alongside and not failed:
            during()


def _execute(connection, statements: list[str], took: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for sql in statements:
            started = time.perf_counter()
            cursor.execute(sql)
            took.append((time.perf_counter() - started, sql))


def _create_elsewhere(statements: list[str], took: list, errors: list) -> None:
    """`statements` on this thread's own connection (Django's connections are per thread)."""
    from django.db import connection

    try:
        _execute(connection, statements, took)
    except BaseException as error:  # re-raised by the thread that waits for this one
        errors.append(error)
    finally:
        connection.close()
