"""The lock every scheduled task holds, so that several consumers (on several machines, with
Redis) run each scheduled task once (ADR 0004).

huey's lock never expires by itself: a consumer killed while holding it (kill -9, power loss)
stopped that task for good until someone flushed the lock by hand (issue 18). With Redis the lock
now expires after TASK_LOCK_SECONDS; the embedded SQLite queue, whose storage cannot expire keys,
has a single consumer that flushes its locks when it starts (settings.HUEY).
"""

from collections.abc import Callable

from django.conf import settings
from huey.contrib.djhuey import HUEY


def task_lock(name: str) -> Callable:
    """huey's `lock_task`, expiring where the queue's storage can expire keys."""
    return HUEY.lock_task(name, ttl=settings.TASK_LOCK_SECONDS if settings.REDIS_URL else None)
