"""After a new key is put first in FIELD_ENCRYPTION_KEY (the old one kept after it), re-encrypt
every stored phone number (re-hashing it) and every TOTP secret under the new key; then the old
key can be removed."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from hqzt.accounts.otp import otp_secrets_reencrypt
from hqzt.audit.services import audit_record
from hqzt.core.fields import EncryptedPhoneField, phone_rows_reencrypt


class Command(BaseCommand):
    help = (
        "用 FIELD_ENCRYPTION_KEY 中的第一个（最新）密钥重新加密全部联系电话和两步验证密钥，分批进行"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="每批行数（默认 500）")

    def handle(self, *args, batch_size: int, **options) -> None:
        changes = []
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if not isinstance(field, EncryptedPhoneField):
                    continue
                count = phone_rows_reencrypt(model, field.name, batch_size=batch_size)
                label = f"{model._meta.verbose_name}·{field.verbose_name}"
                changes.append(
                    {"field": field.name, "label": label, "before": "", "after": str(count)}
                )
                self.stdout.write(f"{label}：{count} 条")
        secrets = otp_secrets_reencrypt(batch_size=batch_size)
        changes.append(
            {
                "field": "secret_encrypted",
                "label": "两步验证密钥",
                "before": "",
                "after": str(secrets),
            }
        )
        self.stdout.write(f"两步验证密钥：{secrets} 条")
        with transaction.atomic():
            audit_record(
                actor=None,
                action="rotate_encryption",
                object_type="core.encryptedphonefield",
                object_id="all",
                changes=changes,
            )
        self.stdout.write(
            self.style.SUCCESS("已用最新密钥重新加密，可从 FIELD_ENCRYPTION_KEY 中移除旧密钥。")
        )
