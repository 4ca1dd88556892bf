import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hqzt.core import clock
from hqzt.core.queue import task_lock
from hqzt.dashboard.reconcile import reconcile_nightly
from hqzt.stations.counts import enterprise_count_drift

log = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="3", minute="10"))
@task_lock("dashboard-reconcile-stats")
def reconcile_stats() -> None:
    """Nightly: the statistics rows of the recent months and one older month against the needs,
    drift corrected and logged (`manage.py rebuild_stats` checks them all); drift means a write
    path bypassed dashboard/signals.py. Each station's 服务企业数 is recounted too (one GROUP BY
    over the links, stations/counts.py)."""
    drift = reconcile_nightly(clock.today())
    if drift.rows:
        log.warning(
            "NeedStat drift corrected: %s rows at %s stations: %s",
            drift.rows,
            drift.stations,
            drift.examples,
        )
    counts = enterprise_count_drift(fix=True)
    if counts:
        log.warning("Station enterprise counts corrected (station, kept, counted): %s", counts[:10])
