"""Attachments on needs and handling steps (R-3.10).

The type is decided from the file's first bytes, never from its name or the browser's claim;
files are stored under generated names in MEDIA_ROOT, which the web server does not serve, and
are downloaded only through a view that checks the need's visibility.
"""

import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from hqzt.accounts.models import User
from hqzt.core.files import zip_check
from hqzt.needs.models import Attachment, HandlingStep, Need
from hqzt.needs.selectors import Standing, actor_roles
from hqzt.needs.states import Actor, Status
from hqzt.needs.workflow import TransitionRefused, lock_need, record_event

MAX_BYTES = 10 * 1024 * 1024

OLE = "application/msword"
_OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def sniff_content_type(upload: UploadedFile) -> str | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE  # legacy .doc/.xls (OLE)
    if head.startswith(b"PK\x03\x04"):
        try:
            names = zip_check(upload, upload.size)  # a zip bomb raises its own error
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            for prefix, content_type in _OOXML.items():
                if any(n.startswith(prefix) for n in names):
                    return content_type
    return None


_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    _OOXML["word/"]: ".docx",
    _OOXML["xl/"]: ".xlsx",
    _OOXML["ppt/"]: ".pptx",
}


def attachment_name(raw: str | None, content_type: str, default: str = "附件") -> str:
    """The name a file is kept and served under: the uploader's stem with the extension of the
    type its content was found to be — a PDF named .html, .exe or .svg is served as .pdf."""
    name = (raw or "").replace("/", "_").replace("\\", "_").strip()
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = stem.strip() or default
    if content_type == OLE:  # one signature for .doc, .xls and .ppt: keep which it claims
        claimed = f".{ext.lower()}"
        extension = claimed if claimed in (".doc", ".xls", ".ppt") else ".doc"
    else:
        extension = _EXTENSIONS[content_type]
    return stem[: 200 - len(extension)] + extension


def attachment_validate(upload: UploadedFile) -> str:
    if upload.size > MAX_BYTES:
        raise ValidationError(f"附件不能超过 {MAX_BYTES // 1024 // 1024} MB。")
    if upload.size == 0:
        raise ValidationError("附件是空文件。")
    content_type = sniff_content_type(upload)
    if content_type is None:
        raise ValidationError(
            "附件类型不支持：仅支持 PDF、JPG、PNG、Word、Excel、PowerPoint 文件。"
        )
    return content_type


@transaction.atomic
def attachment_add(
    *, need: Need, actor: User | None, upload: UploadedFile, step: HandlingStep | None = None
) -> Attachment:
    content_type = attachment_validate(upload)
    name = attachment_name(upload.name, content_type)
    attachment = Attachment(
        need=need,
        step=step,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    return attachment


def need_may_attach(actor: User, need: Need, standing: Standing | None = None) -> bool:
    """The station's staff and the lead section add documents while the need is open."""
    if need.status in (Status.ARCHIVED, Status.REJECTED):
        return False
    roles = actor_roles(actor, need, standing)
    return bool(roles & {Actor.STATION_STAFF, Actor.LEAD_SECTION})


@transaction.atomic
def need_attach(*, need: Need, actor: User, upload: UploadedFile) -> Attachment:
    locked = lock_need(need)
    if not need_may_attach(actor, locked):
        raise TransitionRefused("您不能为该需求上传附件（已归档的需求不能再增加附件）。")
    attachment = attachment_add(need=locked, actor=actor, upload=upload)
    record_event(
        need=locked, actor=actor, action="attach", note=attachment.original_name, public=False
    )
    return attachment
