"""Enterprise.name_key: the name as the same-name checks compare it (probe E2), filled for every
enterprise already registered."""

from django.db import migrations, models

from hqzt.enterprises.names import name_keys_refill


def fill(apps, schema_editor):
    name_keys_refill(apps.get_model("enterprises", "Enterprise"))


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0004_enterprise_name_sort_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="enterprise",
            name="name_key",
            field=models.CharField(db_index=True, default="", editable=False, max_length=200),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
