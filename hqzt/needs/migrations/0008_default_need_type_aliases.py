"""Reference data: names stations commonly use in their spreadsheets for each need type."""

from django.db import migrations

ALIASES = {
    "metrology": ["计量检定", "检定", "校准", "计量器具"],
    "standardization": ["标准", "标准制定", "企业标准", "团体标准"],
    "testing": ["检测", "检验", "质量检测"],
    "certification": ["认证", "体系认证", "认可"],
    "special_equipment": ["特种设备", "特设", "特种设备检测"],
    "product_quality": ["质量", "产品质量", "质量安全"],
    "brand": ["品牌", "品牌建设", "品牌创建"],
    "intellectual_property": ["知识产权保护", "商标", "专利", "地理标志"],
    "credit": ["信用", "信用修复", "经营异常"],
    "policy": ["政策", "政策解读", "惠企政策"],
}


def load(apps, schema_editor):
    NeedType = apps.get_model("needs", "NeedType")
    NeedTypeAlias = apps.get_model("needs", "NeedTypeAlias")
    types = {t.code: t for t in NeedType.objects.all()}
    for code, aliases in ALIASES.items():
        for alias in aliases:
            if code in types:
                NeedTypeAlias.objects.get_or_create(
                    alias=alias, defaults={"need_type": types[code]}
                )


class Migration(migrations.Migration):
    dependencies = [("needs", "0007_need_type_aliases")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
