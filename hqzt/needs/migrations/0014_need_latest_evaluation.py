from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    """Each need takes the level of its latest round's evaluation, in one UPDATE."""
    Need = apps.get_model("needs", "Need")
    Evaluation = apps.get_model("needs", "Evaluation")
    latest = Evaluation.objects.filter(need=OuterRef("pk")).order_by("-round").values("level")[:1]
    Need.objects.update(evaluation=Coalesce(Subquery(latest), Value("")))


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0013_handling_rounds"),
    ]

    operations = [
        migrations.AddField(
            model_name="need",
            name="evaluation",
            field=models.CharField(
                blank=True,
                choices=[
                    ("very_satisfied", "非常满意"),
                    ("satisfied", "满意"),
                    ("neutral", "一般"),
                    ("dissatisfied", "不满意"),
                ],
                max_length=20,
                verbose_name="评价结果",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
