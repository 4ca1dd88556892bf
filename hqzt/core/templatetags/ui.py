"""Small presentation helpers shared by the templates."""

from django import forms, template
from django.http import QueryDict
from django.utils.safestring import SafeString

from hqzt.core.phones import phone_display

register = template.Library()


@register.filter
def bs(field: forms.BoundField) -> SafeString:
    """Render a form field's widget with Bootstrap's classes (any form, including Django's)."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"  # form-control would draw a checkbox as an empty text box
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.simple_tag
def query_with(params: QueryDict, **changes: object) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    query = params.copy()
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = str(value)
    return query.urlencode()


@register.filter
def query_items(params: QueryDict, dropped: str) -> list[tuple[str, str]]:
    """The current query's (name, value) pairs without the comma-separated `dropped` names: the
    hidden fields of a form that changes one setting and keeps the rest (the page size)."""
    left_out = set(dropped.split(","))
    return [(k, v) for k, values in params.lists() if k not in left_out for v in values]


@register.filter
def phones(value: str) -> str:
    """Stored numbers (one or several, 、-separated) grouped for reading: 0356-2221234."""
    return "、".join(phone_display(n) for n in (value or "").split("、") if n)
