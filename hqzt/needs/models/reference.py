"""Reference lists of needs: types (§5.3 c) and their aliases, 受理渠道, time limits."""

from django.db import models

from hqzt.core.models import ReferenceItem
from hqzt.needs.states import Stage


# DB1405 §5.3 c
class NeedType(ReferenceItem):
    """企业需求类型 (Appendix B column), e.g. 计量, 标准化, 政策咨询."""

    default_section = models.ForeignKey(
        "org.Section",
        verbose_name="默认牵头科室",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="站长分发任务时预先选中的牵头科室。",
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = "需求类型"
        verbose_name_plural = "需求类型"


class NeedTypeAlias(models.Model):
    """Another name stations use for a need type in their spreadsheets (e.g. 计量检定 → 计量)."""

    alias = models.CharField("别名", max_length=50, unique=True)
    need_type = models.ForeignKey(NeedType, verbose_name="需求类型", on_delete=models.CASCADE)

    class Meta:
        verbose_name = "需求类型别名"
        verbose_name_plural = "需求类型别名（台账导入）"

    def __str__(self) -> str:
        return f"{self.alias} → {self.need_type}"


class Channel(ReferenceItem):
    """渠道 (§6.2): how an inbound (找上门) need reached the station."""

    class Meta(ReferenceItem.Meta):
        verbose_name = "受理渠道"
        verbose_name_plural = "受理渠道"


class TimeLimit(models.Model):
    """Working days allowed for each stage (R-3.7), editable by the admin."""

    stage = models.CharField("环节", max_length=20, choices=Stage.choices, unique=True)
    working_days = models.PositiveSmallIntegerField("时限（工作日）")
    warn_days = models.PositiveSmallIntegerField(
        "提前提醒（工作日）", default=1, help_text="到期前多少个工作日开始黄色提醒并催办。"
    )

    class Meta:
        verbose_name = "办理时限"
        verbose_name_plural = "办理时限"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}：{self.working_days}个工作日"
