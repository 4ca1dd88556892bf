"""The lives of the weekly report (§5.5.1) and the work suggestion (§5.3 a), each as one table.

hqzt.audit.statemachine.transition is the only code that applies a row; docs/state-machines.md
draws the tables. Refusals are ValidationErrors, as everywhere in this app.
"""

from django.core.exceptions import ValidationError

from hqzt.audit.statemachine import Edge, Entry, Machine, register
from hqzt.operations.models import WeeklyReport, WorkSuggestion

R, S = WeeklyReport.Status, WorkSuggestion.Status

WEEKLY_REPORT = register(
    Machine(
        model="operations.WeeklyReport",
        title="周报",
        clause="§5.5.1",
        refusal=ValidationError,
        entries=(Entry(R.DRAFT, "每周一按数据生成草稿"),),
        edges=(Edge((R.DRAFT,), "report_submit", R.SUBMITTED, "站长报送", "该周报已报送。"),),
        notes="草稿可反复修改；报送后上级单位批阅（批阅不改变状态）。",
        tones=((R.DRAFT, "warning"), (R.SUBMITTED, "success")),
    )
)

WORK_SUGGESTION = register(
    Machine(
        model="operations.WorkSuggestion",
        title="工作建议",
        clause="§5.3 a",
        refusal=ValidationError,
        entries=(Entry(S.SUBMITTED, "本站工作人员提出"),),
        edges=(Edge((S.SUBMITTED, S.ANSWERED), "suggestion_answer", S.ANSWERED, "上级单位答复"),),
        notes="答复后仍可修改答复；上级单位首次打开时记录阅知（不改变状态）。",
        tones=((S.SUBMITTED, "warning"), (S.ANSWERED, "success")),
    )
)
