from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils.html import format_html, format_html_join
from django.views.decorators.debug import sensitive_variables

from hqzt.accounts.models import User

# A longer user name is nobody's, and django-axes records a failed login's name in a 255-character
# column: on PostgreSQL a 300-character name was a 500 on the login page and the token endpoint
# (outside probe 2, L1). It is refused before any password check, so axes records nothing.
USERNAME_MAX = User._meta.get_field("username").max_length
USERNAME_TOO_LONG = f"用户名不能超过 {USERNAME_MAX} 个字符。"


class LoginForm(auth_forms.AuthenticationForm):
    """Django's login form, refusing an over-long user name before `authenticate` (its own
    max_length only sets the input's maxlength attribute, it validates nothing)."""

    def clean(self) -> dict:
        # Before Django's clean(), which authenticates; as the form's own error, which the login
        # page shows (it shows no field errors: "wrong name or password" is one message).
        if len(self.cleaned_data.get("username") or "") > USERNAME_MAX:
            raise forms.ValidationError(USERNAME_TOO_LONG, code="max_length")
        return super().clean()


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only the rules in force: a validator switched off by the profile has no help text.
        texts = [t for t in password_validation.password_validators_help_texts() if t]
        self.fields["new_password1"].help_text = format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((t,) for t in texts))
        )

    @sensitive_variables("new_password")
    def clean(self) -> dict:
        # Rotation means a new password: handing back the current one would defeat it.
        cleaned = super().clean()
        new_password = cleaned.get("new_password2")
        if new_password and new_password == cleaned.get("old_password"):
            self.add_error("new_password2", "新密码不能与当前密码相同。")
        return cleaned


class CodeForm(forms.Form):
    code = forms.CharField(
        label="验证码",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text="身份验证器应用中显示的 6 位数字。",
    )


class LoginCodeForm(CodeForm):
    code = forms.CharField(
        label="验证码或恢复码",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
        help_text="身份验证器应用中显示的 6 位数字；手机丢失时可输入一个恢复码（每个只能用一次）。",
    )


class DisableForm(CodeForm):
    password = forms.CharField(
        label="当前密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["password", "code"]
