"""Appendix B ledger as .xlsx (streamed, constant memory) and as a landscape PDF."""

import datetime
from typing import Any, BinaryIO

import xlsxwriter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, LongTable, SimpleDocTemplate

from hqzt.core.render.pdf import grid, para, styles
from hqzt.needs.ledger import TITLE, LedgerTable

WIDTHS = [8, 14, 30, 14, 16, 16, 44, 16, 14, 18]  # the last one for 服务站, when present
PDF_ROW_LIMIT = 20_000  # beyond this a PDF is unusable on paper; the .xlsx has no limit


def write_ledger_xlsx(table: LedgerTable, target: str | BinaryIO) -> int:
    """Write the title row, the header and the rows; returns the number of rows written.

    constant_memory makes XlsxWriter flush each row to disk as it goes, so a province's year
    exports in a few megabytes of memory. 序号 is a number and 日期 an Excel date, so a station
    can sort and sum them; every other cell is written as a string: a ledger cell that starts
    with '=' stays text and never becomes a formula. Printed: A4 landscape, one page wide, the
    title and header repeated on every page; the header carries an auto-filter.
    """
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    sheet = workbook.add_worksheet("台账")
    title = workbook.add_format({"bold": True, "font_size": 16, "align": "center"})
    head = workbook.add_format(
        {"bold": True, "border": 1, "align": "center", "bg_color": "#EEEEEE"}
    )
    cell = workbook.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    number = workbook.add_format({"border": 1, "valign": "top", "align": "center"})
    day = workbook.add_format({"border": 1, "valign": "top", "num_format": "yyyy-mm-dd"})
    last = len(table.columns) - 1
    for col, width in enumerate(WIDTHS[: last + 1]):
        sheet.set_column(col, col, width)
    sheet.merge_range(0, 0, 0, last, TITLE, title)
    for col, name in enumerate(table.columns):
        sheet.write_string(1, col, name, head)
    sheet.freeze_panes(2, 0)
    count = 0
    for count, (index, registered_on, *texts) in enumerate(table.rows, start=1):
        sheet.write_number(count + 1, 0, index, number)
        sheet.write_datetime(count + 1, 1, registered_on, day)
        for col, value in enumerate(texts, start=2):
            sheet.write_string(count + 1, col, value, cell)
    sheet.autofilter(1, 0, count + 1, last)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.repeat_rows(0, 1)
    sheet.fit_to_pages(1, 0)
    workbook.close()
    return count


def _text(value: Any) -> str:
    return f"{value:%Y-%m-%d}" if isinstance(value, datetime.date) else str(value)


def write_ledger_pdf(table: LedgerTable, target: BinaryIO, *, subtitle: str = "") -> int:
    """A4 landscape; the title and the column header repeat on every page."""
    s = styles()
    data: list[list[Flowable]] = [[para(name, s["head"]) for name in table.columns]]
    for row in table.rows:
        if len(data) > PDF_ROW_LIMIT:
            break
        data.append([para(_text(value), s["small"]) for value in row])
    widths_used = WIDTHS[: len(table.columns)]
    usable = landscape(A4)[0] - 20 * mm
    widths = [usable * w / sum(widths_used) for w in widths_used]
    table = LongTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(grid())
    story = [para(TITLE, s["title"])]
    if subtitle:
        story.append(para(subtitle, s["small"]))
    story.append(table)

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(s["small"].fontName, 8)
        canvas.drawRightString(landscape(A4)[0] - 10 * mm, 7 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        target,
        pagesize=landscape(A4),
        leftMargin=10 * mm,
        rightMargin=10 * mm,
        topMargin=10 * mm,
        bottomMargin=12 * mm,
        title=TITLE,
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return len(data) - 1
