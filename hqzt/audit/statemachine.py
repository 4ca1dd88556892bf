"""One pattern for every state machine: a declared table and one locked, audited transition.

It lives in the audit app because a state change is the audited change par excellence, and
every app above may use it (ADR 0010).

A `Machine` names a model's state field and lists its `Edge`s: which action leads from which
states to which state, with the Chinese label the user and the drawing see. `transition()` is
the only code that moves such a field: it locks the row, refuses an action the table does not
allow from the current state (a Chinese message, nothing saved), lets the caller fill in the
step's other fields, sets the state, saves, and writes the audit row with the before/after
values, all in one transaction. Whatever the caller's `apply` refuses is refused after the state
check, as the services always did.

The need follows the same pattern with its own richer table (actors, deadlines, its own history:
hqzt/needs/states.py and hqzt/needs/workflow.py). Each app declares its machines in its `states`
module; `manage.py state_diagrams --write` draws them all into docs/, and a test keeps the pages,
the tables and the code in step (no `.status =` outside a transition function).
"""

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.apps import apps
from django.db import models, transaction
from django.utils.module_loading import autodiscover_modules, import_string

from hqzt.audit.services import audit_record, model_snapshot, snapshot_diff

M = TypeVar("M", bound=models.Model)


class StateRefused(Exception):
    """The action is not allowed from the object's current state. str(exc) is shown to the user."""


@dataclass(frozen=True)
class Edge:
    """`action` leads from any of `sources` to `target`. The action is also the audit action.
    `refused` is what a user is told who tries it from another state."""

    sources: tuple[str, ...]
    action: str
    target: str
    label: str
    refused: str = ""


@dataclass(frozen=True)
class Entry:
    """How an object comes into being (a create, not a transition) and in which state."""

    target: str
    label: str


@dataclass(frozen=True)
class Machine:
    model: str  # "app_label.ModelName"
    title: str  # what a reader calls it, e.g. 督办
    clause: str  # where the standard asks for it
    entries: tuple[Entry, ...]
    edges: tuple[Edge, ...]
    field: str = "status"
    # The exception the app's views already show; a dotted path where importing it would loop.
    refusal: type[Exception] | str = StateRefused
    # A background job's progress is nobody's change: no audit row (ExportJob, ADR 0010).
    audited: bool = True
    notes: str = ""
    # The badge tone (Bootstrap text-bg-*) of each state, declared beside its table so every page
    # colours a state alike: success done, info waiting on someone else, warning to act on.
    tones: tuple[tuple[str, str], ...] = ()

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def states(self) -> list[tuple[str, str]]:
        """(value, label) of every state, from the model field's choices."""
        return [
            (str(v), str(label))
            for v, label in self.model_class._meta.get_field(self.field).choices
        ]

    def label_of(self, value: str) -> str:
        return dict(self.states()).get(value, value)

    def tone_of(self, value: str) -> str:
        return {str(state): tone for state, tone in self.tones}.get(str(value), "secondary")

    def allows(self, obj: models.Model, action: str) -> bool:
        """The table lets `obj` take `action` from its current state (what `transition` checks)."""
        return self.edge(action, getattr(obj, self.field)) is not None

    def edge(self, action: str, source: str, target: str | None = None) -> Edge | None:
        for e in self.edges:
            if e.action == action and source in e.sources and target in (None, e.target):
                return e
        return None

    def refuse(self, obj: models.Model, action: str, target: str | None = None) -> Exception:
        candidates = [e for e in self.edges if e.action == action and target in (None, e.target)]
        message = next((e.refused for e in candidates if e.refused), "")
        if not message:
            label = candidates[0].label if candidates else action
            current = self.label_of(getattr(obj, self.field))
            message = f"该{self.title}当前为「{current}」，不能执行「{label}」。"
        refusal = import_string(self.refusal) if isinstance(self.refusal, str) else self.refusal
        return refusal(message)


_MACHINES: dict[str, Machine] = {}
_PAGES: dict[str, Callable[[], str]] = {}


def register(machine: Machine) -> Machine:
    """Declare a machine (from an app's `states` module)."""
    _MACHINES[machine.model.lower()] = machine
    return machine


def register_page(name: str, render: Callable[[], str]) -> None:
    """A page under docs/ drawn by its own module (the need's, which has actors and deadlines)."""
    _PAGES[name] = render


def machines() -> list[Machine]:
    _discover()
    return sorted(_MACHINES.values(), key=lambda m: m.model)


def pages() -> dict[str, Callable[[], str]]:
    _discover()
    return {**_PAGES, "state-machines.md": markdown}


def _discover() -> None:
    autodiscover_modules("states")


def machine_for(model: type[models.Model]) -> Machine:
    key = model._meta.label_lower
    if key not in _MACHINES:
        _discover()
    return _MACHINES[key]


def _changed(before: models.Model, after: models.Model) -> list[str]:
    """Fields the step changed; an `updated_at` stamp is no news in the audit log."""
    return [
        f.name
        for f in after._meta.concrete_fields
        if not (f.primary_key or getattr(f, "auto_now", False))
        and f.value_from_object(before) != f.value_from_object(after)
    ]


@transaction.atomic
def transition(
    obj: M,
    action: str,
    actor: Any,
    *,
    target: str | None = None,
    apply: Callable[[M], None] | None = None,
    **changes: Any,
) -> M:
    """Take `action` on `obj` as the table allows; return the saved, locked row.

    `changes` are set on the row, then `apply(row)` may validate and fill in the rest (it runs
    after the state check, so a refused action never gets that far); `target` picks the edge
    where one action has several (a callback reached or not)."""
    machine = machine_for(type(obj))
    locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    edge = machine.edge(action, getattr(locked, machine.field), target)
    if edge is None:
        raise machine.refuse(locked, action, target)
    before = copy.copy(locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    if apply is not None:
        apply(locked)
    setattr(locked, machine.field, edge.target)
    locked.save()
    if machine.audited:
        names = _changed(before, locked)
        audit_record(
            actor=actor,
            action=edge.action,
            obj=locked,
            changes=snapshot_diff(
                type(locked), model_snapshot(before, names), model_snapshot(locked, names)
            ),
        )
    return locked


# --- Drawing -------------------------------------------------------------------------------------


def mermaid(machine: Machine) -> str:
    lines = ["stateDiagram-v2"]
    lines += [f"    {value}: {label}" for value, label in machine.states()]
    lines += [f"    [*] --> {e.target}: {e.label}" for e in machine.entries]
    for e in machine.edges:
        lines += [f"    {source} --> {e.target}: {e.label}" for source in e.sources]
    sources = {s for e in machine.edges for s in e.sources}
    lines += [f"    {value} --> [*]" for value, _ in machine.states() if value not in sources]
    return "\n".join(lines)


def _section(machine: Machine) -> str:
    rows = "\n".join(
        f"| {e.label} (`{e.action}`) | "
        f"{'、'.join(machine.label_of(s) for s in e.sources)} → {machine.label_of(e.target)} |"
        for e in machine.edges
    )
    entries = "\n".join(
        f"| {e.label} | （新建）→ {machine.label_of(e.target)} |" for e in machine.entries
    )
    notes = f"\n{machine.notes}\n" if machine.notes else ""
    return f"""## {machine.title} (`{machine.model}.{machine.field}`, {machine.clause})
{notes}
```mermaid
{mermaid(machine)}
```

| step | from → to |
| --- | --- |
{entries}
{rows}
"""


def markdown(selected: Iterable[Machine] | None = None) -> str:
    """docs/state-machines.md: every registered machine, drawn from its table."""
    sections = "\n".join(_section(m) for m in (selected or machines()))
    return f"""# State machines

Generated from the tables in each app's `states.py` by `manage.py state_diagrams --write`;
a test fails when this page and the tables disagree. Every step goes through
`hqzt.audit.statemachine.transition`, which locks the row, refuses a step the table does not
allow, and writes the audit row in the same transaction (ADR 0010). The need's own life is
drawn in [need-states.md](need-states.md).

{sections}"""
