"""When two enterprise names are the same firm (outside probe E2).

The same-name checks compared names exactly, so `晋城市 鑫泰…有限公司`, `…有限公司。`, full-width
`ＡＢＣ`, lower-case `abc` and `…有限责任公司` each registered the firm again. Names are compared on
a key instead: compatibility forms folded (NFKC: full-width letters and digits, ideographic
spaces), case folded, every space removed, trailing punctuation dropped, and 有限责任公司 read as
有限公司 (the same legal form, written both ways in practice). The key is stored beside the name
(`Enterprise.name_key`, indexed) for the lookups; the name itself is stored as typed.

Since probe P2-N1 the key also drops quotation marks, reads every middle dot as one, every
bracket style as round brackets, and drops trailing dashes: `“…”`, `·`/`•`/`・`,
`【山西】`/`〔山西〕` and `…公司-` registered look-alikes of a firm. (Invisible characters are
taken out of the name itself, `core.text.name_clean`.) Latin letters written in Cyrillic or
Greek are not folded.
"""

import re
import unicodedata

from hqzt.core.text import name_clean

_SPACE = re.compile(r"\s+")
_TRAILING = re.compile(r"[。.，,、;；:：!！\-‐‑‒–—―]+$")
# After NFKC (which already makes （） and ［］ ASCII): quotes go, dots and brackets fold.
_FOLDS = str.maketrans(
    {
        **dict.fromkeys("\"'“”‘’「」『』〝〞", ""),
        **dict.fromkeys("•・‧∙⋅", "·"),
        **dict.fromkeys("【〔〖〘[{", "("),
        **dict.fromkeys("】〕〗〙]}", ")"),
    }
)


def enterprise_name_key(name: str) -> str:
    """The comparison key of an enterprise name ("" for none)."""
    key = unicodedata.normalize("NFKC", name_clean(name)).casefold().translate(_FOLDS)
    key = _TRAILING.sub("", _SPACE.sub("", key))
    return key.replace("有限责任公司", "有限公司")


def name_keys_refill(enterprise_model: type) -> None:
    """Recompute every stored key (the migrations that add or change the key call this with
    their historical model), two thousand enterprises at a time, writing only keys that moved."""
    batch = []
    for enterprise in enterprise_model.objects.only("pk", "name", "name_key").iterator(
        chunk_size=2000
    ):
        key = enterprise_name_key(enterprise.name)
        if key != enterprise.name_key:
            enterprise.name_key = key
            batch.append(enterprise)
        if len(batch) == 2000:
            enterprise_model.objects.bulk_update(batch, ["name_key"])
            batch = []
    if batch:
        enterprise_model.objects.bulk_update(batch, ["name_key"])
