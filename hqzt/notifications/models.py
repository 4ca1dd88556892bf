from django.conf import settings
from django.db import models

from hqzt.core import clock
from hqzt.core.fields import EncryptedPhoneField
from hqzt.core.phones import phone_mask


class Notification(models.Model):
    """A message in a user's in-app inbox (R-3.9). SMS and e-mail copies go through the queue."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField("时间", default=clock.now)
    kind = models.CharField("类别", max_length=30)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=200, blank=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        indexes = [models.Index(fields=["recipient", "read_at", "-id"], name="notif_inbox")]

    def __str__(self) -> str:
        return self.title


class OutboundMessage(models.Model):
    """An SMS or e-mail handed to a backend: the record that it was sent (or why not)."""

    class Channel(models.TextChoices):
        SMS = "sms", "短信"
        EMAIL = "email", "电子邮件"

    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    # A number, or an address of up to 254 characters whose ciphertext (Fernet, base64) is
    # about 1.7 times as long.
    to = EncryptedPhoneField("收件人", max_length=700)
    subject = models.CharField("主题", max_length=200, blank=True)
    body = models.TextField("内容")
    created_at = models.DateTimeField("生成时间", default=clock.now)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    error = models.TextField("发送失败原因", blank=True)

    class Meta:
        verbose_name = "短信/邮件发送记录"
        verbose_name_plural = "短信/邮件发送记录"

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.to_masked}"

    @property
    def to_masked(self) -> str:
        """138****1234, or a***@example.cn: the record shows that a message went, not to whom."""
        if "@" in self.to:
            local, _, domain = self.to.partition("@")
            return f"{local[:1]}***@{domain}"
        return phone_mask(self.to)
