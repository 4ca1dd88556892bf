"""Build the Jincheng demo data set: stations, enterprises, chains, towns and demo accounts.

Runs only on an empty database (the run script calls it on every start). The demo password is
random per installation, kept in DATA_DIR/demo-password.txt and printed, so a demo that ends up
on a network does not share a password with every other copy.
"""

import datetime
import logging
import random
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from huey.contrib.djhuey import HUEY

from hqzt.accounts.models import Role, User
from hqzt.core import clock
from hqzt.demo import dataset, names
from hqzt.demo.needs_builder import NeedsBuilder
from hqzt.demo.operations_builder import OperationsBuilder
from hqzt.demo.supervision_builder import SupervisionBuilder
from hqzt.enterprises.models import Chain, Enterprise, EnterpriseContact, Town
from hqzt.needs.scans import deadline_scan
from hqzt.org.models import OrgUnit, Section
from hqzt.stations.models import DomainKind, SiteKind, Station, StationMember, StationRole

ENTERPRISES_PER_GROUP = 25  # 8 chains and towns → 200 enterprises
PRODUCT_HINTS = {
    "光电科技": "光学镜头、光电传感器",
    "精密机械": "精密轴承座、数控加工件",
    "光学仪器": "测距仪、光学检测仪",
    "电子科技": "电子控制板、线束",
    "激光技术": "激光切割设备、激光器模组",
    "智能装备": "智能巡检机器人",
    "煤层气开发": "煤层气井工程服务",
    "燃气设备": "燃气调压箱、流量计",
    "能源技术": "分布式能源站运维",
    "管道工程": "燃气管道安装",
    "压缩机制造": "天然气压缩机",
    "煤机装备": "液压支架、刮板输送机",
    "液压设备": "液压缸、液压阀组",
    "重工机械": "矿用提升机",
    "传动设备": "减速机、联轴器",
    "新材料科技": "石墨烯粉体",
    "碳材料": "活性炭、碳纤维制品",
    "合金材料": "铝合金型材",
    "新型建材": "蒸压加气混凝土砌块",
    "机械铸造": "灰铁铸件、球墨铸件",
    "装备制造": "矿山机械配件",
    "标准件": "高强度螺栓、螺母",
    "精密铸件": "熔模精密铸件",
    "丝绸": "桑蚕丝绸缎、丝巾",
    "纺织": "棉麻混纺面料",
    "麻纺织品": "亚麻布、麻绳",
    "服饰": "丝麻服装",
    "陶瓷": "日用陶瓷餐具",
    "琉璃工艺": "琉璃瓦、琉璃工艺品",
    "耐火材料": "高铝耐火砖",
    "建筑陶瓷": "仿古砖",
    "五金制品": "五金工具、锁具",
    "制针": "缝纫针、医用针坯",
    "金属制品": "冲压件、钢丝制品",
}
MANAGEMENT = [
    "已通过 ISO 9001 质量管理体系认证，设有计量室，主要计量器具均在检定有效期内。",
    "建立了企业标准体系，主导产品执行企业标准并已自我声明公开。",
    "正在申请高新技术企业认定，拥有实用新型专利若干项。",
    "特种设备（叉车、压力容器）已登记，需要定期检验提醒。",
    "质量管理以人工记录为主，计划引入信息化管理系统。",
    "获评省级专精特新中小企业，正在创建地理标志品牌。",
    "信用状况良好，曾因年报逾期被列入经营异常名录，已移出。",
]


class Command(BaseCommand):
    help = "生成晋城市演示数据（仅在空数据库上运行）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--password", help="演示密码（默认随机生成并保存在数据目录）")
        parser.add_argument(
            "--without-needs", action="store_true", help="只生成登记簿和账号，不生成企业需求"
        )

    def handle(
        self, *args, seed: int, password: str | None, without_needs: bool, **options
    ) -> None:
        if Station.objects.exists() or User.objects.exists():
            self.stdout.write("数据库中已有数据，跳过演示数据生成。")
            self._print_accounts()
            return
        password = self._demo_password(password)
        # Run queued deliveries (the demo's evaluation SMS) inline, without logging each one.
        quiet = [logging.getLogger(name) for name in ("hqzt.sms", "huey")]
        levels = [log.level for log in quiet]
        HUEY.immediate = True
        for log in quiet:
            log.setLevel(logging.WARNING)
        try:
            rng = random.Random(seed)  # nosec B311 # demo data, repeatable from a seed; nothing secret
            with transaction.atomic():
                self._build(rng, password, with_needs=not without_needs)
        finally:
            for log, level in zip(quiet, levels, strict=True):
                log.setLevel(level)
        self.stdout.write(self.style.SUCCESS("演示数据已生成。"))
        self._print_accounts()

    def _demo_password(self, chosen: str | None) -> str:
        path = settings.DATA_DIR / "demo-password.txt"
        if chosen is None and path.exists():
            return path.read_text().strip()
        password = chosen or "Hqzt-" + secrets.token_urlsafe(9)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(password + "\n")
        path.chmod(0o600)
        return password

    def _print_accounts(self) -> None:
        path = settings.DATA_DIR / "demo-password.txt"
        if not path.exists():
            return
        self.stdout.write(
            "\n演示账号（密码相同）：" + ", ".join(a[0] for a in dataset.ACCOUNTS[:6])
        )
        self.stdout.write(f"演示密码：{path.read_text().strip()}\n")

    # --- building ------------------------------------------------------------------------------

    def _build(self, rng: random.Random, password: str, *, with_needs: bool) -> None:
        units = {u.region_code: u for u in OrgUnit.objects.all()}
        for unit in units.values():
            unit.supervision_phone = names.landline(rng)
            unit.save()
        chains = {
            name: Chain.objects.create(name=name, description=desc)
            for name, desc, _, _ in dataset.CHAINS
        }
        towns = {
            name: Town.objects.create(
                name=name, county=county, leading_industry=industry, description=desc
            )
            for name, county, industry, desc, _, _ in dataset.TOWNS
        }
        stations = self._stations(rng, units, chains, towns)
        enterprises = self._enterprises(rng, chains, towns, stations)
        for chain in chains.values():
            members = [e for e in enterprises if chain in e.demo_chains]
            chain.chain_leader = members[0]
            chain.save()
            chain.backbone_enterprises.set(members[1:5])
        self._accounts(password, units, stations)
        if not with_needs:
            return
        count = NeedsBuilder(rng, clock.today()).build(stations)
        OperationsBuilder(rng, clock.today()).build(stations)
        SupervisionBuilder(rng, clock.today()).build(stations)
        deadline_scan()
        self.stdout.write(f"已生成近12个月的企业需求 {count} 项。")

    def _stations(self, rng, units, chains, towns) -> list[Station]:
        kinds = {k.code: k for k in DomainKind.objects.all()}
        sites = {k.code: k for k in SiteKind.objects.all()}
        stations = []
        for i, (name, kind, domain, site, host, unit_code) in enumerate(dataset.STATIONS):
            unit = units[unit_code]
            stations.append(
                Station.objects.create(
                    name=name,
                    domain_kind=kinds[kind],
                    chain=chains.get(domain),
                    town=towns.get(domain),
                    domain_name=domain if kind == "key_enterprise" else "",
                    site_kind=sites[site],
                    host_organization=host,
                    address=names.address(rng, unit_code if unit_code != "140500" else "140502"),
                    route_guidance=f"乘坐{rng.randint(1, 30)}路公交车至“{host[-6:]}”站下车，"
                    f"步行约{rng.randint(2, 8)}分钟；院内一层东侧，门口设有惠企直通服务站标牌。",
                    service_content=dataset.SERVICE_CONTENT,
                    contact_phones=f"{names.landline(rng)}、{names.mobile(rng)}",
                    im_contact=f"微信群“{name.removesuffix('惠企直通服务站')}惠企直通”",
                    supervision_phone=unit.supervision_phone,
                    superior_unit=unit,
                    established_on=datetime.date(2024, 12, 25) + datetime.timedelta(days=20 * i),
                )
            )
        return stations

    def _enterprises(self, rng, chains, towns, stations) -> list[Enterprise]:
        groups = [(chains[n], None, kinds, code) for n, _, kinds, code in dataset.CHAINS] + [
            (None, towns[n], kinds, code) for n, _, _, _, kinds, code in dataset.TOWNS
        ]
        by_chain = {s.chain_id: s for s in stations if s.chain_id}
        by_town = {s.town_id: s for s in stations if s.town_id}
        key_stations = [s for s in stations if s.domain_kind.code == "key_enterprise"]
        used: set[str] = set()
        enterprises = []
        for chain, town, kinds, region in groups:
            for _ in range(ENTERPRISES_PER_GROUP):
                kind = rng.choice(kinds)
                while True:
                    name = f"{names.PLACES[region]}{rng.choice(names.BRANDS)}{kind}有限公司"
                    if name not in used:
                        break
                used.add(name)
                size = rng.choices([s.value for s in Enterprise.Size], weights=[1, 3, 8, 6], k=1)[0]
                enterprise = Enterprise.objects.create(
                    name=name,
                    credit_code=names.credit_code(rng, region),
                    legal_representative=names.person_name(rng),
                    address=names.address(rng, region, town.name[:2] + "镇" if town else None),
                    industry=kind,
                    size=size,
                    main_products=PRODUCT_HINTS.get(kind, kind),
                    management_situation=rng.choice(MANAGEMENT),
                    town=town,
                )
                enterprise.demo_chains = [chain] if chain else []
                if chain:
                    enterprise.chains.add(chain)
                # Groups without a station of their own are served by a station of their county.
                station = (by_chain.get(chain.pk) if chain else by_town.get(town.pk)) or next(
                    (s for s in stations if s.superior_unit.region_code == region), stations[0]
                )
                linked = [station]
                if rng.random() < 0.25:
                    linked.append(rng.choice([s for s in key_stations if s not in linked]))
                for s in linked:
                    s.enterprises.add(enterprise)
                for j in range(rng.choice([1, 1, 2])):
                    EnterpriseContact.objects.create(
                        enterprise=enterprise,
                        name=names.person_name(rng),
                        position=rng.choice(["总经理", "质量部经理", "办公室主任", "技术负责人"]),
                        phone=names.mobile(rng),
                        is_primary=j == 0,
                    )
                enterprises.append(enterprise)
        return enterprises

    def _accounts(self, password: str, units, stations) -> None:
        sections = {s.name: s for s in Section.objects.all()}
        for username, full_name, role, station_i, section, unit_code in dataset.ACCOUNTS:
            post = role if role in StationRole.values else ""
            user = User(
                username=username,
                full_name=full_name,
                role=Role.STATION_STAFF if post else role,
                org_unit=units.get(unit_code) if unit_code else None,
            )
            user.set_password(password)
            user.save()
            if section:
                user.sections.add(sections[section])
            if station_i is not None:
                StationMember.objects.create(
                    station=stations[station_i],
                    user=user,
                    role=post,
                    onboarding_trained_on=None
                    if username in dataset.UNTRAINED
                    else datetime.date(2025, 1, 10),
                )
