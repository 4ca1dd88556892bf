"""The enterprise register import (issue 14 item 6): a messy sheet, merging by credit code, the
ADR 0006 rule for enterprises another station serves, the command and its permissions."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from hqzt.audit.models import AuditEvent
from hqzt.enterprises.credit_code import credit_code_check_char
from hqzt.enterprises.models import Enterprise
from hqzt.enterprises.tests.factories import EnterpriseFactory, TownFactory

pytestmark = pytest.mark.django_db


def _code(body: str) -> str:
    return body + credit_code_check_char(body)


CODE_A = _code("91140500MA0K00001")
CODE_B = _code("91140500MA0K00002")
CODE_C = _code("91140500MA0K00003")
CODE_D = _code("91140500MA0K00004")


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def _sheet(path, town: str) -> str:
    book = Workbook()
    ws = book.active
    ws.append(["晋城市企业名册"])
    ws.merge_cells("A1:H1")
    ws.append(
        [
            "企业名称",
            "统一社会信用代码",
            "法定代表人",
            "地址",
            "所属行业",
            "所属专业镇",
            "联系人",
            "联系电话",
        ]
    )
    bad = CODE_C[:17] + ("0" if CODE_C[17] != "0" else "1")
    ws.append(
        [
            "甲机械有限公司",
            _full_width(CODE_A),
            "张三",
            "巴公镇",
            "装备制造",
            town,
            "李四",
            "138 0000 0001",
        ]
    )  # row 3
    ws.append(["乙铸造有限公司", CODE_B.lower(), "王五", "", "铸造", "", "", ""])  # row 4
    ws.append(["丙化工有限公司", bad, "", "", "", "", "", ""])  # row 5
    ws.append(["甲机械有限公司", CODE_A, "", "", "", "", "", ""])  # row 6: merged into row 3
    ws.append(["丁外站企业", CODE_D, "赵六", "", "", "", "", ""])  # row 7: another station's
    ws.append(["合计：5家"])
    file = path / "名册.xlsx"
    book.save(file)
    return str(file)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_enterprises", *args, stdout=out)
    return out.getvalue()


def test_messy_register_imports_merged_and_once(tmp_path, station_a, station_b, staff_a):
    town = TownFactory(name="巴公镇")
    served = EnterpriseFactory(name="乙铸造厂", credit_code=CODE_B)
    station_a.enterprises.add(served)
    other = EnterpriseFactory(name="丁外站企业", credit_code=CODE_D, legal_representative="")
    station_b.enterprises.add(other)
    path = _sheet(tmp_path, town.name)

    dry = json.loads(
        _run(path, "--station", station_a.name, "--as", "staff_a", "--dry-run", "--json")
    )
    results = {r["row"]: r["result"] for r in dry["rows"]}
    assert results == {
        3: "new",
        4: "update",
        5: "rejected",
        6: "repeat",
        7: "skipped",
        8: "skipped",
    }
    assert Enterprise.objects.count() == 2
    reasons = {r["row"]: r["reason"] for r in dry["rows"]}
    assert "统一社会信用代码" in reasons[5] and "校验位错误" in reasons[5]
    assert "该信用代码已由其他服务站登记" in reasons[7] and "丁外站" not in reasons[7]

    out = _run(path, "--station", str(station_a.pk), "--as", "staff_a")
    assert "第 5 行\t有误" in out
    created = Enterprise.objects.get(credit_code=CODE_A)
    assert created.town == town and created.contacts.get().name == "李四"
    assert station_a.enterprises.filter(pk=created.pk).exists()
    served.refresh_from_db()
    assert served.name == "乙铸造有限公司" and served.legal_representative == "王五"
    other.refresh_from_db()
    assert other.legal_representative == "" and not station_a.enterprises.filter(pk=other.pk)
    assert AuditEvent.objects.filter(object_id=str(served.pk), action="update").exists()

    again = json.loads(_run(path, "--station", station_a.name, "--as", "staff_a", "--json"))
    assert {r["row"]: r["result"] for r in again["rows"]}[3] == "same"
    assert Enterprise.objects.filter(credit_code=CODE_A).count() == 1
    assert Enterprise.objects.count() == 3


def test_staff_of_another_station_is_refused(tmp_path, station_a, staff_b):
    path = _sheet(tmp_path, "")
    with pytest.raises(CommandError, match="不能为「甲服务站」导入企业名册"):
        _run(path, "--station", station_a.name, "--as", "staff_b")
    assert not Enterprise.objects.exists()


def test_nothing_importable_exits_non_zero(tmp_path, station_a, staff_a):
    file = tmp_path / "坏.csv"
    file.write_bytes("企业名称,统一社会信用代码\n甲公司,123\n".encode("gbk"))
    with pytest.raises(CommandError, match="没有可导入的行"):
        _run(str(file), "--station", station_a.name, "--as", "staff_a")


def test_what_cannot_be_kept_is_refused_not_dropped(tmp_path, station_a, staff_a):
    book = Workbook()
    ws = book.active
    ws.append(["企业名称", "统一社会信用代码", "所属产业链", "所属专业镇", "联系人", "联系电话"])
    ws.append(["乙有限公司", CODE_B, "不存在的链", "", "", ""])
    ws.append(["丙有限公司", CODE_C, "", "不存在的镇", "", ""])
    ws.append(["丁有限公司", CODE_D, "", "", "王" * 51, "13812345678"])
    ws.append(["戊有限公司", "", "", "", "赵六", ""])
    ws.append(["己有限公司", "", "", "", "", ""])  # one good row, so the dry run succeeds
    path = tmp_path / "refused.xlsx"
    book.save(path)
    dry = json.loads(
        _run(str(path), "--station", station_a.name, "--as", "staff_a", "--dry-run", "--json")
    )
    reasons = {r["row"]: (r["result"], r["reason"]) for r in dry["rows"]}
    assert reasons[2] == ("rejected", "产业链「不存在的链」不在基础数据中（请先添加，或留空）")
    assert reasons[3] == ("rejected", "专业镇「不存在的镇」不在基础数据中（请先添加，或留空）")
    assert reasons[4] == ("rejected", "联系人超过50个字")
    assert reasons[5] == ("rejected", "联系人和联系电话需同时填写（或都留空）")
    assert reasons[6][0] == "new" and Enterprise.objects.count() == 0
