"""Outside probe X3: a queued export's file went to its owner after their membership was switched
off, with every full contact number; and export files were never deleted. The scope the file was
made with is asked again at each download, and files expire after EXPORT_RETENTION_DAYS."""

import datetime
import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hqzt.core import clock
from hqzt.documents import views
from hqzt.documents.export_access import (
    SCOPE_GONE,
    SCOPE_UNKNOWN,
    export_scope,
    exports_expire,
)
from hqzt.documents.models import ExportJob
from hqzt.documents.tasks import daily_export_expiry
from hqzt.needs.ledger import ledger_filter
from hqzt.needs.states import Status
from hqzt.needs.tests.factories import TrackingSheetFactory
from hqzt.org.models import Section
from hqzt.stations.models import StationMember

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queued(monkeypatch, settings, tmp_path):
    monkeypatch.setattr(views, "DIRECT_EXPORT_LIMIT", -1)  # every export goes to the queue
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def export(client_for, django_capture_on_commit_callbacks):
    def run(user) -> tuple[ExportJob, object]:
        client = client_for(user)
        with django_capture_on_commit_callbacks(execute=True):
            client.get(reverse("documents:ledger_xlsx"))
        return ExportJob.objects.filter(user=user).latest("pk"), client

    return run


def _download(client, job):
    return client.get(reverse("documents:export_download", args=[job.pk]))


def test_the_owner_still_in_scope_downloads(export, drive, staff_a, station_a):
    drive(Status.REGISTERED)
    job, client = export(staff_a)
    assert job.params["scope"] == {"full_phones": True, "stations": [station_a.pk]}
    assert _download(client, job).status_code == 200
    assert (
        'href="{}"'.format(reverse("documents:export_download", args=[job.pk]))
        in client.get(reverse("documents:export_list")).text
    )


def test_the_scope_names_each_station_once_as_the_database_counts_them(
    supervisor, station_a, station_b
):
    """Issue 18: one station id a row, read back for a million rows, was the export's peak."""
    TrackingSheetFactory(station=station_a, contents=["电子秤检定", "压力表检定", "衡器检定"])
    TrackingSheetFactory(station=station_b, contents=["计价器检定"])
    needs, _ = ledger_filter(supervisor, {})
    with CaptureQueriesContext(connection) as captured:
        scope = export_scope(supervisor, needs)
    assert scope["stations"] == sorted([station_a.pk, station_b.pk])
    assert "DISTINCT" in captured.captured_queries[-1]["sql"]


def test_a_membership_switched_off_refuses_the_file(export, drive, staff_a):
    drive(Status.REGISTERED)
    job, client = export(staff_a)
    StationMember.objects.filter(user=staff_a).update(is_active=False)
    response = _download(client, job)
    assert response.status_code == 403
    assert SCOPE_GONE in response.text
    assert 'href="{}"'.format(reverse("documents:export_download", args=[job.pk])) not in (
        client.get(reverse("documents:export_list")).text
    )


def test_a_role_that_sees_masked_numbers_no_longer_takes_a_file_with_full_ones(
    export, drive, staff_a, city
):
    drive(Status.REGISTERED)
    job, client = export(staff_a)
    staff_a.role, staff_a.org_unit = "supervisor", city  # oversees the station, numbers masked
    staff_a.save()
    response = _download(client, job)
    assert response.status_code == 403 and SCOPE_GONE in response.text


def test_a_handler_keeps_the_file_while_in_the_sections_it_was_made_with(export, handler):
    job, client = export(handler)
    assert job.params["scope"]["sections"] == [Section.objects.get(name="计量科").pk]
    assert _download(client, job).status_code == 200
    handler.sections.set([Section.objects.exclude(name="计量科").first()])
    response = _download(client, job)
    assert response.status_code == 403 and SCOPE_GONE in response.text


def test_a_file_without_a_recorded_scope_is_refused(export, staff_a):
    job, client = export(staff_a)
    ExportJob.objects.filter(pk=job.pk).update(params={"query": ""})
    response = _download(client, job)
    assert response.status_code == 403 and SCOPE_UNKNOWN in response.text


def test_another_user_gets_no_file(export, staff_a, chief_a, client_for):
    job, _ = export(staff_a)
    assert _download(client_for(chief_a), job).status_code == 404


def test_export_files_expire_after_the_retention_days(export, staff_a, settings):
    settings.EXPORT_RETENTION_DAYS = 7
    old, client = export(staff_a)
    new, _ = export(staff_a)
    ExportJob.objects.filter(pk=old.pk).update(created_at=clock.now() - datetime.timedelta(days=8))
    path = old.file.path
    assert exports_expire() == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert not old.file and new.file

    assert not os.path.exists(path)
    assert _download(client, old).status_code == 404
    assert _download(client, new).status_code == 200
    assert exports_expire() == 0


def test_the_expiry_runs_as_a_periodic_task(export, staff_a):
    job, _ = export(staff_a)
    ExportJob.objects.filter(pk=job.pk).update(created_at=clock.now() - datetime.timedelta(days=30))
    daily_export_expiry.call_local()
    job.refresh_from_db()
    assert not job.file


def test_an_expired_file_is_refused_before_the_sweep_deletes_it(export, staff_a, settings):
    """Probe P2-E1: the download asked only whether the file was still there, so an old export
    went out until the 03:40 sweep ran, and for ever without a queue consumer."""
    settings.EXPORT_RETENTION_DAYS = 7
    job, client = export(staff_a)
    ExportJob.objects.filter(pk=job.pk).update(created_at=clock.now() - datetime.timedelta(days=8))
    job.refresh_from_db()
    assert job.file  # not swept yet
    assert _download(client, job).status_code == 404
    listing = client.get(reverse("documents:export_list")).text
    assert reverse("documents:export_download", args=[job.pk]) not in listing
