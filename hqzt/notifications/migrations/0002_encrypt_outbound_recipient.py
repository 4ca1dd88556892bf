"""The record of sent SMS and e-mail keeps its recipients encrypted at rest, like contact phones."""

from django.db import migrations, models

import hqzt.core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="outboundmessage",
            name="to",
            field=models.CharField(max_length=700, verbose_name="收件人"),
        ),
        hqzt.core.fields.encrypt_phones_migration(
            "notifications", "OutboundMessage", "to", hashed=False
        ),
        migrations.AlterField(
            model_name="outboundmessage",
            name="to",
            field=hqzt.core.fields.EncryptedPhoneField(max_length=700, verbose_name="收件人"),
        ),
    ]
