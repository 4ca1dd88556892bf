"""Scheduled work of the needs domain, run by the queue's consumer (ADR 0004)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hqzt.core.queue import task_lock
from hqzt.needs.scans import deadline_scan


@db_periodic_task(crontab(hour="8", minute="30"))
@task_lock("deadline-scan")
def daily_deadline_scan() -> None:
    deadline_scan()
