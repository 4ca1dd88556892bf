"""Station spreadsheets as stations really keep them, generated with openpyxl (never by hand):
each trap of issue 14 is in one of these files, and test_messy_ledgers.py says what becomes of it.
"""

import datetime
import io

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

HEADER = [
    "序号",
    "日期",
    "企业名称",
    "企业联系人",
    "联系电话",
    "企业需求类型",
    "企业需求",
    "首位工作人员",
    "跟踪单号",
]


def _save(workbook: Workbook) -> io.BytesIO:
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _title(sheet: Worksheet, station: str) -> None:
    """The merged title and the 填报 row every station puts above its table."""
    sheet.append([f"{station}企业需求记录台账"])
    sheet.merge_cells("A1:I1")
    sheet.append(["填报单位：", station, "", "", "填报人：张三", "", "填报日期：2025年12月31日"])
    sheet.append(HEADER)


# The ledger of issue 14's test: 13 good rows, three bad ones, a footer — every trap at once.
# Rows 4–20 of the sheet; the numbers are this station's own and may equal another station's.
STATION_LEDGER = [
    [
        1,
        datetime.datetime(2025, 1, 8),
        "晋城市华晟光电科技有限公司",
        "王经理",
        "138 1234 5678",
        "计量",
        "压力表检定",
        "张三",
        "20250001",
    ],
    [
        2,
        "2025/1/8",
        "晋城市华晟光电科技有限公司",
        "王经理",
        "138-1234-5678",
        "标准化服务",
        "企业标准自我声明公开",
        "",
        "20250001",
    ],
    [
        3,
        45666,
        "泽州县巴公铸造有限公司",
        "李四",
        "0356-2221234",
        "3C认证",
        "电机产品3C认证咨询",
        "",
        "20250002",
    ],
    [
        4,
        "2025年1月10日",
        "高平市丝麻纺织有限公司",
        "张三",
        "１３９０３５６８８８８",
        "税务",
        "留抵退税政策怎么申请",
        "",
        "２０２５０００３",
    ],
    [
        5,
        "２０２５-０１-１３",
        "阳城县陶瓷有限公司",
        "赵六",
        "13903561111",
        "",
        "地磅需要检定",
        "",
        "20250004",
    ],
    [
        6,
        "2025.01.14",
        "<b>陵川县</b><script>alert(1)</script>机械有限公司",
        "钱七",
        "13903562222",
        "知识产权",
        "商标被抢注",
        "",
        "20250005",
    ],
    [
        7,
        "2025-01-15",
        "沁水县煤机配件有限公司",
        "孙八",
        "13903563333",
        "特种设备",
        "叉车年检",
        "",
        "20250006",
    ],
    [
        8,
        "2025-01-15",
        "沁水县煤机配件有限公司",
        "孙八",
        "13903563333",
        "特种设备",
        "叉车年检",
        "",
        "20250006",
    ],
    [
        9,
        "2025-01-16",
        "晋城市凤台机械有限公司",
        "周九",
        "13903564444",
        "信用",
        "经营异常名录移出",
        "",
        "20250007",
    ],
    [
        10,
        "2025-01-17",
        "晋城市兰花科技创业有限公司",
        "吴十",
        "13903565555",
        "社保",
        "稳岗返还政策",
        "",
        "20250008",
    ],
    [
        11,
        "2025-01-20",
        "泽州县金匠铸造有限公司",
        "郑经理",
        "13903566666",
        "用地",
        "新厂区用地预审",
        "",
        "20250009",
    ],
    [
        12,
        "2025-01-21",
        "晋城市富士康配套有限公司",
        "冯经理",
        "13903567777",
        "检测",
        "送检报告加急",
        "",
        "20250010",
    ],
    [
        13,
        "2025-01-22",
        "高平市黄花菜加工有限公司",
        "陈经理",
        "13903568888",
        "品牌",
        "山西精品申报",
        "",
        "20250011",
    ],
    [14, "2025-02-30", "阳城县某某有限公司", "赵", "13812345678", "计量", "日期错误", "", ""],
    [15, "2025-03-01", "", "赵", "13812345678", "计量", "缺企业名称", "", ""],
    [16, "2025-03-02", "陵川县某公司", "赵", "138123", "计量", "电话太短", "", ""],
    ["合计", "", "", "", "", "", "共 16 条", "", ""],
]
GOOD_ROWS = 13  # sheet rows 4–16; row 11 repeats row 10, so 12 needs on 11 sheets


def station_ledger(rows: list[list] | None = None) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "2025年台账"
    _title(sheet, "巴公装备制造专业镇惠企直通服务站")
    for row in rows or STATION_LEDGER:
        sheet.append(row)
    return _save(workbook)


def second_sheet_ledger() -> io.BytesIO:
    """A 填表说明 sheet first, the ledger second, and a hidden sheet with junk."""
    workbook = Workbook()
    notes = workbook.active
    notes.title = "填表说明"
    notes.append(["请按附录B填写，日期写作 2025-01-08。"])
    sheet = workbook.create_sheet("台账")
    _title(sheet, "光机电产业链惠企直通服务站")
    sheet.append(
        [1, "2025-03-03", "晋城市光机电有限公司", "王", "13903560001", "计量", "电子秤检定", "", ""]
    )
    junk = workbook.create_sheet("旧数据")
    junk.append(HEADER)
    junk.append(
        [1, "2025-03-03", "不该导入的企业有限公司", "王", "13903560002", "计量", "隐藏表", "", ""]
    )
    junk.sheet_state = "hidden"
    return _save(workbook)


def hidden_and_merged_ledger() -> io.BytesIO:
    """A hidden 内部备注 column, a hidden row, a date and an enterprise merged over two rows,
    leading apostrophes (text typed as '20250021), dates written 2025年3月5号."""
    workbook = Workbook()
    sheet = workbook.active
    header = [*HEADER[:7], "内部备注", *HEADER[7:]]
    sheet.append(header)
    sheet.append(
        [
            1,
            "2025年3月5号",
            "晋城市合并单元格有限公司",
            "王",
            "'13903560003",
            "计量",
            "压力表检定",
            "内部：不公开",
            "",
            "'20250021",
        ]
    )
    sheet.append(
        [
            2,
            None,
            None,
            "王",
            "13903560003",
            "标准化",
            "企业标准公开",
            "内部：不公开",
            "",
            "'20250021",
        ]
    )
    sheet.append(
        [3, "2025-03-06", "隐藏行企业有限公司", "王", "13903560004", "计量", "隐藏行", "", "", ""]
    )
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("C2:C3")
    sheet.column_dimensions["H"].hidden = True
    sheet.row_dimensions[4].hidden = True
    return _save(workbook)


def gbk_csv() -> io.BytesIO:
    lines = [
        ",".join(HEADER),
        "1,2025/3/7,晋城市ＧＢＫ编码有限公司,王,0356 2221234,计量检定,加油机检定，请尽快,,20250031",
        "2,2025/3/7,晋城市ＧＢＫ编码有限公司,王,0356 2221234,计量检定,加油机检定，请尽快,,20250031",
    ]
    return io.BytesIO(("\r\n".join(lines) + "\r\n").encode("gbk"))


def old_xls_renamed() -> io.BytesIO:
    """The first bytes of a BIFF .xls file (an OLE2 container), saved under an .xlsx name."""
    return io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
