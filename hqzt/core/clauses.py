"""The standard's 36 checkable items and where each lives in the code and the tests.

Code and tests carry markers — a comment of the word DB1405 followed by one or more clauses, each
written with a section sign (in Python `# …`, in templates `{# … #}`) — next to what implements
or proves a clause. `markdown()` gathers them into
docs/clauses.md (`manage.py clauses_doc --write`); a test fails when the page is stale, when a
clause has no code or no test, or when a marker names a clause that does not exist. A reader who
knows the standard finds any clause in one step, and the table cannot drift from the code.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# DB 1405/T 060—2024, item by item (the review's count: 36).
CLAUSES: list[tuple[str, str]] = [
    ("4", "服务理念（六条）"),
    ("5.1", "站点确立：服务领域、站点名称"),
    ("5.2.1", "选址"),
    ("5.2.2", "固定场所、站点标识和路线指引"),
    ("5.2.3", "标识统一表述“惠企直通服务站”（附录A）"),
    ("5.2.4", "公示服务内容、流程、人员及电话、监督投诉电话"),
    ("5.3 a", "收集政策、开展调研、听取需求、提出工作建议"),
    ("5.3 b", "对接上级部门、技术机构、专家团队，开展业务提升和企业培训"),
    ("5.3 c", "提供各类质量技术服务（需求类型）"),
    ("5.4.1", "配备站长（副站长）及其职责：年度计划、督促协调、统筹接待、向上级汇报"),
    ("5.4.2", "配备长期驻站工作人员"),
    ("5.4.3", "首位工作人员：接洽需求、处理、征集评价"),
    ("5.4.4", "熟悉业务流程后上岗"),
    ("5.5.1", "站长负责制，每周向上级单位汇报"),
    ("5.5.2", "每周工作例会，形成会议纪要"),
    ("5.5.3", "站长组织召开临时专题会议"),
    ("5.5.4", "轮换驻站值班"),
    ("6.1", "工作流程（流程图）"),
    ("6.2", "需求来源：找上门（公示小程序、即时通讯、客服电话）与进企业，填写台账"),
    ("6.3.1 a", "市场监管职能：简单易行由首位工作人员处理，需要协调报站长分发"),
    ("6.3.1 b", "其他部门职能：站长联络相关部门协助处理"),
    ("6.4.1", "独立办理、共同办理、协调办理"),
    ("6.4.2", "需求满足即办结；未满足的研判提出处理意见并告知企业"),
    ("6.4.3", "办结后填写跟踪单，通报首位工作人员或站长"),
    ("6.5.1", "征集满意度评价（四级）"),
    ("6.5.2", "满意归档；不满意核实，必要时重新办理"),
    ("6.6.1", "处理结果和建议分类登记归档"),
    ("6.6.2", "一链一册、一镇一册、一企一册"),
    ("6.6.3", "工作经验、工作模式宣传推广（典型案例）"),
    ("6.6.4", "资料存放不少于 3 年"),
    ("7.1", "内部监督：督办、回访、持续改进"),
    ("7.2", "外部监督：意见建议记录、改进计划、整改任务"),
    ("附录A", "标识标牌"),
    ("附录B", "企业需求记录台账"),
    ("附录C", "需求处理跟踪单"),
    ("附录D", "满意度评价表"),
]
CLAUSE_IDS = {clause for clause, _ in CLAUSES}

MARKER = re.compile(r"DB1405((?: §\S+(?: [a-d](?=\s|$))?)+)")
CLAUSE = re.compile(r"§(\S+(?: [a-d](?=\s|$))?)")
_DEF = re.compile(r"^\s*(?:async\s+)?(?:def|class)\s+(\w+)")
ROOTS = ("hqzt", "templates", "tests")
SUFFIXES = (".py", ".html")


@dataclass(frozen=True)
class Marker:
    clause: str
    path: str  # relative to the repository
    line: int
    symbol: str  # the function or class the marker precedes (tests: the test's name)

    @property
    def is_test(self) -> bool:
        return "/tests/" in f"/{self.path}" or self.path.startswith("tests/")

    @property
    def where(self) -> str:
        if self.is_test:
            return f"`{self.path}::{self.symbol}`" if self.symbol else f"`{self.path}`"
        return f"`{self.path}`" + (f" (`{self.symbol}`)" if self.symbol else "")


def _symbol(lines: list[str], index: int) -> str:
    """The function or class at or just after the marker; else the one enclosing it."""
    for line in lines[index : index + 8]:
        found = _DEF.match(line)
        if found:
            return found.group(1)
    for line in reversed(lines[:index]):
        found = _DEF.match(line)
        if found and not line.startswith((" ", "\t")):
            return found.group(1)
    return ""


def markers(base: Path | None = None) -> list[Marker]:
    base = base or Path(settings.BASE_DIR)
    found = []
    for root in ROOTS:
        for path in sorted((base / root).rglob("*")):
            if path.suffix not in SUFFIXES or "migrations" in path.parts:
                continue
            lines = path.read_text(encoding="utf-8").splitlines()
            for i, line in enumerate(lines):
                marker = MARKER.search(line)
                for clause in CLAUSE.findall(marker.group(1)) if marker else []:
                    found.append(
                        Marker(clause, str(path.relative_to(base)), i + 1, _symbol(lines, i))
                    )
    return found


def problems(found: list[Marker]) -> list[str]:
    """What makes the table incomplete or wrong: clauses without code or tests, unknown ones."""
    out = [
        f"{m.path}:{m.line}: 标准中没有 §{m.clause}" for m in found if m.clause not in CLAUSE_IDS
    ]
    for clause, _ in CLAUSES:
        mine = [m for m in found if m.clause == clause]
        if not any(not m.is_test for m in mine):
            out.append(f"§{clause} 没有代码标记")
        if not any(m.is_test for m in mine):
            out.append(f"§{clause} 没有测试标记")
    return out


def markdown(found: list[Marker] | None = None) -> str:
    found = markers() if found is None else found
    rows = []
    for clause, title in CLAUSES:
        mine = [m for m in found if m.clause == clause]
        code = "<br>".join(dict.fromkeys(m.where for m in mine if not m.is_test)) or "—"
        tests = "<br>".join(dict.fromkeys(m.where for m in mine if m.is_test)) or "—"
        rows.append(f"| §{clause} | {title} | {code} | {tests} |")
    table = "\n".join(rows)
    return f"""# DB 1405/T 060—2024 clause by clause

Generated from the DB1405 markers in the code and the tests by
`manage.py clauses_doc --write` (`hqzt/core/clauses.py`); a test fails when this page is stale,
when a clause has no code or no test marker, or when a marker names an unknown clause. The
conformance self-check (`hqzt/supervision/conformance.py`) checks each station against the
clauses that can be checked from its records.

| clause | requirement | code | tests |
| --- | --- | --- | --- |
{table}
"""
