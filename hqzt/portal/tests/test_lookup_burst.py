"""查进度 under a burst (outside probe, issue 18): ten wrong guesses sent at once were all
compared with the phone and the count ended at 5, because each request read the count before
any had written it. Each guess is now counted before its digits are compared, atomically, so a
burst gets no more comparisons than the lock allows."""

import time
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from hqzt.needs.models import Need
from hqzt.portal import selectors
from hqzt.portal.tests.test_portal import _submit_data
from tests.concurrency import at_once, failures

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def number(client, station_a) -> str:
    cache.clear()
    response = client.post(reverse("portal:submit", args=[station_a.pk]), _submit_data())
    assert response.status_code == 302 and response.url == reverse("portal:receipt")
    yield Need.objects.get().sheet.tracking_number
    cache.clear()


def _burst(number: str, guesses: list[str]) -> list[bool]:
    def guess(i: int) -> Callable[[], bool]:
        return lambda: bool(selectors.need_lookup(number, guesses[i], client=f"198.51.100.{i}"))

    outcomes = at_once([guess(i) for i in range(len(guesses))])
    assert failures(outcomes) == []
    return outcomes


def test_a_burst_of_wrong_guesses_gets_no_more_comparisons_than_the_lock_allows(
    number, monkeypatch
):
    compared = []
    proven = selectors._proven

    def slow_proven(sheets, last4):
        compared.append(last4)
        time.sleep(0.3)  # every request of the burst is in flight at once
        return proven(sheets, last4)

    monkeypatch.setattr(selectors, "_proven", slow_proven)
    found = _burst(number, [f"{n:04d}" for n in range(10)])
    assert not any(found)
    assert len(compared) <= settings.PORTAL_TRACK_FAILURES
    # … and the number is locked: the right digits find nothing for the lock's time.
    assert selectors.need_lookup(number, "1234", client="203.0.113.9") == []


def test_right_digits_are_not_counted_as_guesses(number):
    for _ in range(settings.PORTAL_TRACK_FAILURES + 2):
        assert selectors.need_lookup(number, "1234", client="203.0.113.9")
    for n in range(settings.PORTAL_TRACK_FAILURES - 1):
        assert not selectors.need_lookup(number, f"{n:04d}", client="203.0.113.9")
    assert selectors.need_lookup(number, "1234", client="203.0.113.9")
