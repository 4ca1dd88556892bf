from django.conf import settings
from django.db import migrations

from hqzt.audit.append_only import set_triggers


def chain_existing_rows(apps, schema_editor):
    """Rows written before the chain existed join it in id order."""
    from hqzt.audit.chain import row_digest

    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    prev = ""
    for event in AuditEvent.objects.order_by("pk"):
        event.prev_hash, event.hash = prev, row_digest(event, prev)
        event.save(update_fields=["prev_hash", "hash"])
        prev = event.hash
    AuditChainHead.objects.update_or_create(pk=1, defaults={"last_hash": prev})


def install(apps, schema_editor):
    if getattr(settings, "AUDIT_APPEND_ONLY", True):
        set_triggers(schema_editor.connection, install=True)


def uninstall(apps, schema_editor):
    set_triggers(schema_editor.connection, install=False)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_hash_chain")]
    operations = [
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop),
        migrations.RunPython(install, uninstall),
    ]
