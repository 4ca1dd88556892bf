import datetime

import pytest
from django.urls import reverse

from hqzt.intake.policy_match import policy_suggestions
from hqzt.needs.models import Need, NeedType
from hqzt.policies.models import Policy

pytestmark = pytest.mark.django_db


def _policy(title, summary="摘要", valid_until=None, types=()):
    policy = Policy.objects.create(
        title=title,
        issuer="晋城市市场监督管理局",
        issued_on=datetime.date(2025, 1, 1),
        valid_until=valid_until,
        summary=summary,
    )
    policy.need_types.set(NeedType.objects.filter(name__in=types))
    return policy


def test_policies_matching_text_and_type_are_ranked(drive, client_for, staff_a) -> None:
    from hqzt.needs.states import Status

    need = drive(Status.REGISTERED)
    Need.objects.filter(pk=need.pk).update(content="小微企业电子秤检定费用能不能减免")
    need.refresh_from_db()
    best = _policy("小微企业计量检定费用减免办法", "电子秤等计量器具检定费用减免", types=["计量"])
    typed = _policy("计量器具管理规定", types=["计量"])
    _policy("高新技术企业认定奖励", "高企认定后给予奖励")  # unrelated
    _policy("检定费用减免（已废止）", "电子秤检定费用减免", datetime.date(2020, 1, 1), ["计量"])
    found = policy_suggestions(need)
    assert [m.policy for m in found] == [best, typed]
    assert "内容相近" in found[0].reasons and "适用于计量" in found[0].reasons
    page = client_for(staff_a).get(reverse("needs:detail", args=[need.pk])).text
    assert "可能适用的政策" in page and "小微企业计量检定费用减免办法" in page
