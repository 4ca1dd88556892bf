from django.core.exceptions import ValidationError

MAX_LENGTH = 64


class MaximumLengthValidator:
    """Long passphrases are welcome up to 64 characters (ASVS 2.1.2); beyond that, refuse."""

    def validate(self, password: str, user=None) -> None:
        if len(password) > MAX_LENGTH:
            raise ValidationError(f"密码不能超过 {MAX_LENGTH} 个字符。", code="password_too_long")

    def get_help_text(self) -> str:
        return f"密码不能超过 {MAX_LENGTH} 个字符。"
