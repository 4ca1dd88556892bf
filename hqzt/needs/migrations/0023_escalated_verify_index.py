# A supervisor's to-do list and its count on the home page read the few needs escalated to them
# awaiting verification from an index of their own (issue 18).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0022_type_registered_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="need",
            index=models.Index(
                condition=models.Q(("escalated", True), ("status", "awaiting_verification")),
                fields=["due_on", "id"],
                name="need_escalated_verify",
            ),
        ),
    ]
