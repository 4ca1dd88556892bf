"""A persistent database connection (DB_CONN_MAX_AGE > 0) that died with a PostgreSQL restart is
replaced at the next request instead of failing it; tests/fault shows the whole scenario."""

import pytest
from django.db import close_old_connections, connection


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a server restart is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_to_a_database_restart_is_replaced_at_the_next_request():
    connection.ensure_connection()
    connection.close_at = None  # persistent, as in production with DB_CONN_MAX_AGE
    connection.connection.close()  # what a restart of the database does to it

    close_old_connections()  # the start of the next request
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="JIT is PostgreSQL's")
@pytest.mark.django_db
def test_the_app_connects_without_jit_compilation():
    """ADR 0013: JIT added 20–55 ms to a page's query whose estimate passed jit_above_cost."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
