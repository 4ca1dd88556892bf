# The enterprise list sorted by name (issue 15 item 2): a keyset walk of (name, id).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0003_encrypt_contact_phone"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="enterprise",
            index=models.Index(fields=["name", "id"], name="enterprise_name_id"),
        ),
    ]
