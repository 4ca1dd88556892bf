from pathlib import Path

from django.conf import settings

from hqzt.needs.states import ENTRIES, TRANSITIONS, Status, markdown


def test_the_drawing_in_docs_matches_the_table():
    doc = Path(settings.BASE_DIR, "docs", "need-states.md").read_text(encoding="utf-8")
    assert doc == markdown(), "run: manage.py state_diagrams --write"


# DB1405 §6.1
def test_every_state_is_reachable_and_every_open_state_has_a_way_out():
    targets = {t.target for t in TRANSITIONS} | {e.target for e in ENTRIES}
    assert targets == set(Status)
    sources = {t.source for t in TRANSITIONS}
    assert set(Status) - sources == {Status.ARCHIVED, Status.REJECTED}


def test_the_import_is_an_entry_of_the_table_and_the_drawing():
    imports = {e.target for e in ENTRIES if e.action == "import"}
    assert imports == {Status.REGISTERED, Status.ARCHIVED}
    doc = markdown()
    assert "[*] --> archived: 从历史台账导入已办结的记录" in doc
    assert "[*] --> registered: 从历史台账导入，继续办理" in doc
