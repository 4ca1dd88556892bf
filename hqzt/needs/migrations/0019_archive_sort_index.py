# The archive sorted by filing time (issue 15 item 2): a keyset walk of (archived_at, id), which
# also serves the archive's year filter (a range on archived_at).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0018_ledger_sort_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="need",
            index=models.Index(fields=["archived_at", "id"], name="need_archived_id"),
        ),
    ]
