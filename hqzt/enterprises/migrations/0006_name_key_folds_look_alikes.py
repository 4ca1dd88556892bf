"""The name key folds quotation marks, middle dots, bracket styles and trailing dashes, and the
names lose every default-ignorable character (probe P2-N1): the stored keys are recomputed."""

from django.db import migrations

from hqzt.enterprises.names import name_keys_refill


def refill(apps, schema_editor):
    name_keys_refill(apps.get_model("enterprises", "Enterprise"))


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0005_name_key"),
    ]

    operations = [
        migrations.RunPython(refill, migrations.RunPython.noop),
    ]
