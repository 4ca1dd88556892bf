"""Benchmark: export N ledger rows to .xlsx and report the time and the peak memory.

    .venv/bin/python bench/export_ledger.py 100000 1000000
    .venv/bin/python bench/export_ledger.py --floor USER     # the floor (bench/scale_writes.py)

For each N it builds a throw-away SQLite database with N needs (bulk inserts), then runs the real
export path (hqzt.needs.ledger.ledger_table → hqzt.documents.ledger_export.write_ledger_xlsx) in a
fresh process and prints wall time, rows per second, the peak resident memory of that process and
its resident memory just before the export began (VmHWM and VmRSS, see `_rss_mb`). Set
DATABASE_URL to run against PostgreSQL instead (the database must be empty; it is filled and left
as is). `--floor` writes the same cells with a bare XlsxWriter in a child process that imports no
Django (`floor`, `bare_floor`).
"""

import contextlib
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = 20_000


def _setup(db_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hqzt.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("FIELD_ENCRYPTION_KEY", "YmVuY2gtb25seS1maWVsZC1rZXktbm90LWZvci11c2U=")
    os.environ.setdefault("DATA_DIR", db_dir)
    import django

    django.setup()


def prepare(n: int, db_dir: str) -> None:
    _setup(db_dir)
    from django.core.management import call_command

    from hqzt.accounts.models import User
    from hqzt.enterprises.models import Enterprise
    from hqzt.needs.models import Need, NeedType, TrackingSheet
    from hqzt.org.models import OrgUnit
    from hqzt.stations.models import DomainKind, SiteKind, Station

    call_command("migrate", verbosity=0)
    station = Station.objects.create(
        name="基准测试服务站",
        domain_kind=DomainKind.objects.get(code="key_enterprise"),
        domain_name="基准",
        site_kind=SiteKind.objects.first(),
        address="地址",
        service_content="服务",
        contact_phones="03562221234",
        supervision_phone="03562221234",
        superior_unit=OrgUnit.objects.get(region_code="140500"),
    )
    user = User.objects.create(username="bench", full_name="基准用户", role="admin")
    types = list(NeedType.objects.all())
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(name=f"晋城市基准测试{i}机械制造有限公司") for i in range(1000)
    )
    day = datetime.date(2025, 1, 1)
    for start in range(0, n, BATCH):
        count = min(BATCH, n - start)
        sheets = TrackingSheet.objects.bulk_create(
            TrackingSheet(
                tracking_number=f"2025{start + i + 1:07d}",
                year=2025,
                serial=start + i + 1,
                station=station,
                enterprise=enterprises[(start + i) % 1000],
            )
            for i in range(count)
        )
        Need.objects.bulk_create(
            Need(
                sheet=sheet,
                row_number=1,
                station=station,
                enterprise_id=sheet.enterprise_id,
                registered_on=day + datetime.timedelta(days=(start + i) % 365),
                contact_name="王经理",
                contact_phone="13812345678",
                need_type=types[(start + i) % len(types)],
                content="电子天平、压力表需要周期检定，希望安排上门检定并出具检定证书。",
                first_contact=user,
                source="inbound",
                status="archived",
            )
            for i, sheet in enumerate(sheets)
        )


def export(db_dir: str) -> None:
    _setup(db_dir)
    from hqzt.accounts.models import User
    from hqzt.documents.ledger_export import write_ledger_xlsx
    from hqzt.needs.ledger import ledger_filter, ledger_table

    user = User.objects.get(username="bench")
    needs, _ = ledger_filter(user, {})
    before = _rss_mb("VmRSS")
    started = time.perf_counter()
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as target:
        rows = write_ledger_xlsx(ledger_table(needs, user), target.name)
        elapsed = time.perf_counter() - started
        size = os.path.getsize(target.name)
    print(
        f"rows={rows} seconds={elapsed:.1f} rows_per_second={rows / elapsed:,.0f} "
        f"file_mb={size / 2**20:.1f} rss_before_mb={before:.0f} "
        f"peak_rss_mb={_rss_mb('VmHWM'):.0f}"
    )


def floor(username: str) -> None:
    """The floor of the ledger export (issue 18): the same cells — the joined columns read from a
    server-side cursor oldest first, the phones decrypted and masked or shown as the user may
    see them — written by a bare XlsxWriter in constant-memory mode, without the app's model
    instances. This process takes from the app only what to read (the ledger's SQL for USER, the
    keys, whether numbers are shown in full); `bare_floor` reads and writes in a child process
    that imports neither Django nor the app, so its peak RSS is the floor's and not Django's
    (≈100 MB after django.setup(): a floor run in this process measured Django). Prints the
    child's time, rows and peak RSS."""
    _setup(os.environ.get("DATA_DIR", ""))
    from django.conf import settings
    from django.db import connection

    from hqzt.accounts.models import User
    from hqzt.needs.ledger import ledger_filter, sees_full_phones

    user = User.objects.get(username=username)
    needs, _ = ledger_filter(user, {})
    columns = (
        "registered_on", "enterprise__name", "contact_name", "contact_phone",  # decrypted
        "need_type__name", "content", "first_contact__full_name", "sheet__tracking_number",
        "station__name",
    )  # fmt: skip
    query = needs.order_by("registered_on", "pk").values_list(*columns)
    sql, params = query.query.sql_with_params()
    database = connection.settings_dict
    job = {
        "vendor": connection.vendor,
        "connect": {
            "dbname": str(database["NAME"]),
            "user": database["USER"],
            "password": database["PASSWORD"],
            "host": database["HOST"],
            "port": database["PORT"],
            "options": database["OPTIONS"].get("options", ""),  # the app's (jit=off)
        },
        "sql": sql,
        "params": list(params),
        "keys": list(settings.FIELD_ENCRYPTION_KEYS),
        "full_phones": sees_full_phones(user),
    }
    child = [sys.executable, __file__, "--bare-floor"]
    done = subprocess.run(child, input=json.dumps(job), capture_output=True, text=True, check=True)
    print(done.stdout, end="")


def bare_floor(job: dict) -> None:
    """`floor`'s child: the ledger's SQL through a server-side cursor (PostgreSQL; SQLite's
    cursor steps through its rows as they are read), phones decrypted with the keys the app
    uses and shown by the app's own phone_display/phone_mask (plain functions), each row
    written as it comes. Imports no Django settings, apps or models."""
    sys.path.insert(0, str(ROOT))
    import xlsxwriter
    from cryptography.fernet import Fernet, MultiFernet

    from hqzt.core.phones import phone_display, phone_mask

    fernet = MultiFernet([Fernet(key) for key in job["keys"]])
    shown = phone_display if job["full_phones"] else phone_mask
    before = _rss_mb("VmRSS")
    started = time.perf_counter()
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as target, _cursor(job) as rows:
        book = xlsxwriter.Workbook(target.name, {"constant_memory": True, "in_memory": False})
        sheet = book.add_worksheet()
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        count = 0
        for count, (registered_on, *texts) in enumerate(rows, start=1):
            sheet.write_number(count, 0, count)
            sheet.write_datetime(count, 1, _date(registered_on), day)
            for col, value in enumerate(texts, start=2):
                if col == 4:
                    value = shown(fernet.decrypt(value.encode()).decode()) if value else ""
                sheet.write_string(count, col, value or "")
        book.close()
        elapsed = time.perf_counter() - started
    print(
        f"rows={count} seconds={elapsed:.1f} rss_before_mb={before:.0f} "
        f"peak_rss_mb={_rss_mb('VmHWM'):.0f}"
    )


@contextlib.contextmanager
def _cursor(job: dict) -> Iterator[Iterable[tuple]]:
    """The rows of the job's SQL, read in chunks as the app's iterator(chunk_size=2000) does."""
    if job["vendor"] == "postgresql":
        import psycopg

        connect = {k: v for k, v in job["connect"].items() if v}
        with psycopg.connect(**connect) as conn, conn.cursor(name="floor") as cursor:
            cursor.itersize = 2000
            cursor.execute(job["sql"], job["params"])
            yield cursor
    else:
        import sqlite3

        conn = sqlite3.connect(job["connect"]["dbname"])
        try:
            sql = job["sql"] % tuple("?" * len(job["params"]))  # Django's %s placeholders
            yield conn.execute(sql, job["params"])
        finally:
            conn.close()


def _date(value: datetime.date | str) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _rss_mb(field: str) -> float:
    """VmRSS, or VmHWM: the peak of this process's own memory since its exec. Not ru_maxrss,
    which Linux carries over from the parent through fork and exec: a child of a big Django
    process reported the parent's peak as its own."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+) kB", status).group(1)) / 1024


def main() -> None:
    if sys.argv[1:2] == ["--export"]:
        export(sys.argv[2])
        return
    if sys.argv[1:2] == ["--floor"]:
        floor(sys.argv[2])
        return
    if sys.argv[1:2] == ["--bare-floor"]:
        bare_floor(json.load(sys.stdin))
        return
    for n in [int(a) for a in sys.argv[1:]] or [100_000]:
        with tempfile.TemporaryDirectory() as db_dir:
            started = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--prepare", str(n), db_dir], check=True)
            print(f"n={n}: database built in {time.perf_counter() - started:.0f} s")
            subprocess.run([sys.executable, __file__, "--export", db_dir], check=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--prepare"]:
        prepare(int(sys.argv[2]), sys.argv[3])
    else:
        main()
