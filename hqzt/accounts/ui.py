"""The staff shell's left menu, grouped by work, the breadcrumbs that follow from it, and the
user menu's role and place (accounts.context_processors.shell puts them on every page). They
live in accounts, not core, because they are the user's roles (ADR 0011).

Each entry names the roles that see it; a group shows only if the user sees one of its entries.
The views enforce access independently — the menu only avoids offering people links they cannot
use (tests check that every entry a persona sees answers, and the exact set per persona)."""

from dataclasses import dataclass

from django.urls import reverse

from hqzt.accounts.models import Role, User

ALL_ROLES = frozenset(Role)
NOT_ADMIN = ALL_ROLES - {Role.ADMIN}
NOT_HANDLER = ALL_ROLES - {Role.SECTION_HANDLER}
SUPERVISORS = frozenset({Role.ADMIN, Role.SUPERVISOR})


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    section: str  # the URL prefix that marks the item active (the longest match wins)


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str
    items: tuple[NavItem, ...]


HOME = NavItem("首页", "dashboard:home", ALL_ROLES, "/home")

NAV_GROUPS = (
    NavGroup(
        "needs",
        "需求办理",
        (
            NavItem("待办", "needs:todo", NOT_ADMIN, "/todo"),
            NavItem("需求台账", "needs:ledger", ALL_ROLES, "/needs"),
            NavItem("登记需求", "needs:register", frozenset({Role.STATION_STAFF}), "/needs/new"),
            NavItem("消息", "notifications:inbox", ALL_ROLES, "/inbox"),
        ),
    ),
    NavGroup(
        "operations",
        "站务",
        (
            NavItem("站务概览", "operations:hub", NOT_HANDLER, "/ops"),
            NavItem("年度工作计划", "operations:plan_list", NOT_HANDLER, "/ops/plans"),
            NavItem("周报", "operations:report_list", NOT_HANDLER, "/ops/reports"),
            NavItem("会议", "operations:meeting_list", NOT_HANDLER, "/ops/meetings"),
            NavItem("走访", "operations:visit_list", NOT_HANDLER, "/ops/visits"),
            NavItem("培训活动", "operations:training_list", NOT_HANDLER, "/ops/trainings"),
            NavItem("工作建议", "operations:suggestion_list", NOT_HANDLER, "/ops/suggestions"),
        ),
    ),
    NavGroup(
        "supervision",
        "监督",
        (
            NavItem("监督概览", "supervision:hub", NOT_ADMIN, "/supervision"),
            NavItem("督办", "supervision:order_list", NOT_ADMIN, "/supervision/orders"),
            NavItem(
                "回访",
                "supervision:callback_list",
                SUPERVISORS - {Role.ADMIN},
                "/supervision/callbacks",
            ),
            NavItem(
                "意见建议与投诉",
                "supervision:feedback_list",
                SUPERVISORS - {Role.ADMIN},
                "/supervision/feedback",
            ),
            NavItem("整改计划", "supervision:plan_list", NOT_ADMIN, "/supervision/plans"),
            NavItem("规范自查", "supervision:conformance", NOT_HANDLER, "/conformance"),
        ),
    ),
    NavGroup(
        "stats",
        "统计",
        (
            NavItem("统计分析", "dashboard:stats", ALL_ROLES, "/stats"),
            NavItem("导出任务", "documents:export_list", ALL_ROLES, "/exports"),
        ),
    ),
    NavGroup(
        "records",
        "档案",
        (
            NavItem("档案查询", "records:archive", ALL_ROLES, "/records"),
            NavItem("典型案例", "records:practice_list", ALL_ROLES, "/records/practices"),
        ),
    ),
    NavGroup(
        "reference",
        "基础数据",
        (
            NavItem("服务站", "stations:list", ALL_ROLES, "/stations"),
            NavItem("企业", "enterprises:list", ALL_ROLES, "/enterprises"),
            NavItem("产业链", "enterprises:chain_list", ALL_ROLES, "/chains"),
            NavItem("专业镇", "enterprises:town_list", ALL_ROLES, "/towns"),
            NavItem("政策库", "policies:list", ALL_ROLES, "/policies"),
        ),
    ),
    NavGroup(
        "system",
        "系统管理",
        (NavItem("系统管理", "admin:index", frozenset({Role.ADMIN}), "/admin"),),
    ),
)


def _role(user: User) -> str:
    return Role.ADMIN if user.is_admin else user.role


def _active(items: list[NavItem], path: str) -> NavItem | None:
    """The item whose section is the longest prefix of the path (/needs/new beats /needs)."""
    matches = [
        i for i in items if path == i.section or path.startswith(i.section.rstrip("/") + "/")
    ]
    return max(matches, key=lambda i: len(i.section), default=None)


def nav_for(user: User, path: str) -> dict[str, object]:
    """The menu this user sees on `path`: the home entry, the groups with their visible entries
    (a group opens when it holds the active entry, or all open where none is active, so the home
    page shows everything), and the breadcrumbs 首页 › group › entry."""
    role = _role(user)
    visible = [(group, [i for i in group.items if role in i.roles]) for group in NAV_GROUPS]
    visible = [(g, items) for g, items in visible if items]
    active = _active([HOME] + [i for _, items in visible for i in items], path)
    groups = [
        {
            "key": g.key,
            "label": g.label,
            "open": active is None or active is HOME or active in items,
            "items": [
                {"label": i.label, "url": reverse(i.url_name), "active": i is active} for i in items
            ],
        }
        for g, items in visible
    ]
    crumbs = [{"label": HOME.label, "url": reverse(HOME.url_name)}]
    for g, items in visible:
        if active in items:
            crumbs += [{"label": g.label, "url": ""}]
            if active.label != g.label:
                crumbs += [{"label": active.label, "url": reverse(active.url_name)}]
    return {
        "home": {"label": HOME.label, "url": crumbs[0]["url"], "active": active is HOME},
        "groups": groups,
        "breadcrumbs": crumbs,
    }


def user_place(user: User) -> tuple[str, str]:
    """(role, where) for the user menu: a station member's post and station, a handler's
    sections, a supervisor's or administrator's unit — one query at most."""
    if user.is_station_staff:
        member = (
            user.station_memberships.filter(is_active=True)
            .select_related("station")
            .order_by("role")
            .first()
        )
        if member is not None:
            return member.get_role_display(), member.station.name
    elif user.is_handler:
        return user.get_role_display(), "、".join(s.name for s in user.sections.all())
    elif user.org_unit_id:
        return user.get_role_display(), user.org_unit.name
    return user.get_role_display(), ""
