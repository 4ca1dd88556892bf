"""Big ledger exports and big imports, run by the queue so that a request never waits for a
province's year."""

import tempfile

from django.core.files import File
from django.http import QueryDict
from django.urls import reverse
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from hqzt.audit.statemachine import transition
from hqzt.core import clock
from hqzt.core.queue import task_lock
from hqzt.documents.export_access import export_scope, exports_expire
from hqzt.documents.import_jobs import import_job_fail, import_job_run, imports_stalled
from hqzt.documents.ledger_export import write_ledger_xlsx
from hqzt.documents.models import ExportJob
from hqzt.needs.ledger import ledger_filter, ledger_table
from hqzt.notifications.services import notify_users


@db_task()
def run_ledger_export(job_id: int) -> None:
    job = transition(ExportJob.objects.get(pk=job_id), "export_start", None)
    try:
        needs, _ = ledger_filter(job.user, QueryDict(job.params.get("query", "")))
        # What the file holds, asked again at each download (export_access.export_refusal).
        params = {**job.params, "scope": export_scope(job.user, needs)}
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
            row_count = write_ledger_xlsx(ledger_table(needs, job.user), tmp.name)
            with open(tmp.name, "rb") as handle:
                job.file.save("ledger.xlsx", File(handle), save=False)
    except Exception as exc:
        transition(job, "export_fail", None, error=repr(exc)[:2000], finished_at=clock.now())
        raise
    job = transition(
        job,
        "export_done",
        None,
        file=job.file.name,
        params=params,
        row_count=row_count,
        finished_at=clock.now(),
    )
    notify_users(
        [job.user],
        kind="export",
        title=f"台账导出已完成（{job.row_count} 行），请下载",
        url=reverse("documents:export_download", args=[job.pk]),
    )


@db_periodic_task(crontab(hour="3", minute="40"))
@task_lock("export-expire")
def daily_export_expiry() -> None:
    exports_expire()


JOB_BROKEN = "导入过程中出现系统错误，已停止：已导入的行保留，其余未导入。请联系管理员。"


@db_task(retries=2, retry_delay=30, context=True)
def run_import_job(batch_id: int, task=None) -> None:
    """A confirmed big import (import_jobs.py). An unexpected error is retried, resuming after
    the last committed chunk; when no retry is left the job fails and the user is told."""
    try:
        import_job_run(batch_id)
    except Exception:
        if task is None or not task.retries:
            import_job_fail(batch_id, JOB_BROKEN)
        raise


@db_periodic_task(crontab(minute="*/5"))
@task_lock("import-resume")
def imports_resume() -> None:
    """Queue again the imports whose worker died mid-way; each resumes after its last chunk."""
    for batch_id in imports_stalled():
        run_import_job(batch_id)
