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
own step is counted when it fails (the failed-login signal). The address is core/clientip.py's: a
forged X-Forwarded-For moves nothing unless it comes through a trusted proxy.
"""

from django.conf import settings
from django.http import HttpRequest

from hqzt.core.clientip import ratelimit_key
from hqzt.core.ratelimit import Hit, rate_give_back, rate_hit

GROUP = "accounts.login_failures"
REFUSED = "该网络地址登录失败次数过多，已暂停登录，请稍后再试；如需帮助请联系系统管理员。"
# Set in request.META (shared by Django's request and DRF's) once the attempt is counted, so the
# failed-login signal of the same request does not count it again.
_COUNTED = "hqzt.login_attempt_counted"


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
