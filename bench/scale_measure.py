"""`bench/scale.py measure`: every page of issue 18 over HTTP against the data `build` made.

Each case is requested from a gunicorn server with production settings (`scale_http.Server`), a
few times to warm up and then `runs` times. Its floor is the bare SQL of the page's row query (the
query reading the page's needs), else its slowest statement, timed on the measuring process's own
connection; the SQL and the page's query count come from one request through Django's test Client
with the queries captured (the server's own queries cannot be seen from outside).
"""

import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import time
from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"
BEGIN, END = "<!-- scale:begin -->", "<!-- scale:end -->"


def _small_station():
    """A small station inside the big city: the 20th smallest by needs."""
    from django.db.models import Count

    from hqzt.stations.models import Station

    stations = Station.objects.annotate(n=Count("needs")).filter(n__gt=0).order_by("n", "pk")
    return stations[min(19, stations.count() - 1)]


def cases():
    """Every list, search and home page of issue 18's table, as the city supervisor (every
    station) and as the staff of a small station: (label, user, url, params)."""
    from django.urls import reverse

    from hqzt.accounts.models import User
    from hqzt.needs.models import Need

    supervisor = User.objects.get(username="bench-supervisor")
    station = _small_station()
    staff = User.objects.get(username=f"bench-staff-{station.pk}")
    ledger, api = reverse("needs:ledger"), reverse("api:needs")
    home, stats = reverse("dashboard:home"), reverse("dashboard:stats")
    need = Need.objects.filter(station=station).order_by("-pk").first()
    year_ago = (datetime.date.today() - datetime.timedelta(days=365)).isoformat()
    busy_type = Need.objects.order_by().values_list("need_type_id", flat=True).first()
    small = f"staff of a small station ({station.needs.count():,} needs)"
    return [
        ("ledger, no term, supervisor", supervisor, ledger, {}),
        ("ledger, no term, " + small, staff, ledger, {}),
        (
            "ledger, a year + type, supervisor",
            supervisor,
            ledger,
            {"date_from": year_ago, "need_type": busy_type},
        ),
        ("ledger, overdue only, supervisor", supervisor, ledger, {"overdue": "on"}),
        ("ledger, by deadline, supervisor", supervisor, ledger, {"sort": "due"}),
        (
            "ledger, page 20 by its number, supervisor",
            supervisor,
            ledger,
            {"start": "950"},
        ),
        ("search 1 character (检), supervisor", supervisor, ledger, {"q": "检"}),
        ("search 2 common (检定), supervisor", supervisor, ledger, {"q": "检定"}),
        ("search 2 common (计量), supervisor", supervisor, ledger, {"q": "计量"}),
        ("search 2 rare (铬铁), supervisor", supervisor, ledger, {"q": "铬铁"}),
        ("search phrase (周期检定), supervisor", supervisor, ledger, {"q": "周期检定"}),
        ("search no match (鲲鹏), supervisor", supervisor, ledger, {"q": "鲲鹏"}),
        ("search enterprise name (巴公华晟), supervisor", supervisor, ledger, {"q": "巴公华晟"}),
        ("search 1 character (检), " + small, staff, ledger, {"q": "检"}),
        ("search 2 common (检定), " + small, staff, ledger, {"q": "检定"}),
        ("search 2 rare (铬铁), " + small, staff, ledger, {"q": "铬铁"}),
        ("API needs list, " + small, staff, api, {}),
        ("API needs list q=检定, " + small, staff, api, {"q": "检定"}),
        ("enterprise list, supervisor", supervisor, reverse("enterprises:list"), {}),
        ("need page, " + small, staff, reverse("needs:detail", args=[need.pk]), {}),
        ("registration form, " + small, staff, reverse("needs:register"), {}),
        ("home page, supervisor", supervisor, home, {}),
        ("home page, " + small, staff, home, {}),
        ("statistics, a year, all stations", supervisor, stats, {}),
        ("statistics, a year, " + small, staff, stats, {}),
    ]


def _floor_query(captured) -> str:
    """The bare SQL the page needs most: the one that read a list page's needs (the page's
    LIMIT), else the page's slowest SELECT; a server-side cursor's query without its DECLARE."""
    statements = [re.sub(r"^DECLARE .*? CURSOR .*?FOR ", "", q["sql"]) for q in captured]
    rows = [sql for sql in statements if 'FROM "needs_need"' in sql and "LIMIT 51" in sql]
    if rows:
        return rows[-1]
    timed = [
        (float(q["time"]), sql)
        for q, sql in zip(captured, statements, strict=True)
        if sql.startswith("SELECT")
    ]
    return max(timed, default=(0, ""))[1]


def _timed(call, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _big_station():
    """The station with the most needs."""
    from django.db.models import Count

    from hqzt.stations.models import Station

    return Station.objects.annotate(n=Count("needs")).order_by("-n", "pk").first()


def _writes(server, connection, runs: int, export: bool, only_export: bool) -> list[str]:
    """The rows of the write cases (scale_writes), what they wrote removed afterwards."""
    from bench.scale_build import counters_from_sheets
    from bench.scale_writes import Writes
    from hqzt.accounts.models import User

    counters_from_sheets()  # a database built before build wrote them
    small, big = _small_station(), _big_station()
    writes = Writes(server, connection, runs)
    lines = []
    try:
        if export:  # first: the ledger as `build` made it
            lines.append(writes.export(User.objects.get(username="bench-supervisor")))
            print(lines[-1], flush=True)
        for station in () if only_export else (small, big):
            where = f"{station.needs.count():,} needs"
            lines.append(writes.portal(f"portal submission, station of {where}", station))
            print(lines[-1], flush=True)
            staff = User.objects.get(username=f"bench-staff-{station.pk}")
            label = f"registration (staff POST), station of {where}"
            lines.append(writes.register(label, staff, station))
            print(lines[-1], flush=True)
    finally:
        writes.cleanup()
        counters_from_sheets()  # the serials the removed sheets took, given back
    return lines


def measure(
    runs: int, write: bool, workers: int, export: bool = True, only_export: bool = False
) -> None:
    from django.core.signals import request_finished
    from django.db import close_old_connections, connection

    from bench.scale_http import Server
    from hqzt.needs.models import Need

    # As Django's test runner does: requests keep the one connection the floor is timed on.
    request_finished.disconnect(close_old_connections)
    lines = [
        "| case | p50 ms | p95 ms | floor p50 ms | ratio | queries | shown |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    with Server(workers) as server:
        for label, user, url, params in () if only_export else cases():
            lines.append(_case(server, connection, runs, label, user, url, params))
            print(lines[-1], flush=True)
        lines += _writes(server, connection, runs, export, only_export)
    header = _header(connection, Need.objects.count(), runs, workers)
    table = "\n".join([header, "", *lines])
    print(table)
    if write:
        text = README.read_text()
        block = f"{BEGIN}\n{table}\n{END}"
        text = re.sub(f"{BEGIN}.*?{END}", lambda _: block, text, flags=re.S)
        README.write_text(text)


def _case(server, connection, runs: int, label: str, user, url: str, params: dict) -> str:
    """One row of the table: the page over HTTP, its queries and floor through the test Client."""
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    client.get(url, params, secure=True)  # warm, as the timed requests will be
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params, secure=True)
    if response.status_code != 200:
        raise SystemExit(f"{url} {params}: HTTP {response.status_code} (test Client)")
    queries = list(captured.captured_queries)

    def get():
        status, body = server.get(url, session, params)
        if status != 200:
            raise SystemExit(f"{url} {params}: HTTP {status} from gunicorn\n{server.log_tail()}")
        return body

    for _ in range(3):
        get()
    times = _timed(get, runs)
    sql = _floor_query(queries)
    floor = _timed(lambda: _run(connection, sql), runs) if sql else [0.0]
    p50, p95 = statistics.median(times), _p95(times)
    f50 = statistics.median(floor)
    ratio = f"{p50 / f50:.1f}×" if f50 else "—"
    return (
        f"| {label} | {_ms(p50)} | {_ms(p95)} | {_ms(f50)} | {ratio} "
        f"| {len(queries)} | {_shown(response)} |"
    )


def _shown(response) -> str:
    """What the page said it found: a list's 共 N 条, the API's rows, or its size."""
    if response["Content-Type"].startswith("application/json"):
        return f"{len(response.json()['results'])} rows"
    found = re.search(r"共 ([\d,+]+) 条", response.content.decode())
    return found.group(1) if found else f"{len(response.content) // 1024:,} KB page"


def _run(connection, sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        cursor.fetchall()


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def _header(connection, needs: int, runs: int, workers: int) -> str:
    git = shutil.which("git") or "git"
    commit = subprocess.run(
        [git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT 1")
        engine = cursor.fetchone()[0] if connection.vendor == "postgresql" else "SQLite"
    engine = str(engine).split(" on ")[0]
    today = datetime.datetime.now(datetime.UTC).date()
    return (
        f"Measured {today} (UTC) at commit {commit} by `bench/scale.py measure` "
        f"({runs} runs a case over HTTP, gunicorn with {workers} workers, production settings): "
        f"{needs:,} needs, "
        f"{engine}, Python {platform.python_version()}, {platform.machine()}, "
        f"{_cpus()} CPUs shared with other work."
    )


def _cpus() -> int:
    return os.cpu_count() or 0
