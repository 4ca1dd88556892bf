"""统一社会信用代码 (GB 32100-2015): 18 characters, the last one a check character.

Characters come from a 31-symbol alphabet (no I, O, Z, S, V); position i (1-based, i ≤ 17) has
weight 3^(i-1) mod 31, and the check character is the symbol at (31 - Σ value·weight mod 31) mod 31.
"""

import unicodedata

from django.core.exceptions import ValidationError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = [pow(3, i, 31) for i in range(17)]
DUPLICATE_CREDIT_CODE = "该统一社会信用代码已登记，不能重复添加。"


def credit_code_normalize(raw: str) -> str:
    """Full-width to half-width, spaces removed, upper case — what users paste varies."""
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(text.split()).upper()


def credit_code_check_char(first17: str) -> str:
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_clean(raw: str) -> str:
    """Return the normalised code or raise a ValidationError that tells the user what is wrong."""
    code = credit_code_normalize(raw)
    if len(code) != 18:
        raise ValidationError(
            "统一社会信用代码应为18位，当前为%(n)d位。", code="length", params={"n": len(code)}
        )
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        raise ValidationError(
            "统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、Z、S、V）。",
            code="charset",
            params={"chars": "、".join(bad)},
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError("统一社会信用代码校验位错误，请核对后重新输入。", code="check_char")
    return code
