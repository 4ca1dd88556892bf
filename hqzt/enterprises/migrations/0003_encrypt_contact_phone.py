"""Contact phone numbers encrypted at rest, with a keyed hash for exact-number search (R-9)."""

from django.db import migrations, models

import hqzt.core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0002_name_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="enterprisecontact",
            name="phone_hash",
            field=hqzt.core.fields.PhoneHashField(source="phone"),
        ),
        migrations.AlterField(
            model_name="enterprisecontact",
            name="phone",
            field=models.CharField(max_length=255, verbose_name="联系电话"),
        ),
        hqzt.core.fields.encrypt_phones_migration("enterprises", "EnterpriseContact", "phone"),
        migrations.AlterField(
            model_name="enterprisecontact",
            name="phone",
            field=hqzt.core.fields.EncryptedPhoneField(verbose_name="联系电话"),
        ),
    ]
