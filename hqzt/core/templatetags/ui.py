"""Small presentation helpers shared by the templates."""

from django import forms, template
from django.http import QueryDict
from django.utils.html import format_html
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


def _sort_state(context: template.Context, key: str) -> tuple[str, bool, bool]:
    """(href, active, descending) of a column's sort link; see sort_th."""
    sort = context["sort"]
    base = key.removeprefix("-")
    opposite = base if key.startswith("-") else f"-{base}"
    href = "?" + query_with(
        context["request"].GET,
        sort=opposite if sort.key == key else key,
        after=None,
        before=None,
        start=None,
    )
    return href, sort.key in (key, opposite), sort.descending


@register.simple_tag(takes_context=True)
def sort_link(context: template.Context, label: str, key: str) -> SafeString:
    """A link to the list in `key`'s order (a sort_pair key; "-" first for descending), and to
    the opposite order once it is the current one, with an arrow for the order in force. Needs
    `sort` (the page's Sort) and `request` in the context."""
    href, active, descending = _sort_state(context, key)
    arrow = ("↓" if descending else "↑") if active else "⇅"
    return format_html(
        '<a class="list-sort" href="{}" data-testid="sort-{}"{}>{} {}</a>',
        href,
        key.removeprefix("-"),
        format_html(' aria-current="{}"', "true") if active else "",
        label,
        arrow,
    )


@register.simple_tag(takes_context=True)
def sort_th(context: template.Context, label: str, key: str, css: str = "") -> SafeString:
    """A sortable column head: sort_link in a <th> whose aria-sort says the order in force."""
    _, active, descending = _sort_state(context, key)
    return format_html(
        '<th scope="col" class="text-nowrap {}"{}>{}</th>',
        css,
        format_html(' aria-sort="{}"', "descending" if descending else "ascending")
        if active
        else "",
        sort_link(context, label, key),
    )
