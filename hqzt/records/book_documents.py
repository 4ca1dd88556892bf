"""An archive book as one PDF (embedded Noto Sans SC) or one Word document."""

from io import BytesIO

from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer, Table

from hqzt.core.render import word
from hqzt.core.render.pdf import grid, para, styles
from hqzt.records.books import Book, EnterpriseSection

NEED_COLUMNS = ["跟踪单号", "日期", "需求类型", "企业需求", "办理", "结果", "评价"]


def profile_rows(section: EnterpriseSection) -> list[tuple[str, str]]:
    e = section.enterprise
    return [
        ("统一社会信用代码", e.credit_code or "—"),
        ("法定代表人", e.legal_representative or "—"),
        ("地址", e.address or "—"),
        ("所属行业 / 规模", f"{e.industry or '—'} / {e.get_size_display() or '—'}"),
        ("主要产品", e.main_products or "—"),
        ("管理情况", e.management_situation or "—"),
    ]


def need_row(need) -> list[str]:
    handler = (
        need.lead_section.name
        if need.lead_section_id
        else (
            need.department.name
            if need.department_id
            else (need.first_contact.display_name if need.first_contact_id else "")
        )
    )
    result = need.result + (f"；处理意见：{need.handling_opinion}" if need.handling_opinion else "")
    evaluations = "、".join(f"第{e.round}轮{e.get_level_display()}" for e in need.evaluations.all())
    return [
        need.label,
        f"{need.registered_on:%Y-%m-%d}",
        need.need_type.name,
        need.content,
        f"{handler}（{need.get_status_display()}）",
        result or "—",
        evaluations or "—",
    ]


def related_tables(book: Book) -> list[tuple[str, list[str], list[list[str]]]]:
    """The records beside the needs (§6.6.2 "收集相关文件及服务过程中产生的资料"): visits,
    trainings, applicable policies and the needs' attachments, as (heading, columns, rows)."""
    return [
        (
            "走访记录",
            ["日期", "企业", "服务站", "走访目的", "走访情况"],
            [
                [
                    f"{v.visited_on or v.planned_on:%Y-%m-%d}",
                    v.enterprise.name,
                    v.station.name,
                    v.purpose,
                    v.findings or ("（未走访）" if v.visited_on is None else "—"),
                ]
                for v in book.visits
            ],
        ),
        (
            "培训活动",
            ["日期", "主题", "服务站", "组织单位", "授课专家"],
            [
                [f"{t.held_on:%Y-%m-%d}", t.topic, t.station.name, t.organiser, t.experts or "—"]
                for t in book.trainings
            ],
        ),
        (
            "适用政策",
            ["发布日期", "政策名称", "文号", "发布单位"],
            [
                [f"{p.issued_on:%Y-%m-%d}", p.title, p.document_number or "—", p.issuer]
                for p in book.policies
            ],
        ),
        (
            "附件目录",
            ["需求", "文件名", "大小（KB）"],
            [
                [a.need.label, a.original_name, str(max(1, a.size // 1024))]
                for a in book.attachments
            ],
        ),
    ]


def _or_dash(value) -> str:
    return "—" if value is None else str(value)


def figure_lines(book: Book) -> list[str]:
    f = book.figures
    return [
        f"需求 {f['registered']} 项，办理完毕 {f['completed']} 项，"
        f"按时办结率 {_or_dash(f['on_time_rate'])}%；",
        f"已评价 {f['evaluated']} 次，满意率 {_or_dash(f['satisfaction_rate'])}%，"
        f"平均办理用时 {_or_dash(f['avg_workdays'])} 个工作日。",
    ]


def book_pdf(book: Book) -> bytes:
    s = styles()
    story = [para(book.title, s["title"]), para(f"（{book.kind}）", s["head"])]
    if book.period:
        story.append(para(f"档案期间：{book.period}", s["body"]))
    if book.intro:
        story.append(para(book.intro, s["body"]))
    story += [
        para("统计", s["label"]),
        *[para(line, s["body"]) for line in figure_lines(book)],
    ]
    for index, section in enumerate(book.sections):
        if index:
            story.append(PageBreak())
        heading = section.enterprise.name + (f"（{section.role}）" if section.role else "")
        story += [Spacer(1, 4 * mm), para(heading, s["label"])]
        profile = Table(
            [[para(k, s["label"]), para(v, s["body"])] for k, v in profile_rows(section)],
            colWidths=[35 * mm, 145 * mm],
        )
        profile.setStyle(grid(header_rows=0))
        story += [profile, Spacer(1, 3 * mm)]
        rows = [[para(c, s["head"]) for c in NEED_COLUMNS]] + [
            [para(v, s["small"]) for v in need_row(n)] for n in section.needs
        ]
        if section.needs:
            table = Table(
                rows,
                colWidths=[22 * mm, 18 * mm, 16 * mm, 44 * mm, 28 * mm, 36 * mm, 16 * mm],
                repeatRows=1,
            )
            table.setStyle(grid())
            story.append(table)
        else:
            story.append(para("（暂无需求记录）", s["body"]))
    for heading, columns, rows in related_tables(book):
        story += [Spacer(1, 4 * mm), para(heading, s["label"])]
        if not rows:
            story.append(para("（无）", s["body"]))
            continue
        table = Table(
            [[para(c, s["head"]) for c in columns]]
            + [[para(v, s["small"]) for v in row] for row in rows],
            repeatRows=1,
        )
        table.setStyle(grid())
        story.append(table)
    buffer = BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=book.title,
    ).build(story)
    return buffer.getvalue()


def book_docx(book: Book) -> bytes:
    document = Document()
    word.title(document, book.title)
    word.paragraph(document, f"（{book.kind}）")
    if book.period:
        word.paragraph(document, f"档案期间：{book.period}")
    if book.intro:
        word.paragraph(document, book.intro)
    word.paragraph(document, "统计", bold=True)
    for line in figure_lines(book):
        word.paragraph(document, line)
    for section in book.sections:
        word.paragraph(
            document,
            section.enterprise.name + (f"（{section.role}）" if section.role else ""),
            size=13,
            bold=True,
        )
        profile = document.add_table(rows=len(profile_rows(section)), cols=2)
        profile.style = "Table Grid"
        for r, (k, v) in enumerate(profile_rows(section)):
            word.cell(profile.cell(r, 0), k, bold=True)
            word.cell(profile.cell(r, 1), v)
        word.widths(profile, [4, 12])
        if section.needs:
            table = document.add_table(rows=len(section.needs) + 1, cols=len(NEED_COLUMNS))
            table.style = "Table Grid"
            for c, name in enumerate(NEED_COLUMNS):
                word.cell(table.cell(0, c), name, bold=True, center=True, size=9)
            for r, need in enumerate(section.needs, start=1):
                for c, value in enumerate(need_row(need)):
                    word.cell(table.cell(r, c), value, size=9)
        else:
            word.paragraph(document, "（暂无需求记录）")
    for heading, columns, rows in related_tables(book):
        word.paragraph(document, heading, size=13, bold=True)
        if not rows:
            word.paragraph(document, "（无）")
            continue
        table = document.add_table(rows=len(rows) + 1, cols=len(columns))
        table.style = "Table Grid"
        for c, name in enumerate(columns):
            word.cell(table.cell(0, c), name, bold=True, center=True, size=9)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                word.cell(table.cell(r, c), value, size=9)
    return word.save(document)
