"""What a station prints and hangs up: the §5.2.4 notice poster (A4 PDF) and the Appendix A sign
(PDF and SVG), each with a QR code that opens the station's submission page."""

import base64
import re
from io import BytesIO
from xml.sax.saxutils import escape  # nosec B406 # escapes output; nothing is parsed

import qrcode
import qrcode.image.svg
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from reportlab.platypus import Frame, KeepInFrame, Table

from hqzt.core.phones import phone_display
from hqzt.core.render.pdf import BOLD, REGULAR, grid, para, register_fonts, styles
from hqzt.stations.models import Station
from hqzt.stations.principles import SERVICE_PRINCIPLES

RED = colors.HexColor("#b3261e")
PROCESS = ["需求来源", "需求识别和任务分发", "需求处理", "满意度评价", "资料管理"]
SIGN_TITLE = "惠企直通服务站"


def qr_png(url: str) -> BytesIO:
    image = qrcode.make(url, box_size=10, border=2)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def qr_svg_parts(url: str) -> tuple[str, str]:
    """The QR code's SVG viewBox and its drawing, for nesting inside the sign's SVG."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    view_box = re.search(r'viewBox="([^"]+)"', svg).group(1)
    inner = svg[svg.index(">") + 1 : svg.rindex("</svg>")]
    return view_box, inner


def _phones(value: str) -> str:
    return "、".join(phone_display(n) for n in value.split("、") if n)


def qr_data_uri(url: str) -> str:
    """A QR code as a data: URI for an <img> on a web page (the CSP allows data: images), so no
    markup built from a station's text is ever marked safe."""
    return "data:image/png;base64," + base64.b64encode(qr_png(url).getvalue()).decode()


# DB1405 §6.2
def contact_lines(station: Station) -> list[str]:
    """§6.2: the ways an enterprise reaches the station — 小程序 (the web portal), 即时通讯,
    客服电话 — as the notice board and the poster print them."""
    lines = ["小程序/网页门户：扫描下方二维码，向本站提交需求、查询办理进度"]
    if station.im_contact or station.im_link:
        lines.append(f"即时通讯：{station.im_contact or '扫描下方二维码加入'}")
    lines.append(f"客服电话：{_phones(station.contact_phones)}")
    return lines


# DB1405 §5.2.4 §4
def poster_pdf(station: Station, submit_url: str, duty: list[str]) -> bytes:
    """A4 notice (§5.2.4): the §4 principles, service content, the §6.1 process, staff, phones,
    supervision phone."""
    base = styles()
    # Read from a few steps away: larger type than the forms.
    s = {
        "body": ParagraphStyle("poster-body", parent=base["body"], fontSize=13, leading=19),
        "label": ParagraphStyle(
            "label", parent=base["label"], fontSize=15, leading=22, spaceBefore=10, textColor=RED
        ),
        "head": ParagraphStyle("poster-head", parent=base["head"], fontSize=12, leading=16),
    }
    buffer = BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    page.setTitle(f"{station.name} 公示")
    page.setFillColor(RED)
    page.rect(0, height - 40 * mm, width, 40 * mm, stroke=0, fill=1)
    page.setFillColor(colors.white)
    page.setFont(BOLD, 30)
    page.drawCentredString(width / 2, height - 22 * mm, SIGN_TITLE)
    page.setFont(REGULAR, 15)
    page.drawCentredString(width / 2, height - 33 * mm, station.name)
    story = [
        para("服务理念", s["label"]),
        para("　".join(SERVICE_PRINCIPLES), s["body"]),
        para("服务内容", s["label"]),
        para(station.service_content, s["body"]),
        para("服务流程", s["label"]),
    ]
    steps = Table([[para(f"{i}. {name}", s["head"]) for i, name in enumerate(PROCESS, 1)]])
    steps.setStyle(grid(header_rows=1))
    story += [
        steps,
        para("服务人员", s["label"]),
        para("、".join(duty) or "—", s["body"]),
        para("联系方式", s["label"]),
        para("\n".join(contact_lines(station)), s["body"]),
        para("监督投诉电话", s["label"]),
        para(_phones(station.supervision_phone), s["body"]),
        para("地址与路线", s["label"]),
        para(f"{station.address}\n{station.route_guidance}", s["body"]),
    ]
    frame_width, frame_height = width - 36 * mm, height - 128 * mm
    # A frame silently drops what does not fit; shrink instead, so a long service content never
    # pushes the supervision phone or the route off the notice.
    Frame(18 * mm, 80 * mm, frame_width, frame_height, showBoundary=0).addFromList(
        [KeepInFrame(frame_width, frame_height, story, mode="shrink")], page
    )
    codes = [(submit_url, "扫码提交企业需求、查询办理进度")]
    if station.im_link:
        codes.append((station.im_link, f"扫码加入{station.im_contact or '本站即时通讯群'}"))
    page.setFillColor(colors.black)
    page.setFont(REGULAR, 11)
    for i, (url, caption) in enumerate(codes):
        centre = width * (i + 1) / (len(codes) + 1)
        page.drawImage(ImageReader(qr_png(url)), centre - 25 * mm, 22 * mm, 50 * mm, 50 * mm)
        page.drawCentredString(centre, 16 * mm, caption)
    page.showPage()
    page.save()
    return buffer.getvalue()


# DB1405 §5.2.3 §附录A
def sign_pdf(station: Station, city: str, submit_url: str) -> bytes:
    """Appendix A: a landscape plaque reading 惠企直通服务站, the station, the city, a QR code."""
    register_fonts()
    buffer = BytesIO()
    width, height = landscape(A4)
    page = canvas.Canvas(buffer, pagesize=(width, height))
    page.setTitle(f"{station.name} 标牌")
    page.setFillColor(RED)
    page.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm, stroke=0, fill=1)
    page.setFillColor(colors.white)
    page.setFont(BOLD, 54)
    page.drawString(24 * mm, height - 62 * mm, SIGN_TITLE)
    page.setFont(REGULAR, 24)
    page.drawString(24 * mm, height - 90 * mm, station.name)
    page.setFont(BOLD, 26)
    page.drawString(24 * mm, 30 * mm, city)
    page.rect(width - 82 * mm, 22 * mm, 60 * mm, 60 * mm, stroke=0, fill=1)
    page.drawImage(ImageReader(qr_png(submit_url)), width - 80 * mm, 24 * mm, 56 * mm, 56 * mm)
    page.showPage()
    page.save()
    return buffer.getvalue()


# DB1405 §附录A
def sign_svg(station: Station, city: str, submit_url: str) -> str:
    """The same sign as SVG for a sign maker; text in the system's Chinese fonts."""
    view_box, qr = qr_svg_parts(submit_url)
    font = (
        "font-family=\"'Noto Sans SC','Source Han Sans SC','Microsoft YaHei',sans-serif\" "
        'fill="#fff"'
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="297mm" height="210mm" viewBox="0 0 297 210">
  <rect x="10" y="10" width="277" height="190" fill="#b3261e"/>
  <text x="24" y="62" {font} font-size="19" font-weight="bold">{SIGN_TITLE}</text>
  <text x="24" y="90" {font} font-size="8.5">{escape(station.name)}</text>
  <text x="24" y="180" {font} font-size="9" font-weight="bold">{escape(city)}</text>
  <rect x="215" y="128" width="60" height="60" fill="#fff"/>
  <svg x="217" y="130" width="56" height="56" viewBox="{view_box}">{qr}</svg>
</svg>
"""
