# A type and a period, the ledger's two most used filters: their bounded count reads one index
# (issue 18).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0021_search_tokens_of_whole_content"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="need",
            index=models.Index(
                fields=["need_type", "registered_on", "station"], name="need_type_registered"
            ),
        ),
    ]
