"""Records that are not needs: a station's good practices (§6.6.3)."""

from django.conf import settings
from django.db import models

from hqzt.core.files import generated_name
from hqzt.core.models import TimeStamped


class GoodPractice(TimeStamped):
    """典型案例 as §6.6.3 means it: "取得工作经验、形成工作模式的，应进行宣传推广" — a station's
    way of working written up with photos and the needs it served, not only one archived need."""

    station = models.ForeignKey(
        "stations.Station",
        verbose_name="服务站",
        on_delete=models.PROTECT,
        related_name="good_practices",
    )
    title = models.CharField("案例标题", max_length=100)
    summary = models.TextField("经验做法", max_length=6000)
    needs = models.ManyToManyField(
        "needs.Need", verbose_name="相关需求", blank=True, related_name="good_practices"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="撰写人", on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "典型案例（工作经验）"
        verbose_name_plural = "典型案例（工作经验）"

    def __str__(self) -> str:
        return self.title


def _photo_path(instance: "PracticePhoto", filename: str) -> str:
    return generated_name("practices")


class PracticePhoto(models.Model):
    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=_photo_path, max_length=200)
    content_type = models.CharField(max_length=50)
    caption = models.CharField("说明", max_length=100, blank=True)

    class Meta:
        verbose_name = "案例照片"
        verbose_name_plural = "案例照片"

    def __str__(self) -> str:
        return self.caption or f"照片 {self.pk}"


def _book_path(instance: "ClosedBook", filename: str) -> str:
    return generated_name("books")


class ClosedBook(models.Model):
    """A volume of an archive book closed for a period (§6.6.2 统一归档): the station's records of
    that period, frozen into a PDF when closed and kept until its retention date (§6.6.4)."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", "一企一册"
        CHAIN = "chain", "一链一册"
        TOWN = "town", "一镇一册"

    station = models.ForeignKey(
        "stations.Station",
        verbose_name="服务站",
        on_delete=models.PROTECT,
        related_name="closed_books",
    )
    kind = models.CharField("档案册", max_length=10, choices=Kind.choices)
    subject_id = models.PositiveIntegerField("对象编号")
    title = models.CharField("题名", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    file = models.FileField(upload_to=_book_path, max_length=200)
    size = models.PositiveIntegerField("大小")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="封存人", on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField("封存时间")
    retention_until = models.DateField("保存期限")

    class Meta:
        verbose_name = "已封存档案册"
        verbose_name_plural = "已封存档案册"
        constraints = [
            models.UniqueConstraint(
                fields=["station", "kind", "subject_id", "year"],
                name="closed_book_once_per_year",
                violation_error_message="该服务站这一年度的档案册已经封存。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.year}年度）"
