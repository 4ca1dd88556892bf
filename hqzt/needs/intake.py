"""Needs that arrive from outside: the public portal and integrated platforms (12345 …).

Every submission carries a key (the portal form's one-time key, or the platform's external id),
so a double click, a browser retry or a platform re-sending the same case yields the one sheet
that was already made.
"""

from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from hqzt.enterprises.services import enterprise_for_claim
from hqzt.needs.attachments import attachment_add, attachment_validate
from hqzt.needs.models import Channel, NeedType, SubmissionKey, TrackingSheet
from hqzt.needs.services import NeedItem, need_submit
from hqzt.stations.models import Station


@dataclass(frozen=True)
class Submission:
    station: Station
    enterprise_name: str
    contact_name: str
    contact_phone: str
    need_type: NeedType
    content: str
    channel_code: str
    credit_code: str = ""


def submission_receive(
    submission: Submission, *, key: str, uploads: list[UploadedFile] | None = None
) -> tuple[TrackingSheet, bool]:
    """Register an outside submission once. Returns the sheet and whether it was new."""
    for upload in uploads or []:
        attachment_validate(upload)  # refuse before anything is written
    existing = SubmissionKey.objects.filter(key=key).select_related("sheet").first()
    if existing:
        return existing.sheet, False
    try:
        with transaction.atomic():
            sheet = need_submit(
                station=submission.station,
                enterprise=enterprise_for_claim(
                    station=submission.station,
                    name=submission.enterprise_name,
                    credit_code=submission.credit_code,
                ),
                contact_name=submission.contact_name,
                contact_phone=submission.contact_phone,
                channel=Channel.objects.get(code=submission.channel_code),
                items=[NeedItem(need_type=submission.need_type, content=submission.content)],
            )
            SubmissionKey.objects.create(key=key, sheet=sheet)
            need = sheet.needs.get()
            for upload in uploads or []:
                attachment_add(need=need, actor=None, upload=upload)
    except IntegrityError:
        # The same key committed by a concurrent request first: answer with its sheet.
        return SubmissionKey.objects.select_related("sheet").get(key=key).sheet, False
    return sheet, True
