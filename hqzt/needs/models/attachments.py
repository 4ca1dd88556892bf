"""Files attached to a need or to one of its handling steps."""

from django.conf import settings
from django.db import models

from hqzt.core import clock
from hqzt.core.files import generated_name
from hqzt.needs.models.events import HandlingStep
from hqzt.needs.models.need import (
    Need,
)


def _attachment_path(instance: "Attachment", filename: str) -> str:
    # The uploaded name is kept in `original_name`, never on disk.
    return generated_name("attachments")


class Attachment(models.Model):
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="attachments")
    step = models.ForeignKey(
        HandlingStep, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.original_name
