"""SQLite's FTS5 token index (core/token_index.py): kept by triggers, restored by migrate."""

import pytest
from django.db import connection

from hqzt.core import search, token_index
from hqzt.enterprises.models import Enterprise
from hqzt.enterprises.tests.factories import EnterpriseFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's index"),
]
TABLE = Enterprise._meta.db_table


def _indexed(term: str) -> list[str]:
    """The names the index (not the walk) finds for `term`."""
    found = search._indexed(Enterprise.objects.all(), term, ("name",))
    return sorted(found.values_list("name", flat=True))


def test_searchable_tables_have_their_index_after_migrate():
    assert token_index.present(connection, TABLE)
    assert token_index.present(connection, "needs_need")
    assert search._token_indexed(Enterprise)


def test_the_index_follows_inserts_renames_and_deletes():
    first = EnterpriseFactory(name="泽州县铬铁冶炼有限公司")
    EnterpriseFactory(name="阳城县琉璃工艺有限公司")
    assert _indexed("铬铁") == ["泽州县铬铁冶炼有限公司"]
    first.name = "泽州县坩埚制造有限公司"
    first.save()
    assert _indexed("铬铁") == [] and _indexed("坩埚") == ["泽州县坩埚制造有限公司"]
    Enterprise.objects.filter(name__startswith="阳城县").delete()
    assert _indexed("琉璃") == []


def test_migrate_restores_triggers_a_table_rebuild_dropped():
    EnterpriseFactory(name="高平市丝麻纺织有限公司")
    with connection.cursor() as cursor:  # what SQLite's remake of an altered table does
        for suffix in ("insert", "delete", "update"):
            cursor.execute(f'DROP TRIGGER "{token_index.fts_table(TABLE)}_{suffix}"')
    EnterpriseFactory(name="高平市丝绸印染有限公司")  # written while nothing kept the index
    token_index.ensure(connection, [TABLE])
    assert token_index.present(connection, TABLE)
    assert _indexed("高平") == sorted(["高平市丝麻纺织有限公司", "高平市丝绸印染有限公司"])
