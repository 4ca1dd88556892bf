"""Writing audit events. Call these inside the transaction of the change they describe."""

from contextvars import ContextVar
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from hqzt.accounts.phone_access import REVEAL_REFUSED, PhoneAccess
from hqzt.audit.chain import chain_append
from hqzt.audit.models import AuditEvent
from hqzt.core.fields import EncryptedPhoneField
from hqzt.core.phones import phone_display, phone_mask

# Set by AuditContextMiddleware for the duration of a request, so services need not pass the IP.
current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def _value_text(obj: models.Model, field: models.Field) -> str:
    if field.many_to_many:
        if obj.pk is None:
            return ""
        return "、".join(sorted(str(o) for o in getattr(obj, field.name).all()))
    value = getattr(obj, field.name)
    if value is None or value == "":
        return ""
    if isinstance(field, EncryptedPhoneField):
        # The audit log is not encrypted: keep the number out of it, but show that it changed.
        return phone_mask(value)
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def model_snapshot(obj: models.Model, fields: list[str]) -> dict[str, str]:
    """The listed fields as the text a reader of the history should see."""
    meta = obj._meta
    return {name: _value_text(obj, meta.get_field(name)) for name in fields}


def snapshot_diff(
    model: type[models.Model], before: dict[str, str], after: dict[str, str]
) -> list[dict[str, str]]:
    meta = model._meta
    return [
        {
            "field": name,
            "label": str(meta.get_field(name).verbose_name),
            "before": before.get(name, ""),
            "after": value,
        }
        for name, value in after.items()
        if before.get(name, "") != value
    ]


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    changes: list[dict[str, str]] | None = None,
    object_type: str = "",
    object_id: str = "",
    ip: str | None = None,
    context: dict[str, Any] | None = None,
) -> AuditEvent:
    """One audit row. Pass `obj`, or (for something that may not exist, such as the user name of
    a failed login) `object_type` and `object_id`. `context` holds keys to find the row by once
    the object is gone (e.g. the station of a purged need)."""
    return chain_append(
        AuditEvent(
            actor=actor if getattr(actor, "pk", None) else None,
            action=action,
            object_type=obj._meta.label_lower if obj is not None else object_type,
            object_id=str(obj.pk) if obj is not None else object_id[:40],
            object_repr=str(obj)[:200] if obj is not None else object_id[:200],
            changes={"fields": changes or [], **(context or {})},
            ip=ip or current_ip.get(),
        )
    )


class PhoneRevealRefused(PermissionDenied):
    """The user may not see this number in full (accounts/phone_access.py): 403."""


def phone_reveal(*, actor: Any, obj: models.Model, field: str, access: PhoneAccess) -> str:
    """The full number in `obj.<field>`, for a user who asked to see it where it is masked;
    `access` is what the one rule (accounts/phone_access.py) says of this user and record.

    Every reveal is recorded (who, when, whose number, from which address) so that looking up
    numbers without need shows in the audit log (R-9); the number itself is not logged. A
    refused attempt is recorded too (查看完整号码被拒绝), then refused with PhoneRevealRefused."""
    if not access.may_reveal:
        with transaction.atomic():
            audit_record(actor=actor, action="reveal_phone_refused", obj=obj)
        raise PhoneRevealRefused(REVEAL_REFUSED)
    with transaction.atomic():
        audit_record(actor=actor, action="reveal_phone", obj=obj)
    return phone_display(getattr(obj, field))


def audited_save(*, actor: Any, instance: models.Model, data: dict[str, Any]) -> models.Model:
    """Apply validated `data` to `instance`, save it and record what changed.

    The one write path for register objects (stations, enterprises, chains, towns): every create
    and edit leaves an event with the before and after values. Many-to-many values in `data` are
    set after the row is saved. Call inside a transaction.
    """
    model = type(instance)
    meta = model._meta
    fields = list(data)
    is_new = instance.pk is None
    before = {} if is_new else model_snapshot(instance, fields)
    many = {k: v for k, v in data.items() if meta.get_field(k).many_to_many}
    for name, value in data.items():
        if name not in many:
            setattr(instance, name, value)
    instance.save()
    for name, value in many.items():
        getattr(instance, name).set(value)
    after = model_snapshot(instance, fields)
    audit_record(
        actor=actor,
        action="create" if is_new else "update",
        obj=instance,
        changes=snapshot_diff(model, before, after),
    )
    return instance
