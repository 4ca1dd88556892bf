"""The inbox: 全部/未读, 20 messages to a page with page numbers, 全部已读, and only one's own
messages."""

import pytest
from django.urls import reverse

from hqzt.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _messages(user, count: int, *, read: bool = False) -> None:
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind="test",
            title=f"{'已读' if read else '未读'}消息{i:02d}",
            read_at="2025-06-01T08:00:00+08:00" if read else None,
        )
        for i in range(count)
    )


def _titles(text: str) -> list[str]:
    inbox = text.split('data-testid="inbox"', 1)[1].split("</ul>", 1)[0]
    return [t.split("<", 1)[0] for t in inbox.split('type="submit">')[1:]]


def test_pages_of_twenty_with_numbers(client_for, chief_a, staff_a):
    _messages(chief_a, 5, read=True)
    _messages(chief_a, 20)
    _messages(staff_a, 3)  # someone else's
    client = client_for(chief_a)
    first = client.get(reverse("notifications:inbox")).text
    assert len(_titles(first)) == 20 and "共 25 条" in first
    assert 'aria-label="第 2 页"' in first and "下一页" in first
    second = client.get(reverse("notifications:inbox"), {"page": 2}).text
    assert len(_titles(second)) == 5 and all(t.startswith("已读") for t in _titles(second))
    # A page number out of range or not a number shows a page, not an error.
    assert client.get(reverse("notifications:inbox"), {"page": "99"}).status_code == 200
    assert client.get(reverse("notifications:inbox"), {"page": "x"}).status_code == 200


def test_unread_filter_and_read_all(client_for, chief_a, staff_a):
    _messages(chief_a, 3, read=True)
    _messages(chief_a, 2)
    _messages(staff_a, 4)
    client = client_for(chief_a)
    unread = client.get(reverse("notifications:inbox"), {"show": "unread"}).text
    assert sorted(_titles(unread)) == ["未读消息00", "未读消息01"]
    assert 'data-testid="read-all"' in unread
    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 302 and response.url == reverse("notifications:inbox")
    after = client.get(reverse("notifications:inbox"), {"show": "unread"}).text
    assert _titles(after) == [] and "没有未读消息" in after
    assert 'data-testid="read-all"' not in after
    # Only one's own messages were marked.
    assert Notification.objects.filter(recipient=staff_a, read_at__isnull=True).count() == 4
