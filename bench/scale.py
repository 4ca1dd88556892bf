"""Province-scale benchmark (issue 18): build N needs, then time the ledger and its search.

    .venv/bin/python bench/scale.py build --needs 1000000
    .venv/bin/python bench/scale.py measure [--runs 20] [--write]

`build` fills an empty database (DATABASE_URL, or SQLite under DATA_DIR) through the project's own
migrations and tables: ≈200 stations of very different sizes under one city, ≈0.3 enterprises per
need, sheets of one to four needs over three years in every state, and need texts drawn from the
wording of real requests, so that 检/检定/计量 are common and 铬铁/琉璃 rare. Rows are what the app
writes — the same `search_ngrams`, encrypted phones and their hashes, made by the models' own
fields (bench/scale_build.py, bench/scale_rows.py) — loaded with COPY on PostgreSQL (executemany on
SQLite) while the tables' secondary indexes and constraints are dropped, then created again from
their definitions, as a restore would.

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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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
    b.add_argument(
        "--workers",
        type=int,
        default=2,
        help="processes making and writing the needs (PostgreSQL; SQLite uses one)",
    )
    m = sub.add_parser("measure")
    m.add_argument("--runs", type=int, default=20)
    m.add_argument("--write", action="store_true")
    m.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    m.add_argument(
        "--no-export",
        action="store_true",
        help="skip the queued export of the whole ledger (7 min at 1M rows)",
    )
    m.add_argument(
        "--only-export",
        action="store_true",
        help="only the queued export and its floor (no --write: the table needs every case)",
    )
    args = parser.parse_args()
    if args.command == "measure" and args.only_export and (args.write or args.no_export):
        parser.error("--only-export runs the export alone: not with --write or --no-export")
    if args.command == "build":
        setup()
        from bench.scale_build import build

        build(args.needs, stats=not args.no_stats, workers=args.workers)
    else:
        # This process (queries, floors) keeps DEBUG settings; the server it times runs production.
        os.environ.setdefault("ALLOWED_HOSTS", "testserver")
        # The portal's submission limit, lifted for this process and its server only (it still
        # counts every POST): the bench posts more than 10 an hour (bench/scale_writes.py).
        sys.path.insert(0, str(ROOT))
        from bench.scale_writes import LIFTED_RATE

        os.environ["PORTAL_SUBMIT_RATE"] = LIFTED_RATE
        setup()
        from bench.scale_measure import measure

        measure(
            args.runs,
            args.write,
            args.workers,
            export=not args.no_export,
            only_export=args.only_export,
        )


if __name__ == "__main__":
    main()
