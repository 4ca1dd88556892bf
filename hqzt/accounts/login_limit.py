"""A limit on failed logins per client address, across user names (probe R2).

django-axes locks a (user name, address) pair after AXES_FAILURE_LIMIT failures; one address
trying one or two common passwords against every user name never meets that lock. This counts
every failed login from an address — a wrong password or a wrong second-factor code, on the login
page or the API token endpoint, whatever the user name — in the project's one limiter
(core/ratelimit.py, fixed windows in the shared cache) at LOGIN_FAILURE_RATE, and once the
address has spent it both endpoints answer 429 before checking any password. Successful logins
neither count nor reset it, so one known account cannot clear the way for the others. The address
is core/clientip.py's: a forged X-Forwarded-For moves nothing unless it comes through a trusted
proxy.
"""

from django.conf import settings
from django.http import HttpRequest

from hqzt.core.clientip import ratelimit_key
from hqzt.core.ratelimit import Hit, rate_hit, rate_peek

GROUP = "accounts.login_failures"
REFUSED = "该网络地址登录失败次数过多，已暂停登录，请稍后再试；如需帮助请联系系统管理员。"


def login_failure_count(request: HttpRequest | None) -> None:
    """One more failed login from the request's address (accounts/signals.py)."""
    if request is not None:
        rate_hit(GROUP, settings.LOGIN_FAILURE_RATE, ratelimit_key(GROUP, request))


def login_address_refusal(request: HttpRequest) -> Hit | None:
    """The spent allowance when the address may not try to log in now, else None."""
    hit = rate_peek(GROUP, settings.LOGIN_FAILURE_RATE, ratelimit_key(GROUP, request))
    return None if hit.allowed else hit
