"""Big imports run by the queue, committed in chunks (outside probe L2).

Confirming 5,000 ledger rows took 211 s in one request: past gunicorn's timeout, and on SQLite the
write lock was held throughout, so other users got "database is locked". Now a confirm whose dry run
had more than DIRECT_IMPORT_ROWS rows to write only queues the batch (its request does not even read
the file). The job's first step does what the confirm did before writing anything: the whole file
analysed again (validate-all, the same Chinese refusals; for the register, the preview must still
hold), the rows to write recorded on the batch (`plan`) with those refused and why. Then it writes
them CHUNK_ROWS per transaction, each chunk recording how many rows are done on the batch in the
same transaction; the write lock is released, with a short pause, between chunks, so other
requests proceed.

A run that stops half-way (an error huey retries, a worker killed: `imports_resume` queues again a
job whose progress has not moved for IMPORT_STALL_MINUTES) resumes after the last committed
chunk, so no row is written twice; a chunk that finds the count moved (two runs of one job) writes
nothing and that run stops.

Ledger numbers: the first step, under the station's counter locks, numbers every new tracking sheet
exactly as the one-transaction import would (ledger_commit.py) and moves the counters past those
numbers, so a registration made between chunks neither takes a number the file still needs nor
collides with it.
"""

import datetime
import time
from typing import Any

from django.db import transaction
from django.urls import reverse

from hqzt.accounts.models import User
from hqzt.audit.statemachine import transition
from hqzt.core import clock
from hqzt.documents.enterprise_commit import (
    enterprise_batch_audit,
    enterprise_batch_check,
    reference_data,
    row_apply,
)
from hqzt.documents.enterprise_import import WRITTEN, EnterpriseRow, batch_outcomes
from hqzt.documents.import_access import import_station_check
from hqzt.documents.import_errors import (
    AlreadyImported,
    ImportConflict,
    ImportFileError,
    ImportPermissionError,
)
from hqzt.documents.ledger_choices import ImportChoices, choices_dump, choices_load
from hqzt.documents.ledger_commit import LedgerWriter
from hqzt.documents.ledger_import import (
    DUPLICATE_REASON,
    STATUS_LABELS,
    RowOutcome,
    batch_analysis,
)
from hqzt.documents.ledger_numbering import number_taken, station_sheet
from hqzt.documents.models import ImportBatch
from hqzt.needs.models import Need
from hqzt.needs.numbering import (
    counter_lock,
    counter_move_past,
    next_serial,
    parse_tracking_number,
    tracking_number,
)
from hqzt.notifications.services import notify_users

DIRECT_IMPORT_ROWS = 200  # a confirm writing more rows than this runs as a queued job
CHUNK_ROWS = 50  # rows per transaction: a second or two of SQLite's write lock
# SQLite's lock is not fair: a writer waiting for it polls every few ms up to 100 ms, and a job
# taking it again right after its commit starved other users' requests until their timeout
# ("database is locked", measured). The pause between chunks lets them in.
CHUNK_PAUSE_SECONDS = 0.25
IMPORT_STALL_MINUTES = 10  # a job whose progress has not moved this long is queued again
STOPPED = (ImportConflict, ImportFileError, ImportPermissionError)  # the job fails, told why
B = ImportBatch.Status


class Superseded(Exception):
    """Another run of the same job has moved on: this run writes nothing more."""


def _not_written(row: int, label: str, reason: str) -> dict[str, Any]:
    return {"row": row, "label": label, "reason": reason}


def is_job(batch: ImportBatch) -> bool:
    """The batch was confirmed as a queued job (its page shows progress and result)."""
    return batch.queued


def _unconfirmed(batch: ImportBatch) -> None:
    if batch.status != B.PREVIEWED or batch.applied_at is not None:
        raise AlreadyImported


def ledger_job_queue(
    *, batch: ImportBatch, actor: User, choices: ImportChoices | None = None
) -> bool:
    """Queue the confirm of a ledger whose dry run had more than DIRECT_IMPORT_ROWS rows to
    import (True; the caller starts the task on commit), with the user's dry-run choices. False:
    small enough to import at once (ledger_commit.import_batch_confirm). A second confirm
    (double click, second tab) raises AlreadyImported: the batch leaves 待确认 once."""
    _unconfirmed(batch)
    if batch.rows_total <= DIRECT_IMPORT_ROWS:
        return False
    choices = choices_dump(choices or ImportChoices())
    transition(batch, "import_queue", actor, queued=True, choices=choices, progress_at=clock.now())
    return True


def enterprise_job_queue(*, batch: ImportBatch, actor: User) -> bool:
    """As ledger_job_queue for the enterprise register; the user must still be able to import
    for the station (ImportPermissionError), the job checks the preview."""
    _unconfirmed(batch)
    if batch.rows_total <= DIRECT_IMPORT_ROWS:
        return False
    import_station_check(user=actor, station=batch.station, what="企业名册")
    transition(batch, "import_queue", actor, queued=True, progress_at=clock.now())
    return True


def _planned(batch: ImportBatch, rows: list[int], refused: list[dict], **plan) -> ImportBatch:
    """The job's first step, in the caller's transaction: the rows to write and those refused."""
    batch.plan = {**batch.plan, "rows": rows, **plan}
    batch.rows_total, batch.rows_done, batch.refused = len(rows), 0, refused
    batch.progress_at = clock.now()
    batch.save(update_fields=["plan", "rows_total", "rows_done", "refused", "progress_at"])
    return batch


# --- The job ------------------------------------------------------------------------------------


def _locked(batch: ImportBatch) -> ImportBatch:
    """The batch locked for a step of this run, or Superseded if another run moved it on (wrote
    a chunk, or planned the job meanwhile)."""
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    moved = locked.rows_done != batch.rows_done or ("rows" in locked.plan) != ("rows" in batch.plan)
    if locked.status != B.RUNNING or moved:
        raise Superseded
    return locked


def _group(values: dict[str, Any]) -> str:
    """The sheet a row without a number shares with rows of the same enterprise and date."""
    return f"{values['enterprise']}\x1f{values['registered_on']:%Y-%m-%d}"


class LedgerRun:
    def __init__(self, batch: ImportBatch) -> None:
        self.batch = batch
        self.analysis = batch_analysis(batch, choices_load(batch.choices))
        self.by_row: dict[int, RowOutcome] = {o.row: o for o in self.analysis.rows}
        # Every new sheet is numbered by the first step, so the writer reserves nothing.
        self.writer = LedgerWriter(
            station=batch.station,
            actor=batch.uploaded_by,
            archive=batch.archive,
            file_name=batch.original_name,
            reserved=set(),
        )

    def start(self) -> None:
        """Plan the run once, as the confirm did: the rows the analysis accepts now, those it
        refuses and why; and number the file's new sheets as ledger_import_apply would, under
        the counter locks: a number the file gives moves the counter past it, a row without one
        takes the next serial that no row of the file gives."""
        if "rows" in self.batch.plan:
            return
        station = self.batch.station
        with transaction.atomic():
            locked = _locked(self.batch)
            accepted = [o for o in self.analysis.rows if o.status == "ok"]
            refused = [
                _not_written(o.row, o.label, o.reason)
                for o in self.analysis.rows
                if o.status != "ok"
            ]
            given = {
                o.row: parsed
                for o in accepted
                if (parsed := parse_tracking_number(o.values["tracking_number"]))
            }
            years = {o.values["registered_on"].year for o in accepted if o.row not in given}
            for year in sorted(years | {year for year, _ in given.values()}):
                counter_lock(station.pk, year)
            reserved = set(given.values())
            numbers: dict[str, str] = {}
            for outcome in accepted:
                values = outcome.values
                if outcome.row in given:
                    number = values["tracking_number"]
                    sheet = station_sheet(station, number)
                    if sheet is not None and sheet.enterprise.name != values["enterprise"]:
                        raise ImportConflict(
                            f"第 {outcome.row} 行：{number_taken(number)}，请重新预检后再导入。"
                        )
                    if sheet is None:
                        counter_move_past(station.pk, *given[outcome.row])
                elif (group := _group(values)) not in numbers:
                    year = values["registered_on"].year
                    serial = next_serial(station.pk, year)
                    while (year, serial) in reserved:
                        serial = next_serial(station.pk, year)
                    numbers[group] = tracking_number(year, serial)
            rows = [o.row for o in accepted]
            self.batch = _planned(locked, rows, refused, numbers=numbers)

    def write(self, row: int) -> dict[str, Any] | None:
        """Import one planned row; what it became instead if it is no longer importable."""
        outcome = self.by_row.get(row)
        if outcome is None or outcome.status != "ok":
            reason = outcome.reason if outcome else "预检之后文件或数据有变化"
            return _not_written(row, outcome.label if outcome else "有误", reason)
        if not outcome.values["tracking_number"]:
            outcome.values["tracking_number"] = self.batch.plan["numbers"][_group(outcome.values)]
        if Need.objects.filter(import_key=outcome.values["import_key"]).exists():
            # Another batch of the same rows wrote this one after this job planned (probe
            # P3-I1): the same fate the dry run gives it, not a unique-key error and a retry.
            return _not_written(row, STATUS_LABELS["duplicate"], DUPLICATE_REASON)
        self.writer.write(outcome)
        return None

    def finish(self, batch: ImportBatch) -> None:
        pass


class EnterpriseRun:
    def __init__(self, batch: ImportBatch) -> None:
        self.batch = batch
        self.reference = reference_data()
        if "rows" not in batch.plan:
            # Nothing written yet: the file must still give exactly the preview.
            self.outcomes = enterprise_batch_check(batch, batch.uploaded_by)
        else:
            import_station_check(user=batch.uploaded_by, station=batch.station, what="企业名册")
            self.outcomes = batch_outcomes(batch)
        self.by_row: dict[int, EnterpriseRow] = {o.row: o for o in self.outcomes}

    def start(self) -> None:
        if "rows" in self.batch.plan:
            return
        rows = [o.row for o in self.outcomes if o.status in WRITTEN]
        refused = [
            _not_written(o.row, o.label, o.reason) for o in self.outcomes if o.status not in WRITTEN
        ]
        with transaction.atomic():
            self.batch = _planned(_locked(self.batch), rows, refused)

    def write(self, row: int) -> dict[str, Any] | None:
        """As LedgerRun.write; {} for a row found unchanged (neither counted nor refused)."""
        outcome = self.by_row.get(row)
        if outcome is not None and outcome.status in WRITTEN:
            row_apply(outcome, self.batch.station, self.batch.uploaded_by, self.reference)
        if outcome is None or outcome.status not in ("new", "update"):
            if outcome is not None and outcome.status == "same":
                return {}  # found unchanged: not an enterprise added or changed, not refused
            reason = outcome.reason if outcome else "预检之后文件或数据有变化"
            return _not_written(row, outcome.label if outcome else "有误", reason)
        return None

    def finish(self, batch: ImportBatch) -> None:
        enterprise_batch_audit(batch, batch.uploaded_by, batch.imported)


def _chunk(run: LedgerRun | EnterpriseRun, batch: ImportBatch) -> ImportBatch:
    """Write the next CHUNK_ROWS planned rows and record them done, in one transaction."""
    with transaction.atomic():
        locked = _locked(batch)
        rows = locked.plan["rows"][locked.rows_done : locked.rows_done + CHUNK_ROWS]
        refused = []
        for row in rows:
            result = run.write(row)
            if result is None:
                locked.imported += 1
            elif result:
                refused.append(result)
        locked.rows_done += len(rows)
        locked.refused = [*locked.refused, *refused]
        locked.progress_at = clock.now()
        locked.save(update_fields=["rows_done", "imported", "refused", "progress_at"])
    return locked


def import_job_run(batch_id: int) -> None:
    """Run (or resume) a queued import to its end. An unexpected error leaves the job running
    with its committed chunks; the task's retry or imports_resume goes on from there."""
    batch = ImportBatch.objects.select_related("station", "uploaded_by").get(pk=batch_id)
    if batch.status == B.QUEUED:
        try:
            batch = transition(batch, "import_start", None, progress_at=clock.now())
        except AlreadyImported:
            return  # another delivery of the task started it a moment ago
    if batch.status != B.RUNNING:
        return  # done or failed already: a second delivery of the task
    kind = ImportBatch.Kind
    try:
        run = LedgerRun(batch) if batch.kind == kind.LEDGER else EnterpriseRun(batch)
        run.start()
        batch = run.batch
        while batch.rows_done < batch.rows_total:
            batch = _chunk(run, batch)
            run.batch = batch
            time.sleep(CHUNK_PAUSE_SECONDS)
    except Superseded:
        return
    except STOPPED as exc:
        import_job_fail(batch.pk, str(exc))
        return
    now = clock.now()
    with transaction.atomic():
        batch = transition(batch, "import_done", None, applied_at=now, finished_at=now)
        run.finish(batch)
    _notify(batch)


def import_job_fail(batch_id: int, reason: str) -> None:
    """End a job that cannot go on; its committed chunks stay, the user is told how many."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status not in (B.QUEUED, B.RUNNING):
        return
    batch = transition(batch, "import_fail", None, error=reason, finished_at=clock.now())
    _notify(batch)


def _notify(batch: ImportBatch) -> None:
    what = "台账" if batch.kind == ImportBatch.Kind.LEDGER else "企业名册"
    if batch.status == B.DONE:
        title = f"{what}导入已完成（{batch.original_name}），请查看结果"
    else:
        title = f"{what}导入未完成（{batch.original_name}），请查看原因"
    url = reverse("documents:import_job", args=[batch.pk])
    notify_users([batch.uploaded_by], kind="import", title=title, url=url)


def imports_stalled(now: datetime.datetime | None = None) -> list[int]:
    """Jobs queued or running whose progress has not moved for IMPORT_STALL_MINUTES: their run
    died with its worker (kill -9, a restart); they are queued again and resume."""
    cutoff = (now or clock.now()) - datetime.timedelta(minutes=IMPORT_STALL_MINUTES)
    return list(
        ImportBatch.objects.filter(status__in=[B.QUEUED, B.RUNNING], progress_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
