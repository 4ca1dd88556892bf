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


class WorkdayOverride(models.Model):
    """A day whose working status differs from the calendar package (or that it does not know):
    a holiday (is_workday off) or a make-up working day (is_workday on)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日", help_text="勾选：调休上班日；不勾选：放假日。")
    note = models.CharField("说明", max_length=100, blank=True, help_text="例如：2027年春节")

    class Meta:
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日与调休（补充日历）"
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '放假'}"
