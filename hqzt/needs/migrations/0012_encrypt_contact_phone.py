"""Contact phone numbers encrypted at rest, with a keyed hash for exact-number search (R-9)."""

from django.db import migrations, models

import hqzt.core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0011_records_retention_showcase"),
    ]

    operations = [
        migrations.AddField(
            model_name="need",
            name="contact_phone_hash",
            field=hqzt.core.fields.PhoneHashField(source="contact_phone"),
        ),
        migrations.AlterField(
            model_name="need",
            name="contact_phone",
            field=models.CharField(max_length=255, verbose_name="联系电话"),
        ),
        hqzt.core.fields.encrypt_phones_migration("needs", "Need", "contact_phone"),
        migrations.AlterField(
            model_name="need",
            name="contact_phone",
            field=hqzt.core.fields.EncryptedPhoneField(verbose_name="联系电话"),
        ),
    ]
