"""Benchmark: the statistics page at N needs, from NeedStat against the old GROUP BY.

    .venv/bin/python bench/stats.py 100000 [1000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/stats.py 100000

Builds a throw-away database (SQLite in a temporary DATA_DIR, or the empty PostgreSQL database
named by DATABASE_URL, which is left filled) with N needs over 40 stations and three years of
registration dates, every state, evaluations, lead sections and handling days (bulk inserts, then
`reconcile(fix=True)` builds the rows, timed as the nightly rebuild). Then, for a supervisor
over all stations and for the staff of one station, a year's period ending on the last day: the
page's figures from the rows (`dashboard.statistics`), the same figures by the old GROUP BY
(`dashboard/tests/reference.py`) and the whole page over the test client, p50/p95 of R runs.
"""

import datetime
import os
import random
import statistics as stats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = 20_000
STATIONS = 40
RUNS = int(os.environ.get("RUNS", "15"))
LAST = datetime.date(2026, 11, 30)


def _setup(db_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hqzt.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("FIELD_ENCRYPTION_KEY", "YmVuY2gtb25seS1maWVsZC1rZXktbm90LWZvci11c2U=")
    os.environ.setdefault("DATA_DIR", db_dir)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()


def build(n: int) -> tuple:
    from django.core.management import call_command

    from hqzt.accounts.models import User
    from hqzt.enterprises.models import Enterprise
    from hqzt.needs.models import Channel, Need, NeedType, TrackingSheet
    from hqzt.org.models import OrgUnit, Section
    from hqzt.stations.models import DomainKind, SiteKind, Station, StationMember

    call_command("migrate", verbosity=0)
    city = OrgUnit.objects.get(region_code="140500")
    stations = [
        Station.objects.create(
            name=f"基准服务站{s:02d}",
            domain_kind=DomainKind.objects.get(code="key_enterprise"),
            domain_name="基准",
            site_kind=SiteKind.objects.first(),
            address="地址",
            service_content="服务",
            contact_phones="03562221234",
            supervision_phone="03562221234",
            superior_unit=city,
        )
        for s in range(STATIONS)
    ]
    supervisor = User.objects.create(username="bench_sup", role="supervisor", org_unit=city)
    staff = User.objects.create(username="bench_staff", full_name="基准用户", role="station_staff")
    StationMember.objects.create(station=stations[0], user=staff, role="resident_staff")
    types, channels = list(NeedType.objects.all()), list(Channel.objects.all())
    sections = list(Section.objects.all()[:8])
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(name=f"晋城市基准测试{i}机械制造有限公司") for i in range(2000)
    )
    rng = random.Random(18)  # noqa: S311 (sample data)
    statuses = [
        "registered",
        "in_progress",
        "awaiting_evaluation",
        "awaiting_archive",
        "archived",
        "archived",
        "archived",
        "rejected",
        "liaising",
    ]
    levels = ["very_satisfied", "satisfied", "satisfied", "neutral", "dissatisfied", ""]
    serial = 0
    for start in range(0, n, BATCH):
        count = min(BATCH, n - start)
        sheets = TrackingSheet.objects.bulk_create(
            TrackingSheet(
                tracking_number=f"20{serial + i + 1:09d}",
                year=2025,
                serial=serial + i + 1,
                station=stations[(serial + i) % STATIONS],
                enterprise=enterprises[rng.randrange(2000)],
            )
            for i in range(count)
        )
        serial += count
        rows = []
        for sheet in sheets:
            day = LAST - datetime.timedelta(days=rng.randrange(3 * 365))
            status = rng.choice(statuses)
            done = status in ("awaiting_evaluation", "awaiting_archive", "archived")
            ended = datetime.datetime(day.year, day.month, day.day, 10, tzinfo=datetime.UTC) + (
                datetime.timedelta(days=rng.randrange(30))
            )
            rows.append(
                Need(
                    sheet=sheet,
                    row_number=1,
                    station_id=sheet.station_id,
                    enterprise_id=sheet.enterprise_id,
                    registered_on=day,
                    contact_name="王经理",
                    contact_phone="13812345678",
                    need_type=rng.choice(types),
                    content="电子天平、压力表需要周期检定，希望安排上门检定并出具检定证书。",
                    source=rng.choice(["inbound", "visit"]),
                    channel=rng.choice(channels),
                    status=status,
                    lead_section=rng.choice([None, *sections]),
                    first_answered_at=ended if status != "registered" else None,
                    ended_at=ended if done else None,
                    complete_due_on=day + datetime.timedelta(days=20),
                    handling_workdays=rng.randrange(1, 25) if done else None,
                    outcome=rng.choice(["met", "unmet"]) if done else "",
                    evaluation=rng.choice(levels)
                    if status in ("awaiting_archive", "archived")
                    else "",
                    round=rng.choice([1, 1, 1, 2]),
                )
            )
        Need.objects.bulk_create(rows)  # bulk: NeedStat is built below, as a rebuild would
    return supervisor, staff


def _time(fn) -> tuple[float, float]:
    fn()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - started))
    times.sort()
    return stats.median(times), times[max(0, int(0.95 * len(times)) - 1)]


def measure(n: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from hqzt.dashboard.models import NeedStat
    from hqzt.dashboard.reconcile import reconcile
    from hqzt.dashboard.statistics import Period, Statistics
    from hqzt.dashboard.tests import reference
    from hqzt.needs import figures as need_figures

    started = time.perf_counter()
    supervisor, staff = build(n)
    built = time.perf_counter() - started
    started = time.perf_counter()
    reconcile(fix=True)
    rebuilt = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    rows = NeedStat.objects.count()
    period = Period(LAST - datetime.timedelta(days=365), LAST)
    print(
        f"n={n:,} ({connection.vendor}): built {built:.0f} s, NeedStat rows {rows:,} "
        f"(rebuild {rebuilt:.0f} s)"
    )
    print(
        "| scope | figures from NeedStat p50 / p95 | old GROUP BY p50 / p95 | ratio (p50) "
        "| page p50 / p95 |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, user in (
        ("supervisor, all stations, a year", supervisor),
        ("staff, one station, a year", staff),
    ):

        def new(user=user):
            figures = Statistics(user, period)
            figures.totals(), figures.monthly(), figures.adoption()
            for dim in ("station", "section"):
                figures.compare_by(dim)
            for dim in reference.FIELDS:
                figures.counts_by(dim)

        def old(user=user):
            needs = reference.needs(user, period)
            need_figures.totals(needs), reference.monthly(needs), reference.adoption(needs)
            for dim in ("station", "section"):
                reference.compare_by(needs, dim)
            for dim in reference.FIELDS:
                reference.counts_by(needs, dim)

        client = Client()
        client.force_login(user)

        url = reverse("dashboard:stats")

        def page(client=client, url=url):
            query = {"date_from": period.start, "date_to": period.end}
            if client.get(url, query).status_code != 200:
                raise RuntimeError("the statistics page did not answer 200")

        (n50, n95), (o50, o95), (p50, p95) = _time(new), _time(old), _time(page)
        print(
            f"| {label} | {n50:.1f} / {n95:.1f} ms | {o50:.0f} / {o95:.0f} ms "
            f"| ×{o50 / n50:.0f} | {p50:.1f} / {p95:.1f} ms |"
        )


def main() -> None:
    for n in [int(a) for a in sys.argv[1:]] or [100_000]:
        with tempfile.TemporaryDirectory() as db_dir:
            _setup(db_dir)
            measure(n)


if __name__ == "__main__":
    main()
