"""Where uploaded and generated files are stored, and the checks every uploaded archive passes."""

import uuid
import zipfile
from typing import IO

from django.core.exceptions import ValidationError

from hqzt.core import clock

# An OOXML file (docx, xlsx, pptx) is a zip: its declared sizes are checked before anything opens
# it, so that a 200 KB "zip bomb" never becomes 200 MB in a worker's memory or on disk.
ZIP_MAX_MEMBERS = 5_000
ZIP_MAX_MEMBER_BYTES = 50 * 1024 * 1024
ZIP_MAX_TOTAL_BYTES = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100  # uncompressed : compressed, over the whole archive (real files: under 30)
ZIP_BOMB = "压缩文件（Word、Excel、PowerPoint）解压后过大或压缩比异常，已拒绝。"


def generated_name(prefix: str) -> str:
    """A storage path that reveals nothing: the user's file name never reaches the file system,
    and MEDIA_ROOT is not served; files go out only through views that check permissions."""
    return f"{prefix}/{clock.today():%Y/%m}/{uuid.uuid4().hex}"


def zip_check(handle: IO[bytes], size: int) -> list[str]:
    """The member names of a zip whose declared sizes are sane; a ValidationError otherwise."""
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            infos = archive.infolist()
    finally:
        handle.seek(0)
    total = sum(info.file_size for info in infos)
    if (
        len(infos) > ZIP_MAX_MEMBERS
        or total > ZIP_MAX_TOTAL_BYTES
        or any(info.file_size > ZIP_MAX_MEMBER_BYTES for info in infos)
        or total > ZIP_MAX_RATIO * max(size, 1)
    ):
        raise ValidationError(ZIP_BOMB, code="zip_bomb")
    return [info.filename for info in infos]
