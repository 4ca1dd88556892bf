"""新建企业 clicked twice at once registers the enterprise once (probe E1): the form's same-name
check runs before the write, so enterprise_save asks again under the name's lock and refuses the
later one with the form's own words. Run on SQLite, and on PostgreSQL when DATABASE_URL names
one."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hqzt.enterprises import forms
from hqzt.enterprises.models import Enterprise
from hqzt.enterprises.selectors import SAME_NAME_AT_STATION
from hqzt.enterprises.services import enterprise_save
from hqzt.enterprises.tests.test_enterprise_views import _post
from tests.concurrency import at_once

NAME = "晋城市双击测试有限公司"


def _save(actor, station, name=NAME):
    return enterprise_save(
        actor=actor,
        enterprise=Enterprise(),
        data={"name": name},
        stations=[station],
        allowed_stations=[station],
        contacts=[],
    )


@pytest.mark.django_db
def test_the_service_refuses_a_twin_and_allows_another_station(
    staff_a, staff_b, station_a, station_b
):
    _save(staff_a, station_a)
    with pytest.raises(ValidationError) as refused:
        _save(staff_a, station_a)
    assert refused.value.message_dict == {"name": [SAME_NAME_AT_STATION]}
    _save(staff_b, station_b)  # another station's own record of the name (ADR 0006)
    _save(staff_a, station_a, name="晋城市双击测试二号有限公司")
    assert Enterprise.objects.filter(name=NAME).count() == 2


@pytest.mark.django_db
def test_editing_keeps_its_own_name_but_not_a_twins(staff_a, station_a):
    first = _save(staff_a, station_a)
    other = _save(staff_a, station_a, name="晋城市另一家有限公司")
    enterprise_save(
        actor=staff_a,
        enterprise=first,
        data={"name": NAME, "address": "新地址"},
        stations=[station_a],
        allowed_stations=[station_a],
        contacts=[],
    )
    with pytest.raises(ValidationError, match="所选服务站已登记同名企业"):
        enterprise_save(
            actor=staff_a,
            enterprise=other,
            data={"name": NAME},
            stations=[station_a],
            allowed_stations=[station_a],
            contacts=[],
        )
    assert Enterprise.objects.get(pk=other.pk).name == "晋城市另一家有限公司"


@pytest.mark.django_db
def test_a_lost_race_shows_the_forms_message(client_for, staff_a, station_a, monkeypatch):
    """Had the twin arrived between the form's check and the save, the page says the same."""
    _save(staff_a, station_a)
    monkeypatch.setattr(forms, "enterprise_twin_exists", lambda **kwargs: False)
    response = client_for(staff_a).post(
        reverse("enterprises:create"), _post(station_a, credit_code="", name=NAME)
    )
    assert response.status_code == 200
    assert SAME_NAME_AT_STATION in response.text
    assert Enterprise.objects.filter(name=NAME).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_simultaneous_saves_register_one_enterprise(request):
    station = request.getfixturevalue("station_a")
    staff = request.getfixturevalue("staff_a")
    workers = 4

    def outcome(result: object) -> str:
        if isinstance(result, ValidationError):
            return result.message_dict["name"][0]
        return repr(result) if isinstance(result, BaseException) else "saved"

    outcomes = [outcome(r) for r in at_once([lambda: _save(staff, station)] * workers)]
    assert sorted(outcomes) == sorted(["saved"] + [SAME_NAME_AT_STATION] * (workers - 1))
    assert Enterprise.objects.filter(name=NAME, stations=station).count() == 1
