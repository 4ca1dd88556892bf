"""Enterprises, the industry chains they form and the specialised towns they sit in (SPEC R-2)."""

from django.db import models, transaction

from hqzt.core.fields import EncryptedPhoneField, PhoneHashField
from hqzt.core.models import TimeStamped
from hqzt.core.search import ngrams
from hqzt.core.text import name_clean
from hqzt.enterprises.names import enterprise_name_key


class Chain(TimeStamped):
    """产业链: a named industrial chain, led by a 链主 with backbone enterprises (§6.6.2 a)."""

    name = models.CharField(
        "产业链名称",
        max_length=100,
        unique=True,
        error_messages={"unique": "已有同名产业链。"},
    )
    description = models.TextField("简介", blank=True)
    chain_leader = models.ForeignKey(
        "Enterprise",
        verbose_name="链主企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_chains",
    )
    backbone_enterprises = models.ManyToManyField(
        "Enterprise", verbose_name="骨干企业", blank=True, related_name="backbone_of_chains"
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "产业链"
        verbose_name_plural = "产业链"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Town(TimeStamped):
    """专业镇: a town specialised in one industry (§6.6.2 b)."""

    name = models.CharField(
        "专业镇名称",
        max_length=100,
        unique=True,
        error_messages={"unique": "已有同名专业镇。"},
    )
    county = models.CharField("所在县（市、区）", max_length=50)
    leading_industry = models.CharField("主导产业", max_length=100)
    description = models.TextField("简介", blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "专业镇"
        verbose_name_plural = "专业镇"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Enterprise(TimeStamped):
    class Size(models.TextChoices):
        LARGE = "large", "大型"
        MEDIUM = "medium", "中型"
        SMALL = "small", "小型"
        MICRO = "micro", "微型"

    name = models.CharField("企业名称", max_length=200, db_index=True)
    # Nullable: a need phoned in or imported from an old ledger may name an enterprise whose code
    # nobody has yet. Unique where present (NULLs never collide on SQLite or PostgreSQL).
    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        error_messages={"unique": "该统一社会信用代码已登记，不能重复添加。"},
    )
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    industry = models.CharField("所属行业", max_length=100, blank=True)
    size = models.CharField("企业规模", max_length=10, choices=Size.choices, blank=True)
    main_products = models.TextField("主要产品", blank=True)
    management_situation = models.TextField("管理情况", blank=True)
    chains = models.ManyToManyField(
        Chain, verbose_name="所属产业链", blank=True, related_name="enterprises"
    )
    town = models.ForeignKey(
        Town,
        verbose_name="所属专业镇",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    search_ngrams = models.TextField(editable=False, default="")
    # The name as the same-name checks compare it (enterprises/names.py), kept by save().
    name_key = models.CharField(max_length=200, editable=False, default="", db_index=True)

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        # The list sorted by name (issue 15): a keyset walk of (name, id).
        indexes = [models.Index(fields=["name", "id"], name="enterprise_name_id")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        enterprise = super().from_db(db, field_names, values)
        enterprise._saved_name = enterprise.__dict__.get("name")
        return enterprise

    def save(self, *args, **kwargs) -> None:
        self.name = name_clean(self.name)  # whatever path the name came by (import, admin …)
        self.search_ngrams = ngrams(self.name)
        self.name_key = enterprise_name_key(self.name)
        # Read by post_save receivers: needs' search tokens hold the name (needs/search_text.py).
        saved = getattr(self, "_saved_name", None)
        self.renamed = saved is not None and self.name != saved
        # One transaction with the statistics a new town moves (hqzt/dashboard/signals.py) and
        # the needs' tokens a rename moves.
        with transaction.atomic():
            super().save(*args, **kwargs)
        self._saved_name = self.name


class EnterpriseContact(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField("联系人", max_length=50)
    position = models.CharField("职务", max_length=50, blank=True)
    phone = EncryptedPhoneField("联系电话")
    phone_hash = PhoneHashField(source="phone")
    is_primary = models.BooleanField("主要联系人", default=False)

    class Meta:
        verbose_name = "企业联系人"
        verbose_name_plural = "企业联系人"
        ordering = ["-is_primary", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.enterprise}）"

    def save(self, *args, **kwargs) -> None:
        self.name = name_clean(self.name)
        super().save(*args, **kwargs)
