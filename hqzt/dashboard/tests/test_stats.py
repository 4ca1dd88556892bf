"""Statistics on a constructed data set, against values worked out by hand."""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from lxml import html
from openpyxl import load_workbook

from hqzt.core import clock
from hqzt.needs.services.evaluation import need_evaluate, need_verify
from hqzt.needs.services.handling import need_complete
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
        need_complete(need=a, actor=handler, outcome="met", result="完成")
        need_evaluate(need=a, actor=staff_a, level="satisfied")
    # B: 2 Jun → 9 Jun 2025 (5 working days after the Dragon Boat holiday), dissatisfied once,
    # handled again, then very satisfied.
    with _on(2025, 6, 2):
        b = drive(Status.IN_PROGRESS)
    with _on(2025, 6, 4):
        b = need_complete(need=b, actor=handler, outcome="met", result="完成")
        b = need_evaluate(need=b, actor=staff_a, level="dissatisfied", comments="慢")
    with _on(2025, 6, 5):
        b = need_verify(need=b, actor=chief_a, rehandle=True, note="重办")
    with _on(2025, 6, 9):
        b = need_complete(need=b, actor=handler, outcome="met", result="完成")
        need_evaluate(need=b, actor=staff_a, level="very_satisfied")
    with _on(2025, 6, 10):
        drive(Status.REGISTERED)  # C: still open
    with _on(2025, 6, 11):
        drive(Status.REJECTED)  # D: refused at acceptance, never counted
    with _on(2025, 7, 1):
        drive(Status.AWAITING_VERIFICATION)  # E: 不满意, being verified
    return a, b


def _figure(text, key):
    return re.search(rf'data-testid="figure-{key}">([^<]*)<', text).group(1)


def test_figures_match_the_hand_computed_values(client_for, supervisor, data):
    text = (
        client_for(supervisor)
        .get(reverse("dashboard:stats"), {"date_from": "2025-01-01", "date_to": "2025-12-31"})
        .text
    )
    assert _figure(text, "registered") == "4"  # A, B, C, E; D was refused
    assert _figure(text, "completed") == "3"
    assert _figure(text, "evaluated") == "3"
    assert _figure(text, "workdays") == "2.3"  # (2 + 5 + 0) / 3
    # B's latest evaluation counts (非常满意); its first 不满意 shows in 重新办理率.
    assert _figure(text, "satisfaction") == "66.7"  # A and B of A, B, E
    assert _figure(text, "rehandle") == "33.3"  # B of the three completed went round twice
    assert _figure(text, "on-time") == "100.0"
    assert _figure(text, "response") == "75.0"  # A, B and E answered, C not yet
    assert _figure(text, "resolution") == "100.0"  # every completed need met
    assert "计量 4" in text
    assert f"station={data[0].station_id}&amp;measure=registered&amp;date_from=2025-01-01" in text


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
    assert rows[2] == (station_a.name, 4, 3, 75, 100, 100, 2.3, 66.7, 33.3)
    rows = list(book["科室对比"].iter_rows(values_only=True))
    # C was never dispatched; A and B were led by 计量科.
    assert sorted(r[:3] for r in rows[2:]) == [("计量科", 3, 3), ("（无牵头科室）", 1, 0)]


def test_sections_are_compared_and_link_to_their_needs(client_for, supervisor, data):
    text = (
        client_for(supervisor)
        .get(reverse("dashboard:stats"), {"date_from": "2025-01-01", "date_to": "2025-12-31"})
        .text
    )
    table = text.split('data-testid="by-section"', 1)[1].split("</table>", 1)[0]
    assert "计量科" in table and f"lead_section={data[0].lead_section_id}&amp;" in table
    ledger = client_for(supervisor).get(
        reverse("needs:ledger"),
        {"lead_section": data[0].lead_section_id, "date_from": "2025-01-01"},
    )
    assert data[0].sheet.tracking_number in ledger.text
    assert data[1].sheet.tracking_number in ledger.text


def _ledger_total(client, url: str) -> int:
    page = client.get(url).text
    return int(re.search(r"共 (\d+) 条", page).group(1))


def _count(text: str) -> int:
    return int(re.search(r"(\d+)\s*$", text.strip()).group(1))


def test_every_figure_opens_exactly_the_needs_it_counts(client_for, supervisor, data):
    """Click every figure, list entry, table cell and month: the ledger shows as many rows."""
    client = client_for(supervisor)
    page = client.get(
        reverse("dashboard:stats"), {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    ).text
    tree = html.fromstring(page)
    checked = []
    for card in tree.xpath('//a[contains(@class, "figure-card")]'):
        value = card.xpath('.//*[@class="figure-value"]')[0]
        key = value.get("data-testid").removeprefix("figure-")
        basis = card.xpath(f'.//*[@data-testid="basis-{key}"]')
        if basis:  # a rate opens its numerator: "满意或非常满意 2 / 已评价 3"
            expected = int(re.search(r"(\d+) /", basis[0].text_content()).group(1))
        elif key == "workdays":  # the average is over the completed needs
            expected = int(_figure(page, "completed"))
        else:
            expected = int(value.text_content())
        checked.append((key, card.get("href"), expected))
    for testid in ["by-type", "by-evaluation"]:
        for link in tree.xpath(f'//*[@data-testid="{testid}"]//a'):
            checked.append((link.text_content(), link.get("href"), _count(link.text_content())))
    for testid in ["by-status", "by-channel", "by-source", "by-chain", "by-town"]:
        for item in tree.xpath(f'//*[@data-testid="{testid}"]/li'):
            for link in item.xpath(".//a"):
                count = int(item.xpath(".//span")[-1].text_content())
                checked.append((link.text_content(), link.get("href"), count))
    for testid in ["by-station", "by-section"]:
        for row in tree.xpath(f'//*[@data-testid="{testid}"]/tbody/tr'):
            cells = row.xpath("./td")
            for column in (1, 2):  # 登记, 办理完毕 are counts
                for link in cells[column].xpath(".//a"):
                    checked.append((testid, link.get("href"), int(link.text_content())))
    for link in tree.xpath('//*[@data-testid="trend"]//a'):
        checked.append(("trend", link.get("href"), int(link.text_content())))
    assert len(checked) > 20
    for what, url, expected in checked:
        assert _ledger_total(client, url) == expected, (what, url)


def test_ledger_filters_by_evaluation_result(client_for, supervisor, data):
    client = client_for(supervisor)
    total = _ledger_total(client, reverse("needs:ledger") + "?evaluation=very_satisfied")
    assert total == 1  # B: its latest round was 非常满意
    assert _ledger_total(client, reverse("needs:ledger") + "?evaluation=dissatisfied") == 1  # E
    assert _ledger_total(client, reverse("needs:ledger") + "?measure=registered") == 4
    assert _ledger_total(client, reverse("needs:ledger")) == 5  # the refused one too


def test_monthly_trend_counts_each_month(client_for, supervisor, data):
    page = client_for(supervisor).get(
        reverse("dashboard:stats"), {"date_from": "2025-06-05", "date_to": "2025-12-31"}
    )
    trend = page.context["trend"]
    assert [(m["month"], m["registered"], m["completed"]) for m in trend] == [
        ("2025-06", 1, 0),  # C on 10 Jun; B was registered before the period began
        ("2025-07", 1, 1),
        ("2025-09", 1, 1),
    ]
    assert "date_from=2025-06-05" in trend[0]["url"] and "date_to=2025-06-30" in trend[0]["url"]
