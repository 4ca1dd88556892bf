"""Requests to extend a need's completion limit, decided by the station's chief or deputy."""

from django.conf import settings
from django.db import models

from hqzt.core import clock
from hqzt.needs.models.need import (
    Need,
)


class ExtensionRequest(models.Model):
    """延期申请: the handler asks for more working days; the chief decides (R-3.7)."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="extensions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=clock.now)
    working_days = models.PositiveSmallIntegerField("延期工作日")
    reason = models.TextField("延期理由")
    decision = models.CharField(max_length=10, choices=Decision.choices, default="pending")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"

    def __str__(self) -> str:
        return f"{self.need_id} 延期{self.working_days}个工作日"
