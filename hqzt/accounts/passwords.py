"""Password rules beyond Django's validators (settings.AUTH_PASSWORD_VALIDATORS)."""

from django.core.exceptions import ValidationError

from hqzt.accounts.policy import dengbao_profile

MAX_LENGTH = 64


class MaximumLengthValidator:
    """Long passphrases are welcome up to 64 characters (ASVS 2.1.2); beyond that, refuse."""

    def validate(self, password: str, user=None) -> None:
        if len(password) > MAX_LENGTH:
            raise ValidationError(f"密码不能超过 {MAX_LENGTH} 个字符。", code="password_too_long")

    def get_help_text(self) -> str:
        return f"密码不能超过 {MAX_LENGTH} 个字符。"


CHARACTER_CLASSES_MESSAGE = "密码须至少包含大写字母、小写字母、数字和符号中的三类。"


def _character_classes(password: str) -> int:
    upper = any(c.isupper() for c in password)
    lower = any(c.islower() for c in password)
    digit = any(c.isdigit() for c in password)
    symbol = any(not (c.isupper() or c.islower() or c.isdigit()) for c in password)
    return upper + lower + digit + symbol


class CharacterClassesValidator:
    """等保 口令复杂度: at least three of upper case, lower case, digits and symbols.

    Always installed, enforced only in the 等保 profile: the embedded demo keeps NIST-style rules
    (length, not common), which ASVS prefers when no regulation asks for composition rules.
    """

    def validate(self, password: str, user=None) -> None:
        if dengbao_profile() and _character_classes(password) < 3:
            raise ValidationError(CHARACTER_CLASSES_MESSAGE, code="password_too_simple")

    def get_help_text(self) -> str:
        return CHARACTER_CLASSES_MESSAGE if dengbao_profile() else ""
