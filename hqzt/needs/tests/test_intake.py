"""Outside submissions (needs/intake.py) under concurrency."""

import random

import pytest

from hqzt.demo.names import credit_code
from hqzt.enterprises.models import Enterprise
from hqzt.needs.intake import Submission, submission_receive
from hqzt.needs.models import TrackingSheet
from tests.concurrency import at_once, failures


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_one_new_enterprise_submitting_in_parallel_is_registered_once(request):
    """Two people of one enterprise not yet registered submit at the same moment: both get a
    sheet, and the enterprise is created once (on PostgreSQL the second insert used to fail and
    was mistaken for a repeated submission, answering 500)."""
    station = request.getfixturevalue("station_a")
    metrology = request.getfixturevalue("metrology")
    code = credit_code(random.Random(7), "140502")

    def submit(n: int) -> None:
        submission = Submission(
            station=station,
            enterprise_name="同时提交的新企业有限公司",
            credit_code=code,
            contact_name="并发",
            contact_phone="13812345678",
            need_type=metrology,
            content=f"并发提交 {n}",
            channel_code="portal",
        )
        submission_receive(submission, key=f"portal:parallel-{n}")

    assert failures(at_once([lambda n=n: submit(n) for n in range(8)])) == []
    assert TrackingSheet.objects.count() == 8
    assert Enterprise.objects.filter(credit_code=code).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_fifty_submissions_naming_five_new_enterprises_register_five(request):
    """50 portal submissions at once, ten for each of five enterprises not yet registered and
    without a credit code, to two stations: one enterprise row per name (issue 13, 8; PostgreSQL
    made 14 before the name was locked)."""
    stations = [request.getfixturevalue("station_a"), request.getfixturevalue("station_b")]
    metrology = request.getfixturevalue("metrology")
    names = [f"并发新企业{n}有限公司" for n in range(5)]

    def submit(n: int) -> None:
        submission = Submission(
            station=stations[n % 2],
            enterprise_name=names[n % 5],
            contact_name="并发",
            contact_phone="13812345678",
            need_type=metrology,
            content=f"并发提交 {n}",
            channel_code="portal",
        )
        submission_receive(submission, key=f"portal:fifty-{n}")

    assert failures(at_once([lambda n=n: submit(n) for n in range(50)])) == []
    assert TrackingSheet.objects.count() == 50
    assert sorted(Enterprise.objects.values_list("name", flat=True)) == names
