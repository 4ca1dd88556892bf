"""Abstract building blocks shared by the domain apps."""

from django.db import models


class ReferenceItem(models.Model):
    """A row of admin-editable reference data (need types, channels, site kinds …).

    `code` is the stable identifier that code and imports use; `name` is what users see and may be
    renamed in the admin without breaking anything. Items are deactivated, never deleted, because
    records point at them.
    """

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class TimeStamped(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True
