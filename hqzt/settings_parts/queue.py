"""The background queue (ADR 0004): SQLite-backed by default, Redis to scale out."""

from pathlib import Path


def huey_for(
    *, redis_url: str, redis_timeouts: dict, data_dir: Path, immediate: bool, workers: int
) -> dict:
    """HUEY: RedisExpireHuey with REDIS_URL, else the embedded SqliteHuey under DATA_DIR."""
    huey = {
        "name": "hqzt",
        "immediate": immediate,
        "consumer": {"workers": workers, "worker_type": "thread"},
    }
    if redis_url:
        from redis import ConnectionPool

        # RedisExpireHuey keeps results and locks as plain keys, which can expire (RedisHuey keeps
        # them in a hash, whose fields expire only from Redis 7.4 on).
        pool = ConnectionPool.from_url(redis_url, **redis_timeouts)
        huey.update({"huey_class": "huey.RedisExpireHuey", "connection": {"connection_pool": pool}})
    else:
        # The embedded queue has one consumer, so a lock it finds on start was left by its own
        # predecessor (killed mid-task): cleared, or that task would never run again.
        huey.update({"huey_class": "huey.SqliteHuey", "filename": str(data_dir / "queue.sqlite3")})
        huey["consumer"]["flush_locks"] = True
    return huey
