"""What the user changed on the ledger dry run before confirming, read from the review page's
fields and applied to the rows."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hqzt.core.text import as_id
from hqzt.needs.models import NeedType
from hqzt.org.models import Section


@dataclass
class ImportChoices:
    """What the user changed on the dry run before confirming: a row's type and department,
    repeated rows kept, fixed type names saved as aliases. Keys are spreadsheet row numbers."""

    types: dict[int, NeedType] = field(default_factory=dict)
    departments: dict[int, Section | None] = field(default_factory=dict)
    keep: set[int] = field(default_factory=set)
    aliases: set[int] = field(default_factory=set)


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
        row = as_id(row_text)
        if row is None:
            continue
        if kind == "type" and value in types:
            choices.types[row] = types[value]
        elif kind == "dept" and (value == "" or value in departments):
            choices.departments[row] = departments.get(value)
        elif kind == "keep" and value:
            choices.keep.add(row)
        elif kind == "alias" and value:
            choices.aliases.add(row)
    return choices


def choices_apply(values: dict[str, Any], row: int, choices: ImportChoices) -> None:
    """Apply what the user chose for this row on the dry run page."""
    if row in choices.types and choices.types[row] != values["need_type"]:
        values["need_type"] = choices.types[row]
        values["warnings"] = [f"需求类型按您的选择改为「{values['need_type']}」"]
    if row in choices.departments and choices.departments[row] != values["department"]:
        values["department"] = choices.departments[row]
        chosen = values["department"].name if values["department"] else "市场监管职能范围"
        values["warnings"] = [*values["warnings"], f"职能范围按您的选择改为「{chosen}」"]
    values["alias"] = row in choices.aliases and values["aliasable"]


def choices_dump(choices: ImportChoices) -> dict[str, Any]:
    """ImportChoices as JSON, kept on the batch for the queued import (keys are row numbers)."""
    return {
        "types": {str(row): t.code for row, t in choices.types.items()},
        "departments": {str(row): d.pk if d else None for row, d in choices.departments.items()},
        "keep": sorted(choices.keep),
        "aliases": sorted(choices.aliases),
    }


def choices_load(data: Mapping[str, Any]) -> ImportChoices:
    """choices_dump's JSON back as ImportChoices, checked as the form's fields are."""
    fields = {f"type-{row}": code for row, code in data.get("types", {}).items()}
    fields |= {f"dept-{row}": str(pk or "") for row, pk in data.get("departments", {}).items()}
    fields |= {f"keep-{row}": "1" for row in data.get("keep", [])}
    fields |= {f"alias-{row}": "1" for row in data.get("aliases", [])}
    return import_choices(fields)
