import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count
from django.test import RequestFactory

from hqzt.accounts.models import User
from hqzt.core import clock
from hqzt.enterprises.credit_code import credit_code_clean
from hqzt.enterprises.models import Chain, Enterprise, Town
from hqzt.enterprises.selectors import enterprises_visible_to
from hqzt.needs.models import Need
from hqzt.needs.states import Status
from hqzt.stations.models import Station

pytestmark = pytest.mark.django_db

PASSWORD = "Demo-Password-2025"


@pytest.fixture
def seeded(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", password=PASSWORD, without_needs=True)
    return tmp_path


def test_demo_has_believable_stations(seeded):
    stations = Station.objects.select_related("domain_kind", "site_kind")
    assert stations.count() >= 6
    assert {s.domain_kind.code for s in stations} == {"chain", "town", "key_enterprise"}
    site_kinds = {s.site_kind.name for s in stations}
    assert {"龙头企业", "市场监管所"} <= site_kinds
    assert any("光机电" in s.name for s in stations)
    assert any("巴公" in s.name for s in stations)
    for station in stations:
        assert station.members.filter(role="chief", is_active=True).count() == 1


def test_demo_has_200_enterprises_with_valid_unique_codes(seeded):
    codes = list(Enterprise.objects.values_list("credit_code", flat=True))
    assert len(codes) >= 200
    assert len(set(codes)) == len(codes)
    assert all(credit_code_clean(code) == code for code in codes)
    assert Enterprise.objects.filter(chains__isnull=False).distinct().count() >= 80
    assert Enterprise.objects.filter(town__isnull=False).count() >= 80
    assert Chain.objects.exclude(chain_leader=None).count() == Chain.objects.count()
    assert Town.objects.count() >= 3
    # Every enterprise is served by a station, so the city supervisor sees all of them.
    supervisor = User.objects.get(username="supervisor")
    assert enterprises_visible_to(supervisor).count() == len(codes)


def test_demo_accounts_log_in_with_the_shared_password(seeded):
    request = RequestFactory().post("/accounts/login/")
    for username in ["admin", "supervisor", "chief1", "staff1", "staff2", "handler1"]:
        assert authenticate(request, username=username, password=PASSWORD) is not None, username
    chief1, staff1, staff2 = (User.objects.get(username=u) for u in ["chief1", "staff1", "staff2"])
    station_of = {u: u.station_memberships.get().station for u in (chief1, staff1, staff2)}
    assert station_of[chief1] == station_of[staff1] != station_of[staff2]
    assert User.objects.get(username="handler1").sections.filter(kind="bureau_section").exists()
    assert User.objects.get(username="supervisor").org_unit.level == "city"
    assert (seeded / "demo-password.txt").read_text().strip() == PASSWORD


def test_second_run_changes_nothing(seeded, capsys):
    before = Enterprise.objects.count()
    call_command("seed_demo")
    assert Enterprise.objects.count() == before
    assert "跳过" in capsys.readouterr().out


# The demo must hold every state whatever day it is built on: the day main's CI first broke (a
# Monday when nothing awaited dispatch), the first working day after the National Day week, and a
# Monday of a year the official holiday package does not know yet.
BUILD_DAYS = ["2026-11-30 08:05", "2026-10-09 18:30", "2027-01-04 09:40"]


@pytest.mark.parametrize("build_day", BUILD_DAYS)
def test_demo_has_a_year_of_needs_in_every_state(settings, tmp_path, build_day):
    settings.DATA_DIR = tmp_path
    moment = datetime.datetime.fromisoformat(build_day).replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    with clock.travel(moment):
        call_command("seed_demo", password=PASSWORD)
        _assert_a_year_in_every_state(clock.today())
    _assert_nothing_stamped_after(moment)


# Moments that lie ahead by design (deadlines, link expiry), and those written with the wall clock
# rather than the application's (the audit chain's `at`, the rows' created/updated stamps, Django's
# User.date_joined).
AHEAD_BY_DESIGN = {"expires_at", "due_at"}
WALL_CLOCK = {"date_joined"}


def _assert_nothing_stamped_after(now: datetime.datetime) -> None:
    """No demo record carries a moment later than the time it was seeded: built at 08:05, the
    inbox must not show a message of 15:40 the same day."""
    from django.apps import apps
    from django.db import models

    from hqzt.audit.models import AuditEvent

    late = []
    for model in apps.get_models():
        if not model.__module__.startswith("hqzt.") or model is AuditEvent:
            continue
        for field in model._meta.get_fields():
            if (
                not isinstance(field, models.DateTimeField)
                or field.name in AHEAD_BY_DESIGN | WALL_CLOCK
                or field.auto_now
                or field.auto_now_add
            ):
                continue
            found = model.objects.filter(**{f"{field.name}__gt": now}).count()
            if found:
                late.append(f"{model.__name__}.{field.name}: {found}")
    assert not late, late


def _assert_a_year_in_every_state(today: datetime.date) -> None:
    assert set(Need.objects.values_list("status", flat=True)) == set(Status.values)
    oldest = Need.objects.order_by("registered_on").first().registered_on
    assert (today - oldest).days > 300
    assert (
        Need.objects.filter(due_on__lt=today)
        .exclude(status__in=[Status.ARCHIVED, Status.REJECTED, Status.AWAITING_ARCHIVE])
        .exists()
    )
    assert Need.objects.filter(escalated=True, status=Status.AWAITING_VERIFICATION).exists()
    multi = Need.objects.values("sheet").annotate(n=Count("id")).filter(n__gt=1)
    assert multi.count() >= 10
    assert Need.objects.filter(source="visit").exists()
    # A year of station operations (issue: station operations).
    from hqzt.operations.models import AnnualPlan, DutyShift, Meeting, Training, Visit, WeeklyReport
    from hqzt.policies.models import Policy

    assert AnnualPlan.objects.filter(year=today.year).count() == Station.objects.count()
    assert WeeklyReport.objects.filter(status="submitted").count() > 300
    assert Meeting.objects.filter(kind="regular").count() > 300
    assert Visit.objects.exclude(sheet=None).exists() and Training.objects.count() >= 70
    assert (
        Policy.objects.count() >= 10 and DutyShift.objects.filter(date=today).exists() is not None
    )
    # Supervision in every state (issue: records and supervision).
    from hqzt.supervision.models import (
        Callback,
        Feedback,
        ImprovementPlan,
        RectificationTask,
        SupervisionOrder,
    )

    assert set(SupervisionOrder.objects.values_list("status", flat=True)) == set(
        SupervisionOrder.Status.values
    )
    assert any(o.is_overdue for o in SupervisionOrder.objects.all())
    assert Callback.objects.filter(mismatch=True).exists()
    assert set(Callback.objects.values_list("status", flat=True)) == set(Callback.Status.values)
    assert set(Feedback.objects.values_list("status", flat=True)) == set(Feedback.Status.values)
    assert set(RectificationTask.objects.values_list("status", flat=True)) == set(
        RectificationTask.Status.values
    )
    assert ImprovementPlan.objects.filter(origin="callback").exists()
    # Last year's books are closed (§6.6.2), so the self-check shows a frozen volume per station.
    from hqzt.records.models import ClosedBook
    from hqzt.supervision.conformance import station_checks

    for station in Station.objects.filter(needs__registered_on__year=today.year - 1).distinct():
        assert ClosedBook.objects.filter(station=station, year=today.year - 1).exists()
        book = next(c for c in station_checks(station, today) if c.clause == "6.6.2")
        assert book.passed, (station.name, book.evidence)
