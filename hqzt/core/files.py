"""Where uploaded and generated files are stored."""

import uuid

from hqzt.core import clock


def generated_name(prefix: str) -> str:
    """A storage path that reveals nothing: the user's file name never reaches the file system,
    and MEDIA_ROOT is not served; files go out only through views that check permissions."""
    return f"{prefix}/{clock.today():%Y/%m}/{uuid.uuid4().hex}"
