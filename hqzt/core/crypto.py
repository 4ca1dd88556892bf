"""Encryption at rest for enterprise contact phone numbers (SPEC R-9, 等保 个人信息保护).

The keys come from the environment (`FIELD_ENCRYPTION_KEY`), never from the database, so a copy of
the database or of a backup alone does not reveal the numbers. Several keys may be given, newest
first: the first encrypts, all decrypt (MultiFernet), so a key can be replaced without downtime and
`manage.py rotate_field_encryption` re-encrypts the rows afterwards.

Fernet ciphertext is randomised (a new IV each time), so equal numbers do not look equal in the
database and cannot be searched. For exact-number search an HMAC-SHA256 of the normalised number is
stored beside it, under a key derived from the encryption key (HKDF), so the stored hash cannot be
reversed by hashing all 10^11 mobile numbers without the key.
"""

import base64
import binascii
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from hqzt.core.phones import phone_normalize

_HASH_KEY_INFO = b"hqzt contact phone lookup hash v1"
GENERATE_HINT = (
    'Generate one with: python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())"'
)


class DecryptionFailed(Exception):
    """A stored value that none of the configured keys opens (wrong or missing key)."""


def field_keys_check(keys: list[str]) -> None:
    """Refuse malformed keys at start-up rather than at the first encrypted row."""
    for key in keys:
        try:
            Fernet(key)
        except (ValueError, binascii.Error) as exc:
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEY holds a malformed key (32 url-safe base64 bytes expected; "
                f"字段加密密钥格式错误). {GENERATE_HINT}"
            ) from exc


def _configured_keys() -> tuple[str, ...]:
    keys = tuple(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        raise ImproperlyConfigured(
            f"FIELD_ENCRYPTION_KEY is not set (未设置字段加密密钥). {GENERATE_HINT}"
        )
    return keys


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in keys])


@functools.lru_cache(maxsize=8)
def _hash_key(key: str) -> bytes:
    # A separate key for the lookup hash: knowing one never helps with the other.
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HASH_KEY_INFO).derive(
        base64.urlsafe_b64decode(key)
    )


def field_encrypt(text: str) -> str:
    """Ciphertext of `text` under the newest key (url-safe ASCII, about 100 characters)."""
    return _fernet(_configured_keys()).encrypt(text.encode()).decode()


def field_decrypt(token: str) -> str:
    try:
        return _fernet(_configured_keys()).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionFailed(
            "A stored phone number cannot be decrypted with the configured FIELD_ENCRYPTION_KEY."
        ) from exc


def _hmac(key: str, number: str) -> str:
    return hmac.new(_hash_key(key), number.encode(), hashlib.sha256).hexdigest()


def phone_hash(raw: str) -> str:
    """The lookup hash of a number under the newest key; "" for no number. Any formatting of the
    same number (dashes, spaces, +86, full-width digits) gives the same hash."""
    number = phone_normalize(raw)
    return _hmac(_configured_keys()[0], number) if number else ""


def phone_hashes(raw: str) -> list[str]:
    """The hashes of a number under every configured key: rows not yet re-hashed after a key
    change are still found."""
    number = phone_normalize(raw)
    return [_hmac(key, number) for key in _configured_keys()] if number else []


def token_hash(raw: str) -> str:
    """What is stored of an API token, integration or personal: SHA-256 of the token. A token is
    a high-entropy random key (not a password), so one unkeyed hash suffices and a token is found
    by its hash with one indexed lookup; a copy of the table gives nobody a usable token."""
    return hashlib.sha256(raw.encode()).hexdigest()
