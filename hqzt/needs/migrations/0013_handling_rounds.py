"""Each history event and handling step records the round of handling it belongs to (issue 12:
round 2 after a 不满意 shows its own handling; round 1 stays readable, Appendix C lists both)."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    """Needs already handled more than once: a round ends with its verification (核实后重新办理),
    so events after the k-th verification and steps recorded after it belong to round k + 1."""
    Need = apps.get_model("needs", "Need")
    NeedEvent = apps.get_model("needs", "NeedEvent")
    HandlingStep = apps.get_model("needs", "HandlingStep")
    for need_id in Need.objects.filter(round__gt=1).values_list("pk", flat=True).iterator():
        number, verified_at = 1, []
        for event in NeedEvent.objects.filter(need_id=need_id).order_by("at", "id"):
            if event.round != number:
                NeedEvent.objects.filter(pk=event.pk).update(round=number)
            if event.action == "rehandle":
                number += 1
                verified_at.append(event.at)
        for step in HandlingStep.objects.filter(need_id=need_id):
            number = 1 + sum(step.at > moment for moment in verified_at)
            if step.round != number:
                HandlingStep.objects.filter(pk=step.pk).update(round=number)


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0012_encrypt_contact_phone"),
    ]

    operations = [
        migrations.AddField(
            model_name="handlingstep",
            name="round",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="办理轮次"),
        ),
        migrations.AddField(
            model_name="needevent",
            name="round",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="办理轮次"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
