from django.db import models

from hqzt.audit.models import AuditEvent


def audit_history_for(obj: models.Model, *, limit: int = 100) -> list[AuditEvent]:
    """The newest events about one object. Callers have already checked that the user may see it."""
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
