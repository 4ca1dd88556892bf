"""The ledger import's confirm: the accepted rows of a reviewed file imported in one transaction,
under the station's counter locks, each need entering the workflow with its "import" event. A big
file is imported by the queue in chunks instead (import_jobs.py), with the same LedgerWriter."""

import datetime

from django.db import transaction

from hqzt.accounts.models import User
from hqzt.audit.statemachine import transition
from hqzt.core import clock
from hqzt.core.retention import retention_date
from hqzt.documents.import_errors import AlreadyImported
from hqzt.documents.ledger_choices import ImportChoices
from hqzt.documents.ledger_import import Analysis, RowOutcome, batch_analysis
from hqzt.documents.ledger_numbering import sheet_for_row
from hqzt.documents.models import ImportBatch
from hqzt.enterprises.services import enterprise_for_claim
from hqzt.needs import deadlines
from hqzt.needs.models import Channel, Need, NeedTypeAlias, Scope, Source, TrackingSheet
from hqzt.needs.numbering import counter_lock, parse_tracking_number
from hqzt.needs.states import Status, entry_for
from hqzt.needs.workflow import record_event
from hqzt.stations.models import Station


class LedgerWriter:
    """Writes accepted rows of one file: what every row needs is looked up once. Used by the
    one-transaction import and, chunk by chunk, by the queued job (import_jobs.py)."""

    def __init__(
        self,
        *,
        station: Station,
        actor: User,
        archive: bool,
        file_name: str,
        reserved: set[tuple[int, int]],
    ) -> None:
        self.station, self.actor, self.archive, self.file_name = station, actor, archive, file_name
        self.reserved = reserved
        self.members = {
            m.user.full_name: m.user
            for m in station.members.select_related("user").filter(is_active=True)
        }
        self.channel = Channel.objects.filter(code="other").first()
        self.sheets: dict[tuple[str, str, datetime.date], TrackingSheet] = {}
        self.now = clock.now()

    def write(self, outcome: RowOutcome) -> Need:
        """Import one accepted row; the caller holds the transaction."""
        values, station, archive = outcome.values, self.station, self.archive
        # A ledger row is an unverified claim: it never widens what the station sees (ADR 0006).
        enterprise = enterprise_for_claim(station=station, name=values["enterprise"])
        group = (values["tracking_number"], values["enterprise"], values["registered_on"])
        if values["tracking_number"]:
            group = (values["tracking_number"], "", datetime.date.min)
        sheet = self.sheets.get(group) or sheet_for_row(
            values, outcome.row, station, enterprise, self.reserved
        )
        self.sheets[group] = sheet
        first = self.members.get(values["first_contact"])
        need = Need(
            sheet=sheet,
            row_number=(sheet.needs.count() + 1),
            station=station,
            enterprise=enterprise,
            registered_on=values["registered_on"],
            contact_name=values["contact_name"],
            contact_phone=values["contact_phone"],
            need_type=values["need_type"],
            content=values["content"],
            first_contact=first,
            recorded_first_contact="" if first else values["first_contact"],
            source=Source.INBOUND,
            channel=self.channel,
            status=entry_for("import", Status.ARCHIVED if archive else Status.REGISTERED).target,
            import_key=values["import_key"],
        )
        if values["department"]:
            need.scope, need.department = Scope.OTHER_DEPARTMENT, values["department"]
        if archive:
            # Archived here and now: kept at least three years from today (§6.6.4), like any
            # need archived through the workflow.
            need.archive_category, need.archived_at = values["need_type"], self.now
            need.retention_until = retention_date(clock.today())
        else:
            deadlines.start_clock(need, start=clock.today())
            deadlines.apply_stage_deadline(need)
        need.save()
        record_event(
            need=need,
            actor=self.actor,
            action="import",
            from_status="",
            note=f"从台账文件导入：{self.file_name}，第 {outcome.row} 行",
            data={"file": self.file_name, "row": outcome.row, "fixes": outcome.warnings},
        )
        if values["alias"]:
            NeedTypeAlias.objects.get_or_create(
                alias=values["type_text"][: NeedTypeAlias._meta.get_field("alias").max_length],
                defaults={"need_type": values["need_type"]},
            )
        return need


@transaction.atomic
def ledger_import_apply(
    *, analysis: Analysis, station: Station, actor: User, archive: bool, file_name: str
) -> int:
    """Import every accepted row, or nothing if any of them fails.

    The station's counters of the years involved are locked first (in year order, so two imports
    cannot deadlock): a live registration at the station waits, and the numbers are checked
    again under the lock, so an import racing registrations yields no duplicate and no gap.
    """
    years = set()
    for outcome in analysis.accepted:
        parsed = parse_tracking_number(outcome.values["tracking_number"])
        years.add(parsed[0] if parsed else outcome.values["registered_on"].year)
    for year in sorted(years):
        counter_lock(station.pk, year)
    # Every number the file gives is reserved: a row without one, numbered in file order, must
    # not take a number a later row gives, or the confirm refuses what the dry run passed, on
    # every try (probe L1).
    reserved = {
        parsed
        for outcome in analysis.accepted
        if (parsed := parse_tracking_number(outcome.values["tracking_number"]))
    }
    writer = LedgerWriter(
        station=station, actor=actor, archive=archive, file_name=file_name, reserved=reserved
    )
    for outcome in analysis.accepted:
        writer.write(outcome)
    return len(analysis.accepted)


def import_batch_confirm(
    *, batch: ImportBatch, actor: User, choices: ImportChoices | None = None
) -> int:
    """Import a reviewed batch once: the batch row is locked, so two simultaneous confirms
    import it once and the second is told it is done (AlreadyImported), never a 500. The file is
    analysed again inside the lock, so the confirm applies exactly the dry run's rules to the
    data as it is now."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().select_related("station").get(pk=batch.pk)
        if locked.applied_at is not None or locked.status != ImportBatch.Status.PREVIEWED:
            raise AlreadyImported
        count = ledger_import_apply(
            analysis=batch_analysis(locked, choices),
            station=locked.station,
            actor=actor,
            archive=locked.archive,
            file_name=locked.original_name,
        )
        now = clock.now()
        transition(locked, "import_direct", actor, applied_at=now, finished_at=now, imported=count)
    return count
