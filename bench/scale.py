"""Province-scale benchmark (issue 18): build N needs, then time the ledger and its search.

    .venv/bin/python bench/scale.py build --needs 1000000
    .venv/bin/python bench/scale.py measure [--runs 20] [--write]

`build` fills an empty database (DATABASE_URL, or SQLite under DATA_DIR) through the project's own
migrations and tables: ≈200 stations of very different sizes under one city, ≈0.3 enterprises per
need, sheets of one to four needs over three years in every state, and need texts drawn from the
wording of real requests, so that 检/检定/计量 are common and 铬铁/琉璃 rare. Rows are what the app
writes — the same `search_ngrams`, encrypted phones and their hashes — inserted with bulk_create;
the n-gram GIN indexes are dropped for the load and built again afterwards, as a restore would.

`measure` logs in as a supervisor (everything) and as the staff of a small station and times
every page of issue 18 over HTTP against a gunicorn server with production settings, next to the
floor — the bare SQL of the page's row query — and the number of queries the page made.
`--write` puts the table into bench/README.md.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = 5_000
STATIONS = 200
CITY = "140500"


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hqzt.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("FIELD_ENCRYPTION_KEY", "YmVuY2gtb25seS1maWVsZC1rZXktbm90LWZvci11c2U=")
    os.environ.setdefault("DATA_DIR", str(ROOT / "bench" / ".data"))
    Path(os.environ["DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


# Wording of requests as stations record them: the common subjects (计量, 检验检测, 标准, 认证,
# 特种设备, 知识产权, 信用, 政策) make 检, 检定, 计量 and 标准 common; `RARE` words are sprinkled in
# a few needs per thousand, like the products of one small trade.
SUBJECTS = [
    "电子天平、压力表需要周期检定，希望安排上门检定并出具检定证书",
    "加油机、衡器计量检定到期，申请计量检定服务",
    "新购出租车计价器需要首次检定，咨询办理流程",
    "产品出厂检验需要第三方检测报告，咨询检验检测机构和收费",
    "原材料进厂检测能力不足，希望检验检测中心提供技术帮扶",
    "企业标准自我声明公开遇到问题，咨询标准制定和备案",
    "参与制定团体标准，希望得到标准化技术指导",
    "申请质量管理体系认证，咨询认证机构和所需材料",
    "强制性产品认证（CCC）目录调整，咨询是否需要认证",
    "锅炉、压力容器定期检验到期，申请特种设备检验",
    "电梯年检和维保单位资质，咨询特种设备安全管理要求",
    "注册商标被他人抢注，咨询商标异议和知识产权保护",
    "申请发明专利，希望了解专利质押融资政策",
    "企业被列入经营异常名录，申请信用修复",
    "年报填报错误，咨询信用信息公示系统更正",
    "咨询小微企业质量提升奖补政策和申报条件",
    "希望了解首台套、品牌培育相关扶持政策",
    "产品质量监督抽查不合格，咨询整改和复检程序",
    "食品生产许可证延续，咨询现场核查要求",
    "计量器具型式批准，咨询计量技术机构",
]
DETAILS = [
    "，时间比较紧",
    "，请尽快联系",
    "，涉及设备十余台",
    "，希望站里协调",
    "，已电话沟通",
    "",
    "",
]
RARE = ["铬铁", "琉璃", "坩埚", "丝麻", "焦粉", "蚕茧", "砂轮", "漆器", "硒砂"]
TOWNS = ["巴公", "北留", "周村", "川底", "金村", "高都", "大阳", "南村", "下村", "犁川"]
TRADES = ["机械", "铸造", "煤业", "化工", "陶瓷", "光电", "纺织", "食品", "建材", "电子"]
WORDS = "华晟兴泰鑫源丰瑞昌盛宏达恒通福安金诚康明永信创新龙凤祥和"
SURNAMES = "王李张刘陈杨赵黄周吴"


def content_for(rng: random.Random) -> str:
    text = rng.choice(SUBJECTS) + rng.choice(DETAILS)
    if rng.random() < 0.004:
        text = f"{rng.choice(RARE)}{text}"
    return text + "。"


def enterprise_name(rng: random.Random, i: int) -> str:
    word = rng.choice(WORDS) + rng.choice(WORDS)
    return f"{rng.choice(TOWNS)}{word}{rng.choice(TRADES)}有限公司{i}"


def _station_sizes(n: int, rng: random.Random) -> list[float]:
    # A few big stations and a long tail of small ones (Zipf-like weights).
    weights = [1 / (k + 1) ** 0.9 for k in range(STATIONS)]
    rng.shuffle(weights)
    return weights


def _statuses(age_days: int, rng: random.Random) -> str:
    from hqzt.needs.states import Status

    if age_days > 120:
        return rng.choice([Status.ARCHIVED] * 8 + [Status.AWAITING_ARCHIVE, Status.REJECTED])
    return rng.choice(list(Status))


def _progress(status: str, day: datetime.date, rng: random.Random, sections: list[int]) -> dict:
    """What a need in `status` carries: a lead section once dispatched, the current stage's
    deadline while open (some of them past: the overdue filter has something to find), the
    handling days once handled and an evaluation (mostly satisfied) once evaluated."""
    from hqzt.needs.states import Status

    fields: dict = {}
    undispatched = {
        Status.PENDING_ACCEPTANCE,
        Status.REJECTED,
        Status.REGISTERED,
        Status.FIRST_CONTACT_HANDLING,
        Status.AWAITING_DISPATCH,
    }
    if status not in undispatched:
        fields["lead_section_id"] = rng.choice(sections)
    if status not in {Status.REJECTED, Status.ARCHIVED, Status.AWAITING_ARCHIVE}:
        fields["due_on"] = day + datetime.timedelta(days=rng.randint(3, 40))
    handled = {Status.AWAITING_VERIFICATION, Status.AWAITING_ARCHIVE, Status.ARCHIVED}
    if status in handled | {Status.AWAITING_EVALUATION}:
        fields["handling_workdays"] = rng.randint(1, 25)
    if status in handled:
        fields["evaluation"] = (
            "dissatisfied"
            if status == Status.AWAITING_VERIFICATION
            else rng.choice(["very_satisfied"] * 5 + ["satisfied"] * 4 + ["neutral"])
        )
    return fields


def build(n: int, seed: int = 18, *, stats: bool = True) -> None:
    setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection

    from hqzt.accounts.models import User
    from hqzt.core.search import ngrams
    from hqzt.enterprises.models import Enterprise
    from hqzt.enterprises.names import enterprise_name_key
    from hqzt.needs.models import Channel, Need, NeedType
    from hqzt.org.models import OrgUnit, Section
    from hqzt.stations.models import DomainKind, SiteKind, Station, StationMember

    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if Need.objects.exists():
        sys.exit("The database already holds needs; build into an empty one.")
    gin = _drop_gin(connection)
    city = OrgUnit.objects.get(region_code=CITY)
    domain, site = DomainKind.objects.first(), SiteKind.objects.first()
    stations = Station.objects.bulk_create(
        Station(
            name=f"{TOWNS[k % len(TOWNS)]}第{k + 1}服务站",
            domain_kind=domain,
            domain_name=TOWNS[k % len(TOWNS)],
            site_kind=site,
            address="晋城市",
            service_content="计量、标准、检验检测、认证认可、知识产权",
            contact_phones="03562221234",
            supervision_phone="03562221234",
            superior_unit=city,
        )
        for k in range(STATIONS)
    )
    supervisor = User.objects.create(
        username="bench-supervisor", full_name="基准监督", role="supervisor", org_unit=city
    )
    staff = User.objects.bulk_create(
        User(username=f"bench-staff-{s.pk}", full_name=f"站员{s.pk}", role="station_staff")
        for s in stations
    )
    StationMember.objects.bulk_create(
        StationMember(station=s, user=u, onboarding_trained_on=datetime.date(2024, 1, 1))
        for s, u in zip(stations, staff, strict=True)
    )
    # One hash for everybody: hashing 200 passwords would take minutes.
    User.objects.filter(pk__in=[supervisor.pk, *(u.pk for u in staff)]).update(
        password=make_password("bench-password")
    )
    weights = _station_sizes(n, rng)
    enterprise_count = max(STATIONS, int(n * 0.3))
    enterprise_station: list[int] = []
    for start in range(0, enterprise_count, BATCH):
        batch = [
            enterprise_name(rng, i) for i in range(start, min(start + BATCH, enterprise_count))
        ]
        created = Enterprise.objects.bulk_create(
            Enterprise(name=name, search_ngrams=ngrams(name), name_key=enterprise_name_key(name))
            for name in batch
        )
        owners = rng.choices(range(STATIONS), weights=weights, k=len(created))
        enterprise_station += owners
        Station.enterprises.through.objects.bulk_create(
            Station.enterprises.through(station_id=stations[o].pk, enterprise_id=e.pk)
            for e, o in zip(created, owners, strict=True)
        )
    first_enterprise = Enterprise.objects.order_by("pk").values_list("pk", flat=True).first()
    by_station: dict[int, list[int]] = {}
    for offset, owner in enumerate(enterprise_station):
        by_station.setdefault(owner, []).append(first_enterprise + offset)
    types = list(NeedType.objects.all())
    channels = list(Channel.objects.all())
    names = dict(Enterprise.objects.values_list("pk", "name"))
    elapsed = time.perf_counter() - started
    print(f"stations, users, {enterprise_count:,} enterprises: {elapsed:.0f} s")
    sections = list(Section.objects.values_list("pk", flat=True))
    _needs(n, rng, stations, staff, weights, by_station, names, types, channels, sections)
    print(f"{n:,} needs: {time.perf_counter() - started:.0f} s")
    _create_gin(connection, gin)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"indexes and statistics: {time.perf_counter() - started:.0f} s")
    if not stats:
        return
    from hqzt.dashboard.reconcile import reconcile

    # The statistics page reads NeedStat (ADR 0009): built as `rebuild_stats` would.
    drift = reconcile(fix=True)
    print(f"{drift.rows:,} statistics rows: {time.perf_counter() - started:.0f} s")


def _needs(n, rng, stations, staff, weights, by_station, names, types, channels, sections):
    from hqzt.core.search import ngrams
    from hqzt.needs.models import Need, TrackingSheet

    today = datetime.date(2026, 11, 30)
    first_day = today - datetime.timedelta(days=3 * 365)
    serials: dict[tuple[int, int], int] = {}
    made = 0
    # Registration order is date order, as on a live system: ids grow with registered_on.
    while made < n:
        count = min(BATCH, n - made)
        sheet_specs = []
        rows = 0
        while rows < count:
            size = min(rng.choice([1, 1, 1, 2, 2, 3, 4]), count - rows)
            owner = rng.choices(range(STATIONS), weights=weights)[0]
            sheet_specs.append((owner, size))
            rows += size
        sheets, days, done = [], [], made
        for owner, size in sheet_specs:
            # Each sheet on its own day, evenly over the three years (not one day a batch).
            day = first_day + datetime.timedelta(days=(done * (today - first_day).days) // n)
            days.append(day)
            done += size
            station = stations[owner]
            key = (station.pk, day.year)
            serials[key] = serials.get(key, 0) + 1
            pool = by_station.get(owner) or by_station[max(by_station)]
            sheets.append(
                TrackingSheet(
                    tracking_number=f"{day.year}{serials[key]:04d}"[:16],
                    year=day.year,
                    serial=serials[key],
                    station=station,
                    enterprise_id=rng.choice(pool),
                )
            )
        sheets = TrackingSheet.objects.bulk_create(sheets)
        needs = []
        for sheet, day, (owner, size) in zip(sheets, days, sheet_specs, strict=True):
            status = _statuses((today - day).days, rng)
            for row in range(1, size + 1):
                content = content_for(rng)
                needs.append(
                    Need(
                        **_progress(status, day, rng, sections),
                        sheet=sheet,
                        row_number=row,
                        station_id=sheet.station_id,
                        enterprise_id=sheet.enterprise_id,
                        registered_on=day,
                        contact_name=rng.choice(SURNAMES) + "经理",
                        contact_phone=f"138{rng.randrange(10**8):08d}",
                        need_type=rng.choice(types),
                        content=content,
                        first_contact=staff[owner],
                        source="inbound",
                        channel=rng.choice(channels) if channels else None,
                        status=status,
                        search_ngrams=ngrams(content[:300], names[sheet.enterprise_id]),
                    )
                )
        Need.objects.bulk_create(needs)
        made += count
        if made % 100_000 < BATCH:
            print(f"  {made:,} needs", flush=True)


def _drop_gin(connection) -> list[str]:
    """The n-gram GIN indexes, dropped for the load (their definitions are returned)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename IN ('needs_need', 'enterprises_enterprise') AND indexdef LIKE '%gin%'"
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in found]


def _create_gin(connection, definitions: list[str]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET maintenance_work_mem = '512MB'")
        for definition in definitions:
            cursor.execute(definition)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("--needs", type=int, default=100_000)
    b.add_argument(
        "--no-stats",
        action="store_true",
        help="skip the NeedStat rows (build them later with manage.py rebuild_stats)",
    )
    m = sub.add_parser("measure")
    m.add_argument("--runs", type=int, default=20)
    m.add_argument("--write", action="store_true")
    m.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()
    if args.command == "build":
        build(args.needs, stats=not args.no_stats)
    else:
        # This process (queries, floors) keeps DEBUG settings; the server it times runs production.
        os.environ.setdefault("ALLOWED_HOSTS", "testserver")
        setup()
        from bench.scale_measure import measure

        measure(args.runs, args.write, args.workers)


if __name__ == "__main__":
    main()
