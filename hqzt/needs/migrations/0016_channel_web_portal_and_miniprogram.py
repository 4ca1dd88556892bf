"""§6.2: a need's channel is named for what it came through. The web portal was recorded as
"小程序"; it becomes 网页门户 (code `portal`), and submissions through the mini-program's API get
their own channel 小程序 (code `miniprogram`)."""

from django.db import migrations


def load(apps, schema_editor):
    Channel = apps.get_model("needs", "Channel")
    Channel.objects.filter(code="portal").update(name="网页门户")
    portal = Channel.objects.filter(code="portal").first()
    Channel.objects.get_or_create(
        code="miniprogram",
        defaults={"name": "小程序", "sort_order": portal.sort_order if portal else 1},
    )


def unload(apps, schema_editor):
    Channel = apps.get_model("needs", "Channel")
    Channel.objects.filter(code="portal").update(name="小程序")


class Migration(migrations.Migration):
    dependencies = [("needs", "0015_submissionkey_fingerprint")]
    operations = [migrations.RunPython(load, unload)]
