"""The archive: archived needs filed by category and searchable (§6.6)."""

import re

import pytest

from hqzt.needs.models import NeedType
from hqzt.needs.services.archive import need_archive
from hqzt.needs.states import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(drive, staff_a):
    """Three archived needs: two filed under 计量, one under 标准化; and one still open."""
    standards = NeedType.objects.get(code="standardization")
    needs = [drive(Status.AWAITING_ARCHIVE) for _ in range(3)]
    filed = [
        need_archive(need=needs[0], actor=staff_a),
        need_archive(need=needs[1], actor=staff_a),
        need_archive(need=needs[2], actor=staff_a, category=standards),
    ]
    drive(Status.IN_PROGRESS)
    return filed, standards


def _labels(response) -> set[str]:
    table = response.content.decode().split('data-testid="archive"', 1)[1].split("</table>")[0]
    return set(re.findall(r">(\d{8,}-\d+)</a>", table))


# DB1405 §6.6.1
def test_archive_lists_only_archived_needs_with_category_counts(client_for, staff_a, archived):
    filed, standards = archived
    response = client_for(staff_a).get("/records/archive/")
    assert _labels(response) == {n.label for n in filed}
    categories = response.content.decode().split('data-testid="archive-categories"')[1]
    assert '计量 <span class="badge text-bg-light">2</span>' in categories
    assert '标准化 <span class="badge text-bg-light">1</span>' in categories
    response = client_for(staff_a).get("/records/archive/", {"category": standards.pk})
    assert _labels(response) == {filed[2].label}


def test_archive_search_by_short_chinese_terms_and_year(client_for, staff_a, archived):
    filed, _ = archived
    assert _labels(client_for(staff_a).get("/records/archive/", {"q": "检定"})) == {
        n.label for n in filed
    }
    assert _labels(client_for(staff_a).get("/records/archive/", {"q": "秤"})) == {
        n.label for n in filed
    }
    year = filed[0].archived_at.year
    assert _labels(client_for(staff_a).get("/records/archive/", {"year": year - 1})) == set()
    assert len(_labels(client_for(staff_a).get("/records/archive/", {"year": year}))) == 3


def test_archive_is_scoped_and_bad_filters_are_ignored(client_for, staff_b, staff_a, archived):
    assert _labels(client_for(staff_b).get("/records/archive/")) == set()
    response = client_for(staff_a).get("/records/archive/", {"year": "abc", "category": "x"})
    assert response.status_code == 200 and len(_labels(response)) == 3
