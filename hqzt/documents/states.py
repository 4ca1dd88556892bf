"""The progress of a queued ledger export as one table.

A job's state is the queue's progress, not a person's decision: the steps go through
hqzt.audit.statemachine.transition like every other state change, unaudited (asking for the
export is the user's act; ADR 0010).
"""

from hqzt.audit.statemachine import Edge, Entry, Machine, register
from hqzt.documents.models import ExportJob

J = ExportJob.Status

EXPORT_JOB = register(
    Machine(
        model="documents.ExportJob",
        title="导出任务",
        clause="R-6.1",
        audited=False,
        entries=(Entry(J.QUEUED, "用户请求导出大台账"),),
        edges=(
            Edge((J.QUEUED,), "export_start", J.RUNNING, "队列开始生成"),
            Edge((J.RUNNING,), "export_done", J.DONE, "生成完毕，通知下载"),
            Edge((J.RUNNING,), "export_fail", J.FAILED, "生成失败"),
        ),
    )
)
