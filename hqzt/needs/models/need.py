"""A need: one row of the ledger (Appendix B), and the choices it is classified by.

A need's `status` changes only through hqzt.needs.workflow.need_transition; Need.save() refuses
any other change of status, so neither a form, the admin nor the API can move a need by hand."""

from django.conf import settings
from django.db import models, transaction

from hqzt.core.fields import EncryptedPhoneField, PhoneHashField
from hqzt.core.models import TimeStamped
from hqzt.core.search import ngrams
from hqzt.needs.models.reference import Channel, NeedType
from hqzt.needs.models.sheets import TrackingSheet
from hqzt.needs.states import CLOSED_STATES, Stage, Status


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


def need_ngrams(content: str, enterprise_name: str) -> str:
    """A need's search tokens (ADR 0003): all of its content — the substring test and the walk
    read all of it, so the index must too, or a term past a cut is found only by walking (outside
    probe 2, S1) — and its enterprise's current name (`needs/search_text.py` keeps it current)."""
    return ngrams(content, enterprise_name)


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
            # The ledger's sorts (issue 15): each is a keyset walk of (field, id); a station's
            # ledger by date walks its own slice.
            models.Index(fields=["registered_on", "id"], name="need_registered_id"),
            models.Index(fields=["station", "registered_on", "id"], name="need_station_registered"),
            models.Index(fields=["due_on", "id"], name="need_due_id"),
            # A type and a period (the ledger's two most used filters): the bounded count reads
            # this index alone, with the station, instead of every need of the type (issue 18:
            # 806 ms → 2 ms at 1M needs for a year and a type over a city).
            models.Index(
                fields=["need_type", "registered_on", "station"], name="need_type_registered"
            ),
            # The overdue filters (ledger, home pages) count open needs past a deadline: only
            # these few in the index, with the station, so a count reads no table row (issue 18).
            models.Index(
                fields=["due_on", "station", "id"],
                name="need_open_due",
                condition=~models.Q(status__in=CLOSED_STATES),
            ),
            models.Index(
                fields=["answer_due_on", "station", "id"],
                name="need_open_answer_due",
                condition=~models.Q(status__in=CLOSED_STATES),
            ),
            # A supervisor's to-do list and its count (home page): the needs escalated to them
            # awaiting verification, a handful among millions; without it both read every need
            # awaiting verification (9,038 index entries, 10 ms each at 1M needs, issue 18).
            models.Index(
                fields=["due_on", "id"],
                name="need_escalated_verify",
                condition=models.Q(escalated=True, status=Status.AWAITING_VERIFICATION),
            ),
            # The archive sorted by filing time (and its year filter, a range on archived_at).
            models.Index(fields=["archived_at", "id"], name="need_archived_id"),
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
        self.search_ngrams = need_ngrams(self.content, self.enterprise.name)
        # One transaction with the statistics its save signals move (hqzt/dashboard/signals.py).
        with transaction.atomic():
            super().save(*args, **kwargs)
        self._saved_status = self.status

    @property
    def label(self) -> str:
        """How people cite a need: the sheet number, and the row when the sheet has several."""
        return f"{self.sheet.tracking_number}-{self.row_number}"
