"""主动"进企业" (§6.2): visits, and the needs raised during them."""

from django.db import transaction

from hqzt.accounts.models import User
from hqzt.needs.models import Source, TrackingSheet
from hqzt.needs.services.registration import NeedItem, need_register
from hqzt.needs.workflow import TransitionRefused
from hqzt.operations.models import Visit


# DB1405 §6.2
@transaction.atomic
def visit_register_needs(
    *, actor: User, visit: Visit, contact_name: str, contact_phone: str, items: list[NeedItem]
) -> TrackingSheet:
    """Register what the enterprise raised during the visit: one sheet, source 进企业."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.sheet_id:
        raise TransitionRefused("该次走访已登记过需求，请在其跟踪单中查看。")
    if visit.visited_on is None:
        raise TransitionRefused("请先记录走访情况，再登记走访中提出的需求。")
    sheet = need_register(
        actor=actor,
        station=visit.station,
        enterprise=visit.enterprise,
        contact_name=contact_name,
        contact_phone=contact_phone,
        source=Source.VISIT,
        items=items,
        visit_ref=f"走访#{visit.pk}",
    )
    visit.sheet = sheet
    visit.save(update_fields=["sheet", "updated_at"])
    return sheet
