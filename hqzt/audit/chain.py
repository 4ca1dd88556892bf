"""The audit log as a hash chain (等保 2.0: 审计记录防篡改).

Each row stores sha256(previous hash + the row's content). Editing or deleting a row directly in
the database breaks the chain at that row, which `manage.py audit_verify` reports. The database
also refuses UPDATE and DELETE on the table (triggers, see append_only.py).
"""

import datetime
import hashlib
import json
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone

from hqzt.audit.models import AuditChainHead, AuditEvent


def row_digest(event: AuditEvent, prev_hash: str) -> str:
    content = json.dumps(
        [
            prev_hash,
            event.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            event.actor_id,
            event.action,
            event.object_type,
            event.object_id,
            event.object_repr,
            event.changes,
            event.ip,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(content.encode()).hexdigest()


@transaction.atomic
def chain_append(event: AuditEvent) -> AuditEvent:
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    if event.at is None:
        event.at = timezone.now()
    event.prev_hash = head.last_hash
    event.hash = row_digest(event, head.last_hash)
    event.save()
    head.last_hash = event.hash
    head.save(update_fields=["last_hash"])
    return event


def chain_breaks(chunk: int = 5000) -> Iterator[AuditEvent]:
    """Rows whose hash does not follow from their content and the previous row."""
    prev = ""
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=chunk):
        if event.prev_hash != prev or event.hash != row_digest(event, event.prev_hash):
            yield event
        prev = event.hash
