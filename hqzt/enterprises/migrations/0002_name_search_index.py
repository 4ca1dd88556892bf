"""The n-gram full-text index behind Chinese name search (see hqzt.core.search). PostgreSQL
only: SQLite, the single-city default, searches by scanning."""

from django.db import migrations

from hqzt.core.search import search_index_sql

CREATE, DROP = search_index_sql("enterprises_enterprise")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
