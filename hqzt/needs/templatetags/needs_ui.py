from django import template
from django.utils.safestring import SafeString

from hqzt.needs.states import EVENT_LABELS, Status

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return EVENT_LABELS.get(action, action)


@register.filter
def status_label(status: str) -> str:
    return Status(status).label if status in Status.values else status


_BADGES = {
    "red": SafeString('<span class="badge text-bg-danger" title="已超期">超期</span>'),
    "yellow": SafeString('<span class="badge text-bg-warning" title="即将到期">临期</span>'),
}


@register.filter
def deadline_badge(flag: str) -> str:
    """超期 / 临期 for deadline_flag()'s "red" / "yellow", nothing otherwise (a filter, not an
    include: lists show it on every row)."""
    return _BADGES.get(flag, "")
