"""Filter bars' select lists (core/choices.py): the same HTML as Django's, one query per list."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hqzt.core.choices import ListedModelChoiceField, QuickSelect
from hqzt.needs.models import NeedType

CHOICES = [
    ("", "全部"),
    ("a", "甲 <乙>"),
    ("分组", [("b", "丙"), ("c", "丁 & 戊")]),
    (3, "三"),
]


@pytest.mark.parametrize("value", [None, "", "a", "c", 3, "missing"])
@pytest.mark.parametrize(
    "attrs",
    [{}, {"class": "form-select", "id": "id_x", "required": True, "disabled": False}],
)
def test_quick_select_writes_what_djangos_select_writes(value, attrs):
    ours = QuickSelect(choices=CHOICES).render("x", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("x", value, attrs=attrs)

    def same(html: str) -> str:  # Django's templates add line breaks and indents between tags
        return "".join(part.strip() for part in html.splitlines())

    assert same(ours) == same(django)


def test_quick_select_escapes_labels_and_attributes():
    html = QuickSelect(choices=[('"><script>', "<b>")]).render("x", None, {"title": '"'})
    assert "<script>" not in html and "<b>" not in html and 'title="&quot;"' in html


class _Form(forms.Form):
    kind = ListedModelChoiceField(queryset=NeedType.objects.all(), required=False)


@pytest.mark.django_db
def test_listed_choices_are_read_once_per_form_in_one_plain_query():
    form = _Form()
    with CaptureQueriesContext(connection) as captured:
        first = str(form["kind"])
        second = str(form["kind"])
        assert len(form.fields["kind"].choices) == NeedType.objects.count() + 1
    assert first == second and len(captured) == 2  # the list once, and the count() above
    assert "CURSOR" not in captured[0]["sql"].upper()  # no server-side cursor round trips
    assert str(_Form()["kind"]) == first  # another form (request) reads its own


@pytest.mark.django_db
def test_listed_choices_follow_a_new_queryset_and_validate_against_the_database():
    form = _Form({"kind": ""})
    str(form["kind"])
    first = NeedType.objects.order_by("pk").first()
    form.fields["kind"].queryset = NeedType.objects.filter(pk=first.pk)
    assert [v for v, _ in form.fields["kind"].choices if v] == [first.pk]
    # A value is checked against the queryset, not against the list shown.
    added = NeedType.objects.create(code="later", name="后加的类型")
    assert _Form({"kind": str(added.pk)}).is_valid()
    outside = _Form({"kind": str(added.pk)})
    outside.fields["kind"].queryset = NeedType.objects.exclude(pk=added.pk)
    assert not outside.is_valid()


class _TwoLists(forms.Form):
    kind = ListedModelChoiceField(queryset=NeedType.objects.all(), required=False)
    archived_as = ListedModelChoiceField(queryset=NeedType.objects.all(), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["archived_as"].list_with(self.fields["kind"])


@pytest.mark.django_db
def test_two_lists_of_the_same_rows_read_them_once_and_each_validates_on_its_own():
    form = _TwoLists()
    with CaptureQueriesContext(connection) as captured:
        kind, archived = str(form["kind"]), str(form["archived_as"])
    assert len(captured) == 1
    assert archived == kind.replace('name="kind"', 'name="archived_as"').replace(
        'id="id_kind"', 'id="id_archived_as"'
    )
    added = NeedType.objects.create(code="later", name="后加的类型")
    assert _TwoLists({"archived_as": str(added.pk)}).is_valid()
    narrowed = _TwoLists({"archived_as": str(added.pk)})
    narrowed.fields["archived_as"].queryset = NeedType.objects.exclude(pk=added.pk)
    assert not narrowed.is_valid()
