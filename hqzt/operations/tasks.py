import datetime

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hqzt.core import clock
from hqzt.core.queue import task_lock
from hqzt.operations.reports import week_of, weekly_reports_draft_all


@db_periodic_task(crontab(day_of_week="1", hour="7", minute="30"))
@task_lock("weekly-report-drafts")
def draft_last_weeks_reports() -> None:
    """Every Monday morning: draft last week's report for every active station."""
    weekly_reports_draft_all(week_of(clock.today()) - datetime.timedelta(days=7))
