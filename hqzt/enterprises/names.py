"""When two enterprise names are the same firm (outside probe E2).

The same-name checks compared names exactly, so `晋城市 鑫泰…有限公司`, `…有限公司。`, full-width
`ＡＢＣ`, lower-case `abc` and `…有限责任公司` each registered the firm again. Names are compared on
a key instead: compatibility forms folded (NFKC: full-width letters and digits, ideographic
spaces), case folded, every space removed, trailing punctuation dropped, and 有限责任公司 read as
有限公司 (the same legal form, written both ways in practice). The key is stored beside the name
(`Enterprise.name_key`, indexed) for the lookups; the name itself is stored as typed.
"""

import re
import unicodedata

from hqzt.core.text import name_clean

_SPACE = re.compile(r"\s+")
_TRAILING = re.compile(r"[。.，,、;；:：!！]+$")


def enterprise_name_key(name: str) -> str:
    """The comparison key of an enterprise name ("" for none)."""
    key = unicodedata.normalize("NFKC", name_clean(name)).casefold()
    key = _TRAILING.sub("", _SPACE.sub("", key))
    return key.replace("有限责任公司", "有限公司")
