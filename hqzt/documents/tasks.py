"""Big ledger exports, run by the queue so that a request never waits for a province's year."""

import tempfile

from django.core.files import File
from django.http import QueryDict
from django.urls import reverse
from huey.contrib.djhuey import db_task

from hqzt.core import clock
from hqzt.documents.ledger_export import write_ledger_xlsx
from hqzt.documents.models import ExportJob
from hqzt.needs.ledger import ledger_filter, ledger_table
from hqzt.notifications.services import notify_users


@db_task()
def run_ledger_export(job_id: int) -> None:
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    job.status = ExportJob.Status.RUNNING
    job.save(update_fields=["status"])
    try:
        needs, _ = ledger_filter(job.user, QueryDict(job.params.get("query", "")))
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
            job.row_count = write_ledger_xlsx(ledger_table(needs, job.user), tmp.name)
            with open(tmp.name, "rb") as handle:
                job.file.save("ledger.xlsx", File(handle), save=False)
    except Exception as exc:
        job.status, job.error = ExportJob.Status.FAILED, repr(exc)[:2000]
        job.finished_at = clock.now()
        job.save()
        raise
    job.status, job.finished_at = ExportJob.Status.DONE, clock.now()
    job.save()
    notify_users(
        [job.user],
        kind="export",
        title=f"台账导出已完成（{job.row_count} 行），请下载",
        url=reverse("documents:export_download", args=[job.pk]),
    )
