"""Importing messy Appendix B ledgers: tolerances, rejections, idempotence, all-or-nothing."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from hqzt.core import clock
from hqzt.documents import ledger_commit
from hqzt.documents.import_errors import ImportFileError
from hqzt.documents.ledger_commit import ledger_import_apply
from hqzt.documents.ledger_import import analyse
from hqzt.enterprises.models import Enterprise
from hqzt.needs.models import Need, TrackingCounter, TrackingSheet
from hqzt.needs.states import Status

pytestmark = pytest.mark.django_db

HEADER = [
    "序号",
    "日期",
    "企业名称",
    "企业联系人",
    "联系电话",
    "企业需求类型",
    "企业需求",
    "首位工作人员",
    "跟踪单号",
]


def _xlsx(rows: list[list], title: bool = True) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append(["惠企直通服务站企业需求记录台账"])
        sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


MESSY = [
    [
        1,
        datetime.datetime(2025, 1, 8),
        "晋城市华晟光电科技有限公司",
        "王经理",
        "138 1234 5678",
        "计量",
        "压力表检定",
        "测试用户",
        "20250012",
    ],
    [
        2,
        "2025/1/8",
        " 晋城市华晟光电科技有限公司 ",
        "王经理",
        "138-1234-5678",
        "标准",
        "企业标准公开",
        "",
        "20250012",
    ],
    [],
    [
        3,
        "2025.01.09",
        "泽州县巴公铸造有限公司",
        "李四",
        "0356-2221234",
        "商标",
        "商标被抢注",
        "",
        "",
    ],
    [
        4,
        "2025年1月10日",
        "高平市丝麻纺织有限公司",
        "张三",
        "１３９０３５６８８８８",
        "计量检定",
        "<script>alert(1)</script>",
        "",
        "２０２５００３０",
    ],
    [5, "2025-02-30", "阳城县陶瓷有限公司", "赵", "13812345678", "计量", "日期错误", "", ""],
    [6, "2025-03-01", "", "赵", "13812345678", "计量", "缺企业名称", "", ""],
    [7, "2025-03-02", "陵川县某公司", "赵", "138123", "计量", "电话太短", "", ""],
    [8, "2025-03-03", "陵川县某公司", "赵", "13812345678", "火箭发射", "未知类型", "", ""],
    ["合计", "", "", "", "", "", "共 8 条", "", ""],
]


def _run(station, buffer, name="台账.xlsx", actor=None, archive=True):
    analysis = analyse(buffer, name, station)
    if actor:
        ledger_import_apply(
            analysis=analysis, station=station, actor=actor, archive=archive, file_name=name
        )
    return analysis


def test_dry_run_reports_every_row_and_writes_nothing(station_a):
    analysis = _run(station_a, _xlsx(MESSY))
    by_row = {r.row: r for r in analysis.rows}
    assert [by_row[n].status for n in (4, 5, 7, 8)] == ["ok"] * 4
    assert by_row[9].status == "rejected" and "日期「2025-02-30」不存在" in by_row[9].reason
    assert by_row[10].status == "rejected" and "企业名称：该字段是必填项" in by_row[10].reason
    assert by_row[11].status == "rejected" and "联系电话「138123」不是有效号码" in by_row[11].reason
    assert by_row[12].status == "rejected" and "未知的需求类型「火箭发射」" in by_row[12].reason
    assert by_row[13].status == "skipped"
    assert analysis.counts == {"ok": 4, "duplicate": 0, "repeat": 0, "rejected": 4, "skipped": 1}
    assert (
        not Need.objects.exists() and not Enterprise.objects.filter(name__contains="巴公").exists()
    )


def test_tolerances_are_normalised_on_import(station_a, staff_a):
    staff_a.full_name = "测试用户"
    staff_a.save()
    _run(station_a, _xlsx(MESSY), actor=staff_a)
    needs = {n.content: n for n in Need.objects.select_related("sheet", "enterprise", "need_type")}
    assert len(needs) == 4
    first, second = needs["压力表检定"], needs["企业标准公开"]
    assert first.sheet == second.sheet and first.sheet.tracking_number == "20250012"
    assert [first.row_number, second.row_number] == [1, 2]
    assert first.registered_on == second.registered_on == datetime.date(2025, 1, 8)
    assert first.contact_phone == second.contact_phone == "13812345678"
    assert first.need_type.name == "计量" and second.need_type.name == "标准化"
    assert first.enterprise == second.enterprise  # trailing spaces ignored
    assert first.first_contact == staff_a and second.recorded_first_contact == ""
    trademark = needs["商标被抢注"]
    assert trademark.need_type.name == "知识产权" and trademark.contact_phone == "03562221234"
    assert trademark.registered_on == datetime.date(2025, 1, 9)
    markup = needs["<script>alert(1)</script>"]
    assert markup.contact_phone == "13903568888" and markup.sheet.tracking_number == "20250030"
    assert markup.need_type.name == "计量" and markup.registered_on == datetime.date(2025, 1, 10)
    assert all(n.status == Status.ARCHIVED for n in needs.values())
    assert Enterprise.objects.filter(name="泽州县巴公铸造有限公司", stations=station_a).exists()
    # New serials of 2025 continue after the imported numbers.
    assert TrackingCounter.objects.get(year=2025).last_serial == 30
    assert trademark.sheet.tracking_number == "20250013"


def test_markup_in_a_cell_is_shown_as_text(client_for, station_a, staff_a):
    _run(station_a, _xlsx(MESSY), actor=staff_a)
    need = Need.objects.get(content="<script>alert(1)</script>")
    page = client_for(staff_a).get(reverse("needs:detail", args=[need.pk])).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_reimporting_the_same_file_adds_nothing(station_a, staff_a):
    _run(station_a, _xlsx(MESSY), actor=staff_a)
    again = _run(station_a, _xlsx(MESSY), actor=staff_a)
    assert again.counts["ok"] == 0 and again.counts["duplicate"] == 4
    assert Need.objects.count() == 4 and TrackingSheet.objects.count() == 3


def test_a_failure_in_the_middle_leaves_nothing_behind(station_a, staff_a, monkeypatch):
    original, calls = ledger_commit.sheet_for_row, []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(ledger_commit, "sheet_for_row", failing)
    with pytest.raises(RuntimeError):
        _run(station_a, _xlsx(MESSY), actor=staff_a)
    assert not Need.objects.exists() and not TrackingSheet.objects.exists()
    assert not Enterprise.objects.filter(name="泽州县巴公铸造有限公司").exists()
    assert not TrackingCounter.objects.exists()


def test_header_without_title_and_csv_in_gb18030(station_a, staff_a):
    text = "\r\n".join(
        [",".join(HEADER), "1,2025/4/1,晋城市某科技有限公司,刘,13812345678,政策,咨询奖补政策,,"]
    )
    analysis = _run(station_a, io.BytesIO(text.encode("gb18030")), name="台账.csv", actor=staff_a)
    assert analysis.counts["ok"] == 1
    assert Need.objects.get().need_type.name == "政策咨询"


def test_a_tracking_number_of_another_enterprise_is_refused(station_a, staff_a, register):
    existing = register()[0].sheet.tracking_number
    today = f"{clock.today():%Y-%m-%d}"
    rows = [[1, today, "别的企业有限公司", "刘", "13812345678", "计量", "冲突", "", existing]]
    analysis = _run(station_a, _xlsx(rows))
    assert analysis.rows[0].status == "rejected"
    assert "在本站已用于另一家企业" in analysis.rows[0].reason


def test_files_that_cannot_be_read_get_a_clear_message(station_a):
    with pytest.raises(ImportFileError, match="表头"):
        _run(station_a, _no_header())
    with pytest.raises(ImportFileError, match="无法读取"):
        _run(station_a, io.BytesIO(b"not a zip"), name="x.xlsx")
    with pytest.raises(ImportFileError, match="只支持"):
        _run(station_a, io.BytesIO(b"x"), name="x.xls")


def _no_header() -> io.BytesIO:
    workbook = Workbook()
    workbook.active.append(["姓名", "年龄"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_import_pages_dry_run_then_confirm(client_for, staff_a, station_a, staff_b, supervisor):
    client = client_for(staff_a)
    upload = _xlsx(MESSY)
    upload.name = "台账.xlsx"
    response = client.post(
        reverse("documents:import_upload"),
        {"station": station_a.pk, "file": upload, "archive": "on"},
    )
    assert (
        "可导入 <strong>4</strong> 行" in response.text
        and "日期「2025-02-30」不存在" in response.text
    )
    assert not Need.objects.exists()
    from hqzt.documents.models import ImportBatch

    batch = ImportBatch.objects.get()
    assert (
        client_for(staff_b).post(reverse("documents:import_confirm", args=[batch.pk])).status_code
        == 404
    )
    client = client_for(staff_a)
    response = client.post(reverse("documents:import_confirm", args=[batch.pk]))
    assert response.status_code == 302 and Need.objects.count() == 4
    again = client.post(reverse("documents:import_confirm", args=[batch.pk]), follow=True)
    assert "该文件已导入" in again.text and Need.objects.count() == 4
    assert client_for(supervisor).get(reverse("documents:import_upload")).status_code == 403


def test_imported_archived_needs_are_kept_for_the_retention_period(station_a, staff_a):
    """§6.6.4: an archived import is archived today, so kept at least three years from today;
    without a retention date the station's self-check would fail and nothing could purge it."""
    from hqzt.core import clock
    from hqzt.core.retention import retention_date
    from hqzt.supervision.conformance import station_checks

    _run(station_a, _xlsx(MESSY), actor=staff_a)
    assert set(Need.objects.values_list("status", "retention_until")) == {
        (Status.ARCHIVED, retention_date(clock.today()))
    }
    check = next(c for c in station_checks(station_a) if c.clause == "6.6.4")
    assert check.passed, check.evidence
