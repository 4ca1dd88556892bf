from django import template

from hqzt.core.notices import AdminNotice
from hqzt.core.notices import admin_notices as _admin_notices

register = template.Library()


@register.simple_tag
def admin_notices() -> list[AdminNotice]:
    """{% admin_notices as notices %} on the admin's index."""
    return _admin_notices()
