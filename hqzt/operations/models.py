"""How a station is run week by week (§5.4–5.5, R-1.5 to R-1.9)."""

from django.conf import settings
from django.db import models

from hqzt.core import clock
from hqzt.core.models import TimeStamped


# DB1405 §5.4.1
class AnnualPlan(TimeStamped):
    """年度工作计划 (§5.4.1 a): goals with numeric targets; progress is computed, never typed."""

    station = models.ForeignKey(
        "stations.Station", verbose_name="服务站", on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField("年度")
    summary = models.TextField("工作思路与重点", blank=True)

    class Meta:
        verbose_name = "年度工作计划"
        verbose_name_plural = "年度工作计划"
        constraints = [
            models.UniqueConstraint(fields=["station", "year"], name="plan_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.year}年度工作计划"


class Metric(models.TextChoices):
    VISITS = "visits", "走访企业（次）"
    NEEDS_REGISTERED = "needs_registered", "登记企业需求（项）"
    NEEDS_CLOSED = "needs_closed", "办结企业需求（项）"
    ON_TIME_RATE = "on_time_rate", "按时办结率（%）"
    SATISFACTION_RATE = "satisfaction_rate", "满意率（%）"
    TRAININGS = "trainings", "开展培训（次）"
    MEETINGS = "meetings", "召开工作例会（次）"
    POLICIES = "policies", "收集解读政策（件）"


class PlanGoal(models.Model):
    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="goals")
    metric = models.CharField("指标", max_length=30, choices=Metric.choices)
    target = models.PositiveIntegerField("目标值")

    class Meta:
        verbose_name = "计划目标"
        verbose_name_plural = "计划目标"
        constraints = [
            models.UniqueConstraint(fields=["plan", "metric"], name="goal_once_per_metric")
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} {self.target}"


class WeeklyReport(TimeStamped):
    """周报 (§5.5.1): drafted from the data every Monday, completed and submitted by the chief."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已报送"

    station = models.ForeignKey(
        "stations.Station", verbose_name="服务站", on_delete=models.PROTECT, related_name="reports"
    )
    week_start = models.DateField("周一日期")
    figures = models.JSONField("本周数据", default=dict)
    work_done = models.TextField("本周工作完成情况", blank=True)
    next_week_plan = models.TextField("下周工作计划", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default="draft")
    due_at = models.DateTimeField("报送期限")
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField("上级单位意见", blank=True)
    commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    commented_at = models.DateTimeField("批阅时间", null=True, blank=True)

    class Meta:
        verbose_name = "周报"
        verbose_name_plural = "周报"
        constraints = [
            models.UniqueConstraint(fields=["station", "week_start"], name="report_once_per_week")
        ]
        indexes = [models.Index(fields=["week_start", "status"], name="report_week_status")]

    def __str__(self) -> str:
        return f"{self.station} {self.week_start:%Y-%m-%d}周报"

    @property
    def lateness(self) -> str:
        """'' on time, '迟报' submitted after the deadline, '逾期未报' still missing after it."""
        if self.submitted_at:
            return "迟报" if self.submitted_at > self.due_at else ""
        return "逾期未报" if clock.now() > self.due_at else ""


class Meeting(TimeStamped):
    class Kind(models.TextChoices):
        REGULAR = "regular", "工作例会"
        SPECIAL = "special", "临时专题会议"

    station = models.ForeignKey(
        "stations.Station", verbose_name="服务站", on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField("会议类型", max_length=10, choices=Kind.choices)
    held_on = models.DateField("召开日期")
    topic = models.CharField("议题", max_length=200)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="参会人员", related_name="+", blank=True
    )
    other_attendees = models.CharField("其他参会人员", max_length=300, blank=True)
    minutes = models.TextField("会议纪要")
    decisions = models.TextField("议定事项", blank=True)
    # §5.5.3: a special meeting is convened by the chief (or deputy); who did is part of the record.
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="召集人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "会议"
        verbose_name_plural = "会议"

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"


class ActionItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    description = models.CharField("事项", max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="责任人", on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField("完成期限")
    need = models.ForeignKey(
        "needs.Need",
        verbose_name="关联需求",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    done_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "会议事项"
        verbose_name_plural = "会议事项"

    def __str__(self) -> str:
        return self.description

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < clock.today()


class DutyShift(models.Model):
    """轮换驻站值班 (§5.5.4): who is on duty at a station on a day."""

    station = models.ForeignKey(
        "stations.Station", verbose_name="服务站", on_delete=models.CASCADE, related_name="shifts"
    )
    date = models.DateField("日期")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="值班人员",
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "值班安排"
        verbose_name_plural = "值班安排"
        constraints = [models.UniqueConstraint(fields=["station", "date"], name="one_duty_per_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.user}"


# DB1405 §5.3 b
class Training(TimeStamped):
    """培训与能力提升活动 (§5.3 b) with higher departments, technical bodies and experts."""

    class Organiser(models.TextChoices):
        SUPERIOR = "superior", "上级部门"
        TECHNICAL = "technical", "专业技术机构"
        EXPERTS = "experts", "专家团队"

    station = models.ForeignKey(
        "stations.Station",
        verbose_name="服务站",
        on_delete=models.PROTECT,
        related_name="trainings",
    )
    topic = models.CharField("主题", max_length=200)
    held_on = models.DateField("日期")
    organiser_kind = models.CharField("组织方类型", max_length=10, choices=Organiser.choices)
    organiser = models.CharField("组织单位", max_length=100)
    experts = models.CharField("授课专家", max_length=200, blank=True)
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name="参训企业", blank=True, related_name="trainings"
    )
    materials = models.TextField("培训材料", blank=True)

    class Meta:
        verbose_name = "培训活动"
        verbose_name_plural = "培训活动"

    def __str__(self) -> str:
        return self.topic


class Visit(TimeStamped):
    """主动"进企业" (§6.2): a planned, then recorded, visit; needs raised are registered from it."""

    station = models.ForeignKey(
        "stations.Station", verbose_name="服务站", on_delete=models.PROTECT, related_name="visits"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="走访企业",
        on_delete=models.PROTECT,
        related_name="visits",
    )
    planned_on = models.DateField("计划日期")
    visited_on = models.DateField("走访日期", null=True, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="走访人员", related_name="+", blank=True
    )
    purpose = models.CharField("走访目的", max_length=200)
    findings = models.TextField("走访情况", blank=True)
    sheet = models.ForeignKey(
        "needs.TrackingSheet",
        verbose_name="登记的需求",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )

    class Meta:
        verbose_name = "走访"
        verbose_name_plural = "走访"

    def __str__(self) -> str:
        return f"{self.planned_on:%Y-%m-%d} {self.enterprise}"


class WorkSuggestion(TimeStamped):
    """工作建议 (§5.3 a): what a station proposes to its superior unit from its visits, surveys and
    the needs enterprises keep raising; the superior reads and answers it."""

    class Source(models.TextChoices):
        VISIT = "visit", "走访企业"
        SURVEY = "survey", "调研"
        RECURRING_NEEDS = "recurring_needs", "企业反复提出的需求"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待答复"
        ANSWERED = "answered", "已答复"

    station = models.ForeignKey(
        "stations.Station",
        verbose_name="服务站",
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    title = models.CharField("建议事项", max_length=200)
    content = models.TextField("建议内容", max_length=4000)
    source = models.CharField("建议来源", max_length=20, choices=Source.choices)
    visit = models.ForeignKey(
        Visit,
        verbose_name="相关走访",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
    )
    needs = models.ManyToManyField(
        "needs.Need", verbose_name="相关需求", blank=True, related_name="suggestions"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提出时间", default=clock.now)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上级单位阅知人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    read_at = models.DateTimeField("阅知时间", null=True, blank=True)
    reply = models.TextField("上级单位答复", max_length=4000, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "工作建议"
        verbose_name_plural = "工作建议"
        indexes = [models.Index(fields=["station", "submitted_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def read_unanswered(self) -> bool:
        """已阅知: the superior unit opened it and has not answered yet (reading is no state)."""
        return self.read_at is not None and self.status != self.Status.ANSWERED
