"""The TOTP second factor (RFC 6238): enrolment, checking a code, recovery codes, removal.

A code is accepted for the current 30-second step or one step either side (clock drift), and at
most once: the newest accepted step is stored and older or equal steps are refused, so a code seen
over a shoulder or in a proxy log cannot be replayed. A wrong code counts as a failed login for
django-axes (same lock-out as wrong passwords) and is audited. Recovery codes are random, shown
once, stored only as a keyed hash, and each works once.
"""

import hmac
import secrets
import unicodedata

import pyotp
import qrcode
import qrcode.image.svg
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from hqzt.accounts.models import RecoveryCode, SecondFactor, User
from hqzt.accounts.policy import password_expired, second_factor_required
from hqzt.accounts.tokens import personal_tokens_revoke
from hqzt.audit.services import audit_record
from hqzt.core import clock
from hqzt.core.crypto import field_decrypt, field_encrypt

ISSUER = "惠企直通"
RECOVERY_CODE_COUNT = 10
# Unambiguous when read aloud or copied from paper (no 0/o, 1/l/i).
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_SALT = "hqzt.accounts.otp.recovery_code"
# The second factor verifies within this window after the password, or the login starts over.
PENDING_SECONDS = 300


def otp_active(user: User) -> bool:
    return SecondFactor.objects.filter(user=user, confirmed_at__isnull=False).exists()


def _totp(factor: SecondFactor) -> pyotp.TOTP:
    return pyotp.TOTP(field_decrypt(factor.secret_encrypted))


def otp_begin(*, user: User) -> SecondFactor:
    """The pending authenticator shown for enrolment: the same secret until it is confirmed, so
    reloading the page does not invalidate what the user already scanned."""
    factor, created = SecondFactor.objects.get_or_create(
        user=user, defaults={"secret_encrypted": field_encrypt(pyotp.random_base32())}
    )
    if not created and factor.confirmed_at is not None:
        raise ValueError("second factor already active")
    return factor


def otp_secret(factor: SecondFactor) -> str:
    """The base32 secret, for typing into an authenticator that cannot scan."""
    return field_decrypt(factor.secret_encrypted)


def otp_qr_svg(factor: SecondFactor) -> str:
    """The otpauth:// URI as an inline SVG (no image request, no script: fits the CSP)."""
    uri = _totp(factor).provisioning_uri(name=factor.user.username, issuer_name=ISSUER)
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return image.to_string(encoding="unicode")


def _normalise_code(code: str) -> str:
    """ "123 456" as some apps display it, or "１２３４５６" typed in a Chinese input method's
    full-width mode, to "123456"."""
    return "".join(unicodedata.normalize("NFKC", code or "").split())


def _is_totp_code(code: str) -> bool:
    return len(code) == 6 and code.isascii() and code.isdigit()


def _matching_step(factor: SecondFactor, code: str) -> int | None:
    code = _normalise_code(code)
    if not _is_totp_code(code):
        return None
    totp = _totp(factor)
    current = totp.timecode(clock.now())
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _consume_step(factor: SecondFactor, code: str) -> bool:
    """Accept `code` once: the conditional update wins for exactly one of two racing requests."""
    step = _matching_step(factor, code)
    if step is None:
        return False
    newer = Q(last_step__isnull=True) | Q(last_step__lt=step)
    return SecondFactor.objects.filter(newer, pk=factor.pk).update(last_step=step) == 1


def _recovery_hash(code: str) -> str:
    # Keyed with SECRET_KEY: a copied table alone does not allow guessing the codes offline. (A
    # new SECRET_KEY voids the codes; users get new ones by turning the factor off and on.)
    normalised = code.strip().lower().replace("-", "").replace(" ", "")
    return salted_hmac(_RECOVERY_SALT, normalised, algorithm="sha256").hexdigest()


def _recovery_codes_new(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [
        "-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(5)) for _ in range(2))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_recovery_hash(code)) for code in codes
    )
    return codes


@transaction.atomic
def otp_confirm(*, user: User, code: str) -> list[str] | None:
    """Activate the pending authenticator if `code` comes from it; returns the recovery codes
    (to be shown once), or None for a wrong code."""
    factor = (
        SecondFactor.objects.select_for_update()
        .filter(user=user, confirmed_at__isnull=True)
        .first()
    )
    if factor is None or not _consume_step(factor, code):  # None: confirmed by a racing request
        return None
    SecondFactor.objects.filter(pk=factor.pk).update(confirmed_at=clock.now())
    audit_record(actor=user, action="otp_enrol", obj=user)
    # Every token the user holds was issued on the password alone; whoever turns the factor on
    # (often fearing the password leaked) must not leave such a token working (probe T1).
    personal_tokens_revoke(tokens=user.personal_tokens.all(), actor=user, reason="启用两步验证")
    return _recovery_codes_new(user)


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def otp_check(*, user: User, code: str, request: HttpRequest | None) -> bool:
    """A login's second factor: a TOTP code or an unused recovery code.

    A wrong code is reported as a failed login (django-axes counts it towards the lock-out of
    this user name and address) and audited as `otp_failed`.
    """
    code = _normalise_code(code)
    factor = SecondFactor.objects.filter(user=user, confirmed_at__isnull=False).first()
    if factor is not None and _is_totp_code(code):
        if _consume_step(factor, code):
            return True
    elif factor is not None and code:
        used = RecoveryCode.objects.filter(
            user=user, code_hash=_recovery_hash(code), used_at__isnull=True
        ).update(used_at=clock.now())
        if used:
            audit_record(actor=user, action="otp_recovery_used", obj=user)
            return True
    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.get_username(), "factor": "otp"},
        request=request,
    )
    return False


def _otp_remove(user: User, actor: User) -> None:
    """Remove the second factor and the API tokens issued with it: after a lost phone or a
    change of mind, a token from before must not outlive the factor that let it be issued."""
    SecondFactor.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    personal_tokens_revoke(
        tokens=user.personal_tokens.all(), actor=actor, reason="两步验证已停用或重置"
    )


@transaction.atomic
def otp_disable(*, user: User) -> None:
    """The user turns the second factor off (the view has checked password and code)."""
    _otp_remove(user, actor=user)
    audit_record(actor=user, action="otp_disable", obj=user)


@transaction.atomic
def otp_reset(*, user: User, actor: User) -> None:
    """An administrator removes a user's second factor (lost phone); the user enrols again."""
    _otp_remove(user, actor=actor)
    audit_record(actor=actor, action="otp_reset", obj=user)


def token_login_refusal(*, user: User, code: str, request: HttpRequest | None) -> str | None:
    """Why a login outside the pages (the API token endpoint) must stop after a right password,
    or None. The same gates as the pages: the second factor, then what the pages would insist on
    first (enrolment, a password change), since an API client cannot be redirected to them."""
    if otp_active(user):
        if not code.strip():
            return "该账号已启用两步验证，请同时提交验证码（otp）。"
        if not otp_check(user=user, code=code, request=request):
            return "两步验证码错误或已使用过。"
    return account_obligation(user)


def account_obligation(user: User) -> str | None:
    """What the pages would make this user do before anything else (enrol a second factor,
    change the password), for clients that cannot be redirected there: the API refuses tokens
    and requests until it is done."""
    if second_factor_required(user) and not otp_active(user):
        return "按等保安全配置，请先在网页上启用两步验证。"
    if user.must_change_password or password_expired(user):
        return "请先在网页上修改密码。"
    return None


def otp_secrets_reencrypt(*, batch_size: int = 500) -> int:
    """Encrypt every stored TOTP secret again under the newest FIELD_ENCRYPTION_KEY, batch by
    batch under row locks (part of key rotation: after it the old key can be dropped)."""
    last_pk = 0
    done = 0
    while True:
        with transaction.atomic():
            batch = list(
                SecondFactor.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return done
            for factor in batch:
                factor.secret_encrypted = field_encrypt(field_decrypt(factor.secret_encrypted))
            SecondFactor.objects.bulk_update(batch, ["secret_encrypted"])
        last_pk = batch[-1].pk
        done += len(batch)
