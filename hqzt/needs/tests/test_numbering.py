"""跟踪单号 (R-3.2): year + serial, gapless, restarting each year, safe under concurrency."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from hqzt.core import clock
from hqzt.needs import services
from hqzt.needs.models import Channel, Source, TrackingCounter, TrackingSheet
from hqzt.needs.numbering import tracking_number
from hqzt.needs.workflow import TransitionRefused

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(y, m, d):
    return datetime.datetime(y, m, d, 10, tzinfo=SHANGHAI)


@pytest.mark.django_db
def test_format_is_year_and_four_digit_serial():
    assert tracking_number(2025, 1) == "20250001"
    assert tracking_number(2025, 12345) == "202512345"


@pytest.mark.django_db
def test_serials_follow_each_other_and_restart_every_year(register):
    with clock.travel(_at(2025, 12, 31)):
        first, second = register()[0].sheet, register()[0].sheet
    with clock.travel(_at(2026, 1, 2)):
        third = register()[0].sheet
    assert [first.tracking_number, second.tracking_number] == ["20250001", "20250002"]
    assert third.tracking_number == "20260001"


@pytest.mark.django_db
def test_a_failed_registration_burns_no_number(register, staff_a, station_a, enterprise_a):
    with clock.travel(_at(2025, 5, 6)):
        register()
        with pytest.raises(TransitionRefused):
            services.need_register(
                actor=staff_a,
                station=station_a,
                enterprise=enterprise_a,
                contact_name="王",
                contact_phone="13812345678",
                source=Source.INBOUND,
                channel=Channel.objects.get(code="phone"),
                items=[],  # refused after the number was taken, inside the transaction
            )
        assert register()[0].sheet.tracking_number == "20250002"
    assert TrackingCounter.objects.get(year=2025).last_serial == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_fifty_parallel_registrations_get_serials_1_to_50(request):
    # Personas are created inside this transactional test (they are flushed afterwards).
    station = request.getfixturevalue("station_a")
    staff = request.getfixturevalue("staff_a")
    enterprise = request.getfixturevalue("enterprise_a")
    metrology = request.getfixturevalue("metrology")
    channel = Channel.objects.get(code="phone")
    barrier = threading.Barrier(50)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            with clock.travel(_at(2025, 7, 1)):
                services.need_register(
                    actor=staff,
                    station=station,
                    enterprise=enterprise,
                    contact_name="并发",
                    contact_phone="13812345678",
                    source=Source.INBOUND,
                    channel=channel,
                    items=[services.NeedItem(need_type=metrology, content="并发登记")],
                )
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    serials = sorted(TrackingSheet.objects.filter(year=2025).values_list("serial", flat=True))
    assert serials == list(range(1, 51))
