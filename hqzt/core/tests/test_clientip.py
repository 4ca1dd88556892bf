"""One client address for every limit: X-Forwarded-For only through configured proxies."""

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from hqzt.core.clientip import client_ip

PROXY = "10.0.0.5"


def _request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        ([], "203.0.113.7", "1.2.3.4", "203.0.113.7"),  # nobody trusted: the header is ignored
        ([PROXY], "203.0.113.7", "1.2.3.4", "203.0.113.7"),  # not from the proxy: ignored
        ([PROXY], PROXY, "198.51.100.9", "198.51.100.9"),  # through the proxy
        ([PROXY], PROXY, "1.2.3.4, 198.51.100.9", "198.51.100.9"),  # forged left part ignored
        (["10.0.0.0/8"], PROXY, "198.51.100.9, 10.0.0.7", "198.51.100.9"),  # two proxies
        ([PROXY], PROXY, "not-an-ip", PROXY),  # garbage: the proxy itself
        ([PROXY], PROXY, None, PROXY),
        ([PROXY], PROXY, "2001:db8::1", "2001:db8::1"),
        ([], "", "1.2.3.4", ""),
    ],
)
def test_the_client_address(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    assert client_ip(_request(remote, forwarded)) == expected


@pytest.mark.django_db
def test_forged_forwarded_headers_do_not_reset_the_api_limit(client, settings):
    settings.API_PORTAL_RATE = "3/h"
    codes = [
        client.post(
            reverse("api:portal-track"),
            {"tracking_number": "1", "phone_last4": "0000"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(4)
    ]
    assert codes == [404, 404, 404, 429]


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=[PROXY])
def test_behind_the_proxy_visitors_have_buckets_of_their_own(client):
    def track(visitor: str) -> int:
        return client.post(
            reverse("portal:track"),
            {"tracking_number": "1", "phone_last4": "0000"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=visitor,
        ).status_code

    assert [track("198.51.100.1") for _ in range(21)][-1] == 429
    assert track("198.51.100.2") == 200
    # A forged entry to the left of what the proxy appended changes nothing.
    assert track("198.51.100.99, 198.51.100.1") == 429


@pytest.mark.django_db
def test_forged_forwarded_headers_do_not_escape_the_login_lock_out(client, staff_a, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("accounts:login"),
            {"username": "staff_a", "password": "wrong-password"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    from hqzt.accounts.tests.factories import PASSWORD

    locked = client.post(
        reverse("accounts:login"),
        {"username": "staff_a", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert locked.status_code == 429
