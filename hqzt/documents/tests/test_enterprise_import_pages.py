"""The enterprise register's upload page (issue 14 item 6): preview, then confirm exactly what was
previewed, for the people who may import the ledger at that station and nobody else."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hqzt.audit.models import AuditEvent
from hqzt.documents.models import ImportBatch
from hqzt.documents.tests.test_enterprise_import import CODE_A, CODE_B, CODE_D, _sheet
from hqzt.enterprises.models import Enterprise
from hqzt.enterprises.tests.factories import EnterpriseFactory, TownFactory

pytestmark = pytest.mark.django_db

UPLOAD = "documents:enterprise_import"
CONFIRM = "documents:enterprise_import_confirm"


def _upload(tmp_path, town: str = "") -> SimpleUploadedFile:
    with open(_sheet(tmp_path, town), "rb") as handle:
        return SimpleUploadedFile("巴公企业名册.xlsx", handle.read())


def _preview(client, station, upload):
    return client.post(reverse(UPLOAD), {"station": station.pk, "file": upload})


def test_preview_then_confirm_imports_what_was_shown(
    client_for, tmp_path, station_a, station_b, staff_a
):
    town = TownFactory(name="巴公镇")
    served = EnterpriseFactory(name="乙铸造厂", credit_code=CODE_B)
    station_a.enterprises.add(served)
    station_b.enterprises.add(EnterpriseFactory(name="丁外站企业", credit_code=CODE_D))
    client = client_for(staff_a)
    assert "导入企业名册" in client.get(reverse("enterprises:list")).text

    response = _preview(client, station_a, _upload(tmp_path, town.name))
    page = response.text
    assert "新增 <strong>1</strong> 家，更新 <strong>1</strong> 家" in page
    assert (
        "校验位错误" in page
        and "该信用代码已由其他服务站登记" in page
        and "与第 3 行为同一企业" in page
    )
    assert "将更新：企业名称、法定代表人" in page
    assert Enterprise.objects.count() == 2  # nothing saved on the dry run
    batch = ImportBatch.objects.get()
    assert batch.kind == ImportBatch.Kind.ENTERPRISES and batch.applied_at is None

    response = client.post(reverse(CONFIRM, args=[batch.pk]), follow=True)
    assert "新增或更新 2 家企业" in response.text
    created = Enterprise.objects.get(credit_code=CODE_A)
    assert created.town == town and station_a.enterprises.filter(pk=created.pk).exists()
    served.refresh_from_db()
    assert served.legal_representative == "王五"
    assert AuditEvent.objects.filter(action="import", object_id=str(batch.pk)).exists()
    assert AuditEvent.objects.filter(action="create", object_id=str(created.pk)).exists()

    again = client.post(reverse(CONFIRM, args=[batch.pk]), follow=True)
    assert "该文件已导入" in again.text
    assert Enterprise.objects.count() == 3


def test_a_register_changed_after_the_preview_is_previewed_again(
    client_for, tmp_path, station_a, staff_a
):
    client = client_for(staff_a)
    _preview(client, station_a, _upload(tmp_path))
    batch = ImportBatch.objects.get()
    # Meanwhile somebody registers row 3's enterprise for another station.
    EnterpriseFactory(name="甲机械有限公司", credit_code=CODE_A)
    response = client.post(reverse(CONFIRM, args=[batch.pk]), follow=True)
    assert "请重新上传预检" in response.text
    assert not Enterprise.objects.filter(name="乙铸造有限公司").exists()
    batch.refresh_from_db()
    assert batch.applied_at is None


def test_chief_may_import_for_the_station(client_for, tmp_path, station_a, chief_a):
    client = client_for(chief_a)
    assert "可修改文件后重新上传" in _preview(client, station_a, _upload(tmp_path)).text
    batch = ImportBatch.objects.get()
    assert client.post(reverse(CONFIRM, args=[batch.pk])).status_code == 302
    assert Enterprise.objects.filter(credit_code=CODE_A).exists()


def test_others_are_refused(
    client, client_for, tmp_path, station_a, staff_a, staff_b, supervisor, handler
):
    # Staff of another station are not offered station A, and their post is refused.
    response = _preview(client_for(staff_b), station_a, _upload(tmp_path))
    assert response.status_code == 200 and "所选服务站不在您的权限范围内" in response.text
    assert not ImportBatch.objects.exists()
    for user in (supervisor, handler):
        assert client_for(user).get(reverse(UPLOAD)).status_code == 403
        assert _preview(client_for(user), station_a, _upload(tmp_path)).status_code == 403
        assert "导入企业名册" not in client_for(user).get(reverse("enterprises:list")).text
    client.logout()
    assert client.get(reverse(UPLOAD)).status_code == 302

    _preview(client_for(staff_a), station_a, _upload(tmp_path))
    batch = ImportBatch.objects.get()
    for user in (staff_b, supervisor, handler):
        assert client_for(user).post(reverse(CONFIRM, args=[batch.pk])).status_code == 404
    # A ledger batch is not confirmed as a register, nor the other way round.
    assert (
        client_for(staff_a).post(reverse("documents:import_confirm", args=[batch.pk])).status_code
        == 404
    )
    assert Enterprise.objects.count() == 0


def test_a_file_that_cannot_be_read_is_refused_on_the_form(client_for, station_a, staff_a):
    upload = SimpleUploadedFile("名册.csv", "姓名,年龄\n张三,30\n".encode())
    response = _preview(client_for(staff_a), station_a, upload)
    assert "没有找到企业名册的表头" in response.text and not ImportBatch.objects.exists()
    upload = SimpleUploadedFile("名册.txt", b"x")
    assert "只支持 .xlsx 和 .csv 文件" in _preview(client_for(staff_a), station_a, upload).text
