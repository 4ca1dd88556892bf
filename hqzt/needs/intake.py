"""Needs that arrive from outside: the public portal and integrated platforms (12345 …).

Every submission carries a key (the portal form's one-time key, or the platform's external id),
so a double click, a browser retry or a platform re-sending the same case yields the one sheet
that was already made.
"""

import hashlib
import json
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from hqzt.enterprises.services import enterprise_for_claim
from hqzt.needs.attachments import attachment_add, attachment_validate
from hqzt.needs.models import Channel, NeedType, SubmissionKey, TrackingSheet
from hqzt.needs.services.registration import NeedItem, need_submit
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


class KeyReused(Exception):
    """The key was used before for a submission with other content (answered 409)."""


def submission_fingerprint(submission: Submission) -> str:
    """What identifies a submission's content, so that a key reused for other content shows."""
    parts = [
        submission.station.pk,
        submission.enterprise_name,
        submission.credit_code,
        submission.contact_name,
        submission.contact_phone,
        submission.need_type.pk,
        submission.content,
        submission.channel_code,
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def _same(existing: SubmissionKey, fingerprint: str) -> TrackingSheet:
    if existing.fingerprint and existing.fingerprint != fingerprint:
        raise KeyReused
    return existing.sheet


def submission_receive(
    submission: Submission, *, key: str, uploads: list[UploadedFile] | None = None
) -> tuple[TrackingSheet, bool]:
    """Register an outside submission once. Returns the sheet and whether it was new; a key
    used before for other content raises KeyReused."""
    for upload in uploads or []:
        attachment_validate(upload)  # refuse before anything is written
    fingerprint = submission_fingerprint(submission)
    existing = SubmissionKey.objects.filter(key=key).select_related("sheet").first()
    if existing:
        return _same(existing, fingerprint), False
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
            SubmissionKey.objects.create(key=key, sheet=sheet, fingerprint=fingerprint)
            need = sheet.needs.get()
            for upload in uploads or []:
                attachment_add(need=need, actor=None, upload=upload)
    except IntegrityError:
        # The same key committed by a concurrent request first: answer with its sheet.
        existing = SubmissionKey.objects.select_related("sheet").get(key=key)
        return _same(existing, fingerprint), False
    return sheet, True
