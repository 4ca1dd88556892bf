"""Probes for the load balancer: /healthz (the process answers) and /readyz (it can serve).

HealthProbeMiddleware answers both first in the middleware chain, before anything a probe must not
depend on or disturb: the host check (a balancer probes a backend by its address, not by the
site's name), the HTTPS redirect (it probes plain HTTP behind the TLS proxy), sessions, the audit
context, rate limits and lock-outs (a balancer probing every second must never be refused) and the
friendly error pages (the status code is the answer). The URL patterns route to the same views so
that they can be reversed and are visited by the URL × role × method test.

Nothing in an answer comes from the request or from an exception: a failure names the component
("database", "cache", "queue") with a fixed Chinese message and is logged in full server-side, so
the probe leaks no address, password or path.
"""

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from huey.contrib.djhuey import HUEY

logger = logging.getLogger(__name__)

_CACHE_KEY = "hqzt:readyz"
_MESSAGES = {
    "database": "数据库不可用",
    "cache": "缓存不可用",
    "queue": "后台任务队列不可用",
}


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 answered something else")


def _cache() -> None:
    """A write and a read: the rate limits and lock-outs need both. The key is shared by every
    process; another probe's write in between still leaves a value."""
    cache.set(_CACHE_KEY, "1", 60)
    if cache.get(_CACHE_KEY) is None:
        raise RuntimeError("the cache did not keep a value")


def _queue() -> None:
    """Reads the queue's storage (the SQLite file by default, Redis with REDIS_URL)."""
    HUEY.pending_count()


CHECKS: dict[str, Callable[[], None]] = {"database": _database, "cache": _cache, "queue": _queue}


def _answer(status: int, body: dict) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process runs Python and answers. Touches no database, so a database outage
    does not make the balancer restart healthy app servers."""
    if request.method not in ("GET", "HEAD"):
        return _answer(405, {"status": "error", "message": "只支持 GET"})
    return _answer(200, {"status": "ok"})


def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: each component a request may need, checked in turn; 503 names those that fail."""
    if request.method not in ("GET", "HEAD"):
        return _answer(405, {"status": "error", "message": "只支持 GET"})
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # any failure of a component means "not ready"; the detail is logged
            logger.exception("readyz: %s check failed", name)
            results[name] = "error"
        else:
            results[name] = "ok"
    failed = [name for name, result in results.items() if result != "ok"]
    if not failed:
        return _answer(200, {"status": "ok", "checks": results})
    message = "；".join(_MESSAGES[name] for name in failed)
    return _answer(
        503, {"status": "error", "checks": results, "failed": failed, "message": message}
    )


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthProbeMiddleware:
    """First in MIDDLEWARE: answers the probes before host checks, redirects, sessions, audit and
    rate limits (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)
