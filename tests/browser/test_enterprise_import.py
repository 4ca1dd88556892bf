"""A station's staff member loads the enterprise register the way it really arrives: a sheet with a
merged title, a 填报 line, full-width and lower-case credit codes, a code behind an apostrophe, a
wrong check character, the same enterprise twice, a hidden column, a chain that does not exist and
a 合计 footer. The preview says what will happen to each row; nothing is saved until the confirm,
which then imports exactly that."""

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from hqzt.enterprises.credit_code import credit_code_check_char
from hqzt.enterprises.models import Enterprise
from hqzt.stations.models import Station
from tests.browser.conftest import DEMO_PASSWORD, login, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

STATION = "巴公装备制造专业镇惠企直通服务站"


def _code(body: str) -> str:
    return body + credit_code_check_char(body)


NEW_A = _code("91140525MA0L00001")
NEW_B = _code("91140525MA0L00002")
NEW_C = _code("91140525MA0L00003")
BAD = NEW_C[:17] + ("0" if NEW_C[17] != "0" else "1")


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in text)


def _sheet(path, served: Enterprise, foreign: Enterprise) -> str:
    book = Workbook()
    ws = book.active
    ws.title = "企业名册"
    ws.append(["巴公镇重点企业名册（2025年）"])
    ws.merge_cells("A1:J1")
    ws.append(["填报单位：巴公镇惠企直通服务站", "", "", "", "", "", "", "", "填报日期：2025年3月"])
    ws.append(
        [
            "序号",
            "企业 名称",
            "统一社会信用代码",
            "法定代表人",
            "企业地址",
            "行业",
            "所属产业链",
            "所属专业镇",
            "联系人",
            "联系电话",
            "内部备注",
        ]
    )
    town, chain = "巴公装备制造专业镇", "高端装备制造产业链"
    rows = [
        [
            1,
            "晋城市巴公精铸有限公司",
            _full_width(NEW_A),
            "张建军",
            "泽州县巴公镇工业园",
            "铸造",
            chain,
            town,
            "李明",
            "139 3560 1234",
            "老客户",
        ],
        [
            2,
            "晋城市恒泰液压件有限公司",
            NEW_B.lower(),
            "王红",
            "巴公镇东街18号",
            "液压件",
            "",
            town,
            "赵丽",
            "0356-3081234",
            "",
        ],
        [3, "晋城市巴公标准件厂", f"'{NEW_C}", "", "", "标准件", "", "", "", "", ""],
        [4, "晋城市错码机械有限公司", BAD, "", "", "", "", "", "", "", ""],
        [5, "晋城市巴公精铸有限公司", NEW_A, "", "", "", "", "", "", "", "重复登记"],
        [6, served.name, served.credit_code, "新法人", "", "", "", "", "", "", ""],
        [7, foreign.name, foreign.credit_code, "别站改的", "", "", "", "", "", "", ""],
        [8, "晋城市光伏组件有限公司", "", "", "", "", "光伏产业链", "", "", "", ""],
    ]
    for row in rows:
        ws.append(row)
    ws.append(["合计：8家"])
    ws.column_dimensions["K"].hidden = True
    file = path / "巴公镇企业名册.xlsx"
    book.save(file)
    return str(file)


def test_staff_uploads_a_messy_register_previews_and_confirms(
    settings, tmp_path, live_server, new_page
):
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", password=DEMO_PASSWORD, without_needs=True)
    station = Station.objects.get(name=STATION)
    served = station.enterprises.exclude(credit_code=None).order_by("pk").first()
    foreign = Enterprise.objects.exclude(stations=station).exclude(credit_code=None).first()
    before = Enterprise.objects.count()
    path = _sheet(tmp_path, served, foreign)

    page = login(new_page, live_server.url, "staff2")
    page.get_by_role("link", name="企业", exact=True).click()
    page.get_by_role("link", name="导入企业名册").click()
    page.get_by_label("导入到服务站").select_option(label=STATION)
    page.get_by_label("企业名册文件（.xlsx 或 .csv）").set_input_files(path)
    page.get_by_role("button", name="上传并预检").click()

    summary = page.get_by_test_id("import-summary")
    summary.wait_for()
    assert "新增 3 家，更新 1 家" in summary.inner_text()
    rows = page.get_by_test_id("import-rows")
    text = rows.inner_text()
    assert "校验位错误" in text and "晋城市错码机械有限公司" in text
    assert "与第 4 行为同一企业（统一社会信用代码相同），已合并" in text
    assert "将更新：法定代表人" in text
    assert "该信用代码已由其他服务站登记，如需由本站服务，请联系上级单位添加服务关系" in text
    assert "产业链「光伏产业链」不在基础数据中" in text
    assert "合计/说明行" in text
    screenshot(page, "enterprise-import-preview")
    assert Enterprise.objects.count() == before  # nothing saved on the preview

    page.get_by_role("button", name="确认导入（新增 3 家，更新 1 家）").click()
    page.get_by_text("企业名册已导入").wait_for()
    assert Enterprise.objects.count() == before + 3
    page.get_by_label("企业名称、信用代码或联系电话").fill(NEW_A)
    page.get_by_role("button", name="查询").click()
    page.get_by_test_id("enterprise-table").get_by_text("晋城市巴公精铸有限公司").wait_for()
    screenshot(page, "enterprise-import-done")
    created = Enterprise.objects.get(credit_code=NEW_A)
    assert created.town.name == "巴公装备制造专业镇"
    assert created.contacts.get().name == "李明"
    assert Enterprise.objects.get(credit_code=NEW_B).name == "晋城市恒泰液压件有限公司"
    served.refresh_from_db()
    foreign.refresh_from_db()
    assert served.legal_representative == "新法人"
    assert foreign.legal_representative != "别站改的"
