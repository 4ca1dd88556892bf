"""docs/clauses.md is generated from the DB1405 markers and complete: every one of the
standard's 36 items has code and a test (as docs/need-states.md is kept in step)."""

from pathlib import Path

from django.conf import settings

from hqzt.core.clauses import CLAUSES, Marker, markdown, markers, problems


def test_the_standard_has_36_items():
    assert len(CLAUSES) == len({c for c, _ in CLAUSES}) == 36


def test_every_clause_has_code_and_a_test_and_no_marker_is_unknown():
    assert problems(markers()) == []


def test_the_doc_matches_the_markers():
    doc = Path(settings.BASE_DIR, "docs", "clauses.md").read_text(encoding="utf-8")
    assert doc == markdown(), "run: manage.py clauses_doc --write"


def test_a_missing_test_or_an_unknown_clause_is_reported():
    found = [
        Marker("4", "hqzt/stations/principles.py", 1, ""),
        Marker("9.9", "hqzt/x.py", 3, "f"),
    ]
    report = problems(found)
    assert "§4 没有测试标记" in report and "§5.1 没有代码标记" in report
    assert "hqzt/x.py:3: 标准中没有 §9.9" in report
