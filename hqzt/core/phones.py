"""Phone numbers as Chinese stations write them: mobiles, landlines with area codes, hotlines.

Normalising happens once, on input, so that search by exact number and masking see one form.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

_SEPARATORS = re.compile(r"[\s\-－—()（）]")
# re.ASCII: Python's \d also matches other scripts' digits (٨, ৮ …), which NFKC keeps; a number
# must be stored in ASCII digits only, or search, masking and SMS would each see another number.
_MOBILE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$", re.ASCII)
_SERVICE = re.compile(r"^(1\d{4}|400\d{7}|800\d{7})$", re.ASCII)  # 12345, 12315, 400/800 numbers
_LIST_SPLIT = re.compile(r"[,，;；、/]+")


def phone_normalize(raw: str) -> str:
    """Full-width digits to ASCII, spaces/dashes/brackets removed, +86 dropped."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    text = _SEPARATORS.sub("", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    return text


def phone_is_valid(number: str) -> bool:
    return bool(_MOBILE.match(number) or _LANDLINE.match(number) or _SERVICE.match(number))


def phone_clean(raw: str) -> str:
    """Normalise one number and refuse what is not a plausible Chinese phone number."""
    number = phone_normalize(raw)
    if not phone_is_valid(number):
        raise ValidationError(
            "「%(raw)s」不是有效的电话号码：手机号为11位，固定电话需带区号（如 0356-2221234）。",
            code="invalid_phone",
            params={"raw": raw},
        )
    return number


def phone_list_clean(raw: str) -> str:
    """A field holding several numbers (e.g. a station's contact phones), each validated."""
    parts = [p for p in _LIST_SPLIT.split(unicodedata.normalize("NFKC", raw or "")) if p]
    return "、".join(phone_clean(p) for p in parts)


def phone_search_term(raw: str) -> str | None:
    """The number to look up if a search box holds a full personal number (mobile or landline,
    any formatting); None otherwise, so that hotlines such as 12345 are still searched as text."""
    number = phone_normalize(raw)
    return number if _MOBILE.match(number) or _LANDLINE.match(number) else None


def phone_display(number: str) -> str:
    """Group landlines as 0356-2221234 for reading; mobiles stay as 11 digits."""
    if _LANDLINE.match(number):
        area_len = (
            3
            if number[:3] in {"010", "020", "021", "022", "023", "024", "025", "027", "028", "029"}
            else 4
        )
        return f"{number[:area_len]}-{number[area_len:]}"
    return number


def phone_mask(number: str) -> str:
    """138****1234: enough to recognise a number, not enough to call it (SPEC R-9)."""
    if not number:
        return ""
    if len(number) >= 7:
        return f"{number[:3]}****{number[-4:]}"
    return "*" * len(number)
