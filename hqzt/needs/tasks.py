"""Scheduled work of the needs domain, run by the queue's consumer (ADR 0004)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from hqzt.needs.scans import deadline_scan


@db_periodic_task(crontab(hour="8", minute="30"))
@lock_task("deadline-scan")
def daily_deadline_scan() -> None:
    deadline_scan()
