from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hqzt.core.queue import task_lock
from hqzt.intake.services import retrain_all_cities


@db_periodic_task(crontab(hour="2", minute="15"))
@task_lock("intake-retrain")
def retrain_intake_models() -> None:
    """Nightly: each city's model learns from the needs its stations identified and dispatched
    (the same as `manage.py build_intake_model --all-cities`)."""
    retrain_all_cities()
