"""Reference data: the Jincheng market-regulation bureaus, their sections and the other
government departments stations liaise with (§6.3.1 b). Editable in the admin afterwards."""

from django.db import migrations

CITY = ("晋城市市场监督管理局", "市局", "140500")
COUNTIES = [
    ("晋城市城区市场监督管理局", "城区局", "140502"),
    ("沁水县市场监督管理局", "沁水县局", "140521"),
    ("阳城县市场监督管理局", "阳城县局", "140522"),
    ("陵川县市场监督管理局", "陵川县局", "140524"),
    ("泽州县市场监督管理局", "泽州县局", "140525"),
    ("高平市市场监督管理局", "高平市局", "140581"),
]
BUREAU_SECTIONS = [
    "计量科",
    "标准化科",
    "认证认可与检验检测科",
    "特种设备安全监察科",
    "产品质量安全监督管理科",
    "质量发展科",
    "知识产权科",
    "信用监管科",
    "政策法规科",
]
OTHER_DEPARTMENTS = [
    "市税务局",
    "市人力资源和社会保障局",
    "市发展和改革委员会",
    "市工业和信息化局",
    "市自然资源局",
    "市生态环境局",
    "市住房和城乡建设局",
    "市商务局",
    "市科学技术局",
    "市应急管理局",
]


def load(apps, schema_editor):
    OrgUnit = apps.get_model("org", "OrgUnit")
    Section = apps.get_model("org", "Section")
    city = OrgUnit.objects.create(
        name=CITY[0], short_name=CITY[1], region_code=CITY[2], level="city"
    )
    city.path = f"/{city.pk}/"
    city.save(update_fields=["path"])
    for name, short, code in COUNTIES:
        unit = OrgUnit.objects.create(
            name=name, short_name=short, region_code=code, level="county", parent=city
        )
        unit.path = f"{city.path}{unit.pk}/"
        unit.save(update_fields=["path"])
    for order, name in enumerate(BUREAU_SECTIONS, start=1):
        Section.objects.create(name=name, kind="bureau_section", org_unit=city, sort_order=order)
    for order, name in enumerate(OTHER_DEPARTMENTS, start=1):
        Section.objects.create(name=name, kind="other_department", org_unit=city, sort_order=order)


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
