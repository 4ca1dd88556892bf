"""Reference data: need types (§5.3 c plus 政策咨询 and 其他) with the bureau section that usually
leads each, and the intake channels of §6.2."""

from django.db import migrations

NEED_TYPES = [
    ("metrology", "计量", "计量科"),
    ("standardization", "标准化", "标准化科"),
    ("testing", "检验检测", "认证认可与检验检测科"),
    ("certification", "认证认可", "认证认可与检验检测科"),
    ("special_equipment", "特种设备检验", "特种设备安全监察科"),
    ("product_quality", "产品质量安全", "产品质量安全监督管理科"),
    ("brand", "品牌培育创建", "质量发展科"),
    ("intellectual_property", "知识产权", "知识产权科"),
    ("credit", "企业信用", "信用监管科"),
    ("policy", "政策咨询", "政策法规科"),
    ("other", "其他", None),
]
CHANNELS = [
    ("portal", "小程序"),
    ("im", "即时通讯"),
    ("phone", "客服电话"),
    ("onsite", "现场"),
    ("hotline_12345", "12345转办"),
    ("other", "其他"),
]


def load(apps, schema_editor):
    NeedType = apps.get_model("needs", "NeedType")
    Channel = apps.get_model("needs", "Channel")
    Section = apps.get_model("org", "Section")
    sections = {s.name: s for s in Section.objects.filter(kind="bureau_section")}
    for order, (code, name, section) in enumerate(NEED_TYPES, start=1):
        NeedType.objects.create(
            code=code, name=name, sort_order=order, default_section=sections.get(section)
        )
    for order, (code, name) in enumerate(CHANNELS, start=1):
        Channel.objects.create(code=code, name=name, sort_order=order)


class Migration(migrations.Migration):
    dependencies = [("needs", "0001_initial"), ("org", "0002_jincheng_units_and_sections")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
