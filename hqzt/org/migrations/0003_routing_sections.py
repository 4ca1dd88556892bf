"""Reference data: the sections and departments that ROUTING.md (the bureau's routing rules) names
as leads but 0002 did not seed, and the need types' default leads as ROUTING.md states them.

Idempotent (a city that already has a row of that name keeps it), so it is safe on databases whose
admin added some by hand. The admin maintains them afterwards.
"""

from django.db import migrations

CITY_NAME = "晋城市市场监督管理局"
NEW_BUREAU_SECTIONS = [
    "食品生产监管科",
    "价格监督检查和反不正当竞争科",
    "登记注册科",
    "综合办公室",
]
NEW_OTHER_DEPARTMENTS = ["市金融办"]
# ROUTING.md §通用规则 4: 产品质量安全 and 品牌培育创建 are led by 质量发展科.
DEFAULT_LEADS = {"product_quality": "质量发展科"}


def load(apps, schema_editor):
    OrgUnit = apps.get_model("org", "OrgUnit")
    Section = apps.get_model("org", "Section")
    NeedType = apps.get_model("needs", "NeedType")
    city = OrgUnit.objects.filter(name=CITY_NAME).first()
    if city is None:
        return
    for kind, names in (
        ("bureau_section", NEW_BUREAU_SECTIONS),
        ("other_department", NEW_OTHER_DEPARTMENTS),
    ):
        last = Section.objects.filter(org_unit=city, kind=kind).order_by("-sort_order").first()
        order = last.sort_order if last else 0
        for name in names:
            if Section.objects.filter(org_unit=city, name=name).exists():
                continue
            order += 1
            Section.objects.create(name=name, kind=kind, org_unit=city, sort_order=order)
    for code, section_name in DEFAULT_LEADS.items():
        section = Section.objects.filter(org_unit=city, name=section_name).first()
        if section is not None:
            NeedType.objects.filter(code=code).update(default_section=section)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_jincheng_units_and_sections"),
        ("needs", "0002_need_types_and_channels"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
