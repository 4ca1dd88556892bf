"""Appendix C (需求处理跟踪单) and Appendix D (满意度评价表) as Word and PDF, filled or blank.

The layouts follow the standard's tables. PDFs embed Noto Sans SC; Word documents name 宋体 for
East Asian text, the font every Chinese office installation has.
"""

from dataclasses import dataclass, field
from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table

from hqzt.core import clock
from hqzt.core.render import word
from hqzt.core.render.pdf import SHADE, grid, para, styles
from hqzt.needs.history import handling_text
from hqzt.needs.models import EvaluationLevel

SHEET_TITLE = "惠企直通服务站需求处理跟踪单"
SHEET_COLUMNS = [
    "序号",
    "企业需求",
    "牵头科室",
    "责任人",
    "开始时间/结束时间",
    "处理过程及结果",
    "备注",
]
SHEET_WIDTHS = [1.2, 6, 2.6, 2, 3.2, 7, 2.6]  # cm, landscape A4
SHEET_MIN_ROWS = 5  # the appendix prints five rows
EVALUATION_TITLE = "满意度评价表"


@dataclass
class SheetData:
    """What Appendix C shows: empty strings print a blank form."""

    enterprise: str = ""
    tracking_number: str = ""
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class EvaluationData:
    """What Appendix D shows; `level` is an EvaluationLevel value or '' for unticked boxes."""

    enterprise: str = ""
    contact: str = ""
    phone: str = ""
    project: str = ""
    start: str = ""
    end: str = ""
    result: str = ""
    level: str = ""
    comments: str = ""
    footer: str = ""


def _padded(rows: list[list[str]]) -> list[list[str]]:
    blanks = [[str(i), *[""] * 6] for i in range(len(rows) + 1, SHEET_MIN_ROWS + 1)]
    return rows + blanks


def level_boxes(level: str) -> str:
    return "　".join(
        f"{'■' if value == level else '□'}{label}" for value, label in EvaluationLevel.choices
    )


# --- Word ---------------------------------------------------------------------------------------


def sheet_docx(data: SheetData) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Cm(1.5)
    word.title(document, SHEET_TITLE)
    line = document.add_paragraph()
    word.font(line.add_run(f"服务对象：{data.enterprise or '＿＿＿＿＿＿＿＿＿＿'}"), 11)
    word.font(line.add_run(f"　　　　跟踪单号：{data.tracking_number or '＿＿＿＿＿＿'}"), 11)
    rows = _padded(data.rows)
    table = document.add_table(rows=len(rows) + 1, cols=len(SHEET_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for col, name in enumerate(SHEET_COLUMNS):
        word.cell(table.cell(0, col), name, bold=True, center=True)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            word.cell(table.cell(r, col), value, center=col == 0)
    word.widths(table, SHEET_WIDTHS)
    for row in table.rows[1:]:
        row.height = Cm(1.4)
    return word.save(document)


def evaluation_docx(data: EvaluationData) -> bytes:
    document = Document()
    word.title(document, EVALUATION_TITLE)
    table = document.add_table(rows=7, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    wide = [
        (0, "企业名称", data.enterprise),
        (2, "提供服务的项目名称", data.project),
        (4, "处理结果", data.result),
        (5, "评价结果", level_boxes(data.level)),
        (6, "意见建议", data.comments),
    ]
    for r, label, value in wide:
        word.cell(table.cell(r, 0), label, bold=True, center=True)
        merged = table.cell(r, 1).merge(table.cell(r, 3))
        word.cell(merged, value)
    for r, (l1, v1, l2, v2) in {
        1: ("企业联系人", data.contact, "联系电话", data.phone),
        3: ("开始时间", data.start, "结束时间", data.end),
    }.items():
        word.cell(table.cell(r, 0), l1, bold=True, center=True)
        word.cell(table.cell(r, 1), v1)
        word.cell(table.cell(r, 2), l2, bold=True, center=True)
        word.cell(table.cell(r, 3), v2)
    word.widths(table, [4.0, 5.2, 2.6, 5.2])
    for row in table.rows:
        row.height = Cm(1.2)
    table.rows[6].height = Cm(4)
    if data.footer:
        paragraph = document.add_paragraph()
        word.font(paragraph.add_run(data.footer), 10.5)
    return word.save(document)


# --- PDF ----------------------------------------------------------------------------------------


def _pdf(story, pagesize, title: str) -> bytes:
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
    )
    doc.build(story)
    return buffer.getvalue()


def sheet_pdf(data: SheetData) -> bytes:
    s = styles()
    rows = [[para(name, s["head"]) for name in SHEET_COLUMNS]]
    rows += [[para(value, s["body"]) for value in row] for row in _padded(data.rows)]
    table = Table(
        rows,
        colWidths=[w * 10 * mm for w in SHEET_WIDTHS],
        repeatRows=1,
        minRowHeights=[0] + [14 * mm] * (len(rows) - 1),
    )
    table.setStyle(grid())
    heading = (
        f"服务对象：{data.enterprise or '＿＿＿＿＿＿＿＿＿＿'}"
        f"　　　　跟踪单号：{data.tracking_number or '＿＿＿＿＿＿'}"
    )
    story = [para(SHEET_TITLE, s["title"]), para(heading, s["body"]), Spacer(1, 4 * mm), table]
    return _pdf(story, landscape(A4), SHEET_TITLE)


def evaluation_pdf(data: EvaluationData) -> bytes:
    s = styles()
    label = s["head"]
    rows = [
        [para("企业名称", label), para(data.enterprise, s["body"]), "", ""],
        [
            para("企业联系人", label),
            para(data.contact, s["body"]),
            para("联系电话", label),
            para(data.phone, s["body"]),
        ],
        [para("提供服务的项目名称", label), para(data.project, s["body"]), "", ""],
        [
            para("开始时间", label),
            para(data.start, s["body"]),
            para("结束时间", label),
            para(data.end, s["body"]),
        ],
        [para("处理结果", label), para(data.result, s["body"]), "", ""],
        [para("评价结果", label), para(level_boxes(data.level), s["body"]), "", ""],
        [para("意见建议", label), para(data.comments, s["body"]), "", ""],
    ]
    table = Table(
        rows,
        colWidths=[38 * mm, 57 * mm, 28 * mm, 57 * mm],
        rowHeights=[14 * mm] * 6 + [45 * mm],
    )
    style = grid(header_rows=0)
    style.add("BACKGROUND", (0, 0), (0, -1), SHADE)
    for r in (1, 3):
        style.add("BACKGROUND", (2, r), (2, r), SHADE)
    for r in (0, 2, 4, 5, 6):
        style.add("SPAN", (1, r), (3, r))
    table.setStyle(style)
    story = [para(EVALUATION_TITLE, s["title"]), Spacer(1, 4 * mm), table]
    if data.footer:
        story += [Spacer(1, 4 * mm), para(data.footer, s["body"])]
    return _pdf(story, A4, EVALUATION_TITLE)


# --- From records -------------------------------------------------------------------------------


def _when(moment) -> str:
    return clock.stamp(moment, "%Y-%m-%d")


# DB1405 §附录C
def sheet_data(sheet, needs) -> SheetData:
    """Appendix C filled from a tracking sheet and the needs of it the reader may see.
    处理过程及结果 holds every round (steps, result, a 不满意 and its verification), not only
    the last result."""
    rows = []
    for need in needs:
        lead = (
            need.lead_section.name
            if need.lead_section_id
            else (need.department.name if need.department_id else "")
        )
        person = need.responsible_person or need.first_contact
        rows.append(
            [
                str(need.row_number),
                need.content,
                lead,
                person.display_name if person else need.recorded_first_contact,
                f"{_when(need.started_at)}\n{_when(need.ended_at)}".strip(),
                handling_text(need),
                need.remarks,
            ]
        )
    return SheetData(
        enterprise=sheet.enterprise.name, tracking_number=sheet.tracking_number, rows=rows
    )


# DB1405 §附录D
def evaluation_data(need, *, phone: str, footer: str) -> EvaluationData:
    """Appendix D filled from a need and its latest evaluation (boxes blank if none yet)."""
    evaluation = need.evaluations.order_by("-round").first()
    return EvaluationData(
        enterprise=need.enterprise.name,
        contact=need.contact_name,
        phone=phone,
        project=need.content,
        start=_when(need.started_at) or f"{need.registered_on:%Y-%m-%d}",
        end=_when(need.ended_at),
        result=need.result
        + (f"\n处理意见：{need.handling_opinion}" if need.handling_opinion else ""),
        level=evaluation.level if evaluation else "",
        comments=evaluation.comments if evaluation else "",
        footer=footer,
    )
