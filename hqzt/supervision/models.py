"""External supervision (§7.2): opinions, suggestions and complaints from anyone."""

from django.db import models

from hqzt.core import clock


class Feedback(models.Model):
    class Kind(models.TextChoices):
        OPINION = "opinion", "意见"
        SUGGESTION = "suggestion", "建议"
        COMPLAINT = "complaint", "投诉"

    class Channel(models.TextChoices):
        PORTAL = "portal", "网上提交"
        PHONE = "phone", "监督电话"

    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    channel = models.CharField("来源", max_length=10, choices=Channel.choices)
    station = models.ForeignKey(
        "stations.Station",
        verbose_name="涉及服务站",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    name = models.CharField("姓名或单位", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    content = models.TextField("内容")
    created_at = models.DateTimeField("提交时间", default=clock.now, db_index=True)

    class Meta:
        verbose_name = "意见建议与投诉"
        verbose_name_plural = "意见建议与投诉"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"
