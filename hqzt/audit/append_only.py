"""Database triggers that refuse UPDATE and DELETE on the audit table (等保: 审计记录不可删改).

Installed by a migration on SQLite and PostgreSQL. The only way past them is a database
administrator dropping the trigger — which the hash chain then exposes. Test databases skip them
(AUDIT_APPEND_ONLY=False) because the test framework empties tables between tests; a test
installs them to prove they work.
"""

TABLE = "audit_auditevent"
MESSAGE = "audit log is append-only"

SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
SQLITE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
]
POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""",
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()",
]
POSTGRES_UNINSTALL = [f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}"]


def _statements(vendor: str, install: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_UNINSTALL
    if vendor == "postgresql":
        return POSTGRES_INSTALL if install else POSTGRES_UNINSTALL
    return []


def set_triggers(connection, *, install: bool) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install):
            cursor.execute(sql)
