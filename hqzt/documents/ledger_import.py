"""Importing the Appendix B ledgers stations keep in spreadsheets today (R-6.2).

`analyse` reads the file and decides each row's fate without writing anything (the dry run);
`ledger_import_apply` imports the accepted rows in one transaction. A row's import key (station,
date, enterprise, need, tracking number) makes a second import of the same file add nothing.
"""

import copy
import csv
import datetime
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import load_workbook

from hqzt.accounts.models import User
from hqzt.core import clock
from hqzt.core.phones import phone_clean
from hqzt.documents.models import ImportBatch
from hqzt.enterprises.forms import EnterpriseForm
from hqzt.enterprises.models import Enterprise
from hqzt.enterprises.services import enterprise_for_claim
from hqzt.needs import deadlines
from hqzt.needs.forms import NeedItemForm, RegisterForm
from hqzt.needs.models import Channel, Need, NeedType, NeedTypeAlias, Source, TrackingSheet
from hqzt.needs.numbering import (
    counter_lock,
    counter_move_past,
    imported_number_check,
    next_serial,
    parse_tracking_number,
    tracking_number,
)
from hqzt.needs.states import Status
from hqzt.needs.workflow import record_event
from hqzt.records.retention import retention_date
from hqzt.stations.models import Station

HEADER_SEARCH_ROWS = 10
MAX_ROWS = 20_000
# Header texts as stations write them → our field. Matching ignores spaces and punctuation.
HEADERS = {
    "序号": "index",
    "日期": "date",
    "登记日期": "date",
    "企业名称": "enterprise",
    "企业联系人": "contact_name",
    "联系人": "contact_name",
    "联系电话": "contact_phone",
    "电话": "contact_phone",
    "企业需求类型": "need_type",
    "需求类型": "need_type",
    "企业需求": "content",
    "需求内容": "content",
    "首位工作人员": "first_contact",
    "跟踪单号": "tracking_number",
}
REQUIRED = {"date", "enterprise", "need_type", "content"}
FOOTER = re.compile(r"^(合计|总计|小计|共计|制表|填表|审核|负责人|备注[:：])")
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
EXCEL_EPOCH = datetime.date(1899, 12, 30)


class ImportFileError(Exception):
    """The file as a whole cannot be read; str(exc) is shown to the user."""


@dataclass
class RowOutcome:
    row: int
    status: str  # ok / duplicate / skipped / rejected
    reason: str = ""
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return {"ok": "可导入", "duplicate": "已导入过", "skipped": "跳过", "rejected": "有误"}[
            self.status
        ]


@dataclass
class Analysis:
    rows: list[RowOutcome]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("ok", "duplicate", "rejected", "skipped"), 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def accepted(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.status == "ok"]


def _cell(value: Any) -> str:
    """A cell as the station wrote it: free text is never NFKC-normalised (a "，" stays)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _text(value: Any) -> str:
    """A cell read as a key, number or date: full-width digits and letters made plain."""
    return unicodedata.normalize("NFKC", _cell(value)).strip()


def _key(text: str) -> str:
    return re.sub(r"[\s:：*（）()]", "", _text(text))


# Characters a form would never let through and that can make a name read differently from what
# it is: C0/C1 controls (NUL included), bidirectional overrides and isolates, zero-width ones.
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


class LedgerRowForm(forms.Form):
    """A ledger row's text, checked by the very fields of the forms that register the same data
    (the enterprise register, the registration form, a need item), so that the dry run accepts
    exactly what the forms accept and the confirm never meets a length the database refuses
    (issue 13 item 6). Columns a paper ledger may leave blank are optional here."""

    enterprise = copy.deepcopy(EnterpriseForm.base_fields["name"])
    contact_name = copy.deepcopy(RegisterForm.base_fields["contact_name"])
    content = copy.deepcopy(NeedItemForm.base_fields["content"])
    first_contact = forms.CharField(
        label="首位工作人员",
        max_length=Need._meta.get_field("recorded_first_contact").max_length,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("contact_name", "first_contact"):
            self.fields[name].required = False
        self.fields["enterprise"].label = "企业名称"

    def clean_enterprise(self) -> str:
        # The enterprise form's own rule: whitespace collapsed, at least two characters.
        name = " ".join(self.cleaned_data["enterprise"].split())
        if len(name) < 2:
            raise forms.ValidationError("企业名称至少2个字。")
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, value in self.data.items():
            if _INVISIBLE.search(value):
                found = sorted({f"U+{ord(c):04X}" for c in _INVISIBLE.findall(value)})
                self.add_error(
                    name, f"含有不可见的控制字符（{'、'.join(found)}），请删除后再导入。"
                )
        return data

    def problems(self) -> list[str]:
        return [
            f"{self.fields[name].label}：{message.rstrip('。')}"
            for name, messages in self.errors.items()
            for message in dict.fromkeys(messages)
        ]


def parse_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and 20000 < value < 80000:
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    text = _text(value).replace(" ", "")
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                raise ValueError(f"日期「{text}」不存在") from None
    raise ValueError(
        f"无法识别的日期「{text}」（可写作 2025-01-08、2025/1/8、2025.01.08 或 2025年1月8日）"
    )


def read_rows(upload: BinaryIO, name: str) -> list[tuple[int, list[Any]]]:
    """(spreadsheet row number, cell values) for .xlsx and .csv (UTF-8 or GB18030)."""
    data = upload.read()
    if name.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError("无法识别 CSV 文件的编码，请另存为 UTF-8 或 Excel 格式。")
        rows = list(csv.reader(io.StringIO(text)))
        return list(enumerate(rows, start=1))[: MAX_ROWS + HEADER_SEARCH_ROWS]
    if name.lower().endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            raise ImportFileError("无法读取该 Excel 文件，请确认是 .xlsx 格式且未加密。") from exc
        sheet = workbook.worksheets[0]
        rows = [
            (i, list(values))
            for i, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            if i <= MAX_ROWS + HEADER_SEARCH_ROWS
        ]
        workbook.close()
        return rows
    raise ImportFileError("只支持 .xlsx 和 .csv 文件。")


def _header(rows: list[tuple[int, list[Any]]]) -> tuple[int, dict[str, int]]:
    for position, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = {}
        for col, cell in enumerate(cells):
            target = HEADERS.get(_key(cell))
            if target and target not in columns:
                columns[target] = col
        if set(columns) >= REQUIRED:
            return position, columns
    raise ImportFileError(
        "前10行中没有找到附录B的表头（至少需要：日期、企业名称、企业需求类型、企业需求）。"
    )


def _need_types() -> dict[str, NeedType]:
    lookup = {_key(t.name): t for t in NeedType.objects.all()}
    lookup |= {
        _key(a.alias): a.need_type for a in NeedTypeAlias.objects.select_related("need_type")
    }
    return lookup


def import_key(station: Station, values: dict[str, Any]) -> str:
    # Normalised inside the hash only, so files imported before free text was kept as written
    # still match their rows.
    raw = "|".join(
        [
            str(station.pk),
            values["registered_on"].isoformat(),
            unicodedata.normalize("NFKC", values["enterprise"]),
            unicodedata.normalize("NFKC", values["content"]),
            values["tracking_number"],
        ]
    )
    return hashlib.sha256(raw.encode()).hexdigest()


class RowProblems(ValueError):
    """Everything wrong with a row, each problem on its own (issue 13 item 6)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


def _parse(cells: list[Any], columns: dict[str, int], types: dict[str, NeedType]) -> dict[str, Any]:
    def get(name: str) -> Any:
        col = columns.get(name)
        return cells[col] if col is not None and col < len(cells) else None

    problems: list[str] = []
    text = LedgerRowForm(
        {
            name: _cell(get(name)).lstrip("'")
            for name in ("enterprise", "contact_name", "content", "first_contact")
        }
    )
    if not text.is_valid():
        problems += text.problems()
    registered_on = None
    try:
        registered_on = parse_date(get("date"))
        if registered_on > clock.today():
            problems.append(f"日期 {registered_on} 晚于今天")
    except ValueError as exc:
        problems.append(str(exc))
    type_text = _text(get("need_type"))
    need_type = types.get(_key(type_text))
    if need_type is None:
        problems.append(f"未知的需求类型「{type_text}」（可在系统管理中添加别名）")
    phone_text = _text(get("contact_phone")).lstrip("'")
    phone = ""
    try:
        phone = phone_clean(phone_text) if phone_text else ""
    except ValidationError:
        problems.append(f"联系电话「{phone_text}」不是有效号码（手机11位，固话需带区号）")
    number = re.sub(r"\s", "", _text(get("tracking_number"))).lstrip("'")
    if number and registered_on is not None:
        try:
            imported_number_check(number, registered_on)
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise RowProblems(problems)
    return {
        "registered_on": registered_on,
        "enterprise": text.cleaned_data["enterprise"],
        "contact_name": text.cleaned_data["contact_name"],
        "contact_phone": phone,
        "need_type": need_type,
        "content": text.cleaned_data["content"],
        "first_contact": text.cleaned_data["first_contact"],
        "tracking_number": number,
    }


def analyse(upload: BinaryIO, name: str, station: Station) -> Analysis:
    """The dry run: every row's outcome with its row number and, if refused, why."""
    rows = read_rows(upload, name)
    position, columns = _header(rows)
    types = _need_types()
    outcomes: list[RowOutcome] = []
    seen: set[str] = set()
    sheet_owner: dict[str, str] = {}
    for row_number, cells in rows[position + 1 :]:
        texts = [_text(c) for c in cells]
        if not any(texts):
            continue
        if any(FOOTER.match(t) for t in texts if t):
            outcomes.append(RowOutcome(row_number, "skipped", "合计/说明行"))
            continue
        try:
            values = _parse(cells, columns, types)
        except ValueError as exc:
            outcomes.append(RowOutcome(row_number, "rejected", str(exc)))
            continue
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
            existing = _station_sheet(station, number)
            if existing and existing.enterprise.name != values["enterprise"]:
                outcomes.append(RowOutcome(row_number, "rejected", _taken(number)))
                continue
        key = import_key(station, values)
        if key in seen or Need.objects.filter(import_key=key).exists():
            outcomes.append(RowOutcome(row_number, "duplicate", "与已导入的记录相同", values))
            continue
        seen.add(key)
        values["import_key"] = key
        outcomes.append(RowOutcome(row_number, "ok", values=values))
    return Analysis(outcomes)


class ImportConflict(Exception):
    """Between the dry run and the confirm the station used a number of the file for another
    enterprise; nothing is imported. str(exc) is shown to the user."""


def _taken(number: str) -> str:
    return f"跟踪单号 {number} 在本站已用于另一家企业"


def _station_sheet(station: Station, number: str) -> TrackingSheet | None:
    return (
        TrackingSheet.objects.filter(station=station, tracking_number=number)
        .select_related("enterprise")
        .first()
    )


def _sheet(
    values: dict[str, Any], row: int, station: Station, enterprise: Enterprise
) -> TrackingSheet:
    number = values["tracking_number"]
    if number:
        year, serial = parse_tracking_number(number)
        sheet = _station_sheet(station, number)
        if sheet is not None and sheet.enterprise_id != enterprise.pk:
            raise ImportConflict(f"第 {row} 行：{_taken(number)}，请重新预检后再导入。")
        if sheet is None:
            counter_move_past(station.pk, year, serial)
            sheet = TrackingSheet.objects.create(
                tracking_number=number,
                year=year,
                serial=serial,
                station=station,
                enterprise=enterprise,
            )
        return sheet
    year = values["registered_on"].year
    serial = next_serial(station.pk, year)
    return TrackingSheet.objects.create(
        tracking_number=tracking_number(year, serial),
        year=year,
        serial=serial,
        station=station,
        enterprise=enterprise,
    )


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
    members = {
        m.user.full_name: m.user
        for m in station.members.select_related("user").filter(is_active=True)
    }
    channel = Channel.objects.filter(code="other").first()
    sheets: dict[tuple[str, str, datetime.date], TrackingSheet] = {}
    now = clock.now()
    for outcome in analysis.accepted:
        values = outcome.values
        # A ledger row is an unverified claim: it never widens what the station sees (ADR 0006).
        enterprise = enterprise_for_claim(station=station, name=values["enterprise"])
        group = (values["tracking_number"], values["enterprise"], values["registered_on"])
        if values["tracking_number"]:
            group = (values["tracking_number"], "", datetime.date.min)
        sheet = sheets.get(group) or _sheet(values, outcome.row, station, enterprise)
        sheets[group] = sheet
        first = members.get(values["first_contact"])
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
            channel=channel,
            status=Status.ARCHIVED if archive else Status.REGISTERED,
            import_key=values["import_key"],
        )
        if archive:
            # Archived here and now: kept at least three years from today (§6.6.4), like any
            # need archived through the workflow.
            need.archive_category, need.archived_at = values["need_type"], now
            need.retention_until = retention_date(clock.today())
        else:
            deadlines.start_clock(need, start=clock.today())
            deadlines.apply_stage_deadline(need)
        need.save()
        record_event(
            need=need,
            actor=actor,
            action="import",
            from_status="",
            note=f"从台账文件导入：{file_name}",
        )
    return len(analysis.accepted)


class AlreadyImported(Exception):
    """The batch was imported already (a second click, a second tab, a retried request)."""


def batch_analysis(batch: ImportBatch) -> Analysis:
    with batch.file.open("rb") as handle:
        return analyse(io.BytesIO(handle.read()), batch.original_name, batch.station)


def import_batch_confirm(*, batch: ImportBatch, actor: User) -> int:
    """Import a reviewed batch once: the batch row is locked, so two simultaneous confirms
    import it once and the second is told it is done (AlreadyImported), never a 500. The file is
    analysed again inside the lock, so the confirm applies exactly the dry run's rules to the
    data as it is now."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().select_related("station").get(pk=batch.pk)
        if locked.applied_at is not None:
            raise AlreadyImported
        count = ledger_import_apply(
            analysis=batch_analysis(locked),
            station=locked.station,
            actor=actor,
            archive=locked.archive,
            file_name=locked.original_name,
        )
        locked.applied_at, locked.imported = clock.now(), count
        locked.save(update_fields=["applied_at", "imported"])
    return count
