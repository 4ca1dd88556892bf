"""A ledger row checked the way the forms check the same data (issue 13 item 6): the Appendix B
header found, each cell read and validated, every problem of a row said on its own, and the
row's import key that makes a second import of the same file add nothing."""

import copy
import hashlib
import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from hqzt.core import clock
from hqzt.core.phones import phone_clean
from hqzt.core.text import INVISIBLE, control_problem, name_clean
from hqzt.documents.import_errors import ImportFileError
from hqzt.documents.ledger_types import type_fix
from hqzt.documents.spreadsheet import (
    HEADER_SEARCH_ROWS,
    Rows,
    cell_text,
    formula_problems,
    match_key,
    parse_date,
    plain_text,
    row_limit_check,
)
from hqzt.enterprises.forms import EnterpriseForm
from hqzt.needs.models import Need, NeedType
from hqzt.needs.numbering import imported_number_check
from hqzt.needs.registration_forms import NeedItemForm, RegisterForm
from hqzt.stations.models import Station

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
TEXT_COLUMNS = ("enterprise", "contact_name", "content", "first_contact")  # LedgerRowForm's

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


def ledger_header(rows: Rows) -> tuple[int, dict[str, int]]:
    for position, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = {}
        if cells is None:
            continue
        for col, cell in enumerate(cells):
            target = HEADERS.get(match_key(cell))
            if target and target not in columns:
                columns[target] = col
        if set(columns) >= REQUIRED:
            return position, columns
    raise ImportFileError(
        "前10行中没有找到附录B的表头（至少需要：日期、企业名称、企业需求类型、企业需求）。"
    )


def ledger_sheet(sheets: list[tuple[str, Rows]]) -> tuple[str, Rows, int, dict[str, int], list]:
    """The first sheet with an Appendix B header (a cover or notes sheet may come first); the
    others with one are named, since one import reads one sheet."""
    found = []
    for title, rows in sheets:
        try:
            found.append((title, rows, *ledger_header(rows)))
        except ImportFileError:
            continue
    if not found:
        raise ImportFileError(
            "前10行中没有找到附录B的表头（至少需要：日期、企业名称、企业需求类型、企业需求）。"
        )
    title, rows, position, columns = found[0]
    row_limit_check(rows, position)
    notes = [
        f"工作表「{other[0]}」也是一份台账，本次只导入「{title}」；请把它另存为单独的文件再导入。"
        for other in found[1:]
    ]
    return title, rows, position, columns, notes


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


def row_parse(
    cells: list[Any], columns: dict[str, int], types: dict[str, NeedType], city_id: int | None
) -> dict[str, Any]:
    def get(name: str) -> Any:
        col = columns.get(name)
        return cells[col] if col is not None and col < len(cells) else None

    problems = formula_problems(cells, columns, LABELS)
    text = LedgerRowForm({name: cell_text(get(name)).lstrip("'") for name in TEXT_COLUMNS})
    if not text.is_valid():
        problems += text.problems()
    # The form says it for the text columns; a control character elsewhere refuses the row
    # before the date, type or phone is read (their errors would quote it).
    controls = [
        f"{LABELS[name]}{problem}"
        for name in sorted(columns.keys() - TEXT_COLUMNS, key=columns.get)
        if (problem := control_problem(cell_text(get(name))))
    ]
    if controls:
        raise RowProblems([*problems, *controls])
    registered_on = None
    try:
        registered_on = parse_date(get("date"))
        if registered_on > clock.today():
            problems.append(f"日期 {registered_on} 晚于今天")
    except ValueError as exc:
        problems.append(str(exc))
    type_text = plain_text(get("need_type"))
    content = text.cleaned_data.get("content") or cell_text(get("content"))
    fix = type_fix(type_text, content, types, city_id)
    if fix is None:
        problems.append(f"未知的需求类型「{type_text}」（可在系统管理中添加别名）")
    phone_text = plain_text(get("contact_phone")).lstrip("'")
    phone = ""
    try:
        phone = phone_clean(phone_text) if phone_text else ""
    except ValidationError:
        problems.append(f"联系电话「{phone_text}」不是有效号码（手机11位，固话需带区号）")
    number = re.sub(r"\s", "", plain_text(get("tracking_number"))).lstrip("'")
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
