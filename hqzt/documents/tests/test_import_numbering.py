"""Imported ledgers keep their station's own numbers (R-3.2, issue 14): another station's equal
numbers are no concern, and an import racing live registrations leaves no duplicate or gap."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from hqzt.core import clock
from hqzt.documents.import_errors import ImportConflict
from hqzt.documents.ledger_commit import ledger_import_apply
from hqzt.documents.ledger_import import analyse
from hqzt.documents.tests.test_import import _xlsx
from hqzt.needs.models import Channel, Source, TrackingCounter, TrackingSheet
from hqzt.needs.services.registration import NeedItem, need_register
from tests.concurrency import at_once, failures

SUMMER = datetime.datetime(2025, 7, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def _rows(count: int, *, numbered: bool, name: str = "历史台账企业有限公司") -> list[list]:
    return [
        [
            i,
            f"2025-06-{i:02d}",
            name,
            "刘经理",
            "13903561234",
            "计量",
            f"历史需求第{i}项",
            "",
            f"2025{i:04d}" if numbered else "",
        ]
        for i in range(1, count + 1)
    ]


def _import(station, actor, rows, name="台账.xlsx"):
    analysis = analyse(_xlsx(rows), name, station)
    count = ledger_import_apply(
        analysis=analysis, station=station, actor=actor, archive=True, file_name=name
    )
    return analysis, count


@pytest.mark.django_db
def test_numbers_equal_to_another_stations_import_cleanly(station_a, staff_a, station_b, staff_b):
    with clock.travel(SUMMER):
        _import(station_b, staff_b, _rows(3, numbered=True, name="乙站的企业有限公司"))
        analysis, count = _import(station_a, staff_a, _rows(3, numbered=True))
    assert count == 3 and analysis.counts["rejected"] == 0
    assert all("其他" not in r.reason and "服务站" not in r.reason for r in analysis.rows)
    for station in (station_a, station_b):
        numbers = TrackingSheet.objects.filter(station=station).values_list(
            "tracking_number", flat=True
        )
        assert sorted(numbers) == ["20250001", "20250002", "20250003"]
        assert TrackingCounter.objects.get(station=station, year=2025).last_serial == 3


def _live_jobs(station, staff, enterprise, metrology, count):
    def run() -> None:
        with clock.travel(SUMMER):
            need_register(
                actor=staff,
                station=station,
                enterprise=enterprise,
                contact_name="并发",
                contact_phone="13812345678",
                source=Source.INBOUND,
                channel=Channel.objects.get(code="phone"),
                items=[NeedItem(need_type=metrology, content="现场登记")],
            )

    return [run] * count


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
@pytest.mark.parametrize("numbered", [False, True])
def test_an_import_racing_live_registrations_leaves_no_duplicate_or_gap(request, numbered):
    station, staff = request.getfixturevalue("station_a"), request.getfixturevalue("staff_a")
    enterprise, metrology = (
        request.getfixturevalue("enterprise_a"),
        request.getfixturevalue("metrology"),
    )
    with clock.travel(SUMMER):
        analysis = analyse(_xlsx(_rows(8, numbered=numbered)), "台账.xlsx", station)
    assert analysis.counts["ok"] == 8

    def importing() -> None:
        with clock.travel(SUMMER):
            ledger_import_apply(
                analysis=analysis, station=station, actor=staff, archive=True, file_name="台账.xlsx"
            )

    errors = failures(at_once([importing, *_live_jobs(station, staff, enterprise, metrology, 8)]))
    # A numbered file whose numbers a live registration took first is refused as a whole,
    # clearly; anything else is a failure.
    assert all(isinstance(e, ImportConflict) for e in errors), errors
    assert len(errors) <= (1 if numbered else 0)
    serials = list(
        TrackingSheet.objects.filter(station=station, year=2025).values_list("serial", flat=True)
    )
    assert sorted(serials) == list(range(1, len(serials) + 1))
    assert len(serials) == (8 if errors else 16)
    assert TrackingCounter.objects.get(station=station, year=2025).last_serial == len(serials)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "date", "reason"),
    [
        ("20262147483647", "2026-03-01", "流水号「2147483647」应在 0001–9999 之间"),
        ("20250000", "2025-03-01", "流水号「0000」应在 0001–9999 之间"),
        ("2025001", "2025-03-01", "应为“年代号+流水号”共8位数字"),
        ("2025-0001", "2025-03-01", "应为“年代号+流水号”共8位数字"),
        ("A20250001", "2025-03-01", "应为“年代号+流水号”共8位数字"),
        ("20230005", "2025-03-01", "年代号 2023 与日期 2025-03-01 的年份不符"),
        ("20260005", "2025-12-30", "年代号 2026 与日期 2025-12-30 的年份不符"),
        ("19990001", "2025-03-01", "年代号 1999 与日期 2025-03-01 的年份不符"),
    ],
)
def test_an_imported_number_is_checked(station_a, number, date, reason):
    row = [1, date, "某企业有限公司", "刘", "13903561234", "计量", "需求", "", number]
    with clock.travel(datetime.datetime(2026, 6, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        outcome = analyse(_xlsx([row]), "台账.xlsx", station_a).rows[0]
    assert outcome.status == "rejected" and reason in outcome.reason, outcome.reason


@pytest.mark.django_db
def test_numbers_as_stations_write_them_are_accepted(station_a, staff_a):
    rows = [
        [1, "2025-01-05", "某企业有限公司", "刘", "13903561234", "计量", "一", "", "'20250007"],
        [
            2,
            "2025-01-05",
            "乙企业有限公司",
            "刘",
            "13903561234",
            "计量",
            "二",
            "",
            "２０２５ ０００８",
        ],
        [3, "2026-01-03", "丙企业有限公司", "刘", "13903561234", "计量", "三", "", 20250009],
    ]
    with clock.travel(datetime.datetime(2026, 6, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        analysis, count = _import(station_a, staff_a, rows)
    assert count == 3, [r.reason for r in analysis.rows]
    assert sorted(TrackingSheet.objects.values_list("tracking_number", flat=True)) == [
        "20250007",
        "20250008",
        "20250009",
    ]


@pytest.mark.django_db
def test_an_import_moves_only_its_own_stations_counter(station_a, staff_a, station_b, staff_b):
    """Issue 13 item 4: 20269000 at station B once made station B's next portal number 20269001
    and moved the city's counter; now it moves station B's 2026 counter and nobody else's."""
    moment = datetime.datetime(2026, 6, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    with clock.travel(moment):
        _import(station_a, staff_a, _rows(2, numbered=False))
        row = [1, "2026-05-01", "某企业有限公司", "刘", "13903561234", "计量", "需求", "", 20269000]
        _import(station_b, staff_b, [row])
    counters = {(c.station_id, c.year): c.last_serial for c in TrackingCounter.objects.all()}
    assert counters == {(station_a.pk, 2025): 2, (station_b.pk, 2026): 9000}


@pytest.mark.django_db
def test_a_number_of_another_enterprise_names_the_row(station_a, staff_a):
    with clock.travel(SUMMER):
        _import(station_a, staff_a, _rows(1, numbered=True, name="先导入的企业有限公司"))
        rows = [
            [
                1,
                "2025-06-01",
                "后来的企业有限公司",
                "刘",
                "13903561234",
                "计量",
                "一",
                "",
                "20250001",
            ],
            [
                2,
                "2025-06-02",
                "另一企业有限公司",
                "刘",
                "13903561234",
                "计量",
                "二",
                "",
                "20250002",
            ],
            [
                3,
                "2025-06-03",
                "第三企业有限公司",
                "刘",
                "13903561234",
                "计量",
                "三",
                "",
                "20250002",
            ],
        ]
        analysis = analyse(_xlsx(rows), "台账.xlsx", station_a)
    by_row = {r.row: r for r in analysis.rows}
    assert by_row[4].status == "rejected"
    assert by_row[4].reason == "跟踪单号 20250001 在本站已用于另一家企业"
    assert by_row[5].status == "ok"
    assert by_row[6].status == "rejected"
    assert "在第 5 行属于「另一企业有限公司」" in by_row[6].reason


@pytest.mark.django_db
def test_another_stations_numbers_are_never_mentioned(station_a, staff_a, station_b, staff_b):
    """No existence oracle (issue 13 item 8): station B's sheets do not show in A's dry run."""
    with clock.travel(SUMMER):
        _import(station_b, staff_b, _rows(2, numbered=True, name="乙站的企业有限公司"))
        analysis = analyse(_xlsx(_rows(2, numbered=True)), "台账.xlsx", station_a)
    assert [r.status for r in analysis.rows] == ["ok", "ok"]
    assert all(not r.reason for r in analysis.rows)
