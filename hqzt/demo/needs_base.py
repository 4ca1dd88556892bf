"""What the demo's needs builders share: sample need texts and weights, moments in office hours and
the looked-up types, channels, sections and handlers."""

import datetime
import random
from zoneinfo import ZoneInfo

from django.conf import settings

from hqzt.core import clock
from hqzt.core.workdays import is_workday
from hqzt.enterprises.models import Enterprise
from hqzt.needs.models import Channel, NeedType
from hqzt.needs.services.registration import NeedItem
from hqzt.org.models import Section

TZ = ZoneInfo(settings.TIME_ZONE)

NEED_TEXTS = {
    "metrology": [
        "电子天平、压力表需要周期检定，希望安排上门检定",
        "新购置的流量计需要首次检定",
        "想建立企业最高计量标准，咨询考核流程",
    ],
    "standardization": [
        "企业标准需要在平台自我声明公开，请指导填报",
        "希望参与制定团体标准",
        "产品执行的国家标准已更新，咨询过渡期要求",
    ],
    "testing": [
        "产品出口需要第三方检测报告，咨询有资质的检测机构",
        "原材料进厂检验能力不足，希望对接检测资源",
    ],
    "certification": [
        "申请 ISO 9001 质量管理体系认证，咨询流程和费用",
        "CCC 认证证书即将到期，咨询换证",
    ],
    "special_equipment": [
        "厂内叉车需要定期检验",
        "新安装的压力容器需要办理使用登记",
        "电梯年检即将到期，申请安排检验",
    ],
    "product_quality": ["产品抽检不合格，希望指导整改", "咨询产品质量追溯体系建设"],
    "brand": ["申报山西精品品牌，请指导材料准备", "希望创建地理标志证明商标"],
    "intellectual_property": ["商标被他人抢注，咨询异议程序", "申请发明专利，希望获得预审服务"],
    "credit": ["因年报逾期被列入经营异常名录，咨询移出", "申请信用修复"],
    "policy": ["咨询小微企业质量提升奖补政策", "了解专精特新企业认定的政策支持"],
    "other": ["厂区周边道路施工影响物流，希望协调", "招工困难，希望对接人社部门招聘会"],
}
TYPE_WEIGHTS = {
    "metrology": 16,
    "standardization": 12,
    "testing": 9,
    "certification": 8,
    "special_equipment": 12,
    "product_quality": 7,
    "brand": 6,
    "intellectual_property": 8,
    "credit": 6,
    "policy": 10,
    "other": 6,
}
EVALUATION_WEIGHTS = {"very_satisfied": 50, "satisfied": 32, "neutral": 12, "dissatisfied": 6}
SHEETS_PER_STATION_MONTH = 4


def moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A moment in office hours of `day`, never later than now: a demo seeded at 08:05 must not
    show messages stamped 15:40 the same day (the rng is drawn all the same, so a seed gives one
    demo whatever the hour)."""
    drawn = datetime.datetime.combine(
        day, datetime.time(rng.randint(9, 16), rng.randint(0, 59)), TZ
    )
    return min(drawn, clock.now())


def workdays_back(today: datetime.date, workdays: int, rng: random.Random) -> datetime.datetime:
    """A moment in office hours `workdays` working days before `today`."""
    day = today
    while workdays > 0:
        day -= datetime.timedelta(days=1)
        workdays -= is_workday(day)
    return moment(day, rng)


class NeedsDemo:
    """The lookups and small draws of a needs builder; the rng is shared so a seed gives one demo."""

    def __init__(self, rng: random.Random, today: datetime.date) -> None:
        self.rng, self.today = rng, today
        self.types = {t.code: t for t in NeedType.objects.all()}
        self.channels = list(Channel.objects.exclude(code="other"))
        self.portal = Channel.objects.get(code="portal")
        self.departments = list(Section.objects.filter(kind=Section.Kind.OTHER_DEPARTMENT))
        staffed = Section.objects.filter(kind=Section.Kind.BUREAU_SECTION, members__isnull=False)
        self.sections = {s.pk: s for s in staffed.distinct()}
        self.handler_of = {s.pk: s.members.first() for s in self.sections.values()}

    def _back(self, workdays: int) -> datetime.datetime:
        return workdays_back(self.today, workdays, self.rng)

    def _contact(self, enterprise: Enterprise) -> tuple[str, str]:
        contact = enterprise.contacts.first()
        return (contact.name, contact.phone) if contact else ("办公室", "03562220000")

    def _item(self) -> NeedItem:
        code = self.rng.choices(list(TYPE_WEIGHTS), weights=list(TYPE_WEIGHTS.values()))[0]
        return NeedItem(need_type=self.types[code], content=self.rng.choice(NEED_TEXTS[code]))
