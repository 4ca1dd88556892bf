from django.conf import settings
from django.db import models

from hqzt.core import clock
from hqzt.core.files import generated_name


def export_path(instance: "ExportJob", filename: str) -> str:
    return generated_name("exports")


def import_path(instance: "ImportBatch", filename: str) -> str:
    return generated_name("imports")


class ExportJob(models.Model):
    """A big ledger export run by the queue; the file is downloadable by its owner only."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    params = models.JSONField("筛选条件", default=dict)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="queued")
    file = models.FileField(upload_to=export_path, blank=True, max_length=200)
    row_count = models.PositiveIntegerField("行数", default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField("提交时间", default=clock.now)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"

    def __str__(self) -> str:
        return f"导出 {self.pk}（{self.get_status_display()}）"


class ImportBatch(models.Model):
    """An uploaded file between its dry run and its import: a ledger (R-6.2) or an enterprise
    register (issue 14 item 6). The file is kept so that the confirm reads what was previewed."""

    class Kind(models.TextChoices):
        LEDGER = "ledger", "企业需求记录台账"
        ENTERPRISES = "enterprises", "企业名册"

    kind = models.CharField("导入内容", max_length=12, choices=Kind.choices, default="ledger")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey("stations.Station", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=import_path, max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    archive = models.BooleanField(
        "按已办结的历史记录归档", default=True, help_text="不勾选则导入后进入“待识别”，继续办理。"
    )
    created_at = models.DateTimeField(default=clock.now)
    applied_at = models.DateTimeField(null=True, blank=True)
    imported = models.PositiveIntegerField(default=0)
    # The enterprise register's dry run as shown (row, result, reason): the confirm imports only
    # if the file still gives exactly this, else the user previews again.
    preview_digest = models.CharField(max_length=64, blank=True)

    # A big confirm runs as a queued job (import_jobs.py, probe L2), committed in chunks: the
    # rows to write (`plan`; `rows_total` is the dry run's count until the job plans), how many
    # of them are done, recorded with each chunk.
    class Status(models.TextChoices):
        PREVIEWED = "previewed", "待确认"
        QUEUED = "queued", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    status = models.CharField("状态", max_length=10, choices=Status.choices, default="previewed")
    queued = models.BooleanField("后台导入", default=False)
    choices = models.JSONField("预检页上的修改", default=dict, blank=True)
    plan = models.JSONField(default=dict, blank=True)
    rows_total = models.PositiveIntegerField("待导入行数", default=0)
    rows_done = models.PositiveIntegerField("已处理行数", default=0)
    refused = models.JSONField("未导入的行", default=list, blank=True)
    error = models.TextField(blank=True)
    progress_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "台账导入"
        verbose_name_plural = "台账导入"

    def __str__(self) -> str:
        return self.original_name
