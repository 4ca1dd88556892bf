"""Writes to the enterprise, chain and town registers (SPEC R-2)."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hqzt.accounts.models import User
from hqzt.audit.services import audit_record, audited_save
from hqzt.core.formsets import FOREIGN_ROW
from hqzt.enterprises.models import Chain, Enterprise, EnterpriseContact, Town
from hqzt.stations.models import Station

DUPLICATE_CREDIT_CODE = "该统一社会信用代码已登记，不能重复添加。"


def _contacts_apply(*, actor: User, enterprise: Enterprise, contacts: list[dict[str, Any]]) -> None:
    for row in contacts:
        contact = row.get("id")
        if contact is not None and contact.enterprise_id != enterprise.pk:
            # The formset refuses foreign rows already; a service must not trust its caller.
            raise ValidationError(FOREIGN_ROW)
        if row.get("DELETE"):
            if contact is not None:
                audit_record(actor=actor, action="delete", obj=contact)
                contact.delete()
            continue
        fields = {k: row[k] for k in ("name", "position", "phone", "is_primary")}
        if contact is None:
            contact = EnterpriseContact(enterprise=enterprise)
        audited_save(actor=actor, instance=contact, data=fields)


def _stations_apply(
    *,
    actor: User,
    enterprise: Enterprise,
    chosen: Iterable[Station],
    allowed: Iterable[Station],
) -> None:
    """Link the chosen stations; unlink only stations the user could have chosen, never links
    made by stations outside the user's scope."""
    chosen_ids = {s.pk for s in chosen}
    allowed_ids = {s.pk for s in allowed}
    before = {s.pk: s.name for s in enterprise.stations.all()}
    enterprise.stations.remove(*((set(before) & allowed_ids) - chosen_ids))
    enterprise.stations.add(*(chosen_ids - set(before)))
    after = {s.pk: s.name for s in enterprise.stations.all()}
    if before != after:
        audit_record(
            actor=actor,
            action="update",
            obj=enterprise,
            changes=[
                {
                    "field": "stations",
                    "label": "服务站",
                    "before": "、".join(sorted(before.values())),
                    "after": "、".join(sorted(after.values())),
                }
            ],
        )


@transaction.atomic
def enterprise_save(
    *,
    actor: User,
    enterprise: Enterprise,
    data: dict[str, Any],
    stations: Iterable[Station],
    allowed_stations: Iterable[Station],
    contacts: list[dict[str, Any]],
) -> Enterprise:
    """Create or update an enterprise with its contacts and serving stations, all or nothing."""
    if enterprise.pk is not None:
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    try:
        with transaction.atomic():
            audited_save(actor=actor, instance=enterprise, data=data)
    except IntegrityError as exc:
        # Two people registering the same code at once: the database's unique index decides.
        raise ValidationError({"credit_code": DUPLICATE_CREDIT_CODE}) from exc
    _stations_apply(
        actor=actor,
        enterprise=enterprise,
        chosen=stations,
        allowed=allowed_stations,
    )
    _contacts_apply(actor=actor, enterprise=enterprise, contacts=contacts)
    return enterprise


@transaction.atomic
def chain_save(*, actor: User, chain: Chain, data: dict[str, Any]) -> Chain:
    return audited_save(actor=actor, instance=chain, data=data)


@transaction.atomic
def town_save(*, actor: User, town: Town, data: dict[str, Any]) -> Town:
    return audited_save(actor=actor, instance=town, data=data)
