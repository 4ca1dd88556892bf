"""The shell's left menu per role: each persona sees exactly its groups and entries, every entry
it sees answers (no menu link that refuses), and the pages it may not use are not offered."""

import re

import pytest
from django.urls import reverse

from hqzt.accounts.ui import NAV_GROUPS, nav_for

pytestmark = pytest.mark.django_db

NEEDS = ["待办", "需求台账", "消息"]
OPERATIONS = ["站务概览", "年度工作计划", "周报", "会议", "走访", "培训活动", "工作建议"]
STATS = ["统计分析", "导出任务"]
RECORDS = ["档案查询", "典型案例"]
REFERENCE = ["服务站", "企业", "产业链", "专业镇", "政策库"]
STATION_SUPERVISION = ["监督概览", "督办", "整改计划", "规范自查"]

MENU = {
    "admin_user": {
        "需求办理": ["需求台账", "消息"],
        "站务": OPERATIONS,
        "监督": ["规范自查"],
        "统计": STATS,
        "档案": RECORDS,
        "基础数据": REFERENCE,
        "系统管理": ["系统管理"],
    },
    "supervisor": {
        "需求办理": NEEDS,
        "站务": OPERATIONS,
        "监督": ["监督概览", "督办", "回访", "意见建议与投诉", "整改计划", "规范自查"],
        "统计": STATS,
        "档案": RECORDS,
        "基础数据": REFERENCE,
    },
    "chief_a": {
        "需求办理": ["待办", "需求台账", "登记需求", "消息"],
        "站务": OPERATIONS,
        "监督": STATION_SUPERVISION,
        "统计": STATS,
        "档案": RECORDS,
        "基础数据": REFERENCE,
    },
    "staff_a": {
        "需求办理": ["待办", "需求台账", "登记需求", "消息"],
        "站务": OPERATIONS,
        "监督": STATION_SUPERVISION,
        "统计": STATS,
        "档案": RECORDS,
        "基础数据": REFERENCE,
    },
    "handler": {
        "需求办理": NEEDS,
        "监督": ["监督概览", "督办", "整改计划"],
        "统计": STATS,
        "档案": RECORDS,
        "基础数据": REFERENCE,
    },
}


def _menu(html: str) -> dict[str, list[str]]:
    """The groups and entries as rendered in the page's menu."""
    nav = html.split('data-testid="main-nav"', 1)[1].split("</nav>", 1)[0]
    groups = re.split(r'data-testid="nav-group-[a-z]+"', nav)[1:]
    return {
        re.search(r'aria-controls="nav-[a-z]+">([^<]+)</button>', g).group(1): re.findall(
            r'class="app-nav-link[^"]*" href="[^"]+"[^>]*>([^<]+)</a>', g
        )
        for g in groups
    }


@pytest.mark.parametrize("persona", list(MENU))
def test_each_role_sees_exactly_its_menu(client_for, request, persona):
    response = client_for(request.getfixturevalue(persona)).get(reverse("dashboard:home"))
    assert response.status_code == 200
    assert _menu(response.text) == MENU[persona]
    assert 'class="app-nav-link app-nav-home active" href="/home/" aria-current="page">首页' in (
        response.text
    )


@pytest.mark.parametrize("persona", list(MENU))
def test_every_entry_a_role_sees_answers_and_the_rest_is_withheld(client_for, request, persona):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    menu = nav_for(user, "/home/")
    shown = {i["url"] for g in menu["groups"] for i in g["items"]}
    for url in shown:
        assert client.get(url).status_code == 200, url
    every = {reverse(i.url_name) for g in NAV_GROUPS for i in g.items}
    for url in every - shown:
        # Withheld entries: either refused to this role or simply not part of its work (a
        # handler may read 站务 pages but has no station business there).
        assert url not in client.get(reverse("dashboard:home")).text.split("</nav>", 1)[0]


def test_refused_pages_are_not_in_the_menu(client_for, handler, chief_a, admin_user):
    assert client_for(handler).get(reverse("needs:register")).status_code == 302
    assert "登记需求" not in _menu(client_for(handler).get(reverse("needs:todo")).text)["需求办理"]
    assert client_for(chief_a).get(reverse("supervision:callback_list")).status_code == 404
    assert "回访" not in _menu(client_for(chief_a).get(reverse("needs:todo")).text)["监督"]
    assert client_for(chief_a).get(reverse("admin:index")).status_code == 302
    assert "系统管理" not in _menu(client_for(chief_a).get(reverse("needs:todo")).text)
    assert client_for(admin_user).get(reverse("needs:register")).status_code == 302


def test_active_entry_and_breadcrumbs_follow_the_path(chief_a):
    menu = nav_for(chief_a, "/needs/new/")
    active = [i["label"] for g in menu["groups"] for i in g["items"] if i["active"]]
    assert active == ["登记需求"]  # the longest prefix wins over 需求台账 (/needs)
    assert [c["label"] for c in menu["breadcrumbs"]] == ["首页", "需求办理", "登记需求"]
    opened = [g["label"] for g in menu["groups"] if g["open"]]
    assert opened == ["需求办理"]
    detail = nav_for(chief_a, "/needs/12/")
    assert [c["label"] for c in detail["breadcrumbs"]] == ["首页", "需求办理", "需求台账"]
    ops = nav_for(chief_a, "/ops/plans/3/")
    assert [c["label"] for c in ops["breadcrumbs"]] == ["首页", "站务", "年度工作计划"]
    # No entry matches a prefix that only shares letters (/needsx is not /needs).
    assert nav_for(chief_a, "/needsx/")["breadcrumbs"] == [{"label": "首页", "url": "/home/"}]


def test_user_menu_names_role_and_place(client_for, chief_a, handler, supervisor, station_a):
    text = client_for(chief_a).get(reverse("dashboard:home")).text
    identity = text.split('data-testid="user-identity"', 1)[1].split("</li>", 1)[0]
    assert "站长" in identity and station_a.name in identity
    text = client_for(handler).get(reverse("dashboard:home")).text
    assert "计量科" in text.split('data-testid="user-identity"', 1)[1].split("</li>", 1)[0]
    text = client_for(supervisor).get(reverse("dashboard:home")).text
    identity = text.split('data-testid="user-identity"', 1)[1].split("</li>", 1)[0]
    assert "上级单位/监督" in identity and supervisor.org_unit.name in identity


def test_the_portal_has_no_staff_shell(client, client_for, staff_a):
    for c in (client, client_for(staff_a)):
        text = c.get(reverse("portal:home")).text
        assert 'data-testid="main-nav"' not in text and "app-sidebar" not in text
