"""Tokens for external platforms (e.g. a 12345 hotline) that push needs and read their status."""

import secrets

from django.conf import settings
from django.db import models

from hqzt.core import clock
from hqzt.core.crypto import token_hash

TOKEN_PREFIX = "hqzt_"  # noqa: S105 # nosec B105 # a visible prefix, not a secret


class IntegrationToken(models.Model):
    name = models.CharField("名称", max_length=100, help_text="例如：12345政务服务便民热线平台")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField("令牌前缀", max_length=16, editable=False)
    station = models.ForeignKey(
        "stations.Station",
        verbose_name="限定服务站",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="留空表示全市范围（可向任一服务站推送）。",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=clock.now)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "对接令牌"
        verbose_name_plural = "对接令牌（12345等平台）"

    def __str__(self) -> str:
        return f"{self.name}（{self.key_prefix}…）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def issue(self) -> str:
        """Give the token a new secret; returns it. Only its hash is stored, so show it once."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.key_hash, self.key_prefix = token_hash(raw), raw[:12]
        return raw
