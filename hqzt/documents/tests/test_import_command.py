"""`manage.py import_ledger`: the upload page's dry run and confirm from the command line, with
the same permissions, per-row results in Chinese, JSON, and an exit status scripts can trust."""

import datetime
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hqzt.core import clock
from hqzt.documents.tests import messy
from hqzt.needs.models import Need

pytestmark = pytest.mark.django_db
NEW_YEAR = datetime.datetime(2026, 1, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def _write(folder, name: str, content: io.BytesIO):
    path = folder / name
    path.write_bytes(content.getvalue())
    return path


def _run(*args: str) -> str:
    out = io.StringIO()
    with clock.travel(NEW_YEAR):
        call_command("import_ledger", *args, stdout=out)
    return out.getvalue()


def test_imports_a_folder_of_station_spreadsheets(tmp_path, station_a, staff_a):
    _write(tmp_path, "巴公台账.xlsx", messy.station_ledger())
    _write(tmp_path, "加油机.csv", messy.gbk_csv())
    (tmp_path / "说明.txt").write_text("不是台账")
    out = _run(str(tmp_path), "--station", station_a.name, "--as", "staff_a")
    assert "== " in out and "巴公台账.xlsx → 甲服务站" in out
    assert "第 7 行\t导入\t需求类型「税务」属于市税务局的职能" in out
    assert "第 11 行\t文件内重复\t与第 10 行完全相同，只导入一次" in out
    assert "第 17 行\t有误\t日期「2025-02-30」不存在" in out
    assert "第 20 行\t跳过\t合计/说明行" in out
    assert "已导入 12 行" in out and "已导入 1 行" in out
    assert Need.objects.filter(station=station_a).count() == 13
    again = _run(str(tmp_path), "--station", str(station_a.pk), "--as", "staff_a")
    assert "第 4 行\t已导入过" in again and Need.objects.count() == 13


def test_dry_run_as_json_writes_nothing(tmp_path, station_a, staff_a):
    path = _write(tmp_path, "台账.xlsx", messy.station_ledger())
    report = json.loads(
        _run(str(path), "--station", station_a.name, "--as", "staff_a", "--dry-run", "--json")
    )
    (file,) = report["files"]
    assert file["dry_run"] is True and file["imported"] == 0 and file["sheet"] == "2025年台账"
    rows = {r["row"]: r for r in file["rows"]}
    assert rows[4]["result"] == "import" and rows[11]["result"] == "duplicate"
    assert rows[17] == {
        "row": 17,
        "result": "error",
        "label": "有误",
        "reason": "日期「2025-02-30」不存在",
        "warnings": [],
    }
    assert rows[20]["result"] == "skip"
    assert not Need.objects.exists()


def test_the_same_permissions_as_the_page(tmp_path, station_a, staff_b, supervisor):
    path = _write(tmp_path, "台账.xlsx", messy.station_ledger())
    for user in ("staff_b", "supervisor_city"):
        out = _run_failing(str(path), "--station", station_a.name, "--as", user, "--json")
        assert json.loads(out)["files"][0]["error"] == "您不能为「甲服务站」导入台账。"
    assert not Need.objects.exists()


def _run_failing(*args: str) -> str:
    out = io.StringIO()
    with clock.travel(NEW_YEAR), pytest.raises(CommandError):
        call_command("import_ledger", *args, stdout=out)
    return out.getvalue()


def test_nothing_importable_because_of_errors_exits_non_zero(tmp_path, station_a, staff_a):
    bad = [[1, "2025-02-30", "某企业有限公司", "王", "13903561234", "计量", "日期错", "", ""]]
    path = _write(tmp_path, "坏台账.xlsx", messy.station_ledger(bad))
    out = _run_failing(str(path), "--station", station_a.name, "--as", "staff_a")
    assert "第 4 行\t有误\t日期「2025-02-30」不存在" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--station", "不存在的服务站", "--as", "staff_a"], "没有服务站「不存在的服务站」"),
        (["--station", "甲服务站", "--as", "nobody"], "没有启用的用户「nobody」"),
    ],
)
def test_clear_errors_for_a_wrong_station_or_user(tmp_path, station_a, staff_a, args, message):
    path = _write(tmp_path, "台账.xlsx", messy.station_ledger())
    with pytest.raises(CommandError, match=message):
        call_command("import_ledger", str(path), *args, stdout=io.StringIO())


def test_an_unreadable_file_is_reported_and_fails(tmp_path, station_a, staff_a):
    path = _write(tmp_path, "旧表.xlsx", messy.old_xls_renamed())
    out = _run_failing(str(path), "--station", station_a.name, "--as", "staff_a")
    assert "错误：这是旧版 Excel（.xls）文件" in out


def test_a_zip_bomb_is_refused_before_it_is_opened(tmp_path, station_a, staff_a):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 60_000_000)
    path = _write(tmp_path, "炸弹.xlsx", buffer)
    out = _run_failing(str(path), "--station", station_a.name, "--as", "staff_a")
    assert "错误：" in out and not Need.objects.exists()
