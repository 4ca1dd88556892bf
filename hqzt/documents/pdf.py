"""PDF building blocks: the embedded Noto Sans SC font, page sizes and table styles."""

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


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """User text as a paragraph: escaped, so markup in a record is printed, never interpreted."""
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


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
