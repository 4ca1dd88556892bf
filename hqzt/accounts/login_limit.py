"""A limit on failed logins per client address, across user names (probe R2).

django-axes locks a (user name, address) pair after AXES_FAILURE_LIMIT failures; one address
trying one or two common passwords against every user name never meets that lock. This counts
the failed logins from an address — a wrong password or a wrong second-factor code, on the login
page or the API token endpoint, whatever the user name — in the project's one limiter
(core/ratelimit.py, fixed windows in the shared cache) at LOGIN_FAILURE_RATE.

A password attempt is counted before the password is checked, by one atomic increment, so that
simultaneous attempts cannot all pass a check made before any was counted (probe R4's race); one
over the limit is answered 429 without a password check, and one that succeeds gives its count
back, so successful logins neither count nor reset the failures. A second-factor code sent on its
own step is counted when it fails (the failed-login signal). The address is core/clientip.py's
client_key (an IPv6 client counts as its /64): a forged X-Forwarded-For moves nothing unless it
comes through a trusted proxy.

django-axes' own lock on a (user name, address) pair checks the failures recorded so far and
records a failure only after the password was checked, so thirty simultaneous guesses all passed
a check that had seen none of them (probe R4). `login_user_attempt` counts the attempt as under
way (one atomic increment in the shared cache) before the check, and refuses it when the failures
axes holds plus the attempts under way pass AXES_FAILURE_LIMIT: axes stays the one record of
failures (an administrator's unlock and a successful login reset it as before), and a burst is
held to the limit.
"""

import contextlib
import hashlib
import unicodedata
from collections.abc import Iterator

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from hqzt.core.clientip import client_key, ratelimit_key
from hqzt.core.ratelimit import Hit, rate_give_back, rate_hit

GROUP = "accounts.login_failures"
REFUSED = "该网络地址登录失败次数过多，已暂停登录，请稍后再试；如需帮助请联系系统管理员。"
# Set in request.META (shared by Django's request and DRF's) once the attempt is counted, so the
# failed-login signal of the same request does not count it again.
_COUNTED = "hqzt.login_attempt_counted"
LOCKED = "登录失败次数过多，账号已暂时锁定，请 30 分钟后再试，或联系系统管理员解锁。"
# An attempt under way is one password check; a worker killed during one leaves its count for
# this long at most.
UNDER_WAY_SECONDS = 60


def login_attempt_begin(request: HttpRequest) -> Hit | None:
    """Count a password attempt from the request's address; the spent allowance if the address
    may not try now (answer 429, check nothing), else None."""
    hit = rate_hit(GROUP, settings.LOGIN_FAILURE_RATE, ratelimit_key(GROUP, request))
    request.META[_COUNTED] = True
    return None if hit.allowed else hit


def login_attempt_succeeded(request: HttpRequest) -> None:
    """The attempt counted by login_attempt_begin was no failure: give its count back."""
    if request.META.pop(_COUNTED, False):
        rate_give_back(GROUP, settings.LOGIN_FAILURE_RATE, ratelimit_key(GROUP, request))


def login_failure_count(request: HttpRequest | None) -> None:
    """A failed login (accounts/signals.py) not counted already: a second-factor step's code."""
    if request is not None and not request.META.get(_COUNTED):
        rate_hit(GROUP, settings.LOGIN_FAILURE_RATE, ratelimit_key(GROUP, request))


def _under_way_key(request: HttpRequest, username: str) -> str:
    pair = hashlib.sha256(f"{username}\x00{client_key(request)}".encode()).hexdigest()[:32]
    return f"login-under-way:{pair}"


@contextlib.contextmanager
def login_user_attempt(request: HttpRequest, username: str) -> Iterator[bool]:
    """Around one password check for `username` from the request's address: yields False (check
    nothing, answer as locked) when axes' recorded failures plus the attempts under way, this one
    included, pass AXES_FAILURE_LIMIT. The count is given back once the check is over, by then
    recorded by axes if it failed. The name is NFKC-folded as the login form folds it before
    axes records it: `ｃｈｉｅｆ1` is chief1's attempt, not another name's (probe P2-L3)."""
    username = unicodedata.normalize("NFKC", username)
    key = _under_way_key(request, username)
    cache.add(key, 0, UNDER_WAY_SECONDS)
    try:
        under_way = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, UNDER_WAY_SECONDS)
        under_way = 1
    try:
        failures = AxesProxyHandler.get_failures(request, {"username": username})
        yield failures + under_way <= settings.AXES_FAILURE_LIMIT
    finally:
        with contextlib.suppress(ValueError):
            cache.decr(key)
