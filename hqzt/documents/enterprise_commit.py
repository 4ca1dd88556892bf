"""The enterprise register import's writes: the analysed rows applied to the register, every
change audited, by `manage.py import_enterprises` in one transaction and by the upload page's
confirm once, exactly as previewed (the dry run and the preview are in enterprise_import.py; a big
file goes to the queue, import_jobs.py)."""

from typing import Any, BinaryIO

from django.db import IntegrityError, transaction

from hqzt.accounts.models import User
from hqzt.audit.services import audit_record, audited_save
from hqzt.audit.statemachine import transition
from hqzt.core import clock
from hqzt.documents.enterprise_import import (
    FIELDS,
    WRITTEN,
    EnterpriseRow,
    analyse,
    batch_outcomes,
    elsewhere_reason,
    outcomes_digest,
    register_changes,
    registered_enterprise,
)
from hqzt.documents.import_access import import_station_check
from hqzt.documents.import_errors import AlreadyImported, ImportConflict
from hqzt.documents.models import ImportBatch
from hqzt.enterprises.models import Chain, Enterprise, EnterpriseContact, Town
from hqzt.enterprises.services import enterprise_name_lock
from hqzt.stations.models import Station


def _register(
    outcome: EnterpriseRow, station: Station, actor: User
) -> tuple[Enterprise, dict[str, Any]]:
    """The new enterprise of a row, or the one registered a moment ago by a concurrent import or
    claim: a name alone is locked until the transaction ends (as for claims), a credit code is
    held by its unique constraint, and the loser of the race sees the winner's row."""
    values = outcome.values
    found = None
    if not values["credit_code"]:
        enterprise_name_lock(values["name"])
        found = registered_enterprise(values, station)
    if found is None:
        enterprise = Enterprise()
        try:
            with transaction.atomic():  # a savepoint: the import goes on after a clash
                audited_save(actor=actor, instance=enterprise, data={k: values[k] for k in FIELDS})
            station.enterprises.add(enterprise)
            return enterprise, {}
        except IntegrityError:
            found = registered_enterprise(values, station)
            if found is None:
                raise
    if not station.enterprises.filter(pk=found.pk).exists():
        outcome.status, outcome.reason = "skipped", elsewhere_reason(values)
        return found, {}
    data = register_changes(found, values)
    outcome.status = "update" if data else "same"
    return found, data


def reference_data() -> tuple[dict[str, Chain], dict[str, Town]]:
    return {c.name: c for c in Chain.objects.all()}, {t.name: t for t in Town.objects.all()}


def row_apply(
    outcome: EnterpriseRow,
    station: Station,
    actor: User,
    reference: tuple[dict[str, Chain], dict[str, Town]],
) -> None:
    """Write one analysed row (of WRITTEN), every change audited; a row found registered
    elsewhere meanwhile becomes "skipped". The caller holds the transaction."""
    chains, towns = reference
    values = outcome.values
    if "enterprise" in values:
        enterprise, data = values["enterprise"], register_changes(values["enterprise"], values)
    else:
        enterprise, data = _register(outcome, station, actor)
        if outcome.status == "skipped":
            return
    if values["town"] in towns and enterprise.town_id != towns[values["town"]].pk:
        data["town"] = towns[values["town"]]
    if data:
        audited_save(actor=actor, instance=enterprise, data=data)
    if values["chain"] in chains:
        enterprise.chains.add(chains[values["chain"]])
    contact = values["contact_name"] and values["contact_phone"]
    if contact and not enterprise.contacts.filter(name=values["contact_name"]).exists():
        audited_save(
            actor=actor,
            instance=EnterpriseContact(enterprise=enterprise),
            data={"name": values["contact_name"], "phone": values["contact_phone"]},
        )


def _apply(outcomes: list[EnterpriseRow], station: Station, actor: User) -> int:
    """Write the analysed rows, every change audited; the number of enterprises added or
    changed."""
    reference = reference_data()
    for outcome in outcomes:
        if outcome.status in WRITTEN:
            row_apply(outcome, station, actor, reference)
    return sum(o.status in ("new", "update") for o in outcomes)


@transaction.atomic
def enterprise_import_apply(
    *, upload: BinaryIO, name: str, station: Station, actor: User
) -> list[EnterpriseRow]:
    """Analyse and import in one transaction (`manage.py import_enterprises`); a second run adds
    nothing."""
    import_station_check(user=actor, station=station, what="企业名册")
    outcomes = analyse(upload, name, station)
    _apply(outcomes, station, actor)
    return outcomes


def enterprise_batch_confirm(*, batch: ImportBatch, actor: User) -> int:
    """Import a previewed file once, exactly as previewed: the batch row is locked (a second
    confirm is told AlreadyImported), the kept file is analysed again, and if the register
    changed since so that any row would fare differently, nothing is written (ImportConflict)
    and the user previews again."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().select_related("station").get(pk=batch.pk)
        if locked.applied_at is not None or locked.status != ImportBatch.Status.PREVIEWED:
            raise AlreadyImported
        outcomes = enterprise_batch_check(locked, actor)
        count = _apply(outcomes, locked.station, actor)
        now = clock.now()
        transition(locked, "import_direct", actor, applied_at=now, finished_at=now, imported=count)
        enterprise_batch_audit(locked, actor, count)
    return count


def enterprise_batch_check(batch: ImportBatch, actor: User) -> list[EnterpriseRow]:
    """The kept file analysed again: its rows if the user may still import for the station and
    every row fares as previewed, else ImportPermissionError or ImportConflict."""
    import_station_check(user=actor, station=batch.station, what="企业名册")
    outcomes = batch_outcomes(batch)
    if outcomes_digest(outcomes) != batch.preview_digest:
        raise ImportConflict(
            "预检之后，企业名册或基础数据有了变化，导入结果会与预检不同。请重新上传预检。"
        )
    return outcomes


def enterprise_batch_audit(batch: ImportBatch, actor: User, count: int) -> None:
    audit_record(
        actor=actor,
        action="import",
        obj=batch,
        context={"kind": batch.kind, "station": batch.station_id, "changed": count},
    )
