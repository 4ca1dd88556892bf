"""Writes to the enterprise, chain and town registers (SPEC R-2)."""

import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from hqzt.accounts.models import User
from hqzt.audit.services import audit_record, audited_save
from hqzt.core.formsets import FOREIGN_ROW
from hqzt.core.text import name_clean
from hqzt.enterprises.credit_code import DUPLICATE_CREDIT_CODE, credit_code_clean
from hqzt.enterprises.models import Chain, Enterprise, EnterpriseContact, Town
from hqzt.enterprises.names import enterprise_name_key
from hqzt.enterprises.selectors import SAME_NAME_AT_STATION, enterprise_twin_exists
from hqzt.stations.models import Station


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
    """Create or update an enterprise with its contacts and serving stations, all or nothing.

    The form's same-name check ran before this transaction, so two clicks of 保存 both passed
    it (probe E1); it is asked again here under the name's lock, where they are serialized (on
    PostgreSQL by enterprise_name_lock, on SQLite by the IMMEDIATE transaction itself), and the
    later one is refused with the form's own words."""
    stations = list(stations)
    if name := data.get("name"):
        enterprise_name_lock(name)
        if enterprise_twin_exists(name=name, stations=stations, exclude_pk=enterprise.pk):
            raise ValidationError({"name": SAME_NAME_AT_STATION})
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


def enterprise_name_lock(name: str) -> None:
    """Claims naming one new enterprise at once must register it once. On PostgreSQL a lock on
    the name held to the end of the transaction makes the second wait and then find the first's
    row; SQLite runs writing transactions one at a time (IMMEDIATE) already."""
    if connection.vendor == "postgresql":
        # On the name's key: two spellings of one firm wait for each other too.
        key = enterprise_name_key(name)
        digest = hashlib.blake2b(f"enterprise-name:{key}".encode(), digest_size=8).digest()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)]
            )


@transaction.atomic
def enterprise_for_claim(*, station: Station, name: str, credit_code: str = "") -> Enterprise:
    """The enterprise an unverified claim names (an anonymous portal or API submission, a
    platform's push, a ledger import row), registered from the claim if there is none.

    A claim is not proof (ADR 0006): naming a registered enterprise — by its name's key
    (enterprises/names.py; the station's own first), or by its credit code under any name —
    attaches the claim's need to it, but neither
    links it to the claiming station (which would show that station its contacts and let it edit
    them) nor changes what the register holds. Only an enterprise the claim itself registers is
    linked to the station: it holds nothing but what the claimant typed. The need keeps the
    contact the claimant gave.
    """
    name = name_clean(name)
    code = credit_code_clean(credit_code) if credit_code else None
    if code:
        found = Enterprise.objects.filter(credit_code=code).first()
    else:
        enterprise_name_lock(name)
        # A name alone means the station's own enterprise of that name (compared on its key),
        # if it serves one.
        named = Enterprise.objects.filter(name_key=enterprise_name_key(name)).order_by("pk")
        found = named.filter(stations=station).first() or named.first()
    if found is not None:
        return found
    enterprise = Enterprise(name=name, credit_code=code)
    try:
        with transaction.atomic():  # a savepoint: the claim's transaction outlives a clash
            enterprise.save()
    except IntegrityError:
        if not code:
            raise
        # A concurrent claim registered this code a moment ago (PostgreSQL): that row is the
        # enterprise, and this claim did not create it.
        return Enterprise.objects.get(credit_code=code)
    station.enterprises.add(enterprise)
    return enterprise
