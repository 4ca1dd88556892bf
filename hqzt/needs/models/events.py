"""A need's timeline: its events (the history, one per transition or step) and the handling steps
(处理过程)."""

from django.conf import settings
from django.db import models

from hqzt.core import clock
from hqzt.needs.models.need import (
    Need,
)


class NeedEvent(models.Model):
    """Every change to a need: transitions, handling steps, reminders, extensions, edits.

    The one table that is the need's history, the feed for notifications and the source of
    statistics (healthchecks' Flip). Append-only through the application.
    """

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField("时间", default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField("操作", max_length=40)
    # The round of handling the step was taken in (a verification concludes the round it
    # verified): round 1 stays readable after a 不满意 sends the need round again (§6.5.2).
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    from_status = models.CharField("原状态", max_length=30, blank=True)
    to_status = models.CharField("新状态", max_length=30, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(
        "企业可见", default=True, help_text="企业查询进度时可以看到的环节（不含内部备注）。"
    )

    class Meta:
        verbose_name = "需求办理记录"
        verbose_name_plural = "需求办理记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["need", "at"], name="need_event_need_at")]

    def __str__(self) -> str:
        return f"{self.need_id} {self.action}"


class HandlingStep(models.Model):
    """A step of 处理过程 on the tracking row (Appendix C)."""

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="steps")
    at = models.DateTimeField("记录时间", default=clock.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    description = models.TextField("处理过程")
    answered_enterprise = models.BooleanField("已向企业答复", default=False)
    round = models.PositiveSmallIntegerField("办理轮次", default=1)

    class Meta:
        verbose_name = "处理过程"
        verbose_name_plural = "处理过程"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.description[:30]
