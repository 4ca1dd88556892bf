"""The weekly report as a Word document for the superior unit's files (R-6.4)."""

import datetime

from docx import Document

from hqzt.core import clock
from hqzt.core.render import word
from hqzt.needs.models import EvaluationLevel
from hqzt.operations.models import WeeklyReport

FIGURE_LABELS = [
    ("needs_new", "新登记企业需求（项）"),
    ("needs_closed", "办理完毕（项）"),
    ("needs_overdue", "超期未办结（项）"),
    ("visits", "走访企业（次）"),
    ("trainings", "培训活动（次）"),
    ("meetings", "召开会议（次）"),
    ("suggestions", "提出工作建议（项）"),
]


def figure_rows(figures: dict) -> list[tuple[str, str]]:
    rows = [(label, str(figures.get(key, 0))) for key, label in FIGURE_LABELS]
    by_type = figures.get("needs_new_by_type") or {}
    rows.append(("新需求按类型", "、".join(f"{k} {v}" for k, v in by_type.items()) or "—"))
    levels = dict(EvaluationLevel.choices)
    evaluations = figures.get("evaluations") or {}
    rows.append(
        ("满意度评价", "、".join(f"{levels.get(k, k)} {v}" for k, v in evaluations.items()) or "—")
    )
    items = figures.get("suggestion_items") or []
    rows.append(("工作建议", "；".join(i["title"] for i in items) or "—"))
    return rows


def weekly_report_docx(report: WeeklyReport) -> bytes:
    week_end = report.week_start + datetime.timedelta(days=6)
    document = Document()
    word.title(document, f"{report.station.name}工作周报")
    word.paragraph(document, f"报告期：{report.week_start:%Y年%m月%d日}—{week_end:%Y年%m月%d日}")
    word.paragraph(document, "一、本周数据", bold=True)
    rows = figure_rows(report.figures)
    table = document.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for r, (label, value) in enumerate(rows):
        word.cell(table.cell(r, 0), label, bold=True)
        word.cell(table.cell(r, 1), value)
    word.widths(table, [5, 11])
    word.paragraph(document, "二、本周工作完成情况", bold=True)
    word.paragraph(document, report.work_done or "（未填写）")
    word.paragraph(document, "三、下周工作计划", bold=True)
    word.paragraph(document, report.next_week_plan or "（未填写）")
    if report.submitted_at:
        by, at = report.submitted_by.display_name, clock.stamp(report.submitted_at)
        word.paragraph(document, f"报送人：{by}　报送时间：{at}")
    if report.comment:
        word.paragraph(document, "上级单位意见", bold=True)
        word.paragraph(document, f"{report.comment}（{report.commented_by.display_name}）")
    return word.save(document)
