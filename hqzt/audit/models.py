"""The history of every change: who, when, what, before and after (SPEC R-3.8, R-9).

Rows are written by services in the same transaction as the change they describe, and the
application offers no way to edit or delete them.
"""

from django.conf import settings
from django.db import models

from hqzt.core import clock

ACTION_LABELS = {
    "create": "新建",
    "update": "修改",
    "delete": "删除",
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出",
    "otp_enrol": "启用两步验证",
    "otp_disable": "停用两步验证",
    "otp_failed": "两步验证码错误",
    "otp_recovery_used": "使用恢复码登录",
    "otp_reset": "重置两步验证",
    "api_token_issue": "签发 API 令牌",  # nosec B105 # a label, not a secret
    "api_token_revoke": "吊销 API 令牌",  # nosec B105 # a label, not a secret
    "purge": "保存期满销毁",
    "import": "导入",
    "reveal_phone": "查看完整号码",
    "reveal_phone_refused": "查看完整号码被拒绝",
    "rotate_encryption": "更换字段加密密钥",
}


class AuditEvent(models.Model):
    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField("操作", max_length=40)
    object_type = models.CharField("对象类型", max_length=60)
    object_id = models.CharField("对象编号", max_length=40)
    object_repr = models.CharField("对象", max_length=200)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    # Tamper evidence: each row's hash covers its content and the previous row's hash.
    prev_hash = models.CharField(max_length=64, default="", editable=False)
    hash = models.CharField(max_length=64, default="", editable=False)

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{clock.stamp(self.at)} {self.actor} {self.action_label} {self.object_repr}"

    @property
    def action_label(self) -> str:
        from hqzt.audit.labels import action_label  # it reads the apps' state machines

        return action_label(self.action)


class AuditChainHead(models.Model):
    """The hash of the newest audit row. Its single row is locked while a row is appended, so
    concurrent writers extend one chain instead of forking it."""

    last_hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return self.last_hash
