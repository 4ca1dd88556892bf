"""Importing a station's enterprise register from .xlsx/.csv (issue 14 item 6).

The ledger import's reader is reused (merged cells, hidden rows and columns, GBK CSV, the zip
check). Enterprises are merged by credit code, never doubled: within the file and against the
register. Following ADR 0006, an import links the enterprises it creates; an enterprise already
registered is updated only if the station serves it, and otherwise left as it is and reported.
This module reads and previews; the writes are in enterprise_commit.py.
"""

import hashlib
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.core.files import File

from hqzt.accounts.models import User
from hqzt.core.phones import phone_clean
from hqzt.core.text import CONTROL, control_problem, name_clean
from hqzt.documents.import_access import import_station_check
from hqzt.documents.import_errors import ImportFileError
from hqzt.documents.models import ImportBatch
from hqzt.documents.spreadsheet import (
    HEADER_SEARCH_ROWS,
    cell_text,
    footer_row,
    formula_problems,
    match_key,
    plain_text,
    read_sheets,
    row_limit_check,
)
from hqzt.enterprises.credit_code import credit_code_clean
from hqzt.enterprises.models import Chain, Enterprise, EnterpriseContact, Town
from hqzt.enterprises.names import enterprise_name_key
from hqzt.stations.models import Station

HEADERS = {
    "企业名称": "name",
    "名称": "name",
    "统一社会信用代码": "credit_code",
    "信用代码": "credit_code",
    "法定代表人": "legal_representative",
    "法人": "legal_representative",
    "地址": "address",
    "企业地址": "address",
    "所属行业": "industry",
    "行业": "industry",
    "所属产业链": "chain",
    "产业链": "chain",
    "所属专业镇": "town",
    "专业镇": "town",
    "联系人": "contact_name",
    "企业联系人": "contact_name",
    "联系电话": "contact_phone",
    "电话": "contact_phone",
}
LABELS = {target: header for header, target in reversed(HEADERS.items())}  # the first header
FIELDS = ("name", "credit_code", "legal_representative", "address", "industry")
CONTACT_NAME_MAX = EnterpriseContact._meta.get_field("name").max_length
STATUS_LABELS = {
    "new": "新增",
    "update": "更新",
    "same": "无变化",
    "repeat": "文件内重复（已合并）",
    "rejected": "有误",
    "skipped": "跳过",
}


@dataclass
class EnterpriseRow:
    row: int
    status: str
    reason: str = ""
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def _header(rows: list) -> tuple[int, dict[str, int]]:
    for position, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for col, cell in enumerate(cells or []):
            target = HEADERS.get(match_key(cell))
            if target and target not in columns:
                columns[target] = col
        if "name" in columns:
            return position, columns
    raise ImportFileError("前10行中没有找到企业名册的表头（至少需要：企业名称）。")


def _parse(cells: list[Any], columns: dict[str, int], known: dict[str, set[str]]) -> dict[str, Any]:
    def get(name: str) -> str:
        col = columns.get(name)
        return cell_text(cells[col]) if col is not None and col < len(cells) else ""

    problems = formula_problems(cells, columns, LABELS)
    for name in columns:  # as the ledger import: a control character (NUL …) refuses the row
        if problem := control_problem(get(name)):
            problems.append(f"{LABELS[name]}{problem}")
    values: dict[str, Any] = {name: name_clean(get(name)) for name in FIELDS}
    if len(values["name"]) < 2:
        problems.append("企业名称至少2个字")
    code = plain_text(get("credit_code")).lstrip("'")
    values["credit_code"] = None
    if code:
        try:
            values["credit_code"] = credit_code_clean(code)
        except ValidationError as exc:
            problems.append(f"统一社会信用代码「{code}」：{exc.messages[0].rstrip('。')}")
    for name in FIELDS:
        limit = Enterprise._meta.get_field(name).max_length
        if values[name] and len(values[name]) > limit:
            problems.append(f"{Enterprise._meta.get_field(name).verbose_name}超过{limit}个字")
    values["chain"], values["town"] = get("chain"), get("town")
    for kind, label in (("chain", "产业链"), ("town", "专业镇")):
        if values[kind] and values[kind] not in known[kind]:
            problems.append(f"{label}「{values[kind]}」不在基础数据中（请先添加，或留空）")
    values["contact_name"] = name_clean(get("contact_name"))
    if len(values["contact_name"]) > CONTACT_NAME_MAX:
        problems.append(f"联系人超过{CONTACT_NAME_MAX}个字")
    phone = plain_text(get("contact_phone")).lstrip("'")
    values["contact_phone"] = ""
    if phone:
        try:
            values["contact_phone"] = phone_clean(phone)
        except ValidationError:
            problems.append(f"联系电话「{phone}」不是有效号码（手机11位，固话需带区号）")
    if bool(values["contact_name"]) != bool(phone):
        problems.append("联系人和联系电话需同时填写（或都留空）")
    if problems:
        raise ValueError("；".join(problems))
    return values


def registered_enterprise(values: dict[str, Any], station: Station) -> Enterprise | None:
    """The registered enterprise a row names: by its credit code; by a name alone, the
    station's own enterprise of that name first, then the earliest registered."""
    if values["credit_code"]:
        return Enterprise.objects.filter(credit_code=values["credit_code"]).first()
    named = Enterprise.objects.filter(name_key=enterprise_name_key(values["name"])).order_by("pk")
    return named.filter(stations=station).first() or named.first()


def elsewhere_reason(values: dict[str, Any]) -> str:
    """Why a row naming an enterprise only other stations serve is left alone (ADR 0006: the
    上级单位 adds the link), said without that enterprise's registered name or station."""
    what = "该信用代码" if values["credit_code"] else "该企业"
    return f"{what}已由其他服务站登记，如需由本站服务，请联系上级单位添加服务关系；本行未导入"


def register_changes(enterprise: Enterprise, values: dict[str, Any]) -> dict[str, Any]:
    """The file's non-empty values that differ from the register."""
    return {
        name: values[name]
        for name in FIELDS
        if values[name] and getattr(enterprise, name) != values[name]
    }


def _pending(enterprise: Enterprise, values: dict[str, Any]) -> list[str]:
    """What importing the row would change of a registered enterprise, by column name: the
    preview says it, and the confirm does no more."""
    pending = [LABELS[name] for name in register_changes(enterprise, values)]
    if values["town"] and getattr(enterprise.town, "name", None) != values["town"]:
        pending.append(LABELS["town"])
    if values["chain"] and not enterprise.chains.filter(name=values["chain"]).exists():
        pending.append(LABELS["chain"])
    contact = values["contact_name"] and values["contact_phone"]
    if contact and not enterprise.contacts.filter(name=values["contact_name"]).exists():
        pending.append(LABELS["contact_name"])
    return pending


def analyse(upload: BinaryIO, name: str, station: Station) -> list[EnterpriseRow]:
    """The dry run: each row's fate, nothing written."""
    for _, rows in read_sheets(upload, name):
        try:
            position, columns = _header(rows)
            break
        except ImportFileError:
            continue
    else:
        raise ImportFileError("前10行中没有找到企业名册的表头（至少需要：企业名称）。")
    row_limit_check(rows, position)
    served = set(station.enterprises.values_list("pk", flat=True))
    namesakes = Counter(station.enterprises.values_list("name", flat=True))
    known = {
        "chain": set(Chain.objects.values_list("name", flat=True)),
        "town": set(Town.objects.values_list("name", flat=True)),
    }
    outcomes: list[EnterpriseRow] = []
    first_of: dict[str, EnterpriseRow] = {}
    for number, cells in rows[position + 1 :]:
        if cells is None:
            outcomes.append(EnterpriseRow(number, "skipped", "工作表中隐藏的行"))
            continue
        texts = [plain_text(c) for c in cells]
        if not any(texts):
            continue
        if footer_row(texts):
            outcomes.append(EnterpriseRow(number, "skipped", "合计/说明行"))
            continue
        try:
            values = _parse(cells, columns, known)
        except ValueError as exc:
            col = columns["name"]  # the name as written, so the user finds the row
            written = CONTROL.sub("", cell_text(cells[col])) if col < len(cells) else ""
            shown = {"name": name_clean(written)}
            outcomes.append(EnterpriseRow(number, "rejected", str(exc), values=shown))
            continue
        if not values["credit_code"] and (count := namesakes[values["name"]]) > 1:
            reason = (
                f"本站服务的企业中有 {count} 家名为「{values['name']}」，"
                "请填写统一社会信用代码以区分"
            )
            outcomes.append(EnterpriseRow(number, "rejected", reason, {"name": values["name"]}))
            continue
        key = values["credit_code"] or f"name:{values['name']}"
        if key in first_of:
            first = first_of[key]
            for name_, value in values.items():
                first.values[name_] = first.values[name_] or value
            same = "统一社会信用代码相同" if values["credit_code"] else "企业名称相同"
            reason = f"与第 {first.row} 行为同一企业（{same}），已合并"
            outcomes.append(EnterpriseRow(number, "repeat", reason))
            continue
        outcome = EnterpriseRow(number, "new", values=values)
        first_of[key] = outcome
        outcomes.append(outcome)
    for outcome in outcomes:
        if outcome.status != "new":
            continue
        enterprise = registered_enterprise(outcome.values, station)
        if enterprise is None:
            continue
        if enterprise.pk not in served:
            # ADR 0006: a file is no proof; another station's enterprise is not rewritten.
            outcome.status, outcome.reason = "skipped", elsewhere_reason(outcome.values)
            continue
        outcome.values["enterprise"] = enterprise
        pending = _pending(enterprise, outcome.values)
        outcome.status = "update" if pending else "same"
        outcome.reason = f"将更新：{'、'.join(pending)}" if pending else ""
    return outcomes


def row_counts(outcomes: list[EnterpriseRow]) -> dict[str, int]:
    return {key: sum(o.status == key for o in outcomes) for key in STATUS_LABELS}


WRITTEN = ("new", "update", "same")  # the rows an import writes (or finds unchanged)


def outcomes_digest(outcomes: list[EnterpriseRow]) -> str:
    shown = [(o.row, o.status, o.reason) for o in outcomes]
    return hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode()).hexdigest()


def enterprise_batch_create(
    *, user: User, station: Station, upload: BinaryIO, name: str
) -> tuple[ImportBatch, list[EnterpriseRow]]:
    """The upload page's dry run: the file is kept with what the preview showed; nothing of the
    register is written yet."""
    import_station_check(user=user, station=station, what="企业名册")
    outcomes = analyse(upload, name, station)
    upload.seek(0)
    batch = ImportBatch(
        kind=ImportBatch.Kind.ENTERPRISES,
        uploaded_by=user,
        station=station,
        original_name=name[-200:],
        preview_digest=outcomes_digest(outcomes),
        rows_total=sum(o.status in WRITTEN for o in outcomes),  # see import_jobs.py
    )
    batch.file.save("upload", File(upload), save=False)
    batch.save()
    return batch, outcomes


def batch_outcomes(batch: ImportBatch) -> list[EnterpriseRow]:
    with batch.file.open("rb") as handle:
        return analyse(io.BytesIO(handle.read()), batch.original_name, batch.station)
