"""Confirming a big import on its pages: the confirm queues one job however often 确认导入 is
clicked, the job page shows its progress and then its result to its uploader only, the upload pages
list the user's jobs, and the register's confirm queues its job only while the preview holds.

The thresholds are lowered as in test_import_jobs.py (DIRECT_IMPORT_ROWS, CHUNK_ROWS); huey runs
tasks inline in tests (HUEY_IMMEDIATE).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hqzt.audit.models import AuditEvent
from hqzt.documents import import_jobs
from hqzt.documents.enterprise_import import enterprise_batch_create
from hqzt.documents.import_errors import AlreadyImported, ImportPermissionError
from hqzt.documents.import_jobs import enterprise_job_queue, import_job_run, ledger_job_queue
from hqzt.documents.models import ImportBatch
from hqzt.documents.tests.test_enterprise_import import CODE_A, CODE_B, CODE_D, _sheet
from hqzt.documents.tests.test_import_jobs import ROWS, _batch, _csv
from hqzt.enterprises.models import Enterprise
from hqzt.enterprises.tests.factories import EnterpriseFactory
from hqzt.needs.models import Need
from hqzt.notifications.models import Notification
from hqzt.stations.models import StationMember
from tests.concurrency import at_once

B = ImportBatch.Status


@pytest.fixture(autouse=True)
def small_thresholds(monkeypatch):
    monkeypatch.setattr(import_jobs, "DIRECT_IMPORT_ROWS", 2)
    monkeypatch.setattr(import_jobs, "CHUNK_ROWS", 2)
    monkeypatch.setattr(import_jobs, "CHUNK_PAUSE_SECONDS", 0)


# --- The pages ----------------------------------------------------------------------------------


def _confirm(client, batch, capture, view="documents:import_confirm"):
    """A POST to the confirm; the queued task starts when its transaction commits."""
    with capture(execute=True):
        return client.post(reverse(view, args=[batch.pk]))


def _upload_and_confirm(client, station, capture):
    upload = SimpleUploadedFile("台账.csv", _csv(ROWS))
    client.post(reverse("documents:import_upload"), {"station": station.pk, "file": upload})
    batch = ImportBatch.objects.get()
    return batch, _confirm(client, batch, capture)


@pytest.mark.django_db
def test_confirming_a_big_ledger_shows_the_job_then_its_result(
    client_for, station_a, staff_a, django_capture_on_commit_callbacks
):
    client = client_for(staff_a)
    batch, response = _upload_and_confirm(client, station_a, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response.url == reverse("documents:import_job", args=[batch.pk])
    page = client.get(response.url).text
    assert "已转为后台分批导入" in page
    assert "已完成" in page and "已处理 <strong>6</strong> / 6 行" in page
    assert "已导入 <strong>6</strong> 条需求；以下 1 行未导入" in page
    assert 'data-row="7"' in page and "日期「2025-02-30」不存在" in page
    assert 'hx-trigger="every 2s"' not in page  # finished: no more polling
    note = Notification.objects.get(recipient=staff_a)
    assert "台账导入已完成" in note.title and note.url == response.url


@pytest.mark.django_db
def test_a_double_click_on_confirm_queues_one_job(
    client_for, station_a, staff_a, django_capture_on_commit_callbacks
):
    client = client_for(staff_a)
    batch, _ = _upload_and_confirm(client, station_a, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        again = client.post(reverse("documents:import_confirm", args=[batch.pk]), follow=True)
    assert not queued  # no second task
    assert "该文件已确认导入，没有重复导入" in again.text
    assert again.redirect_chain[-1][0] == reverse("documents:import_job", args=[batch.pk])
    assert Need.objects.count() == 6 and Notification.objects.filter(recipient=staff_a).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_two_simultaneous_confirms_queue_one_job(request):
    station, staff = request.getfixturevalue("station_a"), request.getfixturevalue("staff_a")
    batch = _batch(station, staff)
    results = at_once([lambda: ledger_job_queue(batch=batch, actor=staff)] * 2)
    assert sorted(type(r).__name__ for r in results) == ["AlreadyImported", "bool"], results
    assert True in results
    with pytest.raises(AlreadyImported):
        ledger_job_queue(batch=batch, actor=staff)


def _running(station, user) -> ImportBatch:
    batch = _batch(station, user)
    ledger_job_queue(batch=batch, actor=user)
    ImportBatch.objects.filter(pk=batch.pk).update(status=B.RUNNING, rows_done=2)
    return batch


@pytest.mark.django_db
def test_the_progress_page_polls_while_the_job_runs(client_for, station_a, staff_a):
    batch = _running(station_a, staff_a)
    url = reverse("documents:import_job", args=[batch.pk])
    page = client_for(staff_a).get(url).text
    assert "<html" in page and "导入中" in page and "已处理 <strong>2</strong> / 6 行" in page
    assert f'hx-get="{url}" hx-trigger="every 2s"' in page
    assert 'data-testid="import-result"' not in page
    fragment = client_for(staff_a).get(url, headers={"HX-Request": "true"}).text
    assert "<html" not in fragment and 'data-status="running"' in fragment


@pytest.mark.django_db
def test_only_the_uploader_at_their_station_sees_the_job(
    client_for, client, station_a, station_b, staff_a, staff_b, chief_a
):
    batch = _running(station_a, staff_a)
    url = reverse("documents:import_job", args=[batch.pk])
    assert client_for(staff_a).get(url).status_code == 200
    assert client_for(staff_b).get(url).status_code == 404  # another station's staff
    assert client_for(chief_a).get(url).status_code == 404  # not the uploader
    StationMember.objects.filter(user=staff_a).update(is_active=False)
    assert client_for(staff_a).get(url).status_code == 404  # no longer at that station
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


@pytest.mark.django_db
def test_a_batch_not_yet_confirmed_has_no_job_page(client_for, station_a, staff_a):
    batch = _batch(station_a, staff_a)
    assert (
        client_for(staff_a).get(reverse("documents:import_job", args=[batch.pk])).status_code == 404
    )


@pytest.mark.django_db
def test_a_small_file_is_still_imported_in_its_request(client_for, station_a, staff_a):
    client = client_for(staff_a)
    client.post(
        reverse("documents:import_upload"),
        {"station": station_a.pk, "file": SimpleUploadedFile("台账.csv", _csv(ROWS[:2]))},
    )
    batch = ImportBatch.objects.get()
    response = client.post(reverse("documents:import_confirm", args=[batch.pk]), follow=True)
    assert "已导入 2 条需求" in response.text and Need.objects.count() == 2
    batch.refresh_from_db()
    assert batch.status == B.DONE and not batch.plan
    url = reverse("documents:import_job", args=[batch.pk])
    assert client.get(url).status_code == 404  # no job, no job page


# --- The enterprise register --------------------------------------------------------------------


@pytest.fixture
def register_batch(tmp_path, station_a, station_b, staff_a):
    served = EnterpriseFactory(name="乙铸造厂", credit_code=CODE_B)
    station_a.enterprises.add(served)
    station_b.enterprises.add(EnterpriseFactory(name="丁外站企业", credit_code=CODE_D))
    with open(_sheet(tmp_path, ""), "rb") as handle:
        upload = SimpleUploadedFile("巴公企业名册.xlsx", handle.read())
    return upload


@pytest.mark.django_db
def test_a_big_register_import_runs_as_a_job(
    monkeypatch, client_for, register_batch, station_a, staff_a, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(import_jobs, "DIRECT_IMPORT_ROWS", 1)
    monkeypatch.setattr(import_jobs, "CHUNK_ROWS", 1)
    client = client_for(staff_a)
    client.post(
        reverse("documents:enterprise_import"), {"station": station_a.pk, "file": register_batch}
    )
    batch = ImportBatch.objects.get()
    response = _confirm(
        client, batch, django_capture_on_commit_callbacks, "documents:enterprise_import_confirm"
    )
    assert response.url == reverse("documents:import_job", args=[batch.pk])
    batch.refresh_from_db()
    assert (batch.status, batch.imported, batch.rows_done) == (B.DONE, 2, batch.rows_total)
    page = client.get(response.url).text
    assert "新增或更新 <strong>2</strong> 家企业" in page
    assert "校验位错误" in page and "该信用代码已由其他服务站登记" in page
    assert Enterprise.objects.filter(credit_code=CODE_A, stations=station_a).exists()
    assert AuditEvent.objects.filter(action="import", object_id=str(batch.pk)).exists()
    again = client.post(reverse("documents:enterprise_import_confirm", args=[batch.pk]))
    assert again.url == response.url and Enterprise.objects.count() == 3


@pytest.mark.django_db
def test_a_big_register_changed_after_the_preview_fails_its_job_with_nothing_written(
    monkeypatch, client_for, register_batch, station_a, staff_a, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(import_jobs, "DIRECT_IMPORT_ROWS", 1)
    client = client_for(staff_a)
    client.post(
        reverse("documents:enterprise_import"), {"station": station_a.pk, "file": register_batch}
    )
    batch = ImportBatch.objects.get()
    EnterpriseFactory(name="甲机械有限公司", credit_code=CODE_A)
    count = Enterprise.objects.count()
    response = _confirm(
        client, batch, django_capture_on_commit_callbacks, "documents:enterprise_import_confirm"
    )
    page = client.get(response.url).text
    assert "预检之后，企业名册或基础数据有了变化" in page and "请重新上传预检" in page
    batch.refresh_from_db()
    assert batch.status == B.FAILED and Enterprise.objects.count() == count


@pytest.mark.django_db
def test_a_big_register_confirm_by_someone_no_longer_at_the_station_is_refused(
    monkeypatch, register_batch, station_a, staff_a
):
    monkeypatch.setattr(import_jobs, "DIRECT_IMPORT_ROWS", 1)
    batch, _ = enterprise_batch_create(
        user=staff_a, station=station_a, upload=register_batch, name="名册.xlsx"
    )
    StationMember.objects.filter(user=staff_a).update(is_active=False)
    with pytest.raises(ImportPermissionError):
        enterprise_job_queue(batch=batch, actor=staff_a)
    batch.refresh_from_db()
    assert batch.status == B.PREVIEWED


@pytest.mark.django_db
def test_a_register_job_whose_preview_no_longer_holds_fails_with_nothing_written(
    monkeypatch, register_batch, station_a, staff_a
):
    monkeypatch.setattr(import_jobs, "DIRECT_IMPORT_ROWS", 1)
    register_batch.seek(0)
    batch, _ = enterprise_batch_create(
        user=staff_a, station=station_a, upload=register_batch, name="名册.xlsx"
    )
    assert enterprise_job_queue(batch=batch, actor=staff_a)
    EnterpriseFactory(name="甲机械有限公司", credit_code=CODE_A)  # before the job starts
    count = Enterprise.objects.count()
    import_job_run(batch.pk)
    batch.refresh_from_db()
    assert batch.status == B.FAILED and "请重新上传预检" in batch.error
    assert Enterprise.objects.count() == count


@pytest.mark.django_db
def test_the_upload_page_lists_the_users_own_queued_imports(
    client_for, station_a, station_b, staff_a, staff_b
):
    batch = _running(station_a, staff_a)
    _batch(station_a, staff_a)  # previewed only: no job
    url = reverse("documents:import_job", args=[batch.pk])
    page = client_for(staff_a).get(reverse("documents:import_upload")).text
    assert f'href="{url}"' in page and "已处理 2 / 6 行" in page
    assert page.count('href="/imports/') == 1
    other = client_for(staff_b).get(reverse("documents:import_upload")).text
    assert url not in other and 'data-testid="import-jobs"' not in other
    register = client_for(staff_a).get(reverse("documents:enterprise_import")).text
    assert url not in register
