"""跟踪单号 per station and year (R-3.2, issue 14): each station keeps its own ledger.

Numbers already given out never change: they are on receipts, SMS and paper sheets. Each station's
counter for a year starts after the highest serial it already holds, so its new numbers follow
its old ones (the old city-wide numbering left gaps in each station's series; ADR 0008).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Max


def counters_from_sheets(apps, schema_editor):
    TrackingSheet = apps.get_model("needs", "TrackingSheet")
    TrackingCounter = apps.get_model("needs", "TrackingCounter")
    highest = (
        TrackingSheet.objects.values("station_id", "year")
        .annotate(last=Max("serial"))
        .order_by("station_id", "year")
    )
    TrackingCounter.objects.bulk_create(
        TrackingCounter(station_id=row["station_id"], year=row["year"], last_serial=row["last"])
        for row in highest
    )


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0016_channel_web_portal_and_miniprogram"),
        ("stations", "0002_domain_and_site_kinds"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="trackingsheet", name="sheet_year_serial_unique"),
        migrations.AlterField(
            model_name="trackingsheet",
            name="tracking_number",
            field=models.CharField(db_index=True, max_length=16, verbose_name="跟踪单号"),
        ),
        migrations.AddConstraint(
            model_name="trackingsheet",
            constraint=models.UniqueConstraint(
                fields=("station", "year", "serial"), name="sheet_station_year_serial_unique"
            ),
        ),
        # The per-year counter is derived data: replaced by one per (station, year) rebuilt from
        # the sheets themselves.
        migrations.DeleteModel(name="TrackingCounter"),
        migrations.CreateModel(
            name="TrackingCounter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                (
                    "last_serial",
                    models.PositiveIntegerField(default=0, verbose_name="已用到的流水号"),
                ),
                (
                    "station",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="stations.station",
                        verbose_name="服务站",
                    ),
                ),
            ],
            options={
                "verbose_name": "跟踪单号计数",
                "verbose_name_plural": "跟踪单号计数",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("station", "year"), name="counter_station_year_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(counters_from_sheets, migrations.RunPython.noop),
    ]
