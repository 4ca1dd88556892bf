import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from hqzt.audit.models import AuditEvent
from hqzt.core import clock
from hqzt.core.retention import retention_date
from hqzt.needs.models import Need
from hqzt.needs.states import Status
from hqzt.records.retention import RetentionError, need_purge

pytestmark = pytest.mark.django_db


def test_archiving_sets_a_retention_date_of_at_least_three_years(drive):
    need = drive(Status.ARCHIVED)
    today = clock.today()
    assert need.retention_until == retention_date(today)
    assert (need.retention_until - today).days >= 3 * 365
    assert retention_date(datetime.date(2024, 2, 29)) == datetime.date(2027, 3, 1)


# DB1405 §6.6.4
def test_purge_is_refused_before_retention_and_under_legal_hold(drive, admin_user):
    need = drive(Status.ARCHIVED)
    with pytest.raises(RetentionError, match="未到保存期限"):
        need_purge(actor=admin_user, need=need, reason="到期")
    Need.objects.filter(pk=need.pk).update(
        retention_until=datetime.date(2020, 1, 1), legal_hold=True
    )
    with pytest.raises(RetentionError, match="暂停销毁"):
        need_purge(actor=admin_user, need=need, reason="到期")
    assert Need.objects.filter(pk=need.pk).exists()


def test_purge_after_retention_is_explicit_and_audited(drive, capsys):
    old, recent = drive(Status.ARCHIVED), drive(Status.ARCHIVED)
    Need.objects.filter(pk=old.pk).update(retention_until=datetime.date(2020, 1, 1))
    call_command("purge_archived", reason="晋市监〔2026〕1号")
    assert "1 项" in capsys.readouterr().out and Need.objects.filter(pk=old.pk).exists()
    call_command("purge_archived", reason="晋市监〔2026〕1号", yes=True)
    assert (
        not Need.objects.filter(pk=old.pk).exists() and Need.objects.filter(pk=recent.pk).exists()
    )
    event = AuditEvent.objects.get(action="purge")
    assert event.object_id == str(old.pk) and "晋市监〔2026〕1号" in str(event.changes)


def test_showcase_published_by_the_chief_appears_on_the_portal(
    client, client_for, drive, chief_a, staff_a
):
    need = drive(Status.ARCHIVED)
    data = {
        "showcase-title": "计量服务进园区",
        "showcase-summary": "上门检定 12 台压力表，两天办结。",
    }
    response = client_for(staff_a).post(reverse("needs:act", args=[need.pk, "showcase"]), data)
    assert response.status_code == 302  # back to the need, with the refusal as a message
    need.refresh_from_db()
    assert need.showcase_published_at is None  # only the chief publishes
    assert "计量服务进园区" not in client.get(reverse("portal:cases")).text
    response = client_for(chief_a).post(reverse("needs:act", args=[need.pk, "showcase"]), data)
    assert response.status_code == 302
    assert response.url == reverse("needs:detail", args=[need.pk])
    need.refresh_from_db()
    assert need.showcase_published_at is not None and need.showcase_title == "计量服务进园区"
    page = client.get(reverse("portal:cases")).text
    assert (
        "计量服务进园区" in page and need.enterprise.name not in page and "13812345678" not in page
    )


def test_only_archived_needs_become_cases(client_for, drive, chief_a):
    need = drive(Status.IN_PROGRESS)
    page = client_for(chief_a).get(reverse("needs:detail", args=[need.pk])).text
    assert 'data-testid="panel-showcase"' not in page
