"""What the classifier suggested at each decision and what the person chose: the 建议采纳率 on
the statistics page, and a record of overrides (the retraining itself reads the needs people
identified and dispatched, so it always learns the final decision)."""

from django.conf import settings
from django.db import models

from hqzt.core import clock


class SuggestionRecord(models.Model):
    class Stage(models.TextChoices):
        TYPE = "type", "需求类型"
        IDENTIFY = "identify", "职能范围与难易程度"
        DISPATCH = "dispatch", "牵头科室"
        LIAISE = "liaise", "对接部门"

    need = models.ForeignKey(
        "needs.Need",
        verbose_name="企业需求",
        on_delete=models.CASCADE,
        related_name="suggestion_records",
    )
    stage = models.CharField("环节", max_length=10, choices=Stage.choices)
    suggested = models.CharField("系统建议", max_length=100)
    confidence = models.FloatField("建议可信度")
    chosen = models.CharField("人员选择", max_length=100)
    accepted = models.BooleanField("采纳建议")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("时间", default=clock.now)

    class Meta:
        verbose_name = "识别建议记录"
        verbose_name_plural = "识别建议记录"
        indexes = [models.Index(fields=["need", "stage"], name="suggestion_need_stage")]

    def __str__(self) -> str:
        verdict = "采纳" if self.accepted else "改为"
        return f"{self.get_stage_display()}：建议 {self.suggested}，{verdict} {self.chosen}"


class SimilarityKey(models.Model):
    """One LSH band of an archived need's text (intake/similar.py): archived needs sharing a key
    with a new text are candidates for "以往相似需求". The index reads one key's needs at the
    user's stations newest first, so the lookup is independent of the number of needs; the
    station is the need's own (it never changes), kept here so that the index can filter by it.
    """

    need = models.ForeignKey("needs.Need", on_delete=models.CASCADE, related_name="+")
    station = models.ForeignKey(
        "stations.Station", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    key = models.BigIntegerField()

    class Meta:
        verbose_name = "相似需求索引"
        verbose_name_plural = "相似需求索引"
        indexes = [models.Index(fields=["key", "station", "-need"], name="intake_similar_lookup")]

    def __str__(self) -> str:
        return f"{self.need_id}:{self.key}"
