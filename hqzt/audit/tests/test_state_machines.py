"""Every state machine is one table, drawn in docs/ as it stands, and moved by its transition
function only (ADR 0010)."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from hqzt.audit.statemachine import StateRefused, machines, pages, transition

ROOT = Path(settings.BASE_DIR)

# Where a state field may be assigned outside hqzt.audit.statemachine.transition, and why.
ALLOWED = {
    ("hqzt/needs/workflow.py", "need_transition"): "the need's own table and transition",
    (
        "hqzt/documents/enterprise_import.py",
        "*",
    ): "an import row's outcome (a dataclass), not a model",
    (
        "hqzt/documents/enterprise_commit.py",
        "*",
    ): "an import row's outcome (a dataclass), not a model",
}


@pytest.mark.parametrize("name", sorted(pages()))
def test_the_drawings_in_docs_match_the_tables(name):
    doc = (ROOT / "docs" / name).read_text(encoding="utf-8")
    assert doc == pages()[name](), "run: manage.py state_diagrams --write"


@pytest.mark.parametrize("machine", machines(), ids=lambda m: m.model)
def test_every_table_speaks_of_its_fields_states_and_reaches_each(machine):
    states = {value for value, _ in machine.states()}
    used = {e.target for e in machine.entries} | {e.target for e in machine.edges}
    assert {s for e in machine.edges for s in e.sources} <= states
    assert used == states, "a state no entry or step leads to"
    keys = [(e.action, s, e.target) for e in machine.edges for s in e.sources]
    assert len(keys) == len(set(keys))


def test_every_model_with_a_status_has_a_machine():
    from django.apps import apps

    declared = {m.model.lower() for m in machines()} | {"needs.need"}
    with_status = {
        model._meta.label_lower
        for model in apps.get_models()
        if model.__module__.startswith("hqzt.")
        and any(f.name == "status" and f.choices for f in model._meta.fields)
    }
    assert with_status <= declared


def _assigned_fields(node: ast.AST) -> list[str]:
    """Names of attributes this node writes: `x.status = …`, `a, x.status = …`, `x.status += …`,
    `setattr(x, "status", …)`, `qs.update(status=…)`."""
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AugAssign | ast.AnnAssign):
        targets = [node.target]
    elif isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name) and func.id == "setattr" and len(node.args) > 1:
            arg = node.args[1]
            return [arg.value] if isinstance(arg, ast.Constant) else []
        if isinstance(func, ast.Attribute) and func.attr == "update":
            return [k.arg for k in node.keywords if k.arg]
        return []
    names = []
    while targets:
        target = targets.pop()
        if isinstance(target, ast.Tuple | ast.List):
            targets.extend(target.elts)
        elif isinstance(target, ast.Attribute):
            names.append(target.attr)
    return names


def _state_writes(source: str, path: str, fields: set[str]) -> list[str]:
    found = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = (
                child.name
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
                else function
            )
            if set(_assigned_fields(child)) & fields and not (
                (path, inner) in ALLOWED or (path, "*") in ALLOWED
            ):
                found.append(f"{path}:{child.lineno} in {inner or '<module>'}")
            visit(child, inner)

    visit(ast.parse(source), "")
    return found


def test_no_state_is_set_outside_its_transition_function():
    fields = {m.field for m in machines()} | {"status"}
    found = []
    for path in sorted((ROOT / "hqzt").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative or "/tests/" in relative:
            continue
        found += _state_writes(path.read_text(encoding="utf-8"), relative, fields)
    assert found == [], "go through hqzt.audit.statemachine.transition"


def test_the_scan_sees_each_way_of_writing_a_state():
    source = """
def sneaky(order, qs):
    order.status = "closed"
    order.note, order.status = "", "closed"
    setattr(order, "status", "closed")
    qs.update(status="closed")
"""
    assert len(_state_writes(source, "hqzt/x.py", {"status"})) == 4


@pytest.mark.django_db
def test_a_step_the_table_does_not_hold_is_refused_and_nothing_saved(staff_a):
    from hqzt.audit.models import AuditEvent
    from hqzt.documents.models import ExportJob

    job = ExportJob.objects.create(user=staff_a)
    with pytest.raises(
        StateRefused, match="该导出任务当前为「排队中」，不能执行「生成完毕，通知下载」"
    ):
        transition(job, "export_done", None, row_count=5)
    job.refresh_from_db()
    assert (job.status, job.row_count) == ("queued", 0)
    assert not AuditEvent.objects.exists()
