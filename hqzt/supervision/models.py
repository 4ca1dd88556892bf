"""Supervision (§7): internal supervision by the market-regulation department — 督办 orders,
spot-check callbacks (回访) — and external supervision — opinions, suggestions and complaints —,
both followed through improvement plans with rectification tasks until verified and closed.

Statuses change only as the tables in states.py allow, through hqzt.audit.statemachine.transition
called by the services in this app (orders.py, callbacks.py, rectification.py, services.py), which
records every change in the audit log.
"""

from django.conf import settings
from django.db import models

from hqzt.core import clock
from hqzt.core.fields import EncryptedPhoneField, PhoneHashField
from hqzt.core.files import generated_name
from hqzt.needs.models import EvaluationLevel


class Feedback(models.Model):
    class Kind(models.TextChoices):
        OPINION = "opinion", "意见"
        SUGGESTION = "suggestion", "建议"
        COMPLAINT = "complaint", "投诉"

    class Channel(models.TextChoices):
        PORTAL = "portal", "网上提交"
        PHONE = "phone", "监督电话"

    class Status(models.TextChoices):
        RECEIVED = "received", "已登记"
        RECTIFYING = "rectifying", "整改中"
        CLOSED = "closed", "已办结"

    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    channel = models.CharField("来源", max_length=10, choices=Channel.choices)
    station = models.ForeignKey(
        "stations.Station",
        verbose_name="涉及服务站",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    name = models.CharField("姓名或单位", max_length=100, blank=True)
    phone = EncryptedPhoneField("联系电话", blank=True)
    phone_hash = PhoneHashField(source="phone")
    content = models.TextField("内容")
    created_at = models.DateTimeField("提交时间", default=clock.now, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="监督电话由工作人员代为记录；网上提交为空。",
    )
    status = models.CharField(
        "办理状态", max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    reply = models.TextField("办理结果及答复", blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "意见建议与投诉"
        verbose_name_plural = "意见建议与投诉"
        indexes = [models.Index(fields=["status", "-id"], name="feedback_status_id")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {clock.stamp(self.created_at, '%Y-%m-%d')}"


class SupervisionOrder(models.Model):
    """督办: an instruction from a supervisor to a station, about one need or the station's work,
    with a deadline for the station's response; the supervisor closes it or sends it back."""

    class Status(models.TextChoices):
        ISSUED = "issued", "待回复"
        RESPONDED = "responded", "已回复待审核"
        CLOSED = "closed", "已办结"

    station = models.ForeignKey(
        "stations.Station",
        verbose_name="督办服务站",
        on_delete=models.PROTECT,
        related_name="supervision_orders",
    )
    need = models.ForeignKey(
        "needs.Need",
        verbose_name="督办需求",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_orders",
    )
    instruction = models.TextField("督办事项及要求")
    due_on = models.DateField("回复期限")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="督办人", on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField("督办时间", default=clock.now)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.ISSUED)
    response = models.TextField("服务站回复", blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responded_at = models.DateTimeField("回复时间", null=True, blank=True)
    returned_count = models.PositiveSmallIntegerField("退回次数", default=0)
    review_note = models.TextField("审核意见", blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    overdue_notified_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "督办"
        verbose_name_plural = "督办"
        indexes = [
            models.Index(fields=["station", "status"], name="order_station_status"),
            models.Index(fields=["status", "due_on"], name="order_status_due"),
        ]

    def __str__(self) -> str:
        return f"督办 {clock.stamp(self.issued_at, '%Y-%m-%d')} {self.station}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.ISSUED and self.due_on < clock.today()


class Callback(models.Model):
    """回访: a supervisor re-contacts the enterprise to confirm an evaluation. Every 不满意 gets
    one; the others are sampled. A confirmed level that differs from the recorded one is a
    mismatch — the sign that an evaluation was not the enterprise's own."""

    class Reason(models.TextChoices):
        DISSATISFIED = "dissatisfied", "不满意必访"
        SAMPLED = "sampled", "抽样回访"

    class Status(models.TextChoices):
        PENDING = "pending", "待回访"
        DONE = "done", "已回访"
        UNREACHABLE = "unreachable", "无法联系"

    class Method(models.TextChoices):
        PHONE = "phone", "电话回访"
        VISIT = "visit", "上门回访"

    evaluation = models.OneToOneField(
        "needs.Evaluation", verbose_name="评价", on_delete=models.PROTECT, related_name="callback"
    )
    need = models.ForeignKey(
        "needs.Need", verbose_name="需求", on_delete=models.PROTECT, related_name="callbacks"
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name="服务站", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("回访原因", max_length=12, choices=Reason.choices)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField("生成时间", default=clock.now)
    due_on = models.DateField("回访期限")
    method = models.CharField("回访方式", max_length=10, choices=Method.choices, blank=True)
    confirmed_level = models.CharField(
        "企业确认的评价", max_length=20, choices=EvaluationLevel.choices, blank=True
    )
    notes = models.TextField("回访记录", blank=True)
    mismatch = models.BooleanField("与原评价不符", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回访人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField("回访时间", null=True, blank=True)

    class Meta:
        verbose_name = "回访"
        verbose_name_plural = "回访"
        indexes = [
            models.Index(fields=["station", "status"], name="callback_station_status"),
            models.Index(fields=["mismatch", "-id"], name="callback_mismatch"),
        ]

    def __str__(self) -> str:
        return f"回访 {self.need_id}"


class ImprovementPlan(models.Model):
    """整改计划: what will be changed, after a complaint or suggestion (§7.2) or a problem found
    by internal supervision (§7.1) — a 督办, a callback that did not match, a failed check."""

    class Origin(models.TextChoices):
        FEEDBACK = "feedback", "外部监督意见"
        ORDER = "order", "督办"
        CALLBACK = "callback", "回访发现"
        INSPECTION = "inspection", "监督检查发现"

    class Status(models.TextChoices):
        OPEN = "open", "整改中"
        CLOSED = "closed", "已完成"

    origin = models.CharField("问题来源", max_length=12, choices=Origin.choices)
    feedback = models.ForeignKey(
        Feedback,
        verbose_name="意见建议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    order = models.ForeignKey(
        SupervisionOrder,
        verbose_name="督办",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    callback = models.ForeignKey(
        Callback,
        verbose_name="回访",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name="整改服务站",
        on_delete=models.PROTECT,
        related_name="improvement_plans",
    )
    problem = models.TextField("存在问题")
    measures = models.TextField("改进措施")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制定人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("制定时间", default=clock.now)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField("完成时间", null=True, blank=True)
    conclusion = models.TextField("整改结论", blank=True)

    class Meta:
        verbose_name = "整改计划"
        verbose_name_plural = "整改计划"
        indexes = [models.Index(fields=["station", "status"], name="plan_station_status")]

    def __str__(self) -> str:
        return f"整改计划 {clock.stamp(self.created_at, '%Y-%m-%d')} {self.station}"


def _evidence_path(instance: "RectificationTask", filename: str) -> str:
    return generated_name("rectification")


class RectificationTask(models.Model):
    """整改任务: one measure of a plan with its owner and deadline; done when the owner has shown
    evidence and a supervisor has verified it."""

    class Status(models.TextChoices):
        OPEN = "open", "待整改"
        SUBMITTED = "submitted", "待验收"
        VERIFIED = "verified", "已验收"

    plan = models.ForeignKey(
        ImprovementPlan, verbose_name="整改计划", on_delete=models.PROTECT, related_name="tasks"
    )
    description = models.CharField("整改任务", max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        on_delete=models.PROTECT,
        related_name="rectification_tasks",
    )
    due_on = models.DateField("完成期限")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    evidence = models.TextField("整改情况及佐证", blank=True)
    evidence_file = models.FileField(upload_to=_evidence_path, max_length=200, blank=True)
    evidence_name = models.CharField("佐证材料", max_length=200, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="验收人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField("验收时间", null=True, blank=True)
    verification_note = models.TextField("验收意见", blank=True)

    class Meta:
        verbose_name = "整改任务"
        verbose_name_plural = "整改任务"
        indexes = [models.Index(fields=["owner", "status"], name="task_owner_status")]

    def __str__(self) -> str:
        return self.description

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < clock.today()
