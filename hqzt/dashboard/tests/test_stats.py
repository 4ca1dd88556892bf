"""Statistics on a constructed data set, against values worked out by hand."""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hqzt.core import clock
from hqzt.needs import services
from hqzt.needs.states import Status

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _on(y, m, d):
    return clock.travel(datetime.datetime(y, m, d, 10, tzinfo=TZ))


@pytest.fixture
def data(drive, staff_a, chief_a, handler):
    # A: 30 Sep → 10 Oct 2025, across the National Day holiday: 2 working days; satisfied.
    with _on(2025, 9, 30):
        a = drive(Status.IN_PROGRESS)
    with _on(2025, 10, 10):
        services.need_complete(need=a, actor=handler, outcome="met", result="完成")
        services.need_evaluate(need=a, actor=staff_a, level="satisfied")
    # B: 2 Jun → 9 Jun 2025 (5 working days after the Dragon Boat holiday), dissatisfied once,
    # handled again, then very satisfied.
    with _on(2025, 6, 2):
        b = drive(Status.IN_PROGRESS)
    with _on(2025, 6, 4):
        b = services.need_complete(need=b, actor=handler, outcome="met", result="完成")
        b = services.need_evaluate(need=b, actor=staff_a, level="dissatisfied", comments="慢")
    with _on(2025, 6, 5):
        b = services.need_verify(need=b, actor=chief_a, rehandle=True, note="重办")
    with _on(2025, 6, 9):
        b = services.need_complete(need=b, actor=handler, outcome="met", result="完成")
        services.need_evaluate(need=b, actor=staff_a, level="very_satisfied")
    with _on(2025, 6, 10):
        drive(Status.REGISTERED)  # C: still open
    return a, b


def _figure(text, key):
    return re.search(rf'data-testid="figure-{key}">([^<]*)<', text).group(1)


def test_figures_match_the_hand_computed_values(client_for, supervisor, data):
    text = (
        client_for(supervisor)
        .get(reverse("dashboard:stats"), {"date_from": "2025-01-01", "date_to": "2025-12-31"})
        .text
    )
    assert _figure(text, "registered") == "3"
    assert _figure(text, "completed") == "2"
    assert _figure(text, "workdays") == "3.5"  # (2 + 5) / 2
    assert _figure(text, "satisfaction") == "66.7"  # 2 of 3 evaluations satisfied or better
    assert _figure(text, "rehandle") == "50.0"  # 1 of 2 completed needs went round twice
    assert _figure(text, "on-time") == "100.0"
    assert _figure(text, "response") == "66.7"  # A and B answered, C not yet
    assert _figure(text, "resolution") == "100.0"  # both completed needs met
    assert "计量 3" in text
    assert f"station={data[0].station_id}&date_from=2025-01-01" in text  # click-through


def test_period_and_scope_narrow_the_figures(client_for, supervisor, staff_b, data):
    text = (
        client_for(supervisor)
        .get(reverse("dashboard:stats"), {"date_from": "2025-09-01", "date_to": "2025-12-31"})
        .text
    )
    assert _figure(text, "registered") == "1" and _figure(text, "workdays") == "2.0"
    text = (
        client_for(staff_b)
        .get(reverse("dashboard:stats"), {"date_from": "2025-01-01", "date_to": "2025-12-31"})
        .text
    )
    assert _figure(text, "registered") == "0"


def test_station_table_exports_to_xlsx(client_for, supervisor, data, station_a):
    response = client_for(supervisor).get(
        reverse("dashboard:stats_xlsx"), {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    )
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["服务站对比"].iter_rows(values_only=True))
    assert rows[1] == (
        "服务站",
        "登记",
        "办理完毕",
        "响应率%",
        "解决率%",
        "按时办结率%",
        "平均办理工作日",
        "满意率%",
        "重新办理率%",
    )
    assert rows[2] == (station_a.name, 3, 2, 66.7, 100, 100, 3.5, 66.7, 50)
    rows = list(book["科室对比"].iter_rows(values_only=True))
    # C was never dispatched; A and B were led by 计量科.
    assert sorted(r[:3] for r in rows[2:]) == [("计量科", 2, 2), ("（无牵头科室）", 1, 0)]


def test_sections_are_compared_and_link_to_their_needs(client_for, supervisor, data):
    text = (
        client_for(supervisor)
        .get(reverse("dashboard:stats"), {"date_from": "2025-01-01", "date_to": "2025-12-31"})
        .text
    )
    table = text.split('data-testid="by-section"', 1)[1].split("</table>", 1)[0]
    assert "计量科" in table and f"lead_section={data[0].lead_section_id}&" in table
    ledger = client_for(supervisor).get(
        reverse("needs:ledger"),
        {"lead_section": data[0].lead_section_id, "date_from": "2025-01-01"},
    )
    assert data[0].sheet.tracking_number in ledger.text
    assert data[1].sheet.tracking_number in ledger.text
