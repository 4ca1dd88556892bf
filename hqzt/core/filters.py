"""List filters: an invalid value is left out on its own, and the user is told.

Read with `if form.is_valid(): …`, one bad value (`?station=<not mine>&status=registered`) dropped
*every* filter and showed the user's whole scope — in the lists and in the exports made from them.
Here each invalid field counts as not given, the valid ones still narrow, and the caller says which
were ignored (pages) or refuses (exports, the API).
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


def _empty(field: forms.Field) -> Any:
    try:
        return field.clean("")
    except ValidationError:
        return None


def filter_values(form: forms.Form) -> tuple[dict[str, Any], list[str]]:
    """Every field's value (an invalid one as if left blank) and the labels of the invalid ones."""
    form.is_valid()
    ignored = [str(form.fields[name].label or name) for name in form.errors if name in form.fields]
    values = {
        name: form.cleaned_data[name] if name in form.cleaned_data else _empty(field)
        for name, field in form.fields.items()
    }
    return values, ignored


def ignored_notice(ignored: list[str]) -> str:
    """What the page says about the filters it ignored."""
    return f"以下筛选条件的值无效，已忽略（其余条件照常生效）：{'、'.join(ignored)}。"


def refused_notice(ignored: list[str]) -> str:
    """What an export or the API says when it refuses invalid filters."""
    return f"以下筛选条件的值无效：{'、'.join(ignored)}。请修改或去掉这些条件后重试。"
