"""Importing the Appendix B ledgers stations keep in spreadsheets today (R-6.2).

`analyse` reads the file and decides each row's fate without writing anything (the dry run);
ledger_commit.py imports the accepted rows in one transaction. A row's import key (station, date,
enterprise, need, tracking number) makes a second import of the same file add nothing.
"""

import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.core.files import File

from hqzt.accounts.models import User
from hqzt.documents.import_access import import_station_check
from hqzt.documents.ledger_choices import ImportChoices, choices_apply
from hqzt.documents.ledger_numbering import number_taken, station_sheet
from hqzt.documents.ledger_rows import import_key, ledger_sheet, row_parse
from hqzt.documents.ledger_types import need_types
from hqzt.documents.models import ImportBatch
from hqzt.documents.spreadsheet import footer_row, plain_text, read_sheets
from hqzt.intake.services import city_id_of
from hqzt.needs.models import Need
from hqzt.stations.models import Station

DUPLICATE_REASON = "与已导入的记录相同"
# A row's fate: imported, already imported before, repeated inside the file, refused, skipped.
STATUS_LABELS = {
    "ok": "可导入",
    "duplicate": "已导入过",
    "repeat": "文件内重复",
    "rejected": "有误",
    "skipped": "跳过",
}


@dataclass
class RowOutcome:
    row: int
    status: str  # a key of STATUS_LABELS
    reason: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    # What was fixed the way a person would fix it, shown on the row (issue 14 item 3).
    warnings: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class Analysis:
    rows: list[RowOutcome]
    sheet: str = ""  # the worksheet read
    notes: list[str] = field(default_factory=list)  # about the file as a whole

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUS_LABELS, 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def accepted(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.status == "ok"]


def analyse(
    upload: BinaryIO, name: str, station: Station, choices: ImportChoices | None = None
) -> Analysis:
    """The dry run: every row's outcome with its row number and, if refused, why; with the
    user's `choices` applied, exactly what the confirm imports."""
    choices = choices or ImportChoices()
    sheet, rows, position, columns, notes = ledger_sheet(read_sheets(upload, name))
    types = need_types()
    # A ledger names enterprises without credit codes: two the station serves under one name
    # cannot be told apart, and the row says which one it goes to (the earliest registered).
    namesakes = Counter(station.enterprises.values_list("name", flat=True))
    city_id = city_id_of(station.superior_unit.path)
    outcomes: list[RowOutcome] = []
    seen: dict[str, int] = {}  # import key → first row
    copies: dict[str, int] = {}  # import key → rows with it so far
    cells_of: dict[int, list[str]] = {}
    sheet_owner: dict[str, tuple[int, str]] = {}
    for row_number, cells in rows[position + 1 :]:
        if cells is None:
            outcomes.append(RowOutcome(row_number, "skipped", "工作表中隐藏的行"))
            continue
        texts = [plain_text(c) for c in cells]
        if not any(texts):
            continue
        if footer_row(texts):
            outcomes.append(RowOutcome(row_number, "skipped", "合计/说明行"))
            continue
        try:
            values = row_parse(cells, columns, types, city_id)
        except ValueError as exc:
            outcomes.append(RowOutcome(row_number, "rejected", str(exc)))
            continue
        # Compared without the 序号 column, which numbers even a copied row anew.
        cells_of[row_number] = [
            plain_text(c) for i, c in enumerate(cells) if i != columns.get("index")
        ]
        choices_apply(values, row_number, choices)
        if (count := namesakes[values["enterprise"]]) > 1:
            values["warnings"].append(
                f"本站服务的企业中有 {count} 家名为「{values['enterprise']}」，台账没有信用代码"
                "可以区分，按其中最早登记的一家导入"
            )
        number = values["tracking_number"]
        if number:
            # Only this station's numbers matter: another station's 20250001 is its own.
            owner_row, owner = sheet_owner.setdefault(number, (row_number, values["enterprise"]))
            if owner != values["enterprise"]:
                outcomes.append(
                    RowOutcome(
                        row_number,
                        "rejected",
                        f"跟踪单号 {number} 在第 {owner_row} 行属于「{owner}」，"
                        "同一跟踪单只能有一家企业",
                    )
                )
                continue
            existing = station_sheet(station, number)
            if existing and existing.enterprise.name != values["enterprise"]:
                outcomes.append(RowOutcome(row_number, "rejected", number_taken(number)))
                continue
        key = import_key(station, values)
        copies[key] = copies.get(key, 0) + 1
        first = seen.setdefault(key, row_number)
        warnings = values.pop("warnings")
        if first != row_number:
            same = (
                "完全相同" if cells_of[first] == cells_of[row_number] else "的日期、企业、需求相同"
            )
            if row_number not in choices.keep:
                outcomes.append(
                    RowOutcome(row_number, "repeat", f"与第 {first} 行{same}，只导入一次", values)
                )
                continue
            # Kept on purpose: the n-th copy has a key of its own, so a re-import still matches.
            key = hashlib.sha256(f"{key}#{copies[key]}".encode()).hexdigest()
            warnings = [*warnings, f"与第 {first} 行{same}，按您的选择保留"]
        if Need.objects.filter(import_key=key).exists():
            outcomes.append(RowOutcome(row_number, "duplicate", DUPLICATE_REASON, values))
            continue
        values["import_key"] = key
        outcomes.append(RowOutcome(row_number, "ok", values=values, warnings=warnings))
    return Analysis(outcomes, sheet=sheet, notes=notes)


def batch_analysis(batch: ImportBatch, choices: ImportChoices | None = None) -> Analysis:
    with batch.file.open("rb") as handle:
        return analyse(io.BytesIO(handle.read()), batch.original_name, batch.station, choices)


def import_batch_create(
    *, user: User, station: Station, upload: BinaryIO, name: str, archive: bool
) -> tuple[ImportBatch, Analysis]:
    """The dry run of an uploaded file, kept as a batch to confirm; nothing is imported yet."""
    import_station_check(user=user, station=station, what="台账")
    analysis = analyse(upload, name, station)
    upload.seek(0)
    batch = ImportBatch(
        uploaded_by=user,
        station=station,
        original_name=name[-200:],
        archive=archive,
        rows_total=len(analysis.accepted),  # a big confirm goes to the queue (import_jobs.py)
    )
    batch.file.save("upload", File(upload), save=False)
    batch.save()
    return batch, analysis
