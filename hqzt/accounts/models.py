"""Users and their roles.

A user has exactly one role, which decides what kind of work they do; where they may do it comes
from their memberships: stations (stations.StationMember, which also says as what — chief, deputy
or resident staff — since that belongs to the station, §5.4), sections (`sections`), or, for a
supervisor, the organisation unit whose subtree they oversee (`org_unit`).
"""

from django.contrib.auth.models import AbstractUser
from django.db import models, transaction

from hqzt.core import clock


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    SUPERVISOR = "supervisor", "上级单位/监督"
    STATION_STAFF = "station_staff", "服务站人员"
    SECTION_HANDLER = "section_handler", "经办科室人员"


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
    password_changed_at = models.DateTimeField(
        "密码修改时间",
        default=clock.now,
        help_text="等保安全配置下，密码超过规定天数须修改。",
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
        if self.is_active or self.pk is None:
            super().save(*args, **kwargs)
            return
        # An inactive account holds no API token, however it was deactivated: a token must not
        # come back to life when the account is reactivated (probe T2). The admin revokes first
        # with itself as the actor (UserAdmin.save_model); this catches every other path.
        from hqzt.accounts.tokens import personal_tokens_revoke

        with transaction.atomic():
            super().save(*args, **kwargs)
            personal_tokens_revoke(
                tokens=self.personal_tokens.all(), actor=None, reason="账号已停用"
            )

    def set_password(self, raw_password: str | None) -> None:
        # Every way a password is set (own change, the admin, createsuperuser) passes here, so
        # the age that periodic rotation looks at cannot be forgotten by one of them.
        super().set_password(raw_password)
        self.password_changed_at = clock.now()

    def check_password(self, raw_password: str) -> bool:
        # A successful check may re-hash the same password with stronger parameters through
        # set_password; that is not a new password and must not restart its age.
        changed_at = self.password_changed_at
        matches = super().check_password(raw_password)
        self.password_changed_at = changed_at
        return matches

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
        return self.role == Role.STATION_STAFF

    @property
    def role_label(self) -> str:
        """What people call this user's role: for station staff, their post at their station."""
        if self.is_station_staff:
            member = self.station_memberships.filter(is_active=True).order_by("role").first()
            if member is not None:
                return member.get_role_display()
        return self.get_role_display()

    @property
    def is_handler(self) -> bool:
        return self.role == Role.SECTION_HANDLER


class SecondFactor(models.Model):
    """A user's TOTP authenticator (RFC 6238). Active once `confirmed_at` is set: a secret is only
    trusted after the user has shown a code from it, so a mistyped enrolment cannot lock them out.
    """

    user = models.OneToOneField(
        User, verbose_name="用户", on_delete=models.CASCADE, related_name="second_factor"
    )
    # Encrypted at rest (core/crypto.py): a copy of the database alone cannot mint codes.
    secret_encrypted = models.CharField(max_length=255, editable=False)
    created_at = models.DateTimeField("创建时间", default=clock.now)
    confirmed_at = models.DateTimeField("启用时间", null=True, blank=True)
    # The newest time step a code was accepted for: a code is good once (no replay).
    last_step = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "两步验证"
        verbose_name_plural = "两步验证"

    def __str__(self) -> str:
        return f"{self.user} 的两步验证"


class RecoveryCode(models.Model):
    """A one-time code for when the authenticator is lost; only a keyed hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "恢复码"
        verbose_name_plural = "恢复码"
        indexes = [models.Index(fields=["user", "code_hash"])]

    def __str__(self) -> str:
        return f"{self.user} 的恢复码"


class PersonalToken(models.Model):
    """A staff member's API token (`Authorization: Token …`, api/authentication.py). Only its hash
    is kept, as for integration tokens (core.crypto.token_hash): the token is shown once, when it
    is issued (accounts/tokens.py). A user may hold several, one per client."""

    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.CASCADE, related_name="personal_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The token's first characters, as the integration tokens keep theirs: enough for the user
    # and the administrator to tell one token from another, far too few to use (probe T2).
    key_prefix = models.CharField("令牌前缀", max_length=8, blank=True, editable=False)
    created = models.DateTimeField("签发时间", default=clock.now)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌（工作人员）"

    def __str__(self) -> str:
        prefix = f"（{self.key_prefix}…）" if self.key_prefix else ""
        return f"{self.user} 的 API 令牌{prefix}"
