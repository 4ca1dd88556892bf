"""Enterprise needs (§6): the ledger (Appendix B), tracking sheets (Appendix C), the handling
timeline, evaluations (Appendix D), time limits and attachments.

A need's `status` changes only through hqzt.needs.workflow.need_transition; Need.save() refuses
any other change of status, so neither a form, the admin nor the API can move a need by hand.
"""

from django.conf import settings
from django.db import models, transaction

from hqzt.core import clock
from hqzt.core.fields import EncryptedPhoneField, PhoneHashField
from hqzt.core.files import generated_name
from hqzt.core.models import ReferenceItem, TimeStamped
from hqzt.core.search import ngrams
from hqzt.needs.states import Stage, Status


# DB1405 §5.3 c
class NeedType(ReferenceItem):
    """企业需求类型 (Appendix B column), e.g. 计量, 标准化, 政策咨询."""

    default_section = models.ForeignKey(
        "org.Section",
        verbose_name="默认牵头科室",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="站长分发任务时预先选中的牵头科室。",
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = "需求类型"
        verbose_name_plural = "需求类型"


class NeedTypeAlias(models.Model):
    """Another name stations use for a need type in their spreadsheets (e.g. 计量检定 → 计量)."""

    alias = models.CharField("别名", max_length=50, unique=True)
    need_type = models.ForeignKey(NeedType, verbose_name="需求类型", on_delete=models.CASCADE)

    class Meta:
        verbose_name = "需求类型别名"
        verbose_name_plural = "需求类型别名（台账导入）"

    def __str__(self) -> str:
        return f"{self.alias} → {self.need_type}"


class Channel(ReferenceItem):
    """渠道 (§6.2): how an inbound (找上门) need reached the station."""

    class Meta(ReferenceItem.Meta):
        verbose_name = "受理渠道"
        verbose_name_plural = "受理渠道"


class TimeLimit(models.Model):
    """Working days allowed for each stage (R-3.7), editable by the admin."""

    stage = models.CharField("环节", max_length=20, choices=Stage.choices, unique=True)
    working_days = models.PositiveSmallIntegerField("时限（工作日）")
    warn_days = models.PositiveSmallIntegerField(
        "提前提醒（工作日）", default=1, help_text="到期前多少个工作日开始黄色提醒并催办。"
    )

    class Meta:
        verbose_name = "办理时限"
        verbose_name_plural = "办理时限"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}：{self.working_days}个工作日"


class TrackingCounter(models.Model):
    """The last serial a station issued in a year. Its row is locked while a sheet is numbered, so
    a station's serials are gapless and unique under concurrent registrations (R-3.2): each
    station keeps its own ledger (Appendix B), so each (station, year) has its own counter."""

    station = models.ForeignKey(
        "stations.Station", verbose_name="服务站", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    last_serial = models.PositiveIntegerField("已用到的流水号", default=0)

    class Meta:
        verbose_name = "跟踪单号计数"
        verbose_name_plural = "跟踪单号计数"
        constraints = [
            models.UniqueConstraint(fields=["station", "year"], name="counter_station_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.station_id}/{self.year}: {self.last_serial}"


class TrackingSheet(TimeStamped):
    """跟踪单 (Appendix C): one per 服务对象 and 跟踪单号; holds one or more needs.

    The 跟踪单号 is the station's own (R-3.2): two stations may both have 20250001. Where numbers
    meet across stations the station goes with it, as `reference` (ADR 0008).
    """

    tracking_number = models.CharField("跟踪单号", max_length=16, db_index=True)
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("流水号")
    station = models.ForeignKey(
        "stations.Station", verbose_name="服务站", on_delete=models.PROTECT, related_name="sheets"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="服务对象",
        on_delete=models.PROTECT,
        related_name="sheets",
    )

    class Meta:
        verbose_name = "需求处理跟踪单"
        verbose_name_plural = "需求处理跟踪单"
        constraints = [
            models.UniqueConstraint(
                fields=["station", "year", "serial"], name="sheet_station_year_serial_unique"
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """The number as written where it must be unique city-wide (portal, SMS, API)."""
        from hqzt.needs.numbering import reference

        return reference(self.station_id, self.tracking_number)


class SubmissionKey(models.Model):
    """Makes a submission idempotent: the portal's form key or an integration's external id.

    A retried or double-clicked submission finds its key and gets the sheet it already made,
    instead of a second one (R-9 "nothing duplicated").
    """

    key = models.CharField(max_length=200, unique=True)
    # What was submitted under the key (needs/intake.py::submission_fingerprint): the same key
    # with other content is refused, not answered with the first result. Empty on older rows.
    fingerprint = models.CharField(max_length=64, default="", editable=False)
    sheet = models.ForeignKey(TrackingSheet, on_delete=models.CASCADE, related_name="keys")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "提交幂等键"
        verbose_name_plural = "提交幂等键"

    def __str__(self) -> str:
        return self.key


class Source(models.TextChoices):
    INBOUND = "inbound", "企业“找上门”"
    VISIT = "visit", "主动“进企业”"


class Scope(models.TextChoices):
    MARKET_REGULATION = "market_regulation", "市场监管职能范围"
    OTHER_DEPARTMENT = "other_department", "属于其他部门职能范围"


class Complexity(models.TextChoices):
    SIMPLE = "simple", "简单易行"
    COORDINATED = "coordinated", "需要协调"


class HandlingMode(models.TextChoices):
    INDEPENDENT = "independent", "独立办理"
    JOINT = "joint", "共同办理"
    COORDINATED = "coordinated", "协调办理"


class Outcome(models.TextChoices):
    MET = "met", "需求满足（办结）"
    UNMET = "unmet", "需求未满足（已提出处理意见并告知企业）"


class EvaluationLevel(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", "非常满意"
    SATISFIED = "satisfied", "满意"
    NEUTRAL = "neutral", "一般"
    DISSATISFIED = "dissatisfied", "不满意"


class Need(TimeStamped):
    """One enterprise need: a row of the ledger (Appendix B) and a row of its tracking sheet."""

    sheet = models.ForeignKey(
        TrackingSheet, verbose_name="跟踪单", on_delete=models.PROTECT, related_name="needs"
    )
    row_number = models.PositiveSmallIntegerField("序号")
    # Copied from the sheet so that scoping and ledger filters use one indexed table.
    station = models.ForeignKey(
        "stations.Station", verbose_name="服务站", on_delete=models.PROTECT, related_name="needs"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业名称",
        on_delete=models.PROTECT,
        related_name="needs",
    )
    registered_on = models.DateField("日期")
    contact_name = models.CharField("企业联系人", max_length=50)
    contact_phone = EncryptedPhoneField("联系电话")
    contact_phone_hash = PhoneHashField(source="contact_phone")
    need_type = models.ForeignKey(NeedType, verbose_name="企业需求类型", on_delete=models.PROTECT)
    content = models.TextField("企业需求")
    first_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="首位工作人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="first_contact_needs",
    )
    recorded_first_contact = models.CharField(
        "首位工作人员（导入）",
        max_length=50,
        blank=True,
        help_text="从历史台账导入、且系统中没有对应账号时记录的姓名。",
    )
    import_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    source = models.CharField("需求来源", max_length=10, choices=Source.choices)
    channel = models.ForeignKey(
        Channel, verbose_name="渠道", null=True, blank=True, on_delete=models.PROTECT
    )
    visit_ref = models.CharField("走访记录", max_length=40, blank=True)

    status = models.CharField("状态", max_length=30, choices=Status.choices)
    # Identification (§6.3)
    scope = models.CharField("职能范围", max_length=20, choices=Scope.choices, blank=True)
    complexity = models.CharField("难易", max_length=15, choices=Complexity.choices, blank=True)
    # Dispatch and handling (§6.4)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="分发人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispatched_needs",
    )
    handling_mode = models.CharField(
        "办理方式", max_length=15, choices=HandlingMode.choices, blank=True
    )
    lead_section = models.ForeignKey(
        "org.Section",
        verbose_name="牵头科室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_needs",
    )
    co_sections = models.ManyToManyField(
        "org.Section", verbose_name="协办科室", blank=True, related_name="co_handled_needs"
    )
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_needs",
    )
    department = models.ForeignKey(
        "org.Section",
        verbose_name="对接部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="liaised_needs",
    )
    department_contact = models.CharField("部门联系人及电话", max_length=100, blank=True)
    assistance = models.TextField("服务站协助方式", blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    outcome = models.CharField("办理结果", max_length=10, choices=Outcome.choices, blank=True)
    result = models.TextField("处理过程及结果", blank=True)
    handling_opinion = models.TextField("处理意见", blank=True)
    remarks = models.CharField("备注", max_length=200, blank=True)
    first_answered_at = models.DateTimeField("首次答复时间", null=True, blank=True)
    # Set at completion, so that statistics average it with one aggregate query.
    handling_workdays = models.PositiveSmallIntegerField(
        "办理用时（工作日）", null=True, blank=True
    )
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    # The latest round's evaluation, kept beside the need so that 满意率 and the ledger's
    # 评价结果 filter count the same needs with one indexed column.
    evaluation = models.CharField(
        "评价结果", max_length=20, choices=EvaluationLevel.choices, blank=True
    )
    escalated = models.BooleanField("已上报上级单位", default=False)
    # Time limits: the current step's deadline, the first-answer deadline and the
    # completion deadline (which extensions move).
    due_on = models.DateField("当前环节期限", null=True, blank=True)
    due_stage = models.CharField("当前期限环节", max_length=20, choices=Stage.choices, blank=True)
    answer_due_on = models.DateField("答复期限", null=True, blank=True)
    complete_due_on = models.DateField("办结期限", null=True, blank=True)
    extended_days = models.PositiveSmallIntegerField("已延期（工作日）", default=0)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    overdue_notified_on = models.DateField(null=True, blank=True, editable=False)
    # Records (§6.6)
    archive_category = models.ForeignKey(
        NeedType,
        verbose_name="归档类别",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="archived_needs",
    )
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)
    retention_until = models.DateField("保存期限", null=True, blank=True)
    legal_hold = models.BooleanField(
        "暂停销毁", default=False, help_text="涉及诉讼、审计等情形时保留，保存期满也不得销毁。"
    )
    # 典型案例 (§6.6.3)
    showcase_title = models.CharField("典型案例标题", max_length=100, blank=True)
    showcase_summary = models.TextField("典型案例介绍", blank=True)
    showcase_published_at = models.DateTimeField("案例发布时间", null=True, blank=True)
    search_ngrams = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = "企业需求"
        verbose_name_plural = "企业需求"
        constraints = [
            models.UniqueConstraint(fields=["sheet", "row_number"], name="need_sheet_row_unique")
        ]
        indexes = [
            models.Index(fields=["station", "-id"], name="need_station_id"),
            models.Index(fields=["status", "due_on"], name="need_status_due"),
            models.Index(fields=["registered_on"], name="need_registered_on"),
            models.Index(fields=["lead_section", "status"], name="need_lead_section"),
            models.Index(fields=["first_contact", "status"], name="need_first_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.sheet.tracking_number}-{self.row_number}"

    @classmethod
    def from_db(cls, db, field_names, values):
        need = super().from_db(db, field_names, values)
        need._saved_status = need.__dict__.get("status")
        return need

    def save(self, *args, **kwargs) -> None:
        saved = getattr(self, "_saved_status", None)
        moved = self.pk and saved is not None and self.status != saved
        if moved and not getattr(self, "_transition_in_progress", False):
            raise RuntimeError("Need.status changes only through need_transition()")
        self.search_ngrams = ngrams(self.content[:300], self.enterprise.name)
        # One transaction with the statistics its save signals move (hqzt/dashboard/signals.py).
        with transaction.atomic():
            super().save(*args, **kwargs)
        self._saved_status = self.status

    @property
    def label(self) -> str:
        """How people cite a need: the sheet number, and the row when the sheet has several."""
        return f"{self.sheet.tracking_number}-{self.row_number}"


class NeedEvent(models.Model):
    """Every change to a need: transitions, handling steps, reminders, extensions, edits.

    The one table that is the need's history, the feed for notifications and the source of
    statistics (healthchecks' Flip). Append-only through the application.
    """

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField("时间", default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField("操作", max_length=40)
    # The round of handling the step was taken in (a verification concludes the round it
    # verified): round 1 stays readable after a 不满意 sends the need round again (§6.5.2).
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    from_status = models.CharField("原状态", max_length=30, blank=True)
    to_status = models.CharField("新状态", max_length=30, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(
        "企业可见", default=True, help_text="企业查询进度时可以看到的环节（不含内部备注）。"
    )

    class Meta:
        verbose_name = "需求办理记录"
        verbose_name_plural = "需求办理记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["need", "at"], name="need_event_need_at")]

    def __str__(self) -> str:
        return f"{self.need_id} {self.action}"


class HandlingStep(models.Model):
    """A step of 处理过程 on the tracking row (Appendix C)."""

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="steps")
    at = models.DateTimeField("记录时间", default=clock.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="记录人"
    )
    description = models.TextField("处理过程")
    answered_enterprise = models.BooleanField("已向企业答复", default=False)
    round = models.PositiveSmallIntegerField("办理轮次", default=1)

    class Meta:
        verbose_name = "处理过程"
        verbose_name_plural = "处理过程"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.description[:30]


class Evaluation(models.Model):
    """满意度评价 (§6.5, Appendix D), one per round of handling."""

    class Method(models.TextChoices):
        LINK = "link", "企业在线评价"
        PHONE = "phone", "电话回访"
        VISIT = "visit", "上门回访"

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="evaluations")
    round = models.PositiveSmallIntegerField("轮次")
    level = models.CharField("评价结果", max_length=20, choices=EvaluationLevel.choices)
    comments = models.TextField("意见建议", blank=True)
    method = models.CharField("评价方式", max_length=10, choices=Method.choices)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="征集人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("评价时间", default=clock.now)

    class Meta:
        verbose_name = "满意度评价"
        verbose_name_plural = "满意度评价"
        ordering = ["round"]
        constraints = [
            models.UniqueConstraint(fields=["need", "round"], name="evaluation_once_per_round")
        ]

    def __str__(self) -> str:
        return self.get_level_display()


class EvaluationInvitation(models.Model):
    """A one-time link for the enterprise to evaluate (§6.5). Only the token's hash is stored."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="invitations")
    round = models.PositiveSmallIntegerField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "评价邀请"
        verbose_name_plural = "评价邀请"

    def __str__(self) -> str:
        return f"{self.need_id} 第{self.round}轮"


class ExtensionRequest(models.Model):
    """延期申请: the handler asks for more working days; the chief decides (R-3.7)."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="extensions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=clock.now)
    working_days = models.PositiveSmallIntegerField("延期工作日")
    reason = models.TextField("延期理由")
    decision = models.CharField(max_length=10, choices=Decision.choices, default="pending")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"

    def __str__(self) -> str:
        return f"{self.need_id} 延期{self.working_days}个工作日"


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
