"""Staff API tokens: issued after a full login (password, second factor, account obligations:
api/views.py::TokenLogin), stored only as a hash, shown once, revoked with an audit row."""

import datetime
import secrets

from django.conf import settings
from django.db import transaction

from hqzt.accounts.models import PersonalToken, User
from hqzt.audit.services import audit_record
from hqzt.core import clock
from hqzt.core.crypto import token_hash


@transaction.atomic
def personal_token_issue(*, user: User) -> str:
    """A new token for `user`; returns it. Only its hash is stored, so the caller shows it once."""
    raw = secrets.token_hex(20)  # 40 hex digits, the length DRF's tokens had
    token = PersonalToken.objects.create(user=user, key_hash=token_hash(raw), key_prefix=raw[:8])
    audit_record(actor=user, action="api_token_issue", obj=token)
    return raw


def personal_token_expired(token: PersonalToken) -> bool:
    """A token lives API_TOKEN_MAX_AGE_DAYS from its issue, as a page login lives its absolute
    time: one copied into a script or a phone must not work for years (probe T2)."""
    lifetime = datetime.timedelta(days=settings.API_TOKEN_MAX_AGE_DAYS)
    return token.created + lifetime <= clock.now()


def personal_token_find(raw: str) -> PersonalToken | None:
    """The token sent as `raw`, with its user; None when there is none."""
    return PersonalToken.objects.select_related("user").filter(key_hash=token_hash(raw)).first()


def personal_token_used(token: PersonalToken) -> None:
    PersonalToken.objects.filter(pk=token.pk).update(last_used_at=clock.now())


def personal_tokens_revoke(*, tokens, actor: User | None, reason: str) -> int:
    """Delete `tokens` (a queryset), one audit row each, in the caller's transaction."""
    revoked = 0
    for token in tokens.select_related("user"):
        audit_record(actor=actor, action="api_token_revoke", obj=token, context={"reason": reason})
        token.delete()
        revoked += 1
    return revoked
