"""Who may download a queued ledger export, and how long its file lives (outside probe X3).

A job's file holds every row the user could see when it was made, with full numbers for those who
see them. The owner's scope may shrink afterwards (a membership switched off, a role changed), so
the scope the file was made with is written on the job and asked again at each download: the file
goes only to an owner who could still see all of it. Files are deleted EXPORT_RETENTION_DAYS after
they were made (a periodic task), so decrypted numbers do not pile up under MEDIA_ROOT for good.
"""

import datetime

from django.conf import settings
from django.db.models import QuerySet

from hqzt.accounts.models import User
from hqzt.core import clock
from hqzt.documents.models import ExportJob
from hqzt.needs.ledger import sees_full_phones
from hqzt.needs.models import Need
from hqzt.stations.selectors import stations_visible_to

SCOPE_GONE = "您的服务站或角色已变更，不能再查看此导出文件涵盖的全部内容，请按现在的权限重新导出。"
SCOPE_UNKNOWN = "此导出文件未记录生成时的权限范围，无法复核，请重新导出。"


def export_scope(user: User, needs: QuerySet[Need]) -> dict:
    """What the file is made of: its needs' stations, or for a section handler (who sees what
    was dispatched to their sections wherever it came from) the sections; and whether it holds
    full contact numbers. The stations are made distinct by the database: a province's year read
    back one station id a row held all of them in the worker at once, the export's peak memory
    (+85 MB at a million rows, issue 18)."""
    scope: dict = {"full_phones": sees_full_phones(user)}
    if user.is_handler:
        scope["sections"] = sorted(user.sections.values_list("pk", flat=True))
    else:
        scope["stations"] = sorted(needs.order_by().values_list("station_id", flat=True).distinct())
    return scope


def export_refusal(user: User, job: ExportJob) -> str:
    """Why the owner may no longer take the file ("" when they may)."""
    scope = job.params.get("scope")
    if not isinstance(scope, dict):
        return SCOPE_UNKNOWN
    if not user.is_active or (scope.get("full_phones") and not sees_full_phones(user)):
        return SCOPE_GONE
    if "sections" in scope:
        held = set(user.sections.values_list("pk", flat=True)) if user.is_handler else set()
        return "" if set(scope["sections"]) <= held else SCOPE_GONE
    visible = set(stations_visible_to(user).values_list("pk", flat=True))
    return "" if set(scope.get("stations", [])) <= visible else SCOPE_GONE


def _expiry_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or clock.now()) - datetime.timedelta(days=settings.EXPORT_RETENTION_DAYS)


def export_ready(user: User, job: ExportJob) -> bool:
    """Its owner's, made, and not yet expired: the file exists to be asked for. The age is asked
    here too, not left to the daily sweep, which may not have run (probe P2-E1)."""
    return (
        job.user_id == user.pk
        and job.status == ExportJob.Status.DONE
        and bool(job.file)
        and job.created_at >= _expiry_cutoff()
    )


def export_may_download(user: User, job: ExportJob) -> bool:
    """The list's 下载 link and the download ask the same."""
    return export_ready(user, job) and not export_refusal(user, job)


def exports_expire(now: datetime.datetime | None = None) -> int:
    """Delete the files of exports made more than EXPORT_RETENTION_DAYS ago; the job stays listed
    without its file. Returns how many files were deleted."""
    expired = 0
    for job in ExportJob.objects.filter(created_at__lt=_expiry_cutoff(now)).exclude(file=""):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        expired += 1
    return expired
