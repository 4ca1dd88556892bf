"""NeedStat against the needs: random histories built through the real services, every figure
of the statistics page from the rows equal to the same figure grouped over the needs."""

import datetime
import random
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hqzt.core import clock
from hqzt.dashboard.models import NeedStat
from hqzt.dashboard.reconcile import nightly_windows, reconcile, reconcile_nightly
from hqzt.dashboard.statistics import Period, Statistics
from hqzt.dashboard.tests import reference
from hqzt.documents.ledger_commit import ledger_import_apply
from hqzt.documents.ledger_import import analyse
from hqzt.documents.tests.test_import import _xlsx
from hqzt.enterprises.models import Chain, Town
from hqzt.needs import figures as need_figures
from hqzt.needs.models import Channel, Need, NeedType, Scope, Source
from hqzt.needs.services.evaluation import need_evaluate, need_verify
from hqzt.needs.services.handling import need_complete
from hqzt.needs.services.identification import need_accept_task, need_dispatch, need_identify
from hqzt.needs.services.registration import NeedItem, need_register
from hqzt.needs.states import Status
from hqzt.org.models import Section
from hqzt.records.retention import need_purge
from tests.concurrency import at_once, failures

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
LEVELS = ["very_satisfied", "satisfied", "neutral", "dissatisfied"]
STATES = [
    Status.PENDING_ACCEPTANCE,
    Status.REJECTED,
    Status.REGISTERED,
    Status.FIRST_CONTACT_HANDLING,
    Status.AWAITING_DISPATCH,
    Status.DISPATCHED,
    Status.IN_PROGRESS,
    Status.LIAISING,
    Status.AWAITING_EVALUATION,
    Status.AWAITING_VERIFICATION,
    Status.AWAITING_ARCHIVE,
    Status.ARCHIVED,
]


def _at(day: datetime.date, hour: int = 10):
    return clock.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TZ))


def _finish(rng, need, day, *, staff, chief, handler):
    """Complete, evaluate and perhaps verify and complete again, days apart."""
    finisher = handler if need.lead_section_id else chief
    with _at(day + datetime.timedelta(days=rng.randint(0, 20)), hour=rng.choice([9, 23])):
        need = need_complete(
            need=need,
            actor=finisher,
            outcome=rng.choice(["met", "unmet"]),
            result="办结",
            handling_opinion="建议另行申请",
        )
        level = rng.choice([*LEVELS, None])
        if level is None:
            return
        need = need_evaluate(
            need=need, actor=staff, level=level, comments="慢" if level == "dissatisfied" else ""
        )
    if level == "dissatisfied" and rng.random() < 0.7:
        with _at(day + datetime.timedelta(days=25)):
            need = need_verify(need=need, actor=chief, rehandle=True, note="重办")
            need = need_complete(need=need, actor=finisher, outcome="met", result="再办")
            need_evaluate(need=need, actor=staff, level=rng.choice(LEVELS[:3]))


@pytest.fixture
def world(
    drive,
    staff_a,
    staff_b,
    chief_a,
    handler,
    station_a,
    station_b,
    enterprise_a,
    enterprise_b,
    metrology_section,
):
    rng = random.Random(18)
    types, channels = list(NeedType.objects.all()), list(Channel.objects.all())
    other = Section.objects.exclude(pk=metrology_section.pk).filter(is_active=True).first()
    town, chain = (
        Town.objects.create(name="巴公镇", county="泽州县", leading_industry="装备"),
        (Chain.objects.create(name="光机电产业链")),
    )
    enterprise_a.town = town
    enterprise_a.save()
    enterprise_a.chains.add(chain)
    start = datetime.date(2024, 11, 1)
    for _ in range(26):
        day = start + datetime.timedelta(days=rng.randint(0, 420))
        state = rng.choice(STATES)
        with _at(day):
            need = drive(state, path=rng.choice(["section", "simple", "other"]))
        if (
            state in (Status.IN_PROGRESS, Status.FIRST_CONTACT_HANDLING, Status.LIAISING)
            and (need.status == state)
            and rng.random() < 0.6
        ):
            _finish(rng, need, day, staff=staff_a, chief=chief_a, handler=handler)
    for _ in range(10):  # other types, channels and sources; station B; joint handling
        day = start + datetime.timedelta(days=rng.randint(0, 420))
        station, enterprise, staff = rng.choice(
            [(station_a, enterprise_a, staff_a), (station_b, enterprise_b, staff_b)]
        )
        source = rng.choice(list(Source))
        with _at(day):
            sheet = need_register(
                actor=staff,
                station=station,
                enterprise=enterprise,
                contact_name="赵",
                contact_phone="13812345678",
                source=source,
                channel=rng.choice(channels) if source == Source.INBOUND else None,
                items=[
                    NeedItem(need_type=rng.choice(types), content="检定")
                    for _ in range(rng.randint(1, 2))
                ],
            )
        if station == station_a:
            need = sheet.needs.first()
            with _at(day):
                need = need_identify(
                    need=need,
                    actor=staff_a,
                    scope=Scope.MARKET_REGULATION,
                    complexity="coordinated",
                )
                need = need_dispatch(
                    need=need,
                    actor=chief_a,
                    handling_mode="joint",
                    lead_section=metrology_section,
                    co_sections=[other],
                )
                need = need_accept_task(need=need, actor=handler)
            _finish(rng, need, day, staff=staff_a, chief=chief_a, handler=handler)
    with _at(datetime.date(2025, 3, 3)):  # an imported history, archived and open
        for archive in (True, False):
            rows = [
                [
                    i,
                    f"2025-0{i}-0{i + 1}",
                    enterprise_a.name,
                    "王经理",
                    "13812345678",
                    "计量",
                    f"导入第{i}项{archive}",
                    "",
                    "",
                ]
                for i in range(1, 4)
            ]
            ledger_import_apply(
                analysis=analyse(_xlsx(rows), "台账.xlsx", station_a),
                station=station_a,
                actor=staff_a,
                archive=archive,
                file_name="台账.xlsx",
            )
    enterprise_a.town = None  # the enterprise leaves its town and one chain
    enterprise_a.save()
    enterprise_a.chains.remove(chain)
    enterprise_b.chains.add(chain)
    archived = Need.objects.filter(status=Status.ARCHIVED, retention_until__isnull=False).first()
    with clock.travel(datetime.datetime(2060, 1, 1, tzinfo=TZ)):
        need_purge(actor=None, need=archived, reason="保存期满")
    return rng


USERS = [
    "admin_user",
    "supervisor",
    "county_supervisor",
    "staff_a",
    "staff_b",
    "chief_a",
    "handler",
]
PERIODS = [
    Period(datetime.date(2024, 11, 1), datetime.date(2025, 12, 31)),
    Period(datetime.date(2024, 11, 17), datetime.date(2025, 9, 30)),
    Period(datetime.date(2025, 1, 1), datetime.date(2025, 1, 31)),
    Period(datetime.date(2025, 2, 3), datetime.date(2025, 6, 12)),
    Period(datetime.date(2025, 6, 12), datetime.date(2025, 6, 12)),
    Period(datetime.date(2025, 6, 12), datetime.date(2025, 6, 1)),
]


def _by_key(rows):
    return sorted(rows, key=lambda r: str(r["key"]))


@pytest.mark.parametrize("who", USERS)
def test_every_figure_from_the_rows_equals_the_needs_grouped(who, world, request):
    user = request.getfixturevalue(who)
    assert NeedStat.objects.exists()
    for period in PERIODS:
        figures, needs = Statistics(user, period), reference.needs(user, period)
        assert figures.totals() == need_figures.totals(needs), period
        for dim in ("station", "section"):
            assert _by_key(figures.compare_by(dim)) == _by_key(reference.compare_by(needs, dim))
        assert figures.monthly() == reference.monthly(needs)
        for dim in reference.FIELDS:
            assert sorted(figures.counts_by(dim), key=str) == sorted(
                reference.counts_by(needs, dim), key=str
            ), (period, dim)
        assert figures.adoption() == reference.adoption(needs)
    assert reconcile(fix=False).rows == 0


def test_the_check_reports_drift_and_the_rebuild_removes_it(world, capsys):
    call_command("rebuild_stats", "--check")
    assert "一致" in capsys.readouterr().out
    row = NeedStat.objects.filter(dim="all", grain="m").first()
    NeedStat.objects.filter(pk=row.pk).update(n=row.n + 5)
    NeedStat.objects.filter(dim="status", n__gt=0).first().delete()
    with pytest.raises(CommandError, match="2 行统计汇总与需求台账不一致"):
        call_command("rebuild_stats", "--check")
    call_command("rebuild_stats")
    assert "已修正" in capsys.readouterr().out
    assert reconcile(fix=False).rows == 0


def test_the_rebuild_recreates_every_row_from_nothing(world):
    expected = {
        r.pk and (r.station_id, r.sections, r.grain, r.day, r.dim, r.value): r.n
        for r in NeedStat.objects.exclude(n=0, accepted=0)
    }
    NeedStat.objects.all().delete()
    assert reconcile(fix=True).rows > 0
    assert {
        (r.station_id, r.sections, r.grain, r.day, r.dim, r.value): r.n
        for r in NeedStat.objects.exclude(n=0, accepted=0)
    } == expected


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_parallel_transitions_of_one_bucket_lose_no_update(request):
    """Twenty needs of one station, day and type identified at once: each moves the same status
    rows (one of them new, so created by several transactions at once) by one."""
    register, staff = request.getfixturevalue("register"), request.getfixturevalue("staff_a")
    with _at(datetime.date(2025, 7, 1)):
        needs = [need for _ in range(4) for need in register(5)]

    def identify(need) -> None:
        with _at(datetime.date(2025, 7, 2)):
            need_identify(
                need=need, actor=staff, scope=Scope.MARKET_REGULATION, complexity="simple"
            )

    assert failures(at_once([lambda need=need: identify(need) for need in needs])) == []
    rows = NeedStat.objects.filter(sections="", grain="d", dim="status")
    assert dict(rows.filter(n__gt=0).values_list("value", "n")) == {
        Status.FIRST_CONTACT_HANDLING: 20
    }
    assert reconcile(fix=False).rows == 0


def test_the_nights_cover_the_recent_months_and_every_older_month_in_turn():
    # The 31 nights of December 2026; 2024-03 … 2026-09 are 31 older months.
    today, earliest = datetime.date(2026, 12, 1), datetime.date(2024, 3, 15)
    older = set()
    for night in range(31):
        recent, *rotating = nightly_windows(today + datetime.timedelta(days=night), earliest)
        assert recent == (datetime.date(2026, 10, 1), None)
        ((first, end),) = rotating
        assert first.day == 1 and end == (first + datetime.timedelta(days=32)).replace(day=1)
        older.add(first)
    assert older == {datetime.date(2024 + (m + 2) // 12, (m + 2) % 12 + 1, 1) for m in range(31)}
    recent_only = [(datetime.date(2026, 10, 1), None)]
    assert nightly_windows(today, datetime.date(2026, 11, 3)) == recent_only
    assert nightly_windows(today, None) == recent_only


def test_a_window_reconciles_its_months_only(world):
    row = NeedStat.objects.filter(dim="all", grain="m", n__gt=0).order_by("day").first()
    NeedStat.objects.filter(pk=row.pk).update(n=row.n + 5)
    month_after = (row.day + datetime.timedelta(days=32)).replace(day=1)
    elsewhere = (month_after, None)
    assert reconcile(fix=True, window=elsewhere).rows == 0
    assert NeedStat.objects.get(pk=row.pk).n == row.n + 5
    assert reconcile(fix=True, window=(row.day, month_after)).rows == 1
    assert NeedStat.objects.get(pk=row.pk).n == row.n
    assert reconcile(fix=False).rows == 0


def test_the_nightly_job_corrects_this_month_s_drift(world):
    row = NeedStat.objects.filter(dim="all", grain="d", n__gt=0).order_by("-day").first()
    NeedStat.objects.filter(pk=row.pk).update(n=row.n + 1)
    assert reconcile_nightly(row.day).rows == 1
    assert reconcile(fix=False).rows == 0
