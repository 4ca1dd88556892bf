import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hqzt.core.queue import task_lock
from hqzt.dashboard.reconcile import reconcile

log = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="3", minute="10"))
@task_lock("dashboard-reconcile-stats")
def reconcile_stats() -> None:
    """Nightly: the statistics rows against the needs, drift corrected and logged (the same as
    `manage.py rebuild_stats`); drift means a write path bypassed dashboard/signals.py."""
    drift = reconcile(fix=True)
    if drift.rows:
        log.warning(
            "NeedStat drift corrected: %s rows at %s stations: %s",
            drift.rows,
            drift.stations,
            drift.examples,
        )
