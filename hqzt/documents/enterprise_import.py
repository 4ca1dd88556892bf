"""Importing a station's enterprise register from .xlsx/.csv (issue 14 item 6).

The ledger import's reader is reused (merged cells, hidden rows and columns, GBK CSV, the zip
check). Enterprises are merged by credit code, never doubled: within the file and against the
register. Following ADR 0006, an import links the enterprises it creates; an enterprise already
registered is updated only if the station serves it, and otherwise left as it is and reported.
"""

from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction

from hqzt.accounts.models import User
from hqzt.audit.services import audited_save
from hqzt.core.phones import phone_clean
from hqzt.core.text import name_clean
from hqzt.documents.ledger_import import (
    FOOTER,
    ImportFileError,
    ImportPermissionError,
    _cell,
    _key,
    _text,
    import_stations,
    read_sheets,
)
from hqzt.enterprises.credit_code import credit_code_clean
from hqzt.enterprises.models import Chain, Enterprise, EnterpriseContact, Town
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
    for position, (_, cells) in enumerate(rows[:10]):
        columns: dict[str, int] = {}
        for col, cell in enumerate(cells or []):
            target = HEADERS.get(_key(cell))
            if target and target not in columns:
                columns[target] = col
        if "name" in columns:
            return position, columns
    raise ImportFileError("前10行中没有找到企业名册的表头（至少需要：企业名称）。")


def _parse(cells: list[Any], columns: dict[str, int], known: dict[str, set[str]]) -> dict[str, Any]:
    def get(name: str) -> str:
        col = columns.get(name)
        return _cell(cells[col]) if col is not None and col < len(cells) else ""

    problems = []
    values: dict[str, Any] = {name: name_clean(get(name)) for name in FIELDS}
    if len(values["name"]) < 2:
        problems.append("企业名称至少2个字")
    code = _text(get("credit_code")).lstrip("'")
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
    phone = _text(get("contact_phone")).lstrip("'")
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


def _existing(values: dict[str, Any]) -> Enterprise | None:
    if values["credit_code"]:
        return Enterprise.objects.filter(credit_code=values["credit_code"]).first()
    return Enterprise.objects.filter(name=values["name"]).order_by("pk").first()


def _changes(enterprise: Enterprise, values: dict[str, Any]) -> dict[str, Any]:
    """The file's non-empty values that differ from the register."""
    return {
        name: values[name]
        for name in FIELDS
        if values[name] and getattr(enterprise, name) != values[name]
    }


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
    served = set(station.enterprises.values_list("pk", flat=True))
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
        texts = [_text(c) for c in cells]
        if not any(texts):
            continue
        if any(FOOTER.match(t) for t in texts if t):
            outcomes.append(EnterpriseRow(number, "skipped", "合计/说明行"))
            continue
        try:
            values = _parse(cells, columns, known)
        except ValueError as exc:
            outcomes.append(EnterpriseRow(number, "rejected", str(exc)))
            continue
        key = values["credit_code"] or f"name:{values['name']}"
        if key in first_of:
            first = first_of[key]
            for name_, value in values.items():
                first.values[name_] = first.values[name_] or value
            reason = f"与第 {first.row} 行为同一企业（统一社会信用代码相同），已合并"
            outcomes.append(EnterpriseRow(number, "repeat", reason))
            continue
        outcome = EnterpriseRow(number, "new", values=values)
        first_of[key] = outcome
        outcomes.append(outcome)
    for outcome in outcomes:
        if outcome.status != "new":
            continue
        enterprise = _existing(outcome.values)
        if enterprise is None:
            continue
        if enterprise.pk not in served:
            # ADR 0006: a file is no proof; another station's enterprise is not rewritten.
            outcome.status = "skipped"
            outcome.reason = f"「{enterprise.name}」已登记且不由本站服务，未作修改"
            continue
        outcome.values["enterprise"] = enterprise
        outcome.status = "update" if _changes(enterprise, outcome.values) else "same"
    return outcomes


@transaction.atomic
def enterprise_import_apply(
    *, upload: BinaryIO, name: str, station: Station, actor: User
) -> list[EnterpriseRow]:
    """Analyse and import in one transaction, every change audited; a second run adds nothing."""
    if not import_stations(actor).filter(pk=station.pk).exists():
        raise ImportPermissionError(f"您不能为「{station.name}」导入企业名册。")
    outcomes = analyse(upload, name, station)
    chains = {c.name: c for c in Chain.objects.all()}
    towns = {t.name: t for t in Town.objects.all()}
    for outcome in outcomes:
        if outcome.status not in ("new", "update", "same"):
            continue
        values = outcome.values
        enterprise = values.get("enterprise") or Enterprise()
        data = _changes(enterprise, values) if enterprise.pk else {k: values[k] for k in FIELDS}
        if values["town"] in towns and enterprise.town_id != towns[values["town"]].pk:
            data["town"] = towns[values["town"]]
        if data:
            audited_save(actor=actor, instance=enterprise, data=data)
        if enterprise.pk and outcome.status == "new":
            station.enterprises.add(enterprise)
        if values["chain"] in chains:
            enterprise.chains.add(chains[values["chain"]])
        contact = values["contact_name"] and values["contact_phone"]
        if contact and not enterprise.contacts.filter(name=values["contact_name"]).exists():
            audited_save(
                actor=actor,
                instance=EnterpriseContact(enterprise=enterprise),
                data={"name": values["contact_name"], "phone": values["contact_phone"]},
            )
    return outcomes
