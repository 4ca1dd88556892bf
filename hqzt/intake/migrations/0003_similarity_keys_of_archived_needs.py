"""Similarity keys only for archived needs, with the need's station, under one index read newest
first per (key, station) (issue 16's ≤ 50 ms at 1M needs: bench/similar.py)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def keep_archived_with_station(apps, schema_editor):
    SimilarityKey = apps.get_model("intake", "SimilarityKey")
    Need = apps.get_model("needs", "Need")
    SimilarityKey.objects.filter(need__archived_at__isnull=True).delete()
    SimilarityKey.objects.update(
        station_id=Subquery(Need.objects.filter(pk=OuterRef("need_id")).values("station_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0002_similarity_keys"),
        ("needs", "0016_channel_web_portal_and_miniprogram"),
        ("stations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="similaritykey",
            name="station",
            field=models.ForeignKey(
                null=True,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="stations.station",
            ),
        ),
        migrations.RunPython(keep_archived_with_station, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="similaritykey",
            name="station",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="stations.station",
            ),
        ),
        migrations.AlterField(
            model_name="similaritykey",
            name="key",
            field=models.BigIntegerField(),
        ),
        migrations.AddIndex(
            model_name="similaritykey",
            index=models.Index(fields=["key", "station", "-need"], name="intake_similar_lookup"),
        ),
    ]
