"""The NeedStat rows the needs of one month give, computed by the database (ADR 0009).

`aggregates.buckets` says in Python which rows one need counts in; a full reconciliation asked
it for every need (≈ 4–12 ms a need, hours at a million). Here the same rows come from GROUP BY
statements, one month of registrations at a time, into temporary tables on the connection:

- `hqzt_stat_need`: one line per counted need of the month, read from the needs with the ORM —
  the `needs.measures` conditions compiled by Django as the ledger's filter is (so "on time"
  compares dates in the same time zone), the lead section, and the need's audience: the exact
  set of its lead and co-handling sections as aggregates.py writes it (",3,7,", ascending ids);
- `hqzt_stat_expected`: the day rows summed per dimension from those lines (chains and
  suggestion stages by joins), then the month rows summed from the day rows;
- `hqzt_stat_diff`: every key where the table's row differs from the expected one (a missing
  row counts as zeros), with both vectors, which the reconciliation reports and writes back.

Plain SQL that PostgreSQL and SQLite both run (no extension); the only vendor difference is
the string aggregate of the audience. tests/test_rebuild.py holds the result to the Python
definition row by row.
"""

import datetime

from django.db.models import (
    Case,
    CharField,
    F,
    Func,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from hqzt.dashboard.aggregates import COUNTS, FLAGS, VECTOR
from hqzt.needs.measures import COUNTED, MEASURES

NEED, EXPECTED, DIFF = "hqzt_stat_need", "hqzt_stat_expected", "hqzt_stat_diff"
KEY = ["station_id", "sections", "grain", "day", "dim", "value"]
INDEXED_KEY = ["dim", "grain", "day", "station_id", "sections", "value"]  # needstat_bucket's order
TEXT_DIMS = [dim for dim, _ in COUNTS]  # a column of hqzt_stat_need each, the value as text
DIMS = ["all", "section", *TEXT_DIMS, "level", "chain", "stage"]  # every dimension of the rows
_NEED_COLUMNS = [
    ("id", "bigint"),
    ("station_id", "bigint"),
    ("day", "date"),
    ("audience", "varchar(200)"),
    ("enterprise_id", "bigint"),
    ("evaluation", "varchar(40)"),
    ("section", "varchar(40)"),
    *((dim, "varchar(40)") for dim in TEXT_DIMS),
    *((name, "integer") for name in [*FLAGS, "workdays_sum", "workdays_n"]),
]
_KEY_COLUMNS = [
    ("station_id", "bigint"),
    ("sections", "varchar(200)"),
    ("grain", "varchar(1)"),
    ("day", "date"),
    ("dim", "varchar(10)"),
    ("value", "varchar(40)"),
]


class _Audience(Func):
    """ ",3,7,": the need's lead and co-handling sections, ascending, once each; NULL for none."""

    output_field = CharField()

    def __init__(self, through: str, need_column: str, section_column: str) -> None:
        super().__init__(F("pk"), F("lead_section_id"))
        self.through, self.need_column, self.section_column = through, need_column, section_column

    def as_sql(self, compiler, connection, **extra):
        (pk, pk_params), (lead, lead_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        q = connection.ops.quote_name
        ids = (
            f"SELECT c.{q(self.section_column)} AS sid FROM {q(self.through)} c "  # noqa: S608 # nosec B608 # names only
            f"WHERE c.{q(self.need_column)} = {pk} UNION SELECT {lead} WHERE {lead} IS NOT NULL"
        )
        if connection.vendor == "postgresql":
            joined = "string_agg(s.sid::text, ',' ORDER BY s.sid)"
        else:  # SQLite before 3.44 has no ORDER BY in an aggregate: it keeps the rows' order
            joined, ids = "group_concat(s.sid, ',')", f"{ids} ORDER BY 1"
        return f"(SELECT ',' || {joined} || ',' FROM ({ids}) s)", [*pk_params, *lead_params]  # noqa: S608 # nosec B608


def _text(field: str):
    return Coalesce(Cast(field, CharField()), Value(""))


def _flag(condition) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


class Expected:
    """The temporary tables of one reconciliation, on `connection`, for the given models (the
    live ones, or the historical ones in a migration)."""

    def __init__(self, connection, need_model, stat_model) -> None:
        self.connection, self.need_model, self.stat_model = connection, need_model, stat_model
        q = connection.ops.quote_name
        self.stat = q(stat_model._meta.db_table)
        co = need_model._meta.get_field("co_sections")
        self.co = (co.m2m_db_table(), co.m2m_column_name(), co.m2m_reverse_name())
        chains = need_model._meta.get_field("enterprise").related_model._meta.get_field("chains")
        self.chains = (q(chains.m2m_db_table()), q(chains.m2m_column_name()))
        self.chain_column = q(chains.m2m_reverse_name())
        records = need_model._meta.get_field("suggestion_records").related_model
        self.records = (q(records._meta.db_table), q(records._meta.get_field("need").column))

    def _run(self, sql: str, params=()) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)

    def _rows(self, sql: str, params=()) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def create(self) -> None:
        self.drop()
        vector = [(name, "integer") for name in VECTOR]
        tables = {
            NEED: _NEED_COLUMNS,
            EXPECTED: [*_KEY_COLUMNS, *vector],
            DIFF: [
                ("row_id", "bigint"),
                *_KEY_COLUMNS,
                *((f"e_{name}", "integer") for name in VECTOR),
                *((f"a_{name}", "integer") for name in VECTOR),
            ],
        }
        for table, columns in tables.items():
            body = ", ".join(f"{name} {kind}" for name, kind in columns)
            self._run(f"CREATE TEMPORARY TABLE {table} ({body})")
        # the probe of each table row into the expected ones (rows that should be zero)
        self._run(f"CREATE INDEX {EXPECTED}_key ON {EXPECTED} ({', '.join(INDEXED_KEY)})")

    def drop(self) -> None:
        for table in (NEED, EXPECTED, DIFF):
            self._run(f"DROP TABLE IF EXISTS {table}")

    # -- expected rows ------------------------------------------------------------------------

    def fill(self, first: datetime.date, end: datetime.date, stations=None) -> None:
        """The expected rows of the needs registered in [first, end), a whole month."""
        postgresql = self.connection.vendor == "postgresql"
        for table in (NEED, EXPECTED, DIFF):
            self._run(f"{'TRUNCATE' if postgresql else 'DELETE FROM'} {table}")  # nosec B608
        self._fill_needs(first, end, stations)
        for audience in ("''", "n.audience"):
            self._fill_days(audience)
        if postgresql:  # a temporary table has no statistics until asked; the joins want its size
            self._run(f"ANALYZE {NEED}")
        sums = ", ".join(f"SUM({name})" for name in VECTOR)
        self._run(
            f"INSERT INTO {EXPECTED} ({_KEY}, {_VECTOR}) "  # noqa: S608 # nosec B608 # names and constants only
            f"SELECT station_id, sections, 'm', %s, dim, value, {sums} FROM {EXPECTED} "
            "WHERE grain = 'd' GROUP BY station_id, sections, dim, value",
            [self.connection.ops.adapt_datefield_value(first)],
        )

    def _fill_needs(self, first, end, stations) -> None:
        needs = self.need_model.objects.filter(
            COUNTED, registered_on__gte=first, registered_on__lt=end
        )
        if stations is not None:
            needs = needs.filter(station_id__in=stations)
        columns = {
            "id": F("pk"),
            "station_id": F("station_id"),
            "day": F("registered_on"),
            "audience": _Audience(*self.co),
            "enterprise_id": F("enterprise_id"),
            "evaluation": F("evaluation"),
            "section": _text("lead_section_id"),
            **{dim: _text(field) for dim, field in COUNTS},
            **{name: _flag(MEASURES[name].q) for name in FLAGS},
            "workdays_sum": Coalesce(F("handling_workdays"), Value(0)),
            "workdays_n": _flag(Q(handling_workdays__isnull=False)),
        }
        aliased = needs.annotate(**{f"x_{k}": v for k, v in columns.items()})
        query = aliased.values(*(f"x_{k}" for k in columns)).order_by().query
        compiler = query.get_compiler(connection=self.connection)
        sql, params = compiler.as_sql()
        order = [alias.removeprefix("x_") for _, _, alias in compiler.select]
        self._run(f"INSERT INTO {NEED} ({', '.join(order)}) {sql}", params)

    def _fill_days(self, audience: str) -> None:
        where = "" if audience == "''" else f"{audience} IS NOT NULL"
        group = ["n.station_id", *([] if audience == "''" else [audience]), "n.day"]
        full = [
            "COUNT(*)",
            *(f"SUM(n.{name})" for name in [*FLAGS, "workdays_sum", "workdays_n"]),
            "0",
        ]
        one = ["COUNT(*)", *("0" for _ in VECTOR[1:])]
        families = [
            ("all", "''", full, "", ""),
            ("section", "n.section", full, "", ""),
            *((dim, f"n.{dim}", one, "", "") for dim in TEXT_DIMS),
            ("level", "n.evaluation", one, "", "n.evaluation <> ''"),
            (
                "chain",
                f"COALESCE(CAST(c.{self.chain_column} AS varchar(40)), '')",
                one,
                f"LEFT JOIN {self.chains[0]} c ON c.{self.chains[1]} = n.enterprise_id",
                "",
            ),
            (
                "stage",
                "r.stage",
                [
                    "COUNT(*)",
                    *("0" for _ in VECTOR[1:-1]),
                    "SUM(CASE WHEN r.accepted THEN 1 ELSE 0 END)",
                ],
                f"JOIN {self.records[0]} r ON r.{self.records[1]} = n.id",
                "",
            ),
        ]
        for dim, value, sums, join, condition in families:
            conditions = " AND ".join(c for c in (where, condition) if c)
            by = [*group, *([] if value == "''" else [value])]
            self._run(
                f"INSERT INTO {EXPECTED} ({_KEY}, {_VECTOR}) "  # noqa: S608 # nosec B608 # names and constants only
                f"SELECT n.station_id, {audience}, 'd', n.day, '{dim}', {value}, {', '.join(sums)} "
                f"FROM {NEED} n {join} {'WHERE ' + conditions if conditions else ''} "
                f"GROUP BY {', '.join(by)}"
            )

    # -- differences ---------------------------------------------------------------------------

    def compare(self, first: datetime.date, end: datetime.date, stations=None) -> int:
        """Fill hqzt_stat_diff with the keys whose row differs from the expected one: expected
        rows missing or different, and the table's non-zero rows of the month no need gives."""
        same_key = " AND ".join(f"a.{k} = e.{k}" for k in INDEXED_KEY)
        # the month's rows through needstat_bucket: each (dim, grain) a range of days
        dims = ", ".join(f"'{dim}'" for dim in DIMS)
        month = f"a.dim IN ({dims}) AND a.grain IN ('d', 'm') AND a.day >= %s AND a.day < %s"
        ops = self.connection.ops
        params = [ops.adapt_datefield_value(first), ops.adapt_datefield_value(end)]
        differs = " OR ".join(f"COALESCE(a.{n}, 0) <> e.{n}" for n in VECTOR)
        nonzero = " OR ".join(f"a.{n} <> 0" for n in VECTOR)
        actual = ", ".join(f"COALESCE(a.{n}, 0)" for n in VECTOR)
        self._run(
            f"INSERT INTO {DIFF} ({_DIFF}) SELECT a.id, {_with('e.', KEY)}, {_with('e.', VECTOR)}, "  # noqa: S608 # nosec B608 # names and constants only
            f"{actual} FROM {EXPECTED} e LEFT JOIN {self.stat} a ON {same_key} AND {month} "
            f"WHERE {differs}",
            params,
        )
        in_stations = ""
        if stations is not None:
            in_stations = f"AND a.station_id IN ({', '.join('%s' for _ in stations)})"
            params = [*params, *stations]
        self._run(
            f"INSERT INTO {DIFF} ({_DIFF}) SELECT a.id, {_with('a.', KEY)}, {_ZEROS}, "  # noqa: S608 # nosec B608 # names and constants only
            f"{_with('a.', VECTOR)} FROM {self.stat} a WHERE {month} "
            f"{in_stations} AND ({nonzero}) "
            f"AND NOT EXISTS (SELECT 1 FROM {EXPECTED} e WHERE {same_key})",
            params,
        )
        return self._rows(f"SELECT COUNT(*) FROM {DIFF}")[0][0]  # noqa: S608 # nosec B608

    def stations(self) -> list[int]:
        rows = self._rows(f"SELECT DISTINCT station_id FROM {DIFF} ORDER BY 1")  # noqa: S608 # nosec B608
        return [station for (station,) in rows]

    def examples(self, per_station: int) -> list[tuple]:
        """(key, expected, actual) of the first differing keys of each station, in key order."""
        rows = self._rows(
            f"SELECT * FROM (SELECT {_DIFF}, ROW_NUMBER() OVER (PARTITION BY station_id "  # noqa: S608 # nosec B608 # names and constants only
            f"ORDER BY sections, grain, day, dim, value) AS k FROM {DIFF}) d "
            f"WHERE d.k <= %s ORDER BY {_KEY}",
            [per_station],
        )
        width, found = len(VECTOR), []
        for row in rows:
            key = list(row[1:7])
            if isinstance(key[3], str):  # SQLite hands dates back as text
                key[3] = datetime.date.fromisoformat(key[3])
            vectors = row[7 : 7 + 2 * width]
            found.append((tuple(key), list(vectors[:width]), list(vectors[width:])))
        return found

    def correct(self) -> None:
        """Write the expected vectors over the differing rows and create the missing ones."""
        sets = ", ".join(f"{n} = d.e_{n}" for n in VECTOR)
        self._run(
            f"UPDATE {self.stat} SET {sets} FROM {DIFF} d "  # noqa: S608 # nosec B608 # names and constants only
            f"WHERE d.row_id IS NOT NULL AND {self.stat}.id = d.row_id"
        )
        self._run(
            f"INSERT INTO {self.stat} ({_KEY}, {_VECTOR}) SELECT {_KEY}, {_with('e_', VECTOR)} "  # noqa: S608 # nosec B608 # names and constants only
            f"FROM {DIFF} WHERE row_id IS NULL"
        )


def _with(prefix: str, names: list[str]) -> str:
    return ", ".join(f"{prefix}{name}" for name in names)


_KEY, _VECTOR = ", ".join(KEY), ", ".join(VECTOR)
_DIFF = f"row_id, {_KEY}, {_with('e_', VECTOR)}, {_with('a_', VECTOR)}"
_ZEROS = ", ".join("0" for _ in VECTOR)
