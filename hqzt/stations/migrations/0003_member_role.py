"""§5.4: the post (chief, deputy, resident staff) moves from the user to the station membership,
and "one active chief per station" becomes a partial unique constraint.

Each membership takes its user's former role. Where a station already had several active chiefs
(only possible through the admin before), the earliest keeps the post and the others become
deputies, so nobody loses access and the constraint can be created.
"""

from django.db import migrations, models

STATION_ROLES = {"chief", "deputy_chief", "resident_staff"}


def copy_roles(apps, schema_editor):
    StationMember = apps.get_model("stations", "StationMember")
    has_chief: set[int] = set()
    for member in StationMember.objects.select_related("user").order_by("pk"):
        role = member.user.role if member.user.role in STATION_ROLES else "resident_staff"
        if role == "chief" and member.is_active:
            if member.station_id in has_chief:
                role = "deputy_chief"
            else:
                has_chief.add(member.station_id)
        member.role = role
        member.save(update_fields=["role"])


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0002_domain_and_site_kinds"),
        ("accounts", "0003_second_factor_and_password_age"),
    ]

    operations = [
        migrations.AddField(
            model_name="stationmember",
            name="role",
            field=models.CharField(
                choices=[
                    ("chief", "站长"),
                    ("deputy_chief", "副站长"),
                    ("resident_staff", "驻站工作人员"),
                ],
                default="resident_staff",
                max_length=20,
                verbose_name="岗位",
            ),
        ),
        migrations.RunPython(copy_roles, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="stationmember",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_active", True), ("role", "chief")),
                fields=("station",),
                name="station_one_active_chief",
                violation_error_message=(
                    "每个服务站只能有一名在岗站长：该服务站已有在岗站长，"
                    "请先将其调离或改任后再安排新站长。"
                ),
            ),
        ),
    ]
