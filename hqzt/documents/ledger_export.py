"""Appendix B ledger as .xlsx (streamed, constant memory) and as a landscape PDF."""

from collections.abc import Iterable
from typing import BinaryIO

import xlsxwriter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate

from hqzt.documents.pdf import grid, para, styles
from hqzt.needs.ledger import COLUMNS, TITLE

WIDTHS = [8, 14, 30, 14, 16, 16, 44, 16, 14]
PDF_ROW_LIMIT = 20_000  # beyond this a PDF is unusable on paper; the .xlsx has no limit


def write_ledger_xlsx(rows: Iterable[list[str]], target: str | BinaryIO) -> int:
    """Write the title row, the header and `rows`; returns the number of rows written.

    constant_memory makes XlsxWriter flush each row to disk as it goes, so a province's year
    exports in a few megabytes of memory. Every cell is written as a string: a ledger cell that
    starts with '=' stays text and never becomes a formula.
    """
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    sheet = workbook.add_worksheet("台账")
    title = workbook.add_format({"bold": True, "font_size": 16, "align": "center"})
    head = workbook.add_format(
        {"bold": True, "border": 1, "align": "center", "bg_color": "#EEEEEE"}
    )
    cell = workbook.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    sheet.merge_range(0, 0, 0, len(COLUMNS) - 1, TITLE, title)
    for col, name in enumerate(COLUMNS):
        sheet.write_string(1, col, name, head)
    sheet.freeze_panes(2, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            sheet.write_string(count + 1, col, value, cell)
    workbook.close()
    return count


def write_ledger_pdf(rows: Iterable[list[str]], target: BinaryIO, *, subtitle: str = "") -> int:
    """A4 landscape; the title and the column header repeat on every page."""
    s = styles()
    data: list[list[Paragraph]] = [[para(name, s["head"]) for name in COLUMNS]]
    for row in rows:
        if len(data) > PDF_ROW_LIMIT:
            break
        data.append([para(value, s["small"]) for value in row])
    usable = landscape(A4)[0] - 20 * mm
    widths = [usable * w / sum(WIDTHS) for w in WIDTHS]
    table = LongTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(grid())
    story = [Paragraph(TITLE, s["title"])]
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
