"""Enterprise.name_key: the name as the same-name checks compare it (probe E2), filled for every
enterprise already registered."""

from django.db import migrations, models

from hqzt.enterprises.names import enterprise_name_key


def fill(apps, schema_editor):
    Enterprise = apps.get_model("enterprises", "Enterprise")
    batch = []
    for enterprise in Enterprise.objects.only("pk", "name").iterator(chunk_size=2000):
        enterprise.name_key = enterprise_name_key(enterprise.name)
        batch.append(enterprise)
        if len(batch) == 2000:
            Enterprise.objects.bulk_update(batch, ["name_key"])
            batch = []
    if batch:
        Enterprise.objects.bulk_update(batch, ["name_key"])


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
