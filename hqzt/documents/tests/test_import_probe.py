"""Outside-probe findings on the imports (issue 14, after #13's stop): control characters in the
enterprise register (F1), formula cells without a value (F3, both imports), a missing field
encryption key (F5), dates in other scripts' digits, and two imports registering one credit code
at once."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from hqzt.documents.enterprise_commit import _apply, enterprise_import_apply
from hqzt.documents.enterprise_import import analyse
from hqzt.documents.ledger_import import analyse as ledger_analyse
from hqzt.documents.spreadsheet import parse_date
from hqzt.documents.tests.test_enterprise_import import CODE_A, CODE_B
from hqzt.documents.tests.test_import import HEADER
from hqzt.enterprises.models import Enterprise
from hqzt.enterprises.tests.factories import EnterpriseFactory
from tests.concurrency import at_once

pytestmark = pytest.mark.django_db


def _csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


def _book(rows: list[list]) -> io.BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_control_characters_in_the_register_refuse_the_row(station_a):
    text = (
        "企业名称,统一社会信用代码,法定代表人,联系人,联系电话\n"
        "晋城\x00机械有限公司,,,,\n"
        "晋城铸造有限公司,,张\x07三,,\n"
        "晋城光学有限公司,,,李四,13812345678\n"
    )
    rows = {r.row: r for r in analyse(_csv(text), "名册.csv", station_a)}
    assert rows[2].status == "rejected"
    assert rows[2].reason == "企业名称含有不可见的控制字符（U+0000），请删除后再导入"
    assert (
        rows[3].status == "rejected"
        and "法定代表人含有不可见的控制字符（U+0007）" in rows[3].reason
    )
    assert rows[4].status == "new"


def test_a_formula_without_a_value_is_named_in_the_register(station_a):
    upload = _book(
        [
            ["企业名称", "统一社会信用代码", "法定代表人"],
            ['=A3&"分公司"', CODE_A, "张三"],
            ["晋城铸造有限公司", "=B2", "王五"],
        ]
    )
    rows = {r.row: r for r in analyse(upload, "名册.xlsx", station_a)}
    assert rows[2].status == "rejected" and '企业名称一栏是公式「=A3&"分公司"」' in rows[2].reason
    assert "没有它的计算结果" in rows[2].reason
    assert rows[3].status == "rejected" and "统一社会信用代码一栏是公式「=B2」" in rows[3].reason


def test_a_formula_without_a_value_is_named_in_the_ledger(station_a):
    upload = _book(
        [
            HEADER,
            ["1", "2025-03-01", "晋城机械有限公司", "王经理", "13903561234", "计量", "=G3", "", ""],
        ]
    )
    row = ledger_analyse(upload, "台账.xlsx", station_a).rows[0]
    assert row.status == "rejected" and "企业需求一栏是公式「=G3」" in row.reason


def test_a_formula_excel_computed_is_read_as_its_value(station_a, tmp_path):
    """A sheet saved by Excel carries each formula's result: that is what the station sees."""
    workbook = Workbook()
    workbook.active.append(["企业名称"])
    workbook.active.append(['="晋城"&"机械有限公司"'])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    import zipfile

    # Put the cached value in as Excel does: <c><f>…</f><v>…</v></c> with t="str".
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    start = sheet.index("<f>")
    end = sheet.index("</f>") + len("</f>")
    cell_start = sheet.rindex("<c ", 0, start)
    open_end = sheet.index(">", cell_start)
    head = sheet[cell_start:open_end].replace(' t="', ' x="') + ' t="str">'
    sheet = sheet[:cell_start] + head + sheet[start:end] + "<v>晋城机械有限公司</v>" + sheet[end:]
    sheet = sheet.replace("<v></v>", "")
    members["xl/worksheets/sheet1.xml"] = sheet.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    buffer.seek(0)
    rows = analyse(buffer, "名册.xlsx", station_a)
    assert [(r.status, r.values.get("name")) for r in rows] == [("new", "晋城机械有限公司")]


@pytest.mark.parametrize("text", ["٢٠٢٥-٠١-٠٨", "२०२५-०१-०८", "٢٠٢٥٠١٠٨", "٤٥٦٦٠", "২০২৫年১月৮日"])
def test_dates_in_other_scripts_digits_are_refused(text):
    with pytest.raises(ValueError, match="无法识别的日期"):
        parse_date(text)


def test_full_width_and_ascii_dates_are_read():
    assert str(parse_date("２０２５年１月８日")) == "2025-01-08"
    assert str(parse_date("45660")) == "2025-01-03"


def test_without_the_field_key_the_commands_say_so_in_chinese(
    tmp_path, settings, station_a, staff_a
):
    settings.FIELD_ENCRYPTION_KEYS = []
    path = tmp_path / "名册.csv"
    path.write_text("企业名称,联系人,联系电话\n晋城机械有限公司,李四,13812345678\n")
    for command in ("import_enterprises", "import_ledger"):
        with pytest.raises(CommandError, match="未设置字段加密密钥 FIELD_ENCRYPTION_KEY"):
            call_command(command, str(path), "--station", station_a.name, "--as", "staff_a")
    assert not Enterprise.objects.exists()


def test_a_code_registered_between_preview_and_write_is_not_doubled(station_a, station_b, staff_a):
    """The constraint path of a race: the row was new when analysed; by the time it is written a
    concurrent import or claim has registered the code. The unique constraint refuses the second
    row, and the import goes on with the one registered."""
    text = (
        "企业名称,统一社会信用代码,法定代表人\n"
        f"甲机械有限公司,{CODE_A},张三\n乙铸造有限公司,{CODE_B},王五\n"
    )
    outcomes = analyse(_csv(text), "名册.csv", station_a)
    assert [o.status for o in outcomes] == ["new", "new"]
    mine = EnterpriseFactory(name="甲机械", credit_code=CODE_A, legal_representative="")
    station_a.enterprises.add(mine)
    station_b.enterprises.add(EnterpriseFactory(name="乙铸造", credit_code=CODE_B))
    assert _apply(outcomes, station_a, staff_a) == 1
    assert [o.status for o in outcomes] == ["update", "skipped"]
    assert outcomes[1].reason.startswith("该信用代码已由其他服务站登记")
    assert "乙铸造" not in outcomes[1].reason
    mine.refresh_from_db()
    assert mine.legal_representative == "张三"
    assert Enterprise.objects.count() == 2
    assert Enterprise.objects.get(credit_code=CODE_B).legal_representative != "王五"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_two_imports_at_once_register_each_code_once(request):
    """Two stations' staff import registers naming the same enterprises at the same moment (on
    PostgreSQL both dry runs see them as new): each code and each name is registered once, and
    neither import fails."""
    station, staff = request.getfixturevalue("station_a"), request.getfixturevalue("staff_a")
    text = (
        "企业名称,统一社会信用代码\n"
        f"甲机械有限公司,{CODE_A}\n"
        f"乙铸造有限公司,{CODE_B}\n"
        "丙光学有限公司,\n"
    )

    def run() -> list[str]:
        rows = enterprise_import_apply(
            upload=_csv(text), name="名册.csv", station=station, actor=staff
        )
        return sorted(r.status for r in rows)

    results = at_once([run] * 2)
    assert sorted(map(str, results)) == sorted(
        [str(["new", "new", "new"]), str(["same", "same", "same"])]
    ), results
    assert Enterprise.objects.filter(credit_code=CODE_A).count() == 1
    assert Enterprise.objects.filter(name="丙光学有限公司").count() == 1
    assert Enterprise.objects.count() == 3
