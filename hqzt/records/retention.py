"""Retention (§6.6.4): archived records are kept at least three years; only then, and only by an
explicit, audited purge, may they be destroyed — never while under a legal hold. The date itself is
`core.retention.retention_date`, which archiving and the closed books set."""

import datetime

from django.db import transaction

from hqzt.accounts.models import User
from hqzt.audit.services import audit_record
from hqzt.core import clock
from hqzt.needs.models import (
    Attachment,
    Evaluation,
    EvaluationInvitation,
    ExtensionRequest,
    HandlingStep,
    Need,
    NeedEvent,
)
from hqzt.needs.states import Status


def purgeable(today: datetime.date | None = None):
    today = today or clock.today()
    return Need.objects.filter(status=Status.ARCHIVED, retention_until__lt=today, legal_hold=False)


class RetentionError(Exception):
    """Shown as is."""


# DB1405 §6.6.4
@transaction.atomic
def need_purge(*, actor: User | None, need: Need, reason: str) -> None:
    """Destroy one archived need after its retention date, leaving an audit record of it."""
    locked = Need.objects.select_for_update().select_related("sheet").get(pk=need.pk)
    if locked.status != Status.ARCHIVED or locked.retention_until is None:
        raise RetentionError("只有已归档的需求才能在保存期满后销毁。")
    if locked.legal_hold:
        raise RetentionError("该需求处于暂停销毁状态，不能销毁。")
    if locked.retention_until >= clock.today():
        raise RetentionError(f"未到保存期限（{locked.retention_until:%Y-%m-%d}），不能销毁。")
    if not reason.strip():
        raise RetentionError("请填写销毁依据。")
    audit_record(
        actor=actor,
        action="purge",
        object_type="needs.need",
        object_id=str(locked.pk),
        changes=[{"field": "need", "label": "销毁的需求", "before": locked.label, "after": reason}],
        # The need is gone after this: the row keeps whose record it was and until when it had
        # to be kept, for the station's §6.6.4 self-check.
        context={
            "station": locked.station_id,
            "retention_until": locked.retention_until.isoformat(),
        },
    )
    for attachment in Attachment.objects.filter(need=locked):
        attachment.file.delete(save=False)
    for model in (
        Attachment,
        HandlingStep,
        Evaluation,
        EvaluationInvitation,
        ExtensionRequest,
        NeedEvent,
    ):
        model.objects.filter(need=locked).delete()
    locked.co_sections.clear()
    locked.policies.clear()
    locked.delete()
