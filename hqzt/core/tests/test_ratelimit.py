"""The one rate limiter (core/ratelimit.py, ADR 0012): fixed windows per client in the cache, for
the pages' decorator and the API's throttle alike."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from hqzt.core import clock
from hqzt.core.ratelimit import rate_hit, rate_parse

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("20/h", (20, 3600)), ("5/10m", (5, 600)), ("1000000/s", (1_000_000, 1)), ("0/d", (0, 86400))],
)
def test_rates_are_read_as_count_per_period(rate, expected):
    assert rate_parse(rate) == expected


@pytest.mark.parametrize("rate", ["20", "20/x", "x/h", "20/0h", "-1/h", ""])
def test_a_misspelt_rate_is_refused(rate):
    with pytest.raises(ImproperlyConfigured):
        rate_parse(rate)


def test_a_window_allows_the_limit_then_refuses_until_it_renews():
    with clock.travel(T0):
        hits = [rate_hit("g", "3/h", "198.51.100.1") for _ in range(4)]
    assert [h.allowed for h in hits] == [True, True, True, False]
    assert [h.count for h in hits] == [1, 2, 3, 4]
    wait = hits[-1].retry_after
    assert 0 < wait <= 3600
    with clock.travel(T0 + datetime.timedelta(seconds=wait - 1)):
        assert not rate_hit("g", "3/h", "198.51.100.1").allowed
    with clock.travel(T0 + datetime.timedelta(seconds=wait)):
        renewed = rate_hit("g", "3/h", "198.51.100.1")
    assert renewed.allowed and renewed.count == 1


def test_clients_and_groups_count_apart():
    with clock.travel(T0):
        assert rate_hit("g", "1/h", "198.51.100.1").allowed
        assert not rate_hit("g", "1/h", "198.51.100.1").allowed
        assert rate_hit("g", "1/h", "198.51.100.2").allowed
        assert rate_hit("other", "1/h", "198.51.100.1").allowed
        assert rate_hit("g", "1/h", "2001:db8::1").allowed


def test_the_page_limit_counts_across_requests_with_forged_forwarded_for(client, settings):
    settings.PORTAL_LOOKUP_RATE = "2/h"  # read at each request, not when the view was imported

    def track(n: int):
        return client.post(
            reverse("portal:track"),
            {"tracking_number": "1", "phone_last4": "0000"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )

    responses = [track(n) for n in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429]
    assert "操作过于频繁" in responses[-1].text
    assert 0 < int(responses[-1]["Retry-After"]) <= 3600
    # A GET of the form is not counted.
    assert client.get(reverse("portal:track")).status_code == 200


def test_a_page_window_renews(client, settings):
    settings.PORTAL_LOOKUP_RATE = "1/m"

    def track() -> int:
        body = {"tracking_number": "1", "phone_last4": "0000"}
        return client.post(reverse("portal:track"), body).status_code

    with clock.travel(T0):
        assert [track(), track()] == [200, 429]
    with clock.travel(T0 + datetime.timedelta(minutes=1)):
        assert track() == 200


def test_the_api_throttle_counts_in_the_same_limiter(client, settings):
    settings.API_PORTAL_RATE = "2/h"
    body = {"tracking_number": "1", "phone_last4": "0000"}
    with clock.travel(T0):
        codes = [
            client.post(reverse("api:portal-track"), body, HTTP_X_FORWARDED_FOR=f"10.9.9.{n}")
            for n in range(3)
        ]
        assert [c.status_code for c in codes] == [404, 404, 429]
        assert 0 < int(codes[-1]["Retry-After"]) <= 3600
        # The portal endpoints share one allowance.
        refused = client.post(reverse("api:portal-feedback"), {"kind": "x", "content": "y"})
        assert refused.status_code == 429
    with clock.travel(T0 + datetime.timedelta(hours=1)):
        assert client.post(reverse("api:portal-track"), body).status_code == 404
