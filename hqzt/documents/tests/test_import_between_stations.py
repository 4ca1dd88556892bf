"""Two stations, one city register (ADR 0006), as the outside probe of issue 14 found it: a row
naming an enterprise by name alone means the importing station's own enterprise of that name; an
enterprise only another station serves is left alone, and the preview says so without telling
its registered name or its station."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hqzt.core import clock
from hqzt.documents.enterprise_commit import enterprise_import_apply
from hqzt.documents.enterprise_import import analyse as register_analyse
from hqzt.documents.ledger_commit import ledger_import_apply
from hqzt.documents.ledger_import import analyse
from hqzt.documents.models import ImportBatch
from hqzt.documents.tests import messy
from hqzt.documents.tests.test_enterprise_import import CODE_A
from hqzt.enterprises.models import Enterprise
from hqzt.enterprises.tests.factories import EnterpriseFactory
from hqzt.needs.models import Need

pytestmark = pytest.mark.django_db
NEW_YEAR = datetime.datetime(2026, 1, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
NAMESAKE = "晋城市凤台机械有限公司"  # row 12 of the station ledger names it


def _import_ledger(station, actor, upload):
    with clock.travel(NEW_YEAR):
        analysis = analyse(upload, "台账.xlsx", station)
        ledger_import_apply(
            analysis=analysis, station=station, actor=actor, archive=True, file_name="台账.xlsx"
        )
    return analysis


def _namesakes(station_a, station_b):
    """Each station serves its own 凤台机械 (two firms of one name, say in two counties);
    station A's was registered first, so it has the lower id."""
    at_a = EnterpriseFactory(name=NAMESAKE, credit_code=None, legal_representative="甲法人")
    at_b = EnterpriseFactory(name=NAMESAKE, credit_code=None, legal_representative="乙法人")
    station_a.enterprises.add(at_a)
    station_b.enterprises.add(at_b)
    assert at_a.pk < at_b.pk
    return at_a, at_b


def test_a_ledger_row_by_name_goes_to_the_importing_stations_own_enterprise(
    station_a, station_b, staff_a, staff_b
):
    at_a, at_b = _namesakes(station_a, station_b)
    analysis = _import_ledger(station_b, staff_b, messy.station_ledger())
    row = next(r for r in analysis.rows if r.row == 12)
    assert row.status == "ok" and not row.warnings
    need = Need.objects.get(station=station_b, content="经营异常名录移出")
    assert need.enterprise == at_b
    _import_ledger(station_a, staff_a, messy.station_ledger())
    assert Need.objects.get(station=station_a, content="经营异常名录移出").enterprise == at_a
    assert Enterprise.objects.filter(name=NAMESAKE).count() == 2  # none registered anew


def test_two_enterprises_of_one_name_at_the_station_are_said_on_the_row(station_a, station_b):
    first = EnterpriseFactory(name=NAMESAKE, credit_code=None)
    station_b.enterprises.add(first, EnterpriseFactory(name=NAMESAKE, credit_code=None))
    with clock.travel(NEW_YEAR):
        rows = {r.row: r for r in analyse(messy.station_ledger(), "台账.xlsx", station_b).rows}
    assert rows[12].status == "ok"
    assert rows[12].warnings == [
        f"本站服务的企业中有 2 家名为「{NAMESAKE}」，台账没有信用代码可以区分，"
        "按其中最早登记的一家导入"
    ]
    # Station A serves neither: nothing ambiguous for A, nothing said.
    with clock.travel(NEW_YEAR):
        rows = {r.row: r for r in analyse(messy.station_ledger(), "台账.xlsx", station_a).rows}
    assert rows[12].status == "ok" and not rows[12].warnings


def _register(lines: list[str]) -> io.BytesIO:
    """An enterprise register as a station exports it from its own spreadsheet: UTF-8 CSV."""
    return io.BytesIO(
        ("\r\n".join(["企业名称,统一社会信用代码,法定代表人", *lines]) + "\r\n").encode()
    )


def test_a_register_row_by_name_updates_the_importing_stations_own_enterprise(
    station_a, station_b, staff_b
):
    at_a, at_b = _namesakes(station_a, station_b)
    rows = enterprise_import_apply(
        upload=_register([f"{NAMESAKE},,新法人"]), name="名册.csv", station=station_b, actor=staff_b
    )
    assert [r.status for r in rows] == ["update"]
    at_a.refresh_from_db()
    at_b.refresh_from_db()
    assert at_b.legal_representative == "新法人" and at_a.legal_representative == "甲法人"


def test_a_register_name_the_station_serves_twice_asks_for_the_credit_code(station_b, staff_b):
    twins = [EnterpriseFactory(name=NAMESAKE, credit_code=None) for _ in range(2)]
    station_b.enterprises.add(*twins)
    rows = enterprise_import_apply(
        upload=_register([f"{NAMESAKE},,新法人", "晋城市新开机械有限公司,,"]),
        name="名册.csv",
        station=station_b,
        actor=staff_b,
    )
    assert [r.status for r in rows] == ["rejected", "new"]
    assert (
        rows[0].reason == f"本站服务的企业中有 2 家名为「{NAMESAKE}」，请填写统一社会信用代码以区分"
    )
    assert not Enterprise.objects.filter(legal_representative="新法人").exists()


def test_the_register_preview_never_names_another_stations_enterprise(
    client_for, station_a, station_b, staff_b
):
    """Station B's file has station A's credit code under the name B's spreadsheet uses."""
    theirs = EnterpriseFactory(name="晋城市甲站登记名称有限公司", credit_code=CODE_A)
    station_a.enterprises.add(theirs)
    station_a.enterprises.add(EnterpriseFactory(name="泽州县同名铸造有限公司", credit_code=None))
    upload = _register([f"晋城甲站企业（简称）,{CODE_A},张三", "泽州县同名铸造有限公司,,李四"])
    rows = register_analyse(upload, "名册.csv", station_b)
    assert [r.status for r in rows] == ["skipped", "skipped"]
    assert rows[0].reason == (
        "该信用代码已由其他服务站登记，如需由本站服务，请联系上级单位添加服务关系；本行未导入"
    )
    assert rows[1].reason.startswith("该企业已由其他服务站登记，如需由本站服务")

    upload.seek(0)
    page = client_for(staff_b).post(
        reverse("documents:enterprise_import"),
        {"station": station_b.pk, "file": SimpleUploadedFile("名册.csv", upload.read())},
    )
    assert page.status_code == 200 and "该信用代码已由其他服务站登记" in page.text
    assert "晋城市甲站登记名称有限公司" not in page.text and "甲服务站" not in page.text
    batch = ImportBatch.objects.get()
    response = client_for(staff_b).post(
        reverse("documents:enterprise_import_confirm", args=[batch.pk])
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.legal_representative != "张三"
    assert not station_b.enterprises.exists()
