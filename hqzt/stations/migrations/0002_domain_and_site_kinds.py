"""Reference data: service-domain kinds (§5.1) and site kinds (§5.2.1)."""

from django.db import migrations

DOMAIN_KINDS = [
    ("chain", "产业链"),
    ("town", "专业镇"),
    ("key_enterprise", "行业重点企业"),
]
SITE_KINDS = [
    ("industrial_park", "产业园区"),
    ("commercial_cluster", "商贸集聚区"),
    ("service_center", "便民服务中心"),
    ("exhibition_center", "产品展销中心"),
    ("market_office", "市场监管所"),
    ("association", "行业协会（商会）"),
    ("leading_enterprise", "龙头企业"),
    ("testing_institution", "检测机构"),
    ("other", "其他"),
]


def load(apps, schema_editor):
    DomainKind = apps.get_model("stations", "DomainKind")
    SiteKind = apps.get_model("stations", "SiteKind")
    for order, (code, name) in enumerate(DOMAIN_KINDS, start=1):
        DomainKind.objects.create(code=code, name=name, sort_order=order)
    for order, (code, name) in enumerate(SITE_KINDS, start=1):
        SiteKind.objects.create(code=code, name=name, sort_order=order)


class Migration(migrations.Migration):
    dependencies = [("stations", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
