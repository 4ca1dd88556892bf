"""系统管理 in Chinese where Django and django-axes print English that no translation catalog
can reach (issue 15 item 1): the alt text of the admin's yes/no icons, the axes app's name, the
two axes list columns without a description and the axes rows' own names. Strings that are
marked for translation are translated in locale/zh_Hans instead; this covers only the rest."""

from django.apps import apps
from django.contrib.admin.templatetags import admin_list
from django.templatetags.static import static
from django.utils.html import format_html

from hqzt.core import clock

_ICON = {True: ("yes", "是"), False: ("no", "否"), None: ("unknown", "未知")}


def _boolean_icon(field_val):
    name, text = _ICON[field_val]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{name}.svg"), text)


def _attempt_str(self) -> str:
    return f"登录尝试：{self.username} {clock.stamp(self.attempt_time)}"


def _log_str(self) -> str:
    return f"登录记录：{self.username} {clock.stamp(self.attempt_time)}"


def _failure_str(self) -> str:
    locked = "（已锁定）" if self.locked_out else ""
    return f"登录失败：{self.username}{locked} {clock.stamp(self.attempt_time)}"


def apply() -> None:
    # The admin's list, detail and read-only views all look this function up when they run.
    admin_list._boolean_icon = _boolean_icon
    if not apps.is_installed("axes"):
        return
    from axes.admin import AccessAttemptAdmin
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    apps.get_app_config("axes").verbose_name = "登录安全"
    AccessAttempt.__str__ = _attempt_str
    AccessLog.__str__ = _log_str
    AccessFailureLog.__str__ = _failure_str
    for method, label in (("status", "状态"), ("expiration", "过期时间")):
        if hasattr(AccessAttemptAdmin, method):
            getattr(AccessAttemptAdmin, method).short_description = label
