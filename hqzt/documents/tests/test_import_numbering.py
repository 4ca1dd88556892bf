"""Imported ledgers keep their station's own numbers (R-3.2, issue 14): another station's equal
numbers are no concern, and an import racing live registrations leaves no duplicate or gap."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from hqzt.core import clock
from hqzt.documents.ledger_import import ImportConflict, analyse, ledger_import_apply
from hqzt.documents.tests.test_import import _xlsx
from hqzt.needs import services
from hqzt.needs.models import Channel, Source, TrackingCounter, TrackingSheet

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
            services.need_register(
                actor=staff,
                station=station,
                enterprise=enterprise,
                contact_name="并发",
                contact_phone="13812345678",
                source=Source.INBOUND,
                channel=Channel.objects.get(code="phone"),
                items=[services.NeedItem(need_type=metrology, content="现场登记")],
            )

    return [run] * count


def _race(jobs) -> list[BaseException]:
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job) -> None:
        try:
            barrier.wait()
            job()
        except BaseException as exc:  # reported by the caller
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


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

    errors = _race([importing, *_live_jobs(station, staff, enterprise, metrology, 8)])
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
