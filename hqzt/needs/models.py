"""Enterprise needs (§6). This module holds the reference data the ledger classifies needs by."""

from django.db import models

from hqzt.core.models import ReferenceItem


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


class Channel(ReferenceItem):
    """渠道 (§6.2): how an inbound (找上门) need reached the station."""

    class Meta(ReferenceItem.Meta):
        verbose_name = "受理渠道"
        verbose_name_plural = "受理渠道"
