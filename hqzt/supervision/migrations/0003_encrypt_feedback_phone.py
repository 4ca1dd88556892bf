"""The numbers people leave with their feedback, encrypted at rest like contact phones (R-9)."""

from django.db import migrations, models

import hqzt.core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0002_internal_external_supervision"),
    ]

    operations = [
        migrations.AddField(
            model_name="feedback",
            name="phone_hash",
            field=hqzt.core.fields.PhoneHashField(source="phone"),
        ),
        migrations.AlterField(
            model_name="feedback",
            name="phone",
            field=models.CharField(blank=True, max_length=255, verbose_name="联系电话"),
        ),
        hqzt.core.fields.encrypt_phones_migration("supervision", "Feedback", "phone"),
        migrations.AlterField(
            model_name="feedback",
            name="phone",
            field=hqzt.core.fields.EncryptedPhoneField(blank=True, verbose_name="联系电话"),
        ),
    ]
