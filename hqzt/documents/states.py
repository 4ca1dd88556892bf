"""The progress of a queued ledger export, and of an import batch from its dry run to its end.

A job's state is the queue's progress, not a person's decision: the steps go through
hqzt.audit.statemachine.transition like every other state change, unaudited (asking for the
export or confirming the import is the user's act; ADR 0010).
"""

from hqzt.audit.statemachine import Edge, Entry, Machine, register
from hqzt.documents.models import ExportJob, ImportBatch

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

B = ImportBatch.Status

IMPORT_JOB = register(
    Machine(
        model="documents.ImportBatch",
        title="导入任务",
        clause="R-6.2",
        audited=False,
        refusal="hqzt.documents.import_errors.AlreadyImported",
        entries=(Entry(B.PREVIEWED, "上传文件，预检"),),
        edges=(
            Edge((B.PREVIEWED,), "import_direct", B.DONE, "确认导入（行数少，当场导入）"),
            Edge((B.PREVIEWED,), "import_queue", B.QUEUED, "确认导入（行数多，转入后台）"),
            Edge((B.QUEUED,), "import_start", B.RUNNING, "队列开始导入"),
            Edge((B.RUNNING,), "import_done", B.DONE, "全部分批导入完毕，通知用户"),
            Edge((B.QUEUED, B.RUNNING), "import_fail", B.FAILED, "导入失败，通知用户"),
        ),
        tones=(
            (B.PREVIEWED, "warning"),
            (B.QUEUED, "info"),
            (B.RUNNING, "info"),
            (B.DONE, "success"),
            (B.FAILED, "danger"),
        ),
        notes="行数多的导入在后台分批提交，每批与进度一同提交；中断后续导时已导入的行不会重复导入。",
    )
)
