"""Users and their roles.

A user has exactly one role, which decides what they may do; where they may do it comes from
their memberships: stations (stations.StationMember), sections (`sections`), or, for a
supervisor, the organisation unit whose subtree they oversee (`org_unit`).
"""

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    SUPERVISOR = "supervisor", "上级单位/监督"
    CHIEF = "chief", "站长"
    DEPUTY_CHIEF = "deputy_chief", "副站长"
    RESIDENT_STAFF = "resident_staff", "驻站工作人员"
    SECTION_HANDLER = "section_handler", "经办科室人员"


STATION_ROLES = frozenset({Role.CHIEF, Role.DEPUTY_CHIEF, Role.RESIDENT_STAFF})
STATION_LEAD_ROLES = frozenset({Role.CHIEF, Role.DEPUTY_CHIEF})


class User(AbstractUser):
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    full_name = models.CharField("姓名", max_length=50)
    phone = models.CharField("手机号", max_length=20, blank=True)
    org_unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="上级单位/监督人员可查看本单位及下级单位的全部服务站。",
    )
    must_change_password = models.BooleanField(
        "下次登录须修改密码",
        default=False,
        help_text="管理员设置的初始密码，用户首次登录后必须修改。",
    )
    sections = models.ManyToManyField(
        "org.Section", verbose_name="所属科室/部门", blank=True, related_name="members"
    )

    REQUIRED_FIELDS = ["email", "full_name", "role"]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs) -> None:
        # The Django admin is the system administrator's configuration tool and nobody else's:
        # admin access follows the role, so it cannot drift from it.
        if self.is_superuser:
            self.role = Role.ADMIN
        self.is_staff = self.is_superuser = self.role == Role.ADMIN
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_station_staff(self) -> bool:
        return self.role in STATION_ROLES

    @property
    def is_station_lead(self) -> bool:
        return self.role in STATION_LEAD_ROLES

    @property
    def is_handler(self) -> bool:
        return self.role == Role.SECTION_HANDLER
