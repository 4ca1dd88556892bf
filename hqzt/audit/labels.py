"""The Chinese name of every audit action code, for people reading the history in 系统管理:
the codes written directly (hqzt.audit.models.ACTION_LABELS and the services' own) and every
state machine's transitions (their edges carry the label the pages show)."""

from django.apps import apps

from hqzt.audit.models import ACTION_LABELS
from hqzt.audit.statemachine import machines

# Codes written by services outside a state machine's transition.
SERVICE_ACTIONS = {
    "order_issue": "下达督办",
    "plan_create": "新建整改计划",
    "task_create": "新建整改任务",
    "feedback_record": "登记意见建议",
    "callbacks_sample": "抽取回访",
}


def action_labels() -> dict[str, str]:
    labels = {edge.action: edge.label for m in machines() for edge in m.edges}
    return {**labels, **SERVICE_ACTIONS, **ACTION_LABELS}


def action_label(code: str) -> str:
    return action_labels().get(code, code)


def object_type_label(label_lower: str) -> str:
    """'accounts.user' → 用户 (the model's verbose name), the code itself when unknown."""
    try:
        return str(apps.get_model(label_lower)._meta.verbose_name)
    except (LookupError, ValueError):
        return label_lower
