import io
import json

import pytest
from django.core.management import CommandError, call_command

from hqzt.intake import labels
from hqzt.org.models import Section

pytestmark = pytest.mark.django_db


def _run(stdin: str, monkeypatch) -> list[dict]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("classify_needs", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_one_json_line_per_input_with_reference_names(monkeypatch) -> None:
    lines = [
        json.dumps({"text": "压力表送检"}, ensure_ascii=False),
        "",
        json.dumps({"text": "想申请高企认定"}, ensure_ascii=False),
    ]
    rows = _run("\n".join(lines) + "\n", monkeypatch)
    assert len(rows) == 2
    sections = set(Section.objects.values_list("name", flat=True))
    for row in rows:
        assert set(row) == {"type", "scope", "complexity", "lead"}
        assert len(row["type"]) >= 3 and len(row["lead"]) >= 3
        assert set(row["type"]) <= set(labels.TYPES)
        assert set(row["scope"]) == set(labels.SCOPES)
        assert set(row["complexity"]) == set(labels.COMPLEXITIES)
        assert set(row["lead"]) <= sections
    assert rows[0]["type"][0] == "计量" and rows[0]["lead"][0] == "计量科"
    assert rows[1]["lead"][0] == "市科学技术局"


def test_labels_in_the_input_are_ignored(monkeypatch) -> None:
    plain = _run('{"text": "压力表送检"}\n', monkeypatch)
    labelled = _run(
        '{"text": "压力表送检", "type": "知识产权", "lead": ["知识产权科"]}\n', monkeypatch
    )
    assert plain == labelled


@pytest.mark.parametrize("line", ["not json", '{"content": "x"}', '{"text": 3}', "[1]"])
def test_bad_input_is_refused_in_chinese(monkeypatch, line: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(line + "\n"))
    with pytest.raises(CommandError, match="第 1 行"):
        call_command("classify_needs", stdout=io.StringIO())


def test_build_command_writes_the_model_under_data_dir(settings, tmp_path, city) -> None:
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    call_command("build_intake_model", "--city", str(city.pk), stdout=out)
    assert (tmp_path / "intake" / "model.json.gz").exists()
    assert (tmp_path / "intake" / f"model-city-{city.pk}.json.gz").exists()
    assert "语料 717 条" in out.getvalue()


def test_build_command_refuses_an_unknown_city(county) -> None:
    with pytest.raises(CommandError, match="市级单位"):
        call_command("build_intake_model", "--city", str(county.pk), stdout=io.StringIO())
