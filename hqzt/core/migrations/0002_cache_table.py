"""The database cache's table (settings.CACHES): rate limits and lock-outs shared by all workers.

`createcachetable` makes the table of every configured database cache and skips existing ones, so
`migrate` is enough to run; with Redis configured it does nothing.
"""

from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
