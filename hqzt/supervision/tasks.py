"""Scheduled work of supervision, run by the queue's consumer (ADR 0004)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hqzt.core.queue import task_lock
from hqzt.supervision.orders import orders_overdue_notify


@db_periodic_task(crontab(hour="8", minute="40"))
@task_lock("order-overdue-scan")
def daily_order_scan() -> None:
    orders_overdue_notify()
