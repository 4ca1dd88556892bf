import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hqzt.core import clock
from hqzt.core.queue import task_lock
from hqzt.dashboard.reconcile import reconcile_nightly

log = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="3", minute="10"))
@task_lock("dashboard-reconcile-stats")
def reconcile_stats() -> None:
    """Nightly: the statistics rows of the recent months and one older month against the needs,
    drift corrected and logged (`manage.py rebuild_stats` checks them all); drift means a write
    path bypassed dashboard/signals.py."""
    drift = reconcile_nightly(clock.today())
    if drift.rows:
        log.warning(
            "NeedStat drift corrected: %s rows at %s stations: %s",
            drift.rows,
            drift.stations,
            drift.examples,
        )
