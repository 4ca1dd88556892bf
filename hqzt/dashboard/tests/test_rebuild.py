"""The set-based rebuild (dashboard/expected.py) against the Python definition of a need's
buckets (aggregates.buckets): row for row on a varied ledger — the services' random histories
of test_aggregates plus needs set by hand at the edges (month and year ends, the end of the due
day in Beijing time, no deadline, no channel, section or evaluation, zero working days, joint
handling with the lead among its co-sections and ids of one and two digits, several chains,
suggestion records, a refused need)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from hqzt.dashboard import aggregates, expected
from hqzt.dashboard.models import NeedStat
from hqzt.dashboard.reconcile import reconcile
from hqzt.dashboard.tests.test_aggregates import world  # noqa: F401 (the fixture)
from hqzt.enterprises.models import Chain, Town
from hqzt.enterprises.tests.factories import EnterpriseFactory
from hqzt.intake.models import SuggestionRecord
from hqzt.needs.models import Need, Source
from hqzt.needs.tests.factories import TrackingSheetFactory
from hqzt.org.models import Section

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _at(day: str, time: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=TZ)


# registered_on, the fields set by hand (what no service writes in one step)
EDGES = [
    ("2025-01-31", {"ended_at": _at("2025-02-10", "23:59:59"), "complete_due_on": "2025-02-10"}),
    ("2025-02-01", {"ended_at": _at("2025-02-11", "00:00:01"), "complete_due_on": "2025-02-10"}),
    ("2024-12-31", {"ended_at": _at("2025-01-02", "08:00"), "complete_due_on": None}),
    ("2025-01-01", {"status": "rejected", "evaluation": "satisfied"}),
    ("2024-02-29", {"status": "archived", "evaluation": "very_satisfied", "round": 3}),
    ("2025-02-28", {"handling_workdays": 0, "outcome": "met", "evaluation": "neutral"}),
    ("2025-02-28", {"handling_workdays": 12, "first_answered_at": _at("2025-03-01", "00:10")}),
    ("2025-03-31", {"channel": None, "source": Source.VISIT, "lead_section": None}),
    ("2025-03-31", {"evaluation": "dissatisfied", "round": 2, "status": "in_progress"}),
]


@pytest.fixture
def varied(world, station_a, station_b, staff_a, staff_b, enterprise_a):  # noqa: F811
    chains = [Chain.objects.create(name=f"产业链{i}") for i in range(3)]
    town = Town.objects.create(name="北留镇", county="阳城县", leading_industry="陶瓷")
    chained = EnterpriseFactory(name="两链企业有限公司", town=town)
    chained.chains.add(*chains[:2])
    station_a.enterprises.add(chained)
    sections = list(Section.objects.filter(is_active=True).order_by("pk"))
    low = [s for s in sections if s.pk < 10]
    high = [s for s in sections if s.pk >= 10]
    assert len(low) >= 2 and high, "the sorting of one- and two-digit ids is not exercised"
    sheet = TrackingSheetFactory(
        station=station_a,
        enterprise=chained,
        actor=staff_a,
        contents=[f"边界需求{i}" for i in range(len(EDGES))],
    )
    needs = list(sheet.needs.order_by("row_number"))
    for need, (day, fields) in zip(needs, EDGES, strict=True):
        changes = {"registered_on": day, "lead_section": high[0], **fields}
        if "ended_at" in fields:
            changes |= {"status": "awaiting_evaluation", "outcome": "unmet"}
        Need.objects.filter(pk=need.pk).update(**changes)
    joint, lead_also_co = needs[0], needs[1]
    joint.co_sections.add(low[1], low[0])
    lead_also_co.co_sections.add(high[0], low[0])
    other = TrackingSheetFactory(station=station_b, enterprise=enterprise_a, actor=staff_b).needs
    Need.objects.filter(pk=other.get().pk).update(registered_on="2025-12-31", lead_section=low[1])
    for need, stage, accepted in [
        (joint, "type", True),
        (joint, "type", False),
        (joint, "dispatch", True),
        (needs[3], "type", True),  # refused at acceptance: counted nowhere
        (needs[7], "liaise", False),
    ]:
        SuggestionRecord.objects.create(
            need=need,
            stage=stage,
            suggested="计量",
            confidence=0.9,
            chosen="计量",
            accepted=accepted,
        )
    return {"low": low, "high": high, "needs": needs}


def _python() -> aggregates.Buckets:
    return {k: v for k, v in aggregates.buckets(Need.objects.all()).items() if any(v)}


def _table() -> aggregates.Buckets:
    rows = {
        (r.station_id, r.sections, r.grain, r.day, r.dim, r.value): [
            getattr(r, name) for name in aggregates.VECTOR
        ]
        for r in NeedStat.objects.all()
    }
    return {k: v for k, v in rows.items() if any(v)}


def test_the_rebuild_from_nothing_gives_the_python_buckets_row_for_row(varied):
    python = _python()
    NeedStat.objects.all().delete()
    drift = reconcile(fix=True)
    assert _table() == python
    assert drift.rows == len(python)
    assert reconcile(fix=False).rows == 0


def test_the_edges_are_in_the_data(varied):
    """What the comparison above covers: both sides of the due day's end in Beijing time, the
    sorted audiences, month rows at a year's end, a leap day, zero working days."""
    python, (low, high), station = _python(), (varied["low"], varied["high"]), varied["needs"][0]
    station = station.station_id
    all_day = {
        k[3]: dict(zip(aggregates.VECTOR, v, strict=True))
        for k, v in python.items()
        if k[:3] == (station, "", "d") and k[4] == "all"
    }
    assert all_day[datetime.date(2025, 1, 31)]["on_time"] == 1
    assert all_day[datetime.date(2025, 2, 1)]["on_time"] == 0
    assert all_day[datetime.date(2025, 2, 1)]["completed"] == 1
    assert all_day[datetime.date(2024, 12, 31)]["on_time"] == 0
    assert all_day[datetime.date(2024, 2, 29)]["rehandled"] == 1
    assert all_day[datetime.date(2025, 2, 28)]["workdays_n"] == 2
    assert datetime.date(2025, 1, 1) not in all_day  # refused
    joint = f",{low[0].pk},{low[1].pk},{high[0].pk},"
    assert (station, joint, "m", datetime.date(2025, 1, 1), "stage", "type") in python
    assert (station, f",{low[0].pk},{high[0].pk},", "d", datetime.date(2025, 2, 1), "all", "") in (
        python
    )
    chains = {k[5] for k in python if k[4] == "chain" and k[3] == datetime.date(2025, 3, 31)}
    assert len(chains) == 2
    assert {k[4] for k in python} == set(expected.DIMS)  # the reconciliation reads these


def test_a_drifted_table_is_brought_to_the_python_buckets(varied):
    python = _python()
    rows = NeedStat.objects.filter(n__gt=0).order_by("pk")
    NeedStat.objects.filter(pk__in=rows.values("pk")[:5]).delete()
    NeedStat.objects.filter(pk__in=rows.filter(dim="all").values("pk")[:3]).update(n=99)
    NeedStat.objects.create(  # a row no need gives, in a month that has needs
        station_id=varied["needs"][0].station_id,
        grain="d",
        day=datetime.date(2025, 1, 15),
        dim="type",
        value="999",
        n=4,
    )
    NeedStat.objects.create(  # and in a month that has none
        station_id=varied["needs"][0].station_id,
        grain="m",
        day=datetime.date(2023, 5, 1),
        dim="all",
        n=1,
    )
    drift = reconcile(fix=False)
    assert drift.rows > 0 and len(drift.examples) <= 3 * drift.stations
    assert reconcile(fix=True).rows == drift.rows
    assert _table() == python


def test_a_row_created_meanwhile_sends_the_month_the_locked_way(varied, monkeypatch):
    """A month without rows is written in one pass; if a change to a need creates one of its
    rows first (here: just before the insert), the month is done again with its rows locked."""
    python = _python()
    NeedStat.objects.all().delete()
    correct, raced = expected.Expected.correct, []

    def racing(self):
        if not raced:
            (*key,) = self._rows(
                f"SELECT {expected._KEY} FROM {expected.DIFF} WHERE row_id IS NULL"  # noqa: S608
            )[0]
            key[3] = datetime.date.fromisoformat(str(key[3]))
            key = tuple(key)
            aggregates.apply({}, {key: python[key]})
            try:
                correct(self)
            except IntegrityError:
                raced.append(key)
                raise
        correct(self)

    monkeypatch.setattr(expected.Expected, "correct", racing)
    reconcile(fix=True)
    assert raced and _table() == python


def test_a_window_is_whole_months(varied):
    with pytest.raises(ValueError, match="whole months"):
        reconcile(fix=False, window=(datetime.date(2025, 1, 15), None))
    assert reconcile(fix=False, window=(datetime.date(2025, 1, 1), datetime.date(2025, 2, 1))).rows


def test_the_command_reports_each_month_when_asked(varied, capsys):
    call_command("rebuild_stats", verbosity=2)
    out = capsys.readouterr().out
    assert "2025-01：" in out and "2024-02：" in out and "已修正" in out
    call_command("rebuild_stats", "--check")
    assert "2025-01：" not in capsys.readouterr().out
