"""Benchmark: rebuilding and checking the NeedStat rows (ADR 0009) at N needs.

    .venv/bin/python bench/rebuild.py 20000 [100000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/rebuild.py 20000

Builds the data set of `bench/stats.py` (a throw-away SQLite database, or the empty PostgreSQL
database named by DATABASE_URL, left filled), without rows, then times what `rebuild_stats`
does: the rebuild from nothing (`reconcile(fix=True)`), the check of correct rows
(`reconcile(fix=False)`, the nightly case) and the repair of a few wrong rows.
"""

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stats


def measure(n: int) -> None:
    from django.db import connection

    from hqzt.dashboard.models import NeedStat
    from hqzt.dashboard.reconcile import reconcile

    started = time.perf_counter()
    stats.build(n)
    built = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    started = time.perf_counter()
    created = reconcile(fix=True).rows
    rebuilt = time.perf_counter() - started
    started = time.perf_counter()
    clean = reconcile(fix=False).rows
    checked = time.perf_counter() - started
    for row in NeedStat.objects.filter(grain="d", dim="all").order_by("pk")[:: max(1, n // 20)]:
        NeedStat.objects.filter(pk=row.pk).update(n=row.n + 1)
    started = time.perf_counter()
    fixed = reconcile(fix=True).rows
    repaired = time.perf_counter() - started
    if clean or reconcile(fix=False).rows:
        raise RuntimeError("the rows still differ from the needs after the rebuild")
    print(
        f"| {n:,} | {connection.vendor} | {built:.0f} s | {created:,} rows in {rebuilt:.1f} s "
        f"({1e6 * rebuilt / n:.0f} µs a need) | {checked:.1f} s "
        f"| {fixed} rows in {repaired:.1f} s |"
    )


def main() -> None:
    print("| needs | database | data built | rebuild from nothing | check | repair |")
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    for n in [int(a) for a in sys.argv[1:]] or [20_000]:
        with tempfile.TemporaryDirectory() as db_dir:
            stats._setup(db_dir)
            measure(n)


if __name__ == "__main__":
    main()
