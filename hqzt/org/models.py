"""The organisation: the tree of market-regulation bureaus and the sections that handle needs.

A station reports to a node of the tree (its 上级单位); a supervisor sees the subtree of the node
they belong to. The tree is stored with a materialised path ("/1/4/") so that "everything under
this county" is one indexed prefix query at any depth.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Concat, Substr


class OrgUnit(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        CITY = "city", "市级"
        COUNTY = "county", "县（市、区）级"

    name = models.CharField("单位名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region_code = models.CharField("行政区划代码", max_length=6, blank=True)
    supervision_phone = models.CharField("监督电话", max_length=30, blank=True)
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = "上级单位"
        verbose_name_plural = "上级单位（组织机构）"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # The path is derived from the parent chain; keep it and the subtree's paths in step.
        with transaction.atomic():
            old_path = self.path
            super().save(*args, **kwargs)
            parent_path = self.parent.path if self.parent_id else "/"
            new_path = f"{parent_path}{self.pk}/"
            if new_path != old_path:
                OrgUnit.objects.filter(pk=self.pk).update(path=new_path)
                if old_path:
                    OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                        path=Concat(models.Value(new_path), Substr("path", len(old_path) + 1))
                    )
                self.path = new_path

    def clean(self) -> None:
        if self.pk and self.parent_id:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": "上级单位不能是本单位或其下级单位。"})
                ancestor = ancestor.parent

    def subtree(self) -> models.QuerySet["OrgUnit"]:
        return OrgUnit.objects.filter(path__startswith=self.path)


class Section(models.Model):
    """A unit that handles dispatched needs: a bureau section (科室) or another department."""

    class Kind(models.TextChoices):
        BUREAU_SECTION = "bureau_section", "市场监管科室"
        OTHER_DEPARTMENT = "other_department", "其他部门"

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="sections"
    )
    contact_person = models.CharField("联系人", max_length=30, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "科室/部门"
        verbose_name_plural = "经办科室与其他部门"
        ordering = ["kind", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "name"], name="section_unique_per_unit")
        ]

    def __str__(self) -> str:
        return self.name
