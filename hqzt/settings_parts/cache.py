"""The cache and the session store.

The rate limits of the portal and the API and the lock-outs count in the cache, so it must be one
cache for every worker process and survive a restart (a per-process cache would hand each worker,
and each restart, a fresh allowance). The database cache needs no server (the table is made by
`migrate`); Redis when REDIS_URL is set. A per-process cache only with DEBUG.
"""

from django.core.exceptions import ImproperlyConfigured


def caches_for(backend: str, *, redis_url: str, redis_timeouts: dict, debug: bool) -> dict:
    """CACHES for CACHE_BACKEND (database, redis or locmem); refuses what cannot work."""
    backends = {
        "redis": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "OPTIONS": redis_timeouts,
        },
        "database": {
            # Django's DatabaseCache with an atomic `incr` (core/cache.py), so that simultaneous
            # requests are all counted.
            "BACKEND": "hqzt.core.cache.AtomicDatabaseCache",
            "LOCATION": "hqzt_cache",
            # Culling would forget lock-outs; entries expire on their own.
            "TIMEOUT": 86400,
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        },
        "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    if backend not in backends or (backend == "redis" and not redis_url):
        raise ImproperlyConfigured(
            f"CACHE_BACKEND must be database, redis (with REDIS_URL) or locmem, got {backend!r} "
            "(CACHE_BACKEND 配置不正确)."
        )
    if backend == "locmem" and not debug:
        raise ImproperlyConfigured(
            "CACHE_BACKEND=locmem is a per-process cache: rate limits and lock-outs would count "
            "per worker and restart from zero. Production refuses it; use database or redis "
            "(生产配置拒绝进程内缓存：限流与锁定须由所有进程共享且重启后保留)."
        )
    return {"default": backends[backend]}


def session_engine_for(backend: str) -> str:
    """Sessions are kept in the database, which every app server shares; with Redis they are read
    from the cache first (written to both), so that a request on any server finds the login
    without a query. A session store of one server's own would log people out whenever the
    balancer switched."""
    if backend == "redis":
        return "django.contrib.sessions.backends.cached_db"
    return "django.contrib.sessions.backends.db"
