from django import template

from hqzt.enterprises.models import Enterprise
from hqzt.policies.selectors import policies_for_enterprise

register = template.Library()

# The enterprise page shows at most this many (the newest first).
ENTERPRISE_PAGE_POLICIES = 20


@register.inclusion_tag("policies/_enterprise_policies.html")
def enterprise_policies(enterprise: Enterprise) -> dict[str, object]:
    """适用政策 on the enterprise page (§5.3 a). The page is enterprises', the rule policies': a tag
    owned by policies lets the page show them without enterprises importing policies (ADR 0011)."""
    return {"policies": policies_for_enterprise(enterprise)[:ENTERPRISE_PAGE_POLICIES]}
