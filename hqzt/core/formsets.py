"""Formsets whose row ids are checked against their parent object.

Django's model formsets build the hidden ``id`` field of every row over the model's *whole* table:
a row posted with the id of another parent's child comes back in ``cleaned_data`` as that foreign
object, and any code that saves from ``cleaned_data`` then changes a record the user cannot see.
Every inline formset of the project is made here, so the id of each row is limited to the rows of
the parent being edited; a foreign id is a form error like any other bad input.
"""

from typing import Any

from django import forms
from django.db.models import Model

FOREIGN_ROW = "该行不属于正在编辑的记录，请刷新页面后重新填写。"


class ParentScopedInlineFormSet(forms.BaseInlineFormSet):
    """An inline formset that accepts only ids of the parent's own rows (none for a new parent)."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        field = form.fields.get(self._pk_field.name)
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = self.get_queryset()
            field.error_messages = {**field.error_messages, "invalid_choice": FOREIGN_ROW}

    def clean(self) -> None:
        """Refuse the whole formset, deleted rows included (Django skips their errors), and say
        so above the rows, since the id is a hidden field that shows no error of its own."""
        super().clean()
        if any(self._pk_field.name in form.errors for form in self.forms):
            raise forms.ValidationError(FOREIGN_ROW, code="foreign_row")


def parent_inline_formset(
    parent_model: type[Model], model: type[Model], **kwargs: Any
) -> type[ParentScopedInlineFormSet]:
    """``inlineformset_factory`` with row ids limited to the parent; use it for every inline
    formset (a test walks the project's formsets and refuses any other kind)."""
    return forms.inlineformset_factory(
        parent_model, model, formset=ParentScopedInlineFormSet, **kwargs
    )
