"""The lives of 督办, 回访, 意见建议, 整改计划 and 整改任务 (§7), each as one table.

hqzt.audit.statemachine.transition is the only code that applies a row; docs/state-machines.md
draws the tables (a test keeps the two in step). An edge's action is also its audit action.
"""

from hqzt.audit.statemachine import Edge, Entry, Machine, register
from hqzt.supervision.access import SupervisionRefused
from hqzt.supervision.models import (
    Callback,
    Feedback,
    ImprovementPlan,
    RectificationTask,
    SupervisionOrder,
)

SO, C, F = SupervisionOrder.Status, Callback.Status, Feedback.Status
P, T = ImprovementPlan.Status, RectificationTask.Status

ORDER = register(
    Machine(
        model="supervision.SupervisionOrder",
        title="督办",
        clause="§7.1",
        refusal=SupervisionRefused,
        tones=((SO.ISSUED, "warning"), (SO.RESPONDED, "info"), (SO.CLOSED, "success")),
        entries=(Entry(SO.ISSUED, "上级单位下达督办"),),
        edges=(
            Edge(
                (SO.ISSUED,),
                "order_respond",
                SO.RESPONDED,
                "站长回复",
                "该督办已回复，等待监督人员审核。",
            ),
            Edge(
                (SO.RESPONDED,),
                "order_close",
                SO.CLOSED,
                "审核通过，办结",
                "只有已回复的督办可以审核。",
            ),
            Edge(
                (SO.RESPONDED,),
                "order_return",
                SO.ISSUED,
                "退回重新回复",
                "只有已回复的督办可以审核。",
            ),
        ),
    )
)

CALLBACK = register(
    Machine(
        model="supervision.Callback",
        title="回访",
        clause="§7.1",
        refusal=SupervisionRefused,
        tones=((C.PENDING, "warning"), (C.DONE, "success"), (C.UNREACHABLE, "success")),
        entries=(Entry(C.PENDING, "不满意评价必访 / 抽样"),),
        edges=(
            Edge((C.PENDING,), "callback_record", C.DONE, "记录回访结果", "该回访已记录结果。"),
            Edge(
                (C.PENDING,), "callback_record", C.UNREACHABLE, "记录无法联系", "该回访已记录结果。"
            ),
        ),
    )
)

FEEDBACK = register(
    Machine(
        model="supervision.Feedback",
        title="意见建议",
        clause="§7.2",
        refusal=SupervisionRefused,
        tones=((F.RECEIVED, "warning"), (F.RECTIFYING, "warning"), (F.CLOSED, "success")),
        entries=(Entry(F.RECEIVED, "网上提交 / 监督电话记录"),),
        edges=(
            Edge((F.RECEIVED,), "feedback_rectify", F.RECTIFYING, "制定整改计划"),
            Edge(
                (F.RECEIVED, F.RECTIFYING),
                "feedback_close",
                F.CLOSED,
                "办结并答复",
                "该意见已办结。",
            ),
        ),
        notes="整改计划全部完成时，意见随最后一个计划的整改结论一并办结（`feedback_close`）。",
    )
)

PLAN = register(
    Machine(
        model="supervision.ImprovementPlan",
        title="整改计划",
        clause="§7.1、§7.2",
        refusal=SupervisionRefused,
        tones=((P.OPEN, "warning"), (P.CLOSED, "success")),
        entries=(Entry(P.OPEN, "监督人员制定计划及整改任务"),),
        edges=(
            Edge((P.OPEN,), "plan_close", P.CLOSED, "任务全部验收，完成计划", "该整改计划已完成。"),
        ),
    )
)

TASK = register(
    Machine(
        model="supervision.RectificationTask",
        title="整改任务",
        clause="§7.2",
        refusal=SupervisionRefused,
        tones=((T.OPEN, "warning"), (T.SUBMITTED, "info"), (T.VERIFIED, "success")),
        entries=(Entry(T.OPEN, "随整改计划下达"),),
        edges=(
            Edge(
                (T.OPEN,),
                "task_submit",
                T.SUBMITTED,
                "责任人提交整改情况",
                "该任务已提交，等待验收。",
            ),
            Edge(
                (T.SUBMITTED,),
                "task_verify",
                T.VERIFIED,
                "验收通过",
                "只有已提交整改情况的任务可以验收。",
            ),
            Edge(
                (T.SUBMITTED,),
                "task_return",
                T.OPEN,
                "退回继续整改",
                "只有已提交整改情况的任务可以验收。",
            ),
        ),
    )
)
