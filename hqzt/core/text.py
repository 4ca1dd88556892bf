"""Names as staff will read them.

Bidirectional overrides and isolates (U+202A–202E, U+2066–2069) reorder what follows them on
screen, and the default-ignorable characters (zero-width spaces and joiners, the soft hyphen,
variation selectors, fillers, tags …) are not drawn at all: either can make a name display as
another one, or two equal-looking names differ (outside probes E2 and P2-N1). Every name that
comes in is cleaned here, on every path (forms, the API, claims, the models' own save).
"""

import re

# Unicode's Default_Ignorable_Code_Point set (DerivedCoreProperties.txt), which includes the
# bidirectional controls.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


def name_clean(raw: str) -> str:
    """The name without invisible or reordering characters, whitespace runs made one space."""
    return " ".join(INVISIBLE.sub("", raw or "").split())


# Control characters (NUL included) have no place in a name or a spreadsheet cell: PostgreSQL
# refuses NUL outright and the others break what prints or exports the text. Tab, line feed and
# carriage return are left to the fields that allow several lines.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_problem(text: str) -> str:
    """The Chinese refusal for `text` holding control characters, or "" when it holds none."""
    found = sorted({f"U+{ord(c):04X}" for c in CONTROL.findall(text or "")})
    if not found:
        return ""
    return f"含有不可见的控制字符（{'、'.join(found)}），请删除后再导入"


SEARCH_CONTROL_REFUSED = "搜索词含有不可见的控制字符，请删除后再搜索"


def search_term_problem(term: str) -> str:
    """The Chinese refusal of a search term holding control characters (NUL makes PostgreSQL
    refuse the whole query), or "" — for the public searches, which read `q` without a form."""
    return SEARCH_CONTROL_REFUSED if CONTROL.search(term or "") else ""


# A 64-bit id has 19 digits; 18 keep every value inside the column's range.
ID_DIGITS = 18


def as_id(text: str) -> int | None:
    """A row id read from a URL or a form, or None. Only ASCII digits, at most ID_DIGITS of them:
    str.isdigit() also passes "²", which int() refuses, and a 5,000-digit number overflows the
    database's integer (outside probe: 500s on every page that took an id that way)."""
    if 0 < len(text) <= ID_DIGITS and text.isascii() and text.isdigit():
        return int(text)
    return None
