import pytest

from hqzt.needs.models import NeedType
from hqzt.org.models import Section

pytestmark = pytest.mark.django_db

# Every lead docs/routing.md (the bureau's routing rules) names, as the seeded reference data
# spells it: the bureau's sections by their own name, departments by their seeded full name.
ROUTING_LEADS = {
    "计量科": "计量科",
    "标准化科": "标准化科",
    "认证认可与检验检测科": "认证认可与检验检测科",
    "特种设备安全监察科": "特种设备安全监察科",
    "质量发展科": "质量发展科",
    "知识产权科": "知识产权科",
    "信用监管科": "信用监管科",
    "食品生产监管科": "食品生产监管科",
    "价格监督检查和反不正当竞争科": "价格监督检查和反不正当竞争科",
    "登记注册科": "登记注册科",
    "综合办公室": "综合办公室",
    "税务局": "市税务局",
    "人社局": "市人力资源和社会保障局",
    "科技局": "市科学技术局",
    "工信局": "市工业和信息化局",
    "发改局": "市发展和改革委员会",
    "金融办": "市金融办",
    "商务局": "市商务局",
    "自然资源局": "市自然资源局",
    "生态环境局": "市生态环境局",
    "住建局": "市住房和城乡建设局",
}
DEPARTMENTS = {"税务局", "人社局", "科技局", "工信局", "发改局", "金融办", "商务局"}
DEPARTMENTS |= {"自然资源局", "生态环境局", "住建局"}


def test_every_routing_lead_is_seeded_with_its_kind(city):
    for routing_name, name in ROUTING_LEADS.items():
        section = Section.objects.get(org_unit=city, name=name)
        expected = (
            Section.Kind.OTHER_DEPARTMENT
            if routing_name in DEPARTMENTS
            else Section.Kind.BUREAU_SECTION
        )
        assert section.kind == expected, name
        assert section.is_active


def test_product_quality_is_led_by_quality_development_as_routing_says():
    assert NeedType.objects.get(code="product_quality").default_section.name == "质量发展科"
    assert NeedType.objects.get(code="brand").default_section.name == "质量发展科"
