"""Maintained statistics: the figures of the statistics page summed per bucket (ADR 0009).

One row per station × audience × grain (day or month) × registration date × dimension × value.
`hqzt.dashboard.aggregates` keeps them in the transaction of every change to a need, and the
nightly `rebuild_stats` reconciles them, so the page sums a few thousand rows instead of grouping
the needs of a year.
"""

from django.db import models


class NeedStat(models.Model):
    class Grain(models.TextChoices):
        DAY = "d", "日"
        MONTH = "m", "月"

    station = models.ForeignKey("stations.Station", on_delete=models.CASCADE, related_name="+")
    # "" = the station's own figures; ",3,7," = the needs whose lead or co-handling sections are
    # exactly 3 and 7, which the users of those sections see (needs_visible_to).
    sections = models.CharField(max_length=200, blank=True, default="")
    grain = models.CharField(max_length=1, choices=Grain.choices)
    day = models.DateField()  # registration date; the month's first day for month rows
    dim = models.CharField(max_length=10)
    value = models.CharField(max_length=40, blank=True, default="")
    n = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    completed = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    rehandled = models.IntegerField(default=0)
    evaluated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    workdays_sum = models.IntegerField(default=0)
    workdays_n = models.IntegerField(default=0)
    accepted = models.IntegerField(default=0)

    class Meta:
        verbose_name = "统计汇总"
        verbose_name_plural = "统计汇总"
        constraints = [
            models.UniqueConstraint(
                fields=["dim", "grain", "day", "station", "sections", "value"],
                name="needstat_bucket",
            ),
        ]
        indexes = [
            # A scope's own rows (sections=""), station by station, a range of days: the page of
            # one small station reads its few rows, not every station's rows of the period, and
            # the audience rows of sections (most of the table) are not in it (issue 18).
            models.Index(
                fields=["dim", "grain", "station", "day"],
                condition=models.Q(sections=""),
                name="needstat_own",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station_id} {self.sections} {self.grain}{self.day} {self.dim}={self.value}"
