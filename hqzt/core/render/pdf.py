"""PDF building blocks: the embedded Noto Sans SC font, page sizes and table styles."""

import re
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape  # nosec B406 # escapes output; nothing is parsed

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, TableStyle

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD = "NotoSansSC", "NotoSansSC-Bold"


@cache
def register_fonts() -> None:
    """Register the TrueType fonts once per process; reportlab embeds the used glyphs."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "NotoSansSC-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "NotoSansSC-Bold.ttf")))


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    # wordWrap="CJK" breaks lines between any two Chinese characters.
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12, wordWrap="CJK")
    return {
        "title": ParagraphStyle(
            "title", fontName=BOLD, fontSize=16, leading=22, alignment=TA_CENTER, spaceAfter=8
        ),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        "label": ParagraphStyle("label", parent=body, fontName=BOLD),
        "head": ParagraphStyle("head", parent=body, fontName=BOLD, alignment=TA_CENTER),
    }


# Control characters (NUL …) have no glyph and break ReportLab's parser; line breaks are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def pdf_markup(text: str) -> str:
    """Any text as ReportLab paragraph markup that prints it literally: the one way text reaches
    a paragraph, so `<img src=…>`, `<a href=…>`, `<font name=…>` or an unclosed tag in a name
    is printed, never interpreted (no server file embedded, no live link, no failed book)."""
    clean = _CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\t", " "))
    return escape(clean).replace("\n", "<br/>")


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of text — every paragraph of every PDF is made here (a test holds to it)."""
    return Paragraph(pdf_markup(text), style)


SHADE = colors.HexColor("#eeeeee")


def grid(header_rows: int = 1) -> TableStyle:
    style = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )
    if header_rows:
        style.add("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE)
    return style
