"""Select lists for the filter bars: one plain query per list, no template per option.

Django writes each `<option>` through its own template include and re-reads a model choice
field's queryset, through a server-side cursor (three round trips on PostgreSQL), each time the
choices are iterated. The ledger's bar has eight such lists — 200 stations for a city supervisor —
and they took about as long as the page's 50 rows (issue 18). `QuickSelect` writes the same HTML in
Python; `ListedModelChoiceField` reads its queryset once per form, that is once per request.
"""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


def _attrs(attrs: dict) -> SafeString:
    """Attributes in their order, as django/forms/widgets/attrs.html writes them."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", k) if v is True else format_html(' {}="{}"', k, v),)
            for k, v in attrs.items()
            if v is not False
        ),
    )


def _options(group: list[dict]) -> SafeString:
    return format_html_join(
        "\n",
        '<option value="{}"{}>{}</option>',
        ((o["value"], _attrs(o["attrs"]), o["label"]) for o in group),
    )


class QuickSelect(forms.Select):
    """A `<select>` written like Django's select.html (the same attributes, options and option
    groups) without rendering a template for every option."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                parts.append(
                    format_html('<optgroup label="{}">{}</optgroup>', group_name, _options(options))
                )
            else:
                parts.append(_options(options))
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            _attrs(widget["attrs"]),
            format_html_join("\n", "{}", ((part,) for part in parts)),
        )


class _ListedChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.listed():
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.field.listed()) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.listed())


class ListedModelChoiceField(forms.ModelChoiceField):
    """A model choice whose options are read in one plain query the first time they are shown and
    kept for the form (a form lives for one request); validating a value still reads the one row
    from the queryset, so nothing stale is ever accepted."""

    iterator = _ListedChoiceIterator
    widget = QuickSelect

    def listed(self) -> list:
        queryset = self.queryset
        cached = getattr(self, "_listed", None)
        if cached is None or cached[0] is not queryset:
            cached = self._listed = (queryset, list(queryset))
        return cached[1]

    def list_with(self, other: "ListedModelChoiceField") -> None:
        """Offer the rows `other` lists, read once for both fields (two lists of the same
        model and queryset on one form: one query less a page). A submitted value is still
        checked against this field's own queryset."""
        self.listed = other.listed
