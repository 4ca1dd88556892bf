"""跟踪单号 (R-3.2): year + serial per station, gapless, restarting each year, safe under
concurrency; two stations' equal numbers kept apart wherever they meet."""

import datetime
import importlib
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps

from hqzt.core import clock
from hqzt.needs.models import Channel, Source, TrackingCounter, TrackingSheet
from hqzt.needs.numbering import parse_reference, reference, tracking_number
from hqzt.needs.services.registration import NeedItem, need_register
from hqzt.needs.workflow import TransitionRefused
from tests.concurrency import at_once, failures

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
            need_register(
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
    assert TrackingCounter.objects.get(station=station_a, year=2025).last_serial == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_fifty_parallel_registrations_get_serials_1_to_50(request):
    # Personas are created inside this transactional test (they are flushed afterwards).
    station = request.getfixturevalue("station_a")
    staff = request.getfixturevalue("staff_a")
    enterprise = request.getfixturevalue("enterprise_a")
    metrology = request.getfixturevalue("metrology")
    channel = Channel.objects.get(code="phone")

    def register() -> None:
        with clock.travel(_at(2025, 7, 1)):
            need_register(
                actor=staff,
                station=station,
                enterprise=enterprise,
                contact_name="并发",
                contact_phone="13812345678",
                source=Source.INBOUND,
                channel=channel,
                items=[NeedItem(need_type=metrology, content="并发登记")],
            )

    assert failures(at_once([register] * 50)) == []
    serials = sorted(TrackingSheet.objects.filter(year=2025).values_list("serial", flat=True))
    assert serials == list(range(1, 51))


def _register_at(station, staff, enterprise, need_type, phone="13812345678"):
    return need_register(
        actor=staff,
        station=station,
        enterprise=enterprise,
        contact_name="王经理",
        contact_phone=phone,
        source=Source.INBOUND,
        channel=Channel.objects.get(code="phone"),
        items=[NeedItem(need_type=need_type, content="电子秤检定")],
    )


@pytest.mark.django_db
def test_each_station_numbers_its_own_ledger(
    station_a, staff_a, enterprise_a, station_b, staff_b, enterprise_b, metrology
):
    with clock.travel(_at(2025, 3, 3)):
        a1 = _register_at(station_a, staff_a, enterprise_a, metrology)
        a2 = _register_at(station_a, staff_a, enterprise_a, metrology)
        b1 = _register_at(station_b, staff_b, enterprise_b, metrology)
    assert [a1.tracking_number, a2.tracking_number, b1.tracking_number] == [
        "20250001",
        "20250002",
        "20250001",
    ]
    assert b1.reference == f"{station_b.pk:02d}-20250001" != a1.reference
    counters = {(c.station_id, c.year): c.last_serial for c in TrackingCounter.objects.all()}
    assert counters == {(station_a.pk, 2025): 2, (station_b.pk, 2025): 1}


def test_references_are_read_back_as_people_type_them():
    assert reference(3, "20250001") == "03-20250001"
    assert reference(123, "20250001") == "123-20250001"
    assert parse_reference("03-20250001") == (3, "20250001")
    assert parse_reference(" ０３－２０２５０００１ ") == (3, "20250001")
    assert parse_reference("3 20250001") == (3, "20250001")
    assert parse_reference("03—20250001") == (3, "20250001")
    assert parse_reference("20250001") == (None, "20250001")
    for bad in ["", "0320250001", "2025001", "03-19990001", "abc", "03-2025-0001"]:
        assert parse_reference(bad) is None, bad


@pytest.mark.django_db
def test_existing_city_wide_numbers_keep_and_each_station_continues_after_its_own(
    station_a, staff_a, enterprise_a, station_b, staff_b, enterprise_b, metrology
):
    """The data migration: numbers already given out stay; counters come from the sheets."""
    migration = importlib.import_module("hqzt.needs.migrations.0017_per_station_numbering")
    for serial, station, enterprise in [
        (1, station_a, enterprise_a),
        (2, station_b, enterprise_b),
        (3, station_a, enterprise_a),
    ]:  # as the old city-wide counter gave them out
        TrackingSheet.objects.create(
            tracking_number=tracking_number(2025, serial),
            year=2025,
            serial=serial,
            station=station,
            enterprise=enterprise,
        )
    TrackingCounter.objects.all().delete()
    migration.counters_from_sheets(django_apps, None)
    counters = {(c.station_id, c.year): c.last_serial for c in TrackingCounter.objects.all()}
    assert counters == {(station_a.pk, 2025): 3, (station_b.pk, 2025): 2}
    with clock.travel(_at(2025, 6, 1)):
        assert _register_at(station_b, staff_b, enterprise_b, metrology).serial == 3
        assert _register_at(station_a, staff_a, enterprise_a, metrology).serial == 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_parallel_registrations_at_two_stations_are_gapless_per_station(request):
    metrology = request.getfixturevalue("metrology")
    sides = [
        (request.getfixturevalue(s), request.getfixturevalue(u), request.getfixturevalue(e))
        for s, u, e in [
            ("station_a", "staff_a", "enterprise_a"),
            ("station_b", "staff_b", "enterprise_b"),
        ]
    ]

    def job(station, staff, enterprise):
        def run() -> None:
            with clock.travel(_at(2025, 7, 1)):
                _register_at(station, staff, enterprise, metrology)

        return run

    errors = failures(at_once([job(*side) for side in sides for _ in range(20)]))
    assert errors == []
    for station, _, _ in sides:
        serials = TrackingSheet.objects.filter(station=station, year=2025).values_list(
            "serial", flat=True
        )
        assert sorted(serials) == list(range(1, 21))
