import pytest
from django.http import QueryDict

from hqzt.core import pagination
from hqzt.core.pagination import keyset_paginate
from hqzt.enterprises.models import Enterprise
from hqzt.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_pages_walk_every_row_once_newest_first():
    EnterpriseFactory.create_batch(7)
    seen, params = [], QueryDict("")
    while True:
        page = keyset_paginate(Enterprise.objects.all(), params, page_size=3)
        seen += [e.pk for e in page.items]
        if page.next_cursor is None:
            break
        params = QueryDict(f"after={page.next_cursor}")
    assert seen == sorted(Enterprise.objects.values_list("pk", flat=True), reverse=True)
    assert page.total == 7 and not page.total_is_bounded


def test_malformed_cursor_starts_at_the_top():
    EnterpriseFactory.create_batch(2)
    page = keyset_paginate(Enterprise.objects.all(), QueryDict("after=abc"), page_size=5)
    assert page.is_first and len(page.items) == 2


def test_totals_are_bounded(monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_BOUND", 3)
    EnterpriseFactory.create_batch(5)
    page = keyset_paginate(Enterprise.objects.all(), QueryDict(""), page_size=2)
    assert page.total_display == "3+"
