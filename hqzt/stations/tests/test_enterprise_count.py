"""服务企业数 kept on the station (stations/counts.py, issue 18): after every kind of change to
the station–enterprise links the kept count equals a direct count of the links, and the
reconciliation finds and corrects a count left behind by a write that bypassed the hooks."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from hqzt.enterprises.services import enterprise_for_claim, enterprise_save
from hqzt.enterprises.tests.factories import EnterpriseFactory
from hqzt.stations.counts import Links, enterprise_count_drift
from hqzt.stations.models import Station
from hqzt.stations.tests.factories import StationFactory

pytestmark = pytest.mark.django_db


def _kept_equals_counted() -> dict[int, int]:
    kept = dict(Station.objects.values_list("pk", "enterprise_count"))
    for pk, n in kept.items():
        assert n == Links.objects.filter(station_id=pk).count(), pk
    return kept


def test_links_added_and_removed_from_either_side_move_the_count(station_a, station_b):
    e1, e2, e3 = EnterpriseFactory.create_batch(3)
    station_a.enterprises.add(e1, e2)
    station_a.enterprises.add(e2, e3)  # e2 is linked already: counted once
    e1.stations.add(station_a, station_b)  # station_a's link exists: only station_b moves
    assert _kept_equals_counted() == {station_a.pk: 3, station_b.pk: 1}
    station_a.enterprises.remove(e1, EnterpriseFactory())  # one linked, one never linked
    e2.stations.remove(station_a, station_b)  # station_b never served e2
    assert _kept_equals_counted() == {station_a.pk: 1, station_b.pk: 1}
    station_a.enterprises.set([e1, e2])
    assert _kept_equals_counted() == {station_a.pk: 2, station_b.pk: 1}
    e1.stations.clear()
    assert _kept_equals_counted() == {station_a.pk: 1, station_b.pk: 0}
    station_a.enterprises.clear()
    assert _kept_equals_counted() == {station_a.pk: 0, station_b.pk: 0}


def test_deleting_an_enterprise_takes_its_links_off_every_station(station_a, station_b):
    e1, e2 = EnterpriseFactory.create_batch(2)
    e1.stations.add(station_a, station_b)
    station_a.enterprises.add(e2)
    e1.delete()
    assert _kept_equals_counted() == {station_a.pk: 1, station_b.pk: 0}
    from hqzt.enterprises.models import Enterprise

    Enterprise.objects.filter(pk=e2.pk).delete()  # a queryset delete too
    assert _kept_equals_counted() == {station_a.pk: 0, station_b.pk: 0}


def test_the_services_that_link_enterprises_keep_the_count(supervisor, station_a, station_b):
    enterprise = enterprise_save(
        actor=supervisor,
        enterprise=EnterpriseFactory.build(),
        data={"name": "晋城甲乙精密有限公司"},
        stations=[station_a, station_b],
        allowed_stations=[station_a, station_b],
        contacts=[],
    )
    assert _kept_equals_counted() == {station_a.pk: 1, station_b.pk: 1}
    enterprise_save(
        actor=supervisor,
        enterprise=enterprise,
        data={"name": "晋城甲乙精密有限公司"},
        stations=[station_b],
        allowed_stations=[station_a, station_b],
        contacts=[],
    )
    assert _kept_equals_counted() == {station_a.pk: 0, station_b.pk: 1}
    enterprise_for_claim(station=station_a, name="晋城丙丁机械有限公司")
    enterprise_for_claim(station=station_a, name="晋城丙丁机械有限公司")  # found, not linked again
    assert _kept_equals_counted() == {station_a.pk: 1, station_b.pk: 1}


def test_the_reconciliation_reports_and_corrects_a_count_left_behind(station_a, station_b):
    station_a.enterprises.add(*EnterpriseFactory.create_batch(2))
    # A bulk insert (as bench/scale.py loads) passes the hooks by.
    Links.objects.bulk_create(
        [Links(station_id=station_b.pk, enterprise_id=EnterpriseFactory().pk)]
    )
    Station.objects.filter(pk=station_a.pk).update(enterprise_count=7)
    wrong = {(station_a.pk, 7, 2), (station_b.pk, 0, 1)}
    assert set(enterprise_count_drift(fix=False)) == wrong
    assert set(enterprise_count_drift(fix=False)) == wrong  # a check changes nothing
    assert set(enterprise_count_drift(fix=True)) == wrong
    assert enterprise_count_drift(fix=False) == []
    assert _kept_equals_counted() == {station_a.pk: 2, station_b.pk: 1}


def test_rebuild_stats_checks_and_corrects_the_counts(station_a, capsys):
    call_command("rebuild_stats", "--check")
    assert "服务企业数与服务关系一致" in capsys.readouterr().out
    station_a.enterprises.add(EnterpriseFactory())
    Station.objects.filter(pk=station_a.pk).update(enterprise_count=0)
    with pytest.raises(CommandError, match="1 个服务站的服务企业数与服务关系不一致"):
        call_command("rebuild_stats", "--check")
    assert f"服务站 {station_a.pk} 服务企业数：应为 1，实为 0" in capsys.readouterr().out
    call_command("rebuild_stats")
    assert "已修正" in capsys.readouterr().out
    assert Station.objects.get(pk=station_a.pk).enterprise_count == 1


def test_the_nightly_job_corrects_the_counts(station_a):
    from hqzt.dashboard.tasks import reconcile_stats

    station_a.enterprises.add(EnterpriseFactory())
    Station.objects.filter(pk=station_a.pk).update(enterprise_count=5)
    reconcile_stats.call_local()
    assert Station.objects.get(pk=station_a.pk).enterprise_count == 1


def test_the_migration_counts_existing_links(station_a, station_b):
    migration = importlib.import_module("hqzt.stations.migrations.0005_station_enterprise_count")
    Links.objects.bulk_create(
        [
            Links(station_id=station_a.pk, enterprise_id=e.pk)
            for e in EnterpriseFactory.create_batch(3)
        ]
    )
    empty = StationFactory()
    Station.objects.update(enterprise_count=9)
    migration.count_links(apps, None)
    assert _kept_equals_counted() == {station_a.pk: 3, station_b.pk: 0, empty.pk: 0}
