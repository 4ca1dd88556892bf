"""Word documents in the house style: 宋体 for East Asian text, tables with fixed widths."""

from io import BytesIO

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

WORD_FONT = "宋体"


def font(run, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = WORD_FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), WORD_FONT)


def cell(target, text: str, *, bold: bool = False, center: bool = False, size: float = 10.5):
    target.text = ""
    paragraph = target.paragraphs[0]
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(paragraph.add_run(text), size, bold)


def widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths that Word, WPS and LibreOffice all honour (grid and cells)."""
    table.autofit = False
    for col, width in enumerate(widths_cm):
        table.columns[col].width = Cm(width)
        for item in table.columns[col].cells:
            item.width = Cm(width)


def title(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(paragraph.add_run(text), 16, bold=True)


def paragraph(document, text: str, size: float = 11, bold: bool = False) -> None:
    font(document.add_paragraph().add_run(text), size, bold)


def save(document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
