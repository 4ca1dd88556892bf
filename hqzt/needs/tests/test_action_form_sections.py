"""The dialogs' section fields are listed from one read of the active sections
(action_forms._list_sections): each field offers its own kind, 改派 leaves out only the present
lead section, and what a field's queryset refuses stays refused."""

import pytest

from hqzt.needs.action_forms import DispatchForm, LiaiseForm, VerifyForm
from hqzt.needs.states import Status
from hqzt.org.models import Section

pytestmark = pytest.mark.django_db


def _offered(form, name: str) -> set[int]:
    return {int(value) for value, _ in form.fields[name].choices if value}


def test_each_field_offers_its_own_kind(drive):
    need = drive(Status.AWAITING_DISPATCH)
    active = Section.objects.filter(is_active=True)
    bureau = set(active.filter(kind=Section.Kind.BUREAU_SECTION).values_list("pk", flat=True))
    departments = set(
        active.filter(kind=Section.Kind.OTHER_DEPARTMENT).values_list("pk", flat=True)
    )
    dispatch = DispatchForm(need=need)
    assert _offered(dispatch, "lead_section") == bureau
    assert _offered(dispatch, "co_sections") == set(active.values_list("pk", flat=True))
    assert _offered(LiaiseForm(need=need), "department") == departments


def test_redispatch_leaves_out_only_the_present_lead(drive):
    need = drive(Status.AWAITING_VERIFICATION)
    assert need.lead_section_id
    form = VerifyForm(need=need)
    assert need.lead_section_id not in _offered(form, "lead_section")
    assert need.lead_section_id in _offered(form, "co_sections")
    bound = VerifyForm(
        {"decision": "redispatch", "note": "改派", "lead_section": need.lead_section_id},
        need=need,
    )
    assert not bound.is_valid() and "lead_section" in bound.errors
