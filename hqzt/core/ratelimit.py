"""One rate limiter for the pages and the API (ADR 0012): fixed windows counted in the cache.

A limit such as "20/h" allows 20 requests per client in each window of an hour. The count is one
cache entry per (limit, client, window), made with `add` and raised with `incr`; both are atomic
in Redis and in the database cache (core/cache.py), so every worker and every app server sharing
the cache counts into the same number and simultaneous requests cannot each read the same count.
The client is `core.clientip.ratelimit_key` (X-Forwarded-For only through trusted proxies; an
IPv6 client is its /64).

Each client's windows start at an offset of their own within the period (as django-ratelimit's
did), so the whole city's allowances do not renew in the same second.

The pages use the `rate_limit` decorator (429 with the portal's 操作过于频繁 page); the API uses
`api.throttling.ClientRateThrottle`, a DRF throttle over `rate_hit`.
"""

import contextlib
import functools
import hashlib
import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hqzt.core import clock
from hqzt.core.clientip import ratelimit_key

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Every page with a limit is public-facing (the portal's forms and the type suggestion its submit
# form asks for), so the refusal has the portal's look.
REFUSED_TEMPLATE = "portal/rate_limited.html"
# An entry outlives its window by this much, so an `incr` just before the end finds it.
_GRACE_SECONDS = 5


@dataclass(frozen=True)
class Hit:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window renews


def rate_parse(rate: str) -> tuple[int, int]:
    """ "20/h" → (20, 3600); "5/10m" → (5, 600)."""
    try:
        count, per = rate.split("/")
        unit = per[-1]
        multiple = int(per[:-1]) if per[:-1] else 1
        limit, period = int(count), multiple * PERIODS[unit]
    except (ValueError, KeyError, IndexError):
        raise ImproperlyConfigured(
            f"Rate {rate!r} is not <count>/<s|m|h|d>, e.g. 20/h (限流配置格式应为 次数/单位)."
        ) from None
    if limit < 0 or period <= 0:
        raise ImproperlyConfigured(f"Rate {rate!r} needs a count ≥ 0 and a period > 0.")
    return limit, period


def _window(group: str, rate: str, ident: str) -> tuple[str, int, float, float]:
    """The cache key of client `ident`'s current window, the limit, now and the window's end."""
    limit, period = rate_parse(rate)
    now = clock.now().timestamp()
    offset = zlib.crc32(f"{group}:{ident}".encode()) % period
    window = math.floor((now - offset) / period)
    ends = offset + (window + 1) * period
    # The address is hashed: the cache key stays short and ASCII for any IPv6 spelling.
    client = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return f"rl:{group}:{limit}/{period}:{client}:{window}", limit, now, ends


def rate_hit(group: str, rate: str, ident: str) -> Hit:
    """Count one request of client `ident` against `rate` in `group` and say if it may pass."""
    key, limit, now, ends = _window(group, rate, ident)
    timeout = math.ceil(ends - now) + _GRACE_SECONDS
    if cache.add(key, 1, timeout):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: this request opens a new count
            cache.set(key, 1, timeout)
            count = 1
    return Hit(
        allowed=count <= limit, count=count, limit=limit, retry_after=max(1, math.ceil(ends - now))
    )


def rate_give_back(group: str, rate: str, ident: str) -> None:
    """Take back one count of client `ident` in its current window: for limits that count an
    attempt before it is made (so simultaneous ones cannot all pass a check) but only keep the
    attempts that failed (failed logins)."""
    key, _limit, _now, _ends = _window(group, rate, ident)
    with contextlib.suppress(ValueError):  # the window ended meanwhile: nothing to give back
        cache.decr(key)


def rate_limit(rate_setting: str, *, method: str) -> Callable:
    """Limit a view's `method` requests per client to the rate in settings.<rate_setting>, read
    at each request; over the limit the client gets the 429 page. Each view counts on its own."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        group = f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == method:
                rate = getattr(settings, rate_setting)
                hit = rate_hit(group, rate, ratelimit_key(group, request))
                if not hit.allowed:
                    response = render(request, REFUSED_TEMPLATE, status=429)
                    response["Retry-After"] = str(hit.retry_after)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
