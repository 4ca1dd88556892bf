"""Station people get one account role, 服务站人员; their post (chief, deputy, resident staff)
is now held by each station membership (stations 0003 copied it there first)."""

from django.db import migrations, models

FORMER = ["chief", "deputy_chief", "resident_staff"]


def to_station_staff(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(role__in=FORMER).update(role="station_staff")


def from_station_staff(apps, schema_editor):
    """Back to a per-user role: the highest post the user holds; without a station, resident."""
    User = apps.get_model("accounts", "User")
    StationMember = apps.get_model("stations", "StationMember")
    for user in User.objects.filter(role="station_staff"):
        member = StationMember.objects.filter(user=user).order_by("role").first()
        user.role = member.role if member else "resident_staff"
        user.save(update_fields=["role"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_second_factor_and_password_age"),
        ("stations", "0003_member_role"),
    ]

    operations = [
        migrations.RunPython(to_station_staff, from_station_staff),
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[
                    ("admin", "系统管理员"),
                    ("supervisor", "上级单位/监督"),
                    ("station_staff", "服务站人员"),
                    ("section_handler", "经办科室人员"),
                ],
                max_length=20,
                verbose_name="角色",
            ),
        ),
    ]
