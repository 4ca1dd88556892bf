"""政策库 (§5.3 a): policies the station collects and interprets for its enterprises."""

from django.db import models

from hqzt.core.files import generated_name
from hqzt.core.models import TimeStamped
from hqzt.core.search import ngrams


def policy_file_path(instance: "Policy", filename: str) -> str:
    return generated_name("policies")


# DB1405 §5.3 a
class Policy(TimeStamped):
    title = models.CharField("政策名称", max_length=200)
    station = models.ForeignKey(
        "stations.Station",
        verbose_name="收集解读的服务站",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="policies",
    )
    issuer = models.CharField("发文单位", max_length=100)
    document_number = models.CharField("文号", max_length=100, blank=True)
    issued_on = models.DateField("发布日期")
    valid_until = models.DateField("有效期至", null=True, blank=True, help_text="留空表示长期有效")
    chains = models.ManyToManyField(
        "enterprises.Chain", verbose_name="适用产业链", blank=True, related_name="policies"
    )
    towns = models.ManyToManyField(
        "enterprises.Town", verbose_name="适用专业镇", blank=True, related_name="policies"
    )
    industries = models.CharField(
        "适用行业", max_length=200, blank=True, help_text="多个行业用顿号分隔，如：铸造、机械"
    )
    need_types = models.ManyToManyField(
        "needs.NeedType", verbose_name="相关需求类型", blank=True, related_name="policies"
    )
    summary = models.TextField("内容摘要")
    interpretation = models.TextField("政策解读", blank=True)
    attachment = models.FileField("附件", upload_to=policy_file_path, blank=True, max_length=200)
    attachment_name = models.CharField(max_length=200, blank=True)
    needs = models.ManyToManyField(
        "needs.Need", verbose_name="关联需求", blank=True, related_name="policies"
    )
    search_ngrams = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = "政策"
        verbose_name_plural = "政策"

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.search_ngrams = ngrams(self.title, self.document_number)
        super().save(*args, **kwargs)

    @property
    def industry_list(self) -> list[str]:
        return [i.strip() for i in self.industries.replace(",", "、").split("、") if i.strip()]
