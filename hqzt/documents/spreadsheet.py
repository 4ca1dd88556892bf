"""Reading a station's spreadsheet as a person sees it, for both imports (the ledger and the
enterprise register): .xlsx and .csv in UTF-8 or GBK, merged cells, hidden rows and columns,
formulas without a value; and cells normalised for matching (full-width digits, dates)."""

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from hqzt.core.files import zip_check
from hqzt.documents.import_errors import ImportFileError

HEADER_SEARCH_ROWS = 10
MAX_ROWS = 20_000  # data rows one import takes; a longer file is refused whole (row_limit_check)

FOOTER = re.compile(r"^(合计|总计|小计|共计|制表|填表|审核|负责人|备注[:：])")
# ASCII digits only: full-width ones are made ASCII before matching (NFKC), and digits of other
# scripts (Arabic-Indic, Devanagari …), which \d and int() would take, are not a date anybody wrote.
_DATE_PATTERNS = [
    re.compile(r"^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})$"),
    re.compile(r"^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})[日号]?$"),
    re.compile(r"^([0-9]{4})([0-9]{2})([0-9]{2})$"),
]
EXCEL_EPOCH = datetime.date(1899, 12, 30)


class Formula(str):
    """A formula cell the file holds no computed value for (a sheet written by a program and
    never saved by Excel): read as empty, and its row says that a formula was there."""


def formula_problems(
    cells: list[Any], columns: dict[str, int], labels: dict[str, str]
) -> list[str]:
    """A row's refusal for each column read holding a formula without a value."""
    return [
        f"{labels[name]}一栏是公式「{cells[col][:40]}」，文件中没有它的计算结果"
        "（请在 Excel 中打开并保存，或把公式粘贴为数值后再导入）"
        for name, col in columns.items()
        if col < len(cells) and isinstance(cells[col], Formula)
    ]


def cell_text(value: Any) -> str:
    """A cell as the station wrote it: free text is never NFKC-normalised (a "，" stays)."""
    if value is None or isinstance(value, Formula):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def plain_text(value: Any) -> str:
    """A cell read as a key, number or date: full-width digits and letters made plain."""
    return unicodedata.normalize("NFKC", cell_text(value)).strip()


def match_key(text: str) -> str:
    return re.sub(r"[\s:：*（）()]", "", plain_text(text))


def footer_row(texts: list[str]) -> bool:
    """Whether a row is a 合计 line or a note under the table rather than a record: judged by
    its first filled cell only, so a need written "备注：…" in a later column is still a row."""
    first = next((t for t in texts if t), "")
    return bool(FOOTER.match(first))


# OOXML writes a character XML cannot hold as _xHHHH_ (a control character U+0001 is "_x0001_",
# a literal "_x0001_" is "_x005F_x0001_"); openpyxl hands the escape on as text. Decoded here, a
# control character meets the imports' refusal (core/text.py) instead of passing as six letters.
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def ooxml_unescape(text: str) -> str:
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def parse_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and 20000 < value < 80000:
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    text = plain_text(value).replace(" ", "").lstrip("'")
    if text.isascii() and text.isdigit() and len(text) == 5:  # an Excel serial sent as text
        return parse_date(int(text))
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                raise ValueError(f"日期「{text}」不存在") from None
    raise ValueError(
        f"无法识别的日期「{text}」（可写作 2025-01-08、2025/1/8、2025.01.08 或 2025年1月8日）"
    )


Rows = list[tuple[int, list[Any] | None]]  # (spreadsheet row number, cells; None: a hidden row)
# An OLE2 container: the old binary .xls, or an .xlsx Excel saved with a password.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLD_EXCEL = (
    "这是旧版 Excel（.xls）文件或设置了密码的 Excel 文件，只是扩展名写成了 .xlsx：请在 Excel 中"
    "取消密码，“另存为”“Excel 工作簿（.xlsx）”后再导入。"
)


def read_sheets(upload: BinaryIO, name: str) -> list[tuple[str, Rows]]:
    """Each visible sheet's rows, for .xlsx and .csv (UTF-8 or GB18030/GBK).

    A sheet is read as a person sees it: a merged cell's value stands in every cell it covers
    (a date or an enterprise merged over two needs), hidden columns are blank and hidden rows
    are marked, so that nothing invisible is imported.
    """
    data = upload.read()
    if name.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError("无法识别 CSV 文件的编码，请另存为 UTF-8 或 Excel 格式。")
        rows = list(csv.reader(io.StringIO(text)))
        return [("", list(enumerate(rows, start=1)))]
    if not name.lower().endswith(".xlsx"):
        raise ImportFileError("只支持 .xlsx 和 .csv 文件。")
    if data.startswith(OLE2):
        raise ImportFileError(OLD_EXCEL)
    try:
        # The page checked this already; `manage.py import_ledger` reads files from disk.
        zip_check(io.BytesIO(data), len(data))
    except zipfile.BadZipFile:
        raise ImportFileError("无法读取该 Excel 文件，请确认是 .xlsx 格式且未加密。") from None
    except ValidationError as exc:
        raise ImportFileError(" ".join(exc.messages)) from None
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
        # Formulas are read a second time, as written, only when the file has any.
        formulas = load_workbook(io.BytesIO(data)) if _has_formulas(data) else None
    except Exception as exc:
        raise ImportFileError("无法读取该 Excel 文件，请确认是 .xlsx 格式且未加密。") from exc
    sheets = [
        (sheet.title, _sheet_rows(sheet, formulas[sheet.title] if formulas else None))
        for sheet in workbook.worksheets
        if sheet.sheet_state == "visible"
    ]

    workbook.close()
    return sheets


def _too_many(count: int) -> ImportFileError:
    return ImportFileError(
        f"文件有 {count} 行数据，超过单次导入上限 {MAX_ROWS} 行，请拆分后分批导入。"
    )


def _last_row(sheet: Any, formulas: Any) -> int:
    """The last row holding a value or a formula, found from the cells the file stores (never
    from the sheet's dimensions, which a styled blank cell stretches): the grid is read only as
    far as it. One value left a million rows down would otherwise make a grid of a million rows
    (2.8 GB and a minute for a 5 KB file), so content below the rows one import can read refuses
    the file: as too long, or, if the rows are few, as content to tidy away."""
    # openpyxl keeps a sheet's stored cells in `_cells` ({(row, col): cell}); reading it costs
    # one pass over what the file holds, where iter_rows makes every cell of the rectangle.
    filled = {
        row
        for source in (sheet, formulas)
        if source is not None
        for (row, _col), cell in source._cells.items()
        if cell.value is not None and cell.value != ""
    }
    last = max(filled, default=0)
    readable = MAX_ROWS + HEADER_SEARCH_ROWS
    if last <= readable:
        return last
    if len(filled) - 1 > MAX_ROWS:  # at least that many rows under a one-row header
        raise _too_many(len(filled) - 1)
    raise ImportFileError(
        f"工作表「{sheet.title}」第 {readable} 行以下还有内容（最后一处在第 {last} 行），"
        "超出单次导入读取的范围：请删除表格下方的多余内容，或拆分后分批导入。"
    )


def row_limit_check(rows: Rows, position: int) -> None:
    """Refuse a sheet with more data rows under its header (at `position`) than one import
    takes: the whole file, so no row is silently left out. Blank rows are not counted; hidden
    ones are, since the preview lists them."""
    count = sum(
        1 for _, cells in rows[position + 1 :] if cells is None or any(plain_text(c) for c in cells)
    )
    if count > MAX_ROWS:
        raise _too_many(count)


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")


def _has_formulas(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return any(
            _FORMULA_TAG.search(archive.read(member))
            for member in archive.namelist()
            if member.startswith("xl/worksheets/") and member.endswith(".xml")
        )


def _sheet_rows(sheet: Any, formulas: Any = None) -> Rows:
    # Every row with content is read: the import refuses a file over MAX_ROWS whole
    # (row_limit_check, _last_row) rather than cutting it, which once lost a ledger's tail
    # without a word (probe L4).
    last = _last_row(sheet, formulas)
    grid = [
        [ooxml_unescape(v) if isinstance(v, str) else v for v in values]
        for values in sheet.iter_rows(max_row=last, values_only=True)
    ]
    if formulas is not None:  # a formula without a cached value reads None: say it was one
        for number, written in enumerate(formulas.iter_rows(max_row=last, values_only=True)):
            for col, value in enumerate(written[: len(grid[number])]):
                if grid[number][col] is None and isinstance(value, str) and value[:1] == "=":
                    grid[number][col] = Formula(value)
    for merged in sheet.merged_cells.ranges:
        if merged.min_row > last:
            continue
        value = grid[merged.min_row - 1][merged.min_col - 1]
        for row in range(merged.min_row, min(merged.max_row, last) + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                grid[row - 1][col - 1] = value
    hidden_columns: set[int] = set()
    for letter, dimension in sheet.column_dimensions.items():
        if dimension.hidden:  # a dimension may stand for a range of columns (min..max)
            first = dimension.min or column_index_from_string(letter)
            hidden_columns.update(range(first - 1, dimension.max or first))
    rows: Rows = []
    for number, cells in enumerate(grid, start=1):
        if sheet.row_dimensions[number].hidden:
            rows.append((number, None))
            continue
        rows.append((number, [None if i in hidden_columns else c for i, c in enumerate(cells)]))
    return rows
