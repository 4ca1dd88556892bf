"""The application's clock.

Services read the time from here rather than from timezone.now(), so that the demo data set can
be built "in the past" through the same services that users go through (travel()), and tests can
fix the date without patching libraries.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_frozen: ContextVar[datetime.datetime | None] = ContextVar("frozen_now", default=None)


def now() -> datetime.datetime:
    return _frozen.get() or timezone.now()


def today() -> datetime.date:
    return timezone.localdate(now())


@contextmanager
def travel(moment: datetime.datetime) -> Iterator[None]:
    """Run the block as if it were `moment` (an aware datetime)."""
    token = _frozen.set(moment)
    try:
        yield
    finally:
        _frozen.reset(token)


def localdate(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


def stamp(moment: datetime.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A moment as people read it in a page, document or message: in the deployment's time zone
    (TIME_ZONE, Asia/Shanghai), never in UTC as it is stored. '' for None."""
    if moment is None:
        return ""
    return f"{timezone.localtime(moment):{fmt}}"
