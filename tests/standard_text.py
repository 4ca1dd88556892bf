"""The words of DB1405/T 060—2024 that the generated documents must carry, copied literally from
the standard's text (each names its clause or appendix), never imported from the code under test:
a wrong column list in the code must fail the tests that read these. The standard itself lives
outside the repository (../shared/standard/), so the tests carry the literals and read no file
outside the checkout.
"""

# 附录B 表B.1 — the title and the nine columns, in the standard's order.
LEDGER_TITLE = "惠企直通服务站企业需求记录台账"
LEDGER_COLUMNS = [
    "序号",
    "日期",
    "企业名称",
    "企业联系人",
    "联系电话",
    "企业需求类型",
    "企业需求",
    "首位工作人员",
    "跟踪单号",
]
# 附录C 表C.1 — the title, the two lines above the table, the seven columns and five printed rows.
SHEET_TITLE = "惠企直通服务站需求处理跟踪单"
SHEET_HEAD = ["服务对象：", "跟踪单号："]
SHEET_COLUMNS = [
    "序号",
    "企业需求",
    "牵头科室",
    "责任人",
    "开始时间/结束时间",
    "处理过程及结果",
    "备注",
]
SHEET_ROWS = ["1", "2", "3", "4", "5"]
# 附录D 表D.1 — the title and the form's labels row by row (label, value[, label, value]).
EVALUATION_TITLE = "满意度评价表"
EVALUATION_LABELS = [
    ["企业名称"],
    ["企业联系人", "联系电话"],
    ["提供服务的项目名称"],  # printed "提供服务的 项目名称" (a line break in the cell)
    ["开始时间", "结束时间"],
    ["处理结果"],
    ["评价结果"],
    ["意见建议"],
]
# §6.5.1 / 附录D — the four results, in the standard's order, each with a box.
EVALUATION_LEVELS = ["非常满意", "满意", "一般", "不满意"]
# §5.2.3 / 附录A 图A.1 — the sign reads 惠企直通服务站 and names the city.
SIGN_TEXT = ["惠企直通服务站", "晋城市"]
# §5.2.4 — what the notice shows (the phones under 联系方式 with §6.2's other channels).
NOTICE_LABELS = ["服务内容", "服务流程", "服务人员", "监督投诉电话"]
# §4 a)–f) 服务理念.
PRINCIPLES = [
    "以服务为宗旨",
    "以需求为导向",
    "以标准为引领",
    "以品牌为抓手",
    "以质量为根本",
    "以满意为目标",
]
# §6.1 图1 — the five steps of the process.
PROCESS = ["需求来源", "需求识别和任务分发", "需求处理", "满意度评价", "资料管理"]
# §6.6.2 — the three kinds of archive book;
# c) 一企一册 collects 基本信息、主要产品、管理情况以及工作需求.
BOOK_KINDS = {"enterprise": "一企一册", "chain": "一链一册", "town": "一镇一册"}
ENTERPRISE_PROFILE = ["主要产品", "管理情况"]
# §5.5.1 — the weekly report: 工作完成情况 and the (next week's) 工作计划.
WEEKLY_REPORT_PARTS = ["工作完成情况", "工作计划"]
