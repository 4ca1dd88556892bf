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
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django import forms
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from hqzt.accounts.models import User
from hqzt.core import clock
from hqzt.core.files import zip_check
from hqzt.core.phones import phone_clean
from hqzt.core.text import INVISIBLE, control_problem, name_clean
from hqzt.documents.models import ImportBatch
from hqzt.enterprises.forms import EnterpriseForm
from hqzt.enterprises.models import Enterprise
from hqzt.enterprises.services import enterprise_for_claim
from hqzt.intake import labels
from hqzt.intake.model import Suggestion
from hqzt.intake.services import city_id_of, suggest
from hqzt.needs import deadlines
from hqzt.needs.forms import NeedItemForm, RegisterForm
from hqzt.needs.models import (
    Channel,
    Need,
    NeedType,
    NeedTypeAlias,
    Scope,
    Source,
    TrackingSheet,
)
from hqzt.needs.numbering import (
    counter_lock,
    counter_move_past,
    imported_number_check,
    next_serial,
    parse_tracking_number,
    tracking_number,
)
from hqzt.needs.states import Status, entry_for
from hqzt.needs.workflow import record_event
from hqzt.org.models import Section
from hqzt.records.retention import retention_date
from hqzt.stations.models import Station
from hqzt.stations.selectors import stations_visible_to

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
LABELS = {target: header for header, target in reversed(HEADERS.items())}  # the first header
REQUIRED = {"date", "enterprise", "need_type", "content"}
FOOTER = re.compile(r"^(合计|总计|小计|共计|制表|填表|审核|负责人|备注[:：])")
# ASCII digits only: full-width ones are made ASCII before matching (NFKC), and digits of other
# scripts (Arabic-Indic, Devanagari …), which \d and int() would take, are not a date anybody wrote.
_DATE_PATTERNS = [
    re.compile(r"^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})$"),
    re.compile(r"^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})[日号]?$"),
    re.compile(r"^([0-9]{4})([0-9]{2})([0-9]{2})$"),
]
EXCEL_EPOCH = datetime.date(1899, 12, 30)


class ImportFileError(Exception):
    """The file as a whole cannot be read; str(exc) is shown to the user."""


class ImportPermissionError(Exception):
    """The user may not import for that station; str(exc) is shown."""


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
class ImportChoices:
    """What the user changed on the dry run before confirming: a row's type and department,
    repeated rows kept, fixed type names saved as aliases. Keys are spreadsheet row numbers."""

    types: dict[int, NeedType] = field(default_factory=dict)
    departments: dict[int, Section | None] = field(default_factory=dict)
    keep: set[int] = field(default_factory=set)
    aliases: set[int] = field(default_factory=set)


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


class Formula(str):
    """A formula cell the file holds no computed value for (a sheet written by a program and
    never saved by Excel): read as empty, and its row says that a formula was there."""


def formula_problems(
    cells: list[Any], columns: dict[str, int], labels: dict[str, str]
) -> list[str]:
    """A row's refusal for each column read holding a formula without a value."""
    return [
        f"{labels[name]}一栏是公式「{cells[col][:40]}」，文件中没有它的计算结果"
        "（请在 Excel 中打开并保存，或把公式粘贴为数值后再导入）"
        for name, col in columns.items()
        if col < len(cells) and isinstance(cells[col], Formula)
    ]


def _cell(value: Any) -> str:
    """A cell as the station wrote it: free text is never NFKC-normalised (a "，" stays)."""
    if value is None or isinstance(value, Formula):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _text(value: Any) -> str:
    """A cell read as a key, number or date: full-width digits and letters made plain."""
    return unicodedata.normalize("NFKC", _cell(value)).strip()


def _key(text: str) -> str:
    return re.sub(r"[\s:：*（）()]", "", _text(text))


# A cell holding a control character (core/text.py) refuses its row. Bidi and zero-width
# characters in names are taken out as every form does (core/text.py) and the row says so.


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
        # The enterprise form's own rule: cleaned as every name is, at least two characters.
        name = name_clean(self.cleaned_data["enterprise"])
        if len(name) < 2:
            raise forms.ValidationError("企业名称至少2个字。")
        return name

    def clean_contact_name(self) -> str:
        return name_clean(self.cleaned_data["contact_name"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, value in self.data.items():
            if problem := control_problem(value):
                self.add_error(name, f"{problem}。")
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
    text = _text(value).replace(" ", "").lstrip("'")
    if text.isascii() and text.isdigit() and len(text) == 5:  # an Excel serial sent as text
        return parse_date(int(text))
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


Rows = list[tuple[int, list[Any] | None]]  # (spreadsheet row number, cells; None: a hidden row)
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls format


def read_sheets(upload: BinaryIO, name: str) -> list[tuple[str, Rows]]:
    """Each visible sheet's rows, for .xlsx and .csv (UTF-8 or GB18030/GBK).

    A sheet is read as a person sees it: a merged cell's value stands in every cell it covers
    (a date or an enterprise merged over two needs), hidden columns are blank and hidden rows
    are marked, so that nothing invisible is imported.
    """
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
        return [("", list(enumerate(rows, start=1))[: MAX_ROWS + HEADER_SEARCH_ROWS])]
    if not name.lower().endswith(".xlsx"):
        raise ImportFileError("只支持 .xlsx 和 .csv 文件。")
    if data.startswith(OLE2):
        raise ImportFileError(
            "这是旧版 Excel（.xls）文件，只是扩展名写成了 .xlsx：请在 Excel 中“另存为”"
            "“Excel 工作簿（.xlsx）”后再导入。"
        )
    try:
        # The page checked this already; `manage.py import_ledger` reads files from disk.
        zip_check(io.BytesIO(data), len(data))
    except zipfile.BadZipFile:
        raise ImportFileError("无法读取该 Excel 文件，请确认是 .xlsx 格式且未加密。") from None
    except ValidationError as exc:
        raise ImportFileError(" ".join(exc.messages)) from None
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
        # Formulas are read a second time, as written, only when the file has any.
        formulas = load_workbook(io.BytesIO(data)) if _has_formulas(data) else None
    except Exception as exc:
        raise ImportFileError("无法读取该 Excel 文件，请确认是 .xlsx 格式且未加密。") from exc
    sheets = [
        (sheet.title, _sheet_rows(sheet, formulas[sheet.title] if formulas else None))
        for sheet in workbook.worksheets
        if sheet.sheet_state == "visible"
    ]
    workbook.close()
    return sheets


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")


def _has_formulas(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return any(
            _FORMULA_TAG.search(archive.read(member))
            for member in archive.namelist()
            if member.startswith("xl/worksheets/") and member.endswith(".xml")
        )


def _sheet_rows(sheet: Any, formulas: Any = None) -> Rows:
    last = min(sheet.max_row, MAX_ROWS + HEADER_SEARCH_ROWS)
    grid = [list(values) for values in sheet.iter_rows(max_row=last, values_only=True)]
    if formulas is not None:  # a formula without a cached value reads None: say it was one
        for number, written in enumerate(formulas.iter_rows(max_row=last, values_only=True)):
            for col, value in enumerate(written[: len(grid[number])]):
                if grid[number][col] is None and isinstance(value, str) and value[:1] == "=":
                    grid[number][col] = Formula(value)
    for merged in sheet.merged_cells.ranges:
        if merged.min_row > last:
            continue
        value = grid[merged.min_row - 1][merged.min_col - 1]
        for row in range(merged.min_row, min(merged.max_row, last) + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                grid[row - 1][col - 1] = value
    hidden_columns: set[int] = set()
    for letter, dimension in sheet.column_dimensions.items():
        if dimension.hidden:  # a dimension may stand for a range of columns (min..max)
            first = dimension.min or column_index_from_string(letter)
            hidden_columns.update(range(first - 1, dimension.max or first))
    rows: Rows = []
    for number, cells in enumerate(grid, start=1):
        if sheet.row_dimensions[number].hidden:
            rows.append((number, None))
            continue
        rows.append((number, [None if i in hidden_columns else c for i, c in enumerate(cells)]))
    return rows


def _header(rows: Rows) -> tuple[int, dict[str, int]]:
    for position, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = {}
        if cells is None:
            continue
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
    """Need types by their name, their code and their aliases (keys without spaces)."""
    lookup = {}
    for need_type in NeedType.objects.all():
        lookup[_key(need_type.name)] = lookup[f"code:{need_type.code}"] = need_type
    lookup |= {
        _key(a.alias): a.need_type for a in NeedTypeAlias.objects.select_related("need_type")
    }
    return lookup


@dataclass(frozen=True)
class TypeFix:
    need_type: NeedType
    department: Section | None = None
    aliasable: bool = False  # a synonym worth remembering as an alias of the type
    warnings: list[str] = field(default_factory=list)


# Below this the classifier is guessing: "你好" or "火箭发射" get a type of about 0.3, a need that
# names its subject well above 0.9. A type cell that names nothing is refused, not guessed.
MIN_CONFIDENCE = 0.5


def _understood(suggestion: Suggestion) -> bool:
    """Whether the words name a type, or another department ("社保" names 人社局, not a type)."""
    return bool(
        (suggestion.words and suggestion.type.confidence >= MIN_CONFIDENCE)
        or (
            suggestion.lead_words
            and suggestion.lead.confidence >= MIN_CONFIDENCE
            and suggestion.lead.name in labels.DEPARTMENTS
        )
    )


def _type_fix(
    type_text: str, content: str, types: dict[str, NeedType], city_id: int | None
) -> TypeFix | None:
    """The type a row means, as a person reading it would decide (issue 14 item 3): its name
    or alias as written; else the smart intake's suggestion (issue 16) for a synonym or variant
    (标准化服务, 3C认证), another department's matter (税务, 社保, 用地) as a need of that
    department's scope, or a missing type from the need's words. Each decision but the first
    carries its warning naming the deciding word. None: the type cell names nothing known."""
    if type_text and (known := types.get(_key(type_text))):
        return TypeFix(known)
    suggestion = suggest(type_text or content, city_id=city_id)
    guessed = _understood(suggestion)
    if guessed and type_text and suggestion.scope.name == labels.SCOPE_OTHER:
        # Another department's matter: the need's own words say whether it asks about a policy
        # (税务 + "留抵退税政策怎么申请" is 政策咨询, ROUTING.md rule 3) or names a subject.
        suggestion = suggest(f"{type_text}：{content}", city_id=city_id)
    if type_text and not guessed:
        return None
    if not guessed:
        other = types["code:other"]
        return TypeFix(other, warnings=[f"未填需求类型，也无法从需求内容判断，暂按「{other}」导入"])
    need_type = types[_key(suggestion.type.name)]
    department = None
    if suggestion.scope.name == labels.SCOPE_OTHER and suggestion.lead.name in labels.DEPARTMENTS:
        department = Section.objects.filter(
            name=suggestion.lead.name, kind=Section.Kind.OTHER_DEPARTMENT
        ).first()
    where = f"属于{department.name}的职能，按其他部门职能范围、" if department else "按"
    if type_text:
        warning = f"需求类型「{type_text}」{where}「{need_type}」导入"
    else:
        word = (suggestion.words or suggestion.lead_words)[0]
        warning = f"未填需求类型，需求内容提到「{word}」，{where}「{need_type}」导入"
    return TypeFix(
        need_type, department, aliasable=bool(type_text) and not department, warnings=[warning]
    )


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


def _parse(
    cells: list[Any], columns: dict[str, int], types: dict[str, NeedType], city_id: int | None
) -> dict[str, Any]:
    def get(name: str) -> Any:
        col = columns.get(name)
        return cells[col] if col is not None and col < len(cells) else None

    problems = formula_problems(cells, columns, LABELS)
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
    content = text.cleaned_data.get("content") or _cell(get("content"))
    fix = _type_fix(type_text, content, types, city_id)
    if fix is None:
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
        "need_type": fix.need_type,
        "department": fix.department,
        "type_text": type_text,
        "aliasable": fix.aliasable,
        "warnings": [
            *fix.warnings,
            *(
                f"{text.fields[name].label}中的不可见字符已去掉"
                for name in ("enterprise", "contact_name")
                if INVISIBLE.search(text.data[name])
            ),
        ],
        "content": text.cleaned_data["content"],
        "first_contact": text.cleaned_data["first_contact"],
        "tracking_number": number,
    }


def analyse(
    upload: BinaryIO, name: str, station: Station, choices: ImportChoices | None = None
) -> Analysis:
    """The dry run: every row's outcome with its row number and, if refused, why; with the
    user's `choices` applied, exactly what the confirm imports."""
    choices = choices or ImportChoices()
    sheet, rows, position, columns, notes = _ledger_sheet(read_sheets(upload, name))
    types = _need_types()
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
        texts = [_text(c) for c in cells]
        if not any(texts):
            continue
        if any(FOOTER.match(t) for t in texts if t):
            outcomes.append(RowOutcome(row_number, "skipped", "合计/说明行"))
            continue
        try:
            values = _parse(cells, columns, types, city_id)
        except ValueError as exc:
            outcomes.append(RowOutcome(row_number, "rejected", str(exc)))
            continue
        # Compared without the 序号 column, which numbers even a copied row anew.
        cells_of[row_number] = [_text(c) for i, c in enumerate(cells) if i != columns.get("index")]
        _choose(values, row_number, choices)
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
            outcomes.append(RowOutcome(row_number, "duplicate", "与已导入的记录相同", values))
            continue
        values["import_key"] = key
        outcomes.append(RowOutcome(row_number, "ok", values=values, warnings=warnings))
    return Analysis(outcomes, sheet=sheet, notes=notes)


def _ledger_sheet(sheets: list[tuple[str, Rows]]) -> tuple[str, Rows, int, dict[str, int], list]:
    """The first sheet with an Appendix B header (a cover or notes sheet may come first); the
    others with one are named, since one import reads one sheet."""
    found = []
    for title, rows in sheets:
        try:
            found.append((title, rows, *_header(rows)))
        except ImportFileError:
            continue
    if not found:
        raise ImportFileError(
            "前10行中没有找到附录B的表头（至少需要：日期、企业名称、企业需求类型、企业需求）。"
        )
    title, rows, position, columns = found[0]
    notes = [
        f"工作表「{other[0]}」也是一份台账，本次只导入「{title}」；请把它另存为单独的文件再导入。"
        for other in found[1:]
    ]
    return title, rows, position, columns, notes


def import_choices(data: Mapping[str, str]) -> ImportChoices:
    """The dry run page's fields (type-N, dept-N, keep-N, alias-N) as ImportChoices; a value
    that names no active type or department is ignored, so a tampered form changes nothing."""
    types = {t.code: t for t in NeedType.objects.filter(is_active=True)}
    departments = {
        str(d.pk): d
        for d in Section.objects.filter(kind=Section.Kind.OTHER_DEPARTMENT, is_active=True)
    }
    choices = ImportChoices()
    for name, value in data.items():
        kind, _, row_text = name.partition("-")
        if not row_text.isdigit():
            continue
        row = int(row_text)
        if kind == "type" and value in types:
            choices.types[row] = types[value]
        elif kind == "dept" and (value == "" or value in departments):
            choices.departments[row] = departments.get(value)
        elif kind == "keep" and value:
            choices.keep.add(row)
        elif kind == "alias" and value:
            choices.aliases.add(row)
    return choices


def _choose(values: dict[str, Any], row: int, choices: ImportChoices) -> None:
    """Apply what the user chose for this row on the dry run page."""
    if row in choices.types and choices.types[row] != values["need_type"]:
        values["need_type"] = choices.types[row]
        values["warnings"] = [f"需求类型按您的选择改为「{values['need_type']}」"]
    if row in choices.departments and choices.departments[row] != values["department"]:
        values["department"] = choices.departments[row]
        chosen = values["department"].name if values["department"] else "市场监管职能范围"
        values["warnings"] = [*values["warnings"], f"职能范围按您的选择改为「{chosen}」"]
    values["alias"] = row in choices.aliases and values["aliasable"]


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
            status=entry_for("import", Status.ARCHIVED if archive else Status.REGISTERED).target,
            import_key=values["import_key"],
        )
        if values["department"]:
            need.scope, need.department = Scope.OTHER_DEPARTMENT, values["department"]
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
            note=f"从台账文件导入：{file_name}，第 {outcome.row} 行",
            data={"file": file_name, "row": outcome.row, "fixes": outcome.warnings},
        )
        if values["alias"]:
            NeedTypeAlias.objects.get_or_create(
                alias=values["type_text"][: NeedTypeAlias._meta.get_field("alias").max_length],
                defaults={"need_type": values["need_type"]},
            )
    return len(analysis.accepted)


class AlreadyImported(Exception):
    """The batch was imported already (a second click, a second tab, a retried request)."""


def batch_analysis(batch: ImportBatch, choices: ImportChoices | None = None) -> Analysis:
    with batch.file.open("rb") as handle:
        return analyse(io.BytesIO(handle.read()), batch.original_name, batch.station, choices)


def import_batch_confirm(
    *, batch: ImportBatch, actor: User, choices: ImportChoices | None = None
) -> int:
    """Import a reviewed batch once: the batch row is locked, so two simultaneous confirms
    import it once and the second is told it is done (AlreadyImported), never a 500. The file is
    analysed again inside the lock, so the confirm applies exactly the dry run's rules to the
    data as it is now."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().select_related("station").get(pk=batch.pk)
        if locked.applied_at is not None:
            raise AlreadyImported
        count = ledger_import_apply(
            analysis=batch_analysis(locked, choices),
            station=locked.station,
            actor=actor,
            archive=locked.archive,
            file_name=locked.original_name,
        )
        locked.applied_at, locked.imported = clock.now(), count
        locked.save(update_fields=["applied_at", "imported"])
    return count


def import_stations(user: User) -> QuerySet[Station]:
    """The stations `user` may import a ledger for: their own active stations, station staff
    only. The upload page, its confirm and `manage.py import_ledger` all ask this."""
    if not user.is_station_staff:
        return Station.objects.none()
    return stations_visible_to(user).filter(is_active=True)


def import_batch_create(
    *, user: User, station: Station, upload: BinaryIO, name: str, archive: bool
) -> tuple[ImportBatch, Analysis]:
    """The dry run of an uploaded file, kept as a batch to confirm; nothing is imported yet."""
    if not import_stations(user).filter(pk=station.pk).exists():
        raise ImportPermissionError(f"您不能为「{station.name}」导入台账。")
    analysis = analyse(upload, name, station)
    upload.seek(0)
    batch = ImportBatch(
        uploaded_by=user, station=station, original_name=name[-200:], archive=archive
    )
    batch.file.save("upload", File(upload), save=False)
    batch.save()
    return batch, analysis
