"""Tracking sheets (跟踪单, Appendix C): the per-station counter that numbers them, the sheet, and
the keys that make a submission idempotent."""

from django.db import models

from hqzt.core import clock
from hqzt.core.models import TimeStamped


class TrackingCounter(models.Model):
    """The last serial a station issued in a year. Its row is locked while a sheet is numbered, so
    a station's serials are gapless and unique under concurrent registrations (R-3.2): each
    station keeps its own ledger (Appendix B), so each (station, year) has its own counter."""

    station = models.ForeignKey(
        "stations.Station", verbose_name="服务站", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    last_serial = models.PositiveIntegerField("已用到的流水号", default=0)

    class Meta:
        verbose_name = "跟踪单号计数"
        verbose_name_plural = "跟踪单号计数"
        constraints = [
            models.UniqueConstraint(fields=["station", "year"], name="counter_station_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.station_id}/{self.year}: {self.last_serial}"


class TrackingSheet(TimeStamped):
    """跟踪单 (Appendix C): one per 服务对象 and 跟踪单号; holds one or more needs.

    The 跟踪单号 is the station's own (R-3.2): two stations may both have 20250001. Where numbers
    meet across stations the station goes with it, as `reference` (ADR 0008).
    """

    tracking_number = models.CharField("跟踪单号", max_length=16, db_index=True)
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("流水号")
    station = models.ForeignKey(
        "stations.Station", verbose_name="服务站", on_delete=models.PROTECT, related_name="sheets"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="服务对象",
        on_delete=models.PROTECT,
        related_name="sheets",
    )

    class Meta:
        verbose_name = "需求处理跟踪单"
        verbose_name_plural = "需求处理跟踪单"
        constraints = [
            models.UniqueConstraint(
                fields=["station", "year", "serial"], name="sheet_station_year_serial_unique"
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """The number as written where it must be unique city-wide (portal, SMS, API)."""
        from hqzt.needs.numbering import reference

        return reference(self.station_id, self.tracking_number)


class SubmissionKey(models.Model):
    """Makes a submission idempotent: the portal's form key or an integration's external id.

    A retried or double-clicked submission finds its key and gets the sheet it already made,
    instead of a second one (R-9 "nothing duplicated").
    """

    key = models.CharField(max_length=200, unique=True)
    # What was submitted under the key (needs/intake.py::submission_fingerprint): the same key
    # with other content is refused, not answered with the first result. Empty on older rows.
    fingerprint = models.CharField(max_length=64, default="", editable=False)
    sheet = models.ForeignKey(TrackingSheet, on_delete=models.CASCADE, related_name="keys")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "提交幂等键"
        verbose_name_plural = "提交幂等键"

    def __str__(self) -> str:
        return self.key
