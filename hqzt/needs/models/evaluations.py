"""§6.5.1 evaluations (Appendix D) and the one-time links that invite them."""

from django.conf import settings
from django.db import models

from hqzt.core import clock
from hqzt.needs.models.need import (
    EvaluationLevel,
    Need,
)


class Evaluation(models.Model):
    """满意度评价 (§6.5, Appendix D), one per round of handling."""

    class Method(models.TextChoices):
        LINK = "link", "企业在线评价"
        PHONE = "phone", "电话回访"
        VISIT = "visit", "上门回访"

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="evaluations")
    round = models.PositiveSmallIntegerField("轮次")
    level = models.CharField("评价结果", max_length=20, choices=EvaluationLevel.choices)
    comments = models.TextField("意见建议", blank=True)
    method = models.CharField("评价方式", max_length=10, choices=Method.choices)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="征集人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("评价时间", default=clock.now)

    class Meta:
        verbose_name = "满意度评价"
        verbose_name_plural = "满意度评价"
        ordering = ["round"]
        constraints = [
            models.UniqueConstraint(fields=["need", "round"], name="evaluation_once_per_round")
        ]

    def __str__(self) -> str:
        return self.get_level_display()


class EvaluationInvitation(models.Model):
    """A one-time link for the enterprise to evaluate (§6.5). Only the token's hash is stored."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="invitations")
    round = models.PositiveSmallIntegerField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "评价邀请"
        verbose_name_plural = "评价邀请"

    def __str__(self) -> str:
        return f"{self.need_id} 第{self.round}轮"
