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

CAP_REASON = "超过每人令牌上限，吊销最久未用的令牌"


@transaction.atomic
def personal_token_issue(*, user: User) -> str:
    """A new token for `user`; returns it. Only its hash is stored, so the caller shows it once.

    A user holds at most API_TOKEN_MAX_PER_USER tokens (probe: each login added a row, without
    end). The new token always works; beyond the cap the tokens that are void (expired, or older
    than the password) and then those least recently used (last use, else issue) are revoked,
    each with an audit row — so a script that logs in on every run keeps working, and a client
    still using its token is the last to lose it (refusing instead would stop every integration
    after a few runs until an administrator or the age limit cleared its tokens). Issues for one
    user run one at a time (the user's row locked on PostgreSQL; SQLite's IMMEDIATE transactions
    already do), so simultaneous logins cannot leave more than the cap."""
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
    raw = secrets.token_hex(20)  # 40 hex digits, the length DRF's tokens had
    token = PersonalToken.objects.create(user=user, key_hash=token_hash(raw), key_prefix=raw[:8])
    audit_record(actor=user, action="api_token_issue", obj=token)
    _personal_tokens_cap(user=user, keep=token)
    return raw


def personal_token_void(token: PersonalToken, user: User) -> bool:
    """The token no longer authenticates: past its age or issued before the password changed."""
    return personal_token_expired(token) or token.created < user.password_changed_at


def _personal_tokens_cap(*, user: User, keep: PersonalToken) -> None:
    cap = settings.API_TOKEN_MAX_PER_USER
    others = list(PersonalToken.objects.filter(user=user).exclude(pk=keep.pk))
    surplus = len(others) - (cap - 1)
    if surplus <= 0:
        return
    # First to go: void tokens, then the least recently used (oldest last use, else issue).
    others.sort(key=lambda t: (not personal_token_void(t, user), t.last_used_at or t.created, t.pk))
    doomed = [t.pk for t in others[:surplus]]
    personal_tokens_revoke(
        tokens=PersonalToken.objects.filter(pk__in=doomed).order_by("pk"),
        actor=user,
        reason=CAP_REASON,
    )


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
