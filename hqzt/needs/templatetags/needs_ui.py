from django import template

from hqzt.needs.states import EVENT_LABELS, Status

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return EVENT_LABELS.get(action, action)


@register.filter
def status_label(status: str) -> str:
    return Status(status).label if status in Status.values else status
