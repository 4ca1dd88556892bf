"""The main menu, by role. Each entry names the roles that see it; the views enforce access
independently, the menu only avoids showing people links they cannot use."""

from dataclasses import dataclass

from django.urls import reverse

from hqzt.accounts.models import Role, User

ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    section: str  # the URL prefix that marks the item active


NAV_ITEMS = [
    NavItem("首页", "dashboard:home", ALL_ROLES, "/home"),
    NavItem("待办", "needs:todo", ALL_ROLES - {Role.ADMIN}, "/todo"),
    NavItem("需求台账", "needs:ledger", ALL_ROLES, "/needs"),
    NavItem("统计", "dashboard:stats", ALL_ROLES, "/stats"),
    NavItem("站务", "operations:hub", ALL_ROLES - {Role.SECTION_HANDLER}, "/ops"),
    NavItem("政策库", "policies:list", ALL_ROLES, "/policies"),
    NavItem("监督", "supervision:hub", ALL_ROLES - {Role.ADMIN}, "/supervision"),
    NavItem(
        "规范自查", "supervision:conformance", ALL_ROLES - {Role.SECTION_HANDLER}, "/conformance"
    ),
    NavItem("服务站", "stations:list", ALL_ROLES, "/stations"),
    NavItem("企业", "enterprises:list", ALL_ROLES, "/enterprises"),
    NavItem("产业链", "enterprises:chain_list", ALL_ROLES, "/chains"),
    NavItem("专业镇", "enterprises:town_list", ALL_ROLES, "/towns"),
    NavItem("系统管理", "admin:index", frozenset({Role.ADMIN}), "/admin"),
]


def nav_for(user: User, path: str) -> list[dict[str, object]]:
    role = Role.ADMIN if user.is_admin else user.role
    return [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "active": path.startswith(item.section),
        }
        for item in NAV_ITEMS
        if role in item.roles
    ]
