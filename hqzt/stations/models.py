"""Stations (§5.1–5.2) and the people who staff them (§5.4)."""

from django.conf import settings
from django.db import models

from hqzt.core.models import ReferenceItem, TimeStamped


class DomainKind(ReferenceItem):
    """服务领域类别 (§5.1). The code decides which register the served domain points at."""

    class Code(models.TextChoices):
        CHAIN = "chain", "产业链"
        TOWN = "town", "专业镇"
        KEY_ENTERPRISE = "key_enterprise", "行业重点企业"

    code = models.SlugField("代码", max_length=40, unique=True, choices=Code.choices)

    class Meta(ReferenceItem.Meta):
        verbose_name = "服务领域类别"
        verbose_name_plural = "服务领域类别"


# DB1405 §5.2.1
class SiteKind(ReferenceItem):
    """选址类型 (§5.2.1): where a station is set up."""

    class Meta(ReferenceItem.Meta):
        verbose_name = "选址类型"
        verbose_name_plural = "选址类型"


# DB1405 §5.1 §5.2.2
class Station(TimeStamped):
    name = models.CharField(
        "站点名称",
        max_length=100,
        unique=True,
        error_messages={"unique": "已有同名服务站，请更换站点名称。"},
    )
    domain_kind = models.ForeignKey(
        DomainKind, verbose_name="服务领域类别", on_delete=models.PROTECT
    )
    chain = models.ForeignKey(
        "enterprises.Chain",
        verbose_name="服务的产业链",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stations",
    )
    town = models.ForeignKey(
        "enterprises.Town",
        verbose_name="服务的专业镇",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stations",
    )
    domain_name = models.CharField(
        "服务领域",
        max_length=100,
        blank=True,
        help_text="行业重点企业类站点填写所服务的行业或企业，例如：煤层气行业重点企业。",
    )
    site_kind = models.ForeignKey(SiteKind, verbose_name="选址类型", on_delete=models.PROTECT)
    host_organization = models.CharField(
        "依托单位", max_length=100, blank=True, help_text="例如：巴公市场监管所、某集团公司"
    )
    address = models.CharField("地址", max_length=200)
    route_guidance = models.TextField("路线指引", blank=True)
    service_content = models.TextField("服务内容")
    contact_phones = models.CharField("联系电话", max_length=100)
    # §6.2: the 即时通讯 channel is published beside the 小程序 and the 客服电话.
    im_contact = models.CharField(
        "即时通讯",
        max_length=100,
        blank=True,
        help_text="企业找到本站的即时通讯方式，例如：微信群“光机电惠企直通”、企业微信号。",
    )
    im_link = models.URLField(
        "即时通讯加入链接",
        max_length=300,
        blank=True,
        help_text="微信群或企业微信的加入链接；公示页和公示海报上印成二维码，企业扫码加入。",
    )
    supervision_phone = models.CharField("监督投诉电话", max_length=30)
    superior_unit = models.ForeignKey(
        "org.OrgUnit", verbose_name="上级单位", on_delete=models.PROTECT, related_name="stations"
    )
    established_on = models.DateField("设立日期", null=True, blank=True)
    is_active = models.BooleanField("启用", default=True)
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise",
        verbose_name="服务企业",
        blank=True,
        related_name="stations",
    )
    # How many enterprises the station serves (rows of `enterprises`), kept by stations/counts.py
    # in the transaction of every change to the links and reconciled by `rebuild_stats`: the
    # station tables read it instead of counting a province's links on every view (issue 18).
    enterprise_count = models.PositiveIntegerField("服务企业数", default=0, editable=False)

    class Meta:
        verbose_name = "服务站"
        verbose_name_plural = "服务站"

    def __str__(self) -> str:
        return self.name

    @property
    def domain_display(self) -> str:
        """The served domain as people name it: the chain, the town or the free text."""
        if self.chain_id:
            return self.chain.name
        if self.town_id:
            return self.town.name
        return self.domain_name


class StationRole(models.TextChoices):
    """As what a person works at one station (§5.4.1–5.4.2). It belongs to the membership, not
    the user: someone can be chief of one station and resident staff of another."""

    CHIEF = "chief", "站长"
    DEPUTY_CHIEF = "deputy_chief", "副站长"
    RESIDENT_STAFF = "resident_staff", "驻站工作人员"


LEAD_ROLES = (StationRole.CHIEF, StationRole.DEPUTY_CHIEF)
ONE_CHIEF_MESSAGE = (
    "每个服务站只能有一名在岗站长：该服务站已有在岗站长，请先将其调离或改任后再安排新站长。"
)
# One refusal for everyone at a station, chief and deputy included (§5.4.4 applies to all staff).
UNTRAINED_MESSAGE = "{who}尚未完成上岗培训（§5.4.4），不能{what}，请先完成上岗培训。"


# DB1405 §5.4.1 §5.4.2
class StationMember(TimeStamped):
    """A user working at a station, in the role they hold there (chief, deputy, resident)."""

    station = models.ForeignKey(
        Station, verbose_name="服务站", on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="人员",
        on_delete=models.CASCADE,
        related_name="station_memberships",
    )
    role = models.CharField(
        "岗位", max_length=20, choices=StationRole.choices, default=StationRole.RESIDENT_STAFF
    )
    is_active = models.BooleanField("在岗", default=True)
    onboarding_trained_on = models.DateField(
        "上岗培训完成日期", null=True, blank=True, help_text="§5.4.4 熟悉业务流程后方可上岗。"
    )

    class Meta:
        verbose_name = "驻站人员"
        verbose_name_plural = "驻站人员"
        constraints = [
            models.UniqueConstraint(fields=["station", "user"], name="station_member_unique"),
            # §5.4.1 / §5.5.1 站长负责制: one active chief per station, whatever writes the row
            # (the staff page, the admin, its inlines, a role change). A partial unique index:
            # SQLite and PostgreSQL both enforce it; model validation shows the message.
            models.UniqueConstraint(
                fields=["station"],
                condition=models.Q(role="chief", is_active=True),
                name="station_one_active_chief",
                violation_error_message=ONE_CHIEF_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}（{self.station}）"

    @property
    def is_lead(self) -> bool:
        return self.role in LEAD_ROLES
