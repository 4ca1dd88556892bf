import pytest
from django.http import QueryDict
from django.urls import reverse

from hqzt.core import pagination
from hqzt.core.pagination import sorted_paginate
from hqzt.enterprises.models import Enterprise
from hqzt.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_pages_walk_every_row_once_newest_first():
    EnterpriseFactory.create_batch(7)
    seen, params = [], QueryDict("")
    while True:
        page = sorted_paginate(Enterprise.objects.all(), params, page_size=3)
        seen += [e.pk for e in page.items]
        if page.next_cursor is None:
            break
        params = QueryDict(f"after={page.next_cursor}")
    assert seen == sorted(Enterprise.objects.values_list("pk", flat=True), reverse=True)
    assert page.total == 7 and not page.total_is_bounded


def test_malformed_cursor_starts_at_the_top():
    EnterpriseFactory.create_batch(2)
    page = sorted_paginate(Enterprise.objects.all(), QueryDict("after=abc"), page_size=5)
    assert page.is_first and len(page.items) == 2


def test_totals_are_bounded(monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_BOUND", 3)
    EnterpriseFactory.create_batch(5)
    page = sorted_paginate(Enterprise.objects.all(), QueryDict(""), page_size=2)
    assert page.total_display == "3+"
    assert pagination.bounded_count(Enterprise.objects.all(), bound=3) == "3+"
    assert pagination.bounded_count(Enterprise.objects.all(), bound=5) == "5"


def test_a_total_of_disjoint_parts_is_bounded_across_them():
    first, *_ = EnterpriseFactory.create_batch(5)
    parts = (Enterprise.objects.filter(pk=first.pk), Enterprise.objects.exclude(pk=first.pk))
    assert pagination.count_to_bound(parts, bound=10) == 5
    assert pagination.bounded_count(parts, bound=3) == "3+"
    assert pagination.bounded_count(parts, bound=5) == "5"


def _enterprises_at(station, count, **fields):
    enterprises = [EnterpriseFactory(**fields) for _ in range(count)]  # `size` is a field
    station.enterprises.add(*enterprises)
    return enterprises


def test_every_list_pages_by_number_and_size(client_for, staff_a, station_a):
    """The enterprise list uses the ledger's pager: 20 to a page, numbered pages, 上一页."""
    _enterprises_at(station_a, 45)
    client = client_for(staff_a)
    first = client.get(reverse("enterprises:list"), {"per_page": "20"})
    assert len(first.context["page"].items) == 20
    html = first.text
    assert 'aria-label="第 3 页"' in html and "下一页" in html and "上一页" not in html
    third = client.get(reverse("enterprises:list"), {"per_page": "20", "start": "40"})
    assert len(third.context["page"].items) == 5 and third.context["page"].number == 3
    assert 'data-testid="page-prev"' in third.text


def test_the_page_size_is_not_the_enterprise_size_filter(client_for, staff_a, station_a):
    """规模 (`size`) and the page size (`per_page`) are two parameters: both apply, neither is
    reported as an invalid filter, and the page size form keeps the filter."""
    _enterprises_at(station_a, 25, size="small")
    _enterprises_at(station_a, 3, size="large")
    response = client_for(staff_a).get(
        reverse("enterprises:list"), {"size": "small", "per_page": "20"}
    )
    page = response.context["page"]
    assert page.total == 25 and len(page.items) == 20
    assert {e.size for e in page.items} == {"small"}
    assert "已忽略" not in response.text
    assert '<input type="hidden" name="size" value="small">' in response.text
    assert '<input type="hidden" name="per_page"' not in response.text  # the select is it


def test_a_page_size_outside_the_choices_falls_back(client_for, staff_a, station_a):
    _enterprises_at(station_a, 3)
    response = client_for(staff_a).get(reverse("enterprises:list"), {"per_page": "100000"})
    assert response.status_code == 200 and response.context["page"].page_size == 50
