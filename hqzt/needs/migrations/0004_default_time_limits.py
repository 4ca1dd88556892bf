"""Reference data: the working-day limits of each stage (R-3.7), editable in the admin."""

from django.db import migrations

LIMITS = [
    ("accept", 1, 0),
    ("return", 2, 0),
    ("answer", 3, 1),
    ("complete", 15, 2),
    ("evaluate", 3, 1),
]


def load(apps, schema_editor):
    TimeLimit = apps.get_model("needs", "TimeLimit")
    for stage, days, warn in LIMITS:
        TimeLimit.objects.get_or_create(
            stage=stage, defaults={"working_days": days, "warn_days": warn}
        )


class Migration(migrations.Migration):
    dependencies = [("needs", "0003_ledger_sheets_and_workflow")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
