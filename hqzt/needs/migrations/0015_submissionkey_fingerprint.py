from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("needs", "0014_need_latest_evaluation")]

    operations = [
        migrations.AddField(
            model_name="submissionkey",
            name="fingerprint",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
    ]
