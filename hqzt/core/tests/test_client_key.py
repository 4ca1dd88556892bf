"""Every limit counts clients, an IPv6 client by its /64 (probe R1): one household or phone owns a
whole /64 and could otherwise spread its guesses over 2**64 addresses. IPv4 stays per address;
different /64s do not share a limit; X-Forwarded-For is still believed only through TRUSTED_PROXIES;
the audit log keeps the full address."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from hqzt.accounts.tests.factories import PASSWORD
from hqzt.audit.models import AuditEvent
from hqzt.core.clientip import address_client_key, client_ip, client_key

PROXY = "10.0.0.5"
# Two addresses of one /64 (they differ only in the last 64 bits), and one of the next /64.
HOME = ["2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe", "2001:db8:1:2:abcd::9"]
NEIGHBOUR = "2001:db8:1:3::1"


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2::1", "2001:db8:1:2::"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::"),
        ("2001:db8:1:3::1", "2001:db8:1:3::"),
        ("2001:DB8:1:2:0:0:0:1", "2001:db8:1:2::"),  # any spelling
        ("::ffff:198.51.100.7", "198.51.100.7"),  # IPv4 on a dual-stack socket: per address
        ("::ffff:198.51.100.8", "198.51.100.8"),
        ("", ""),
    ],
)
def test_the_client_of_an_address(address, expected):
    assert address_client_key(address) == expected


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        ([], "2001:db8:1:2::1", "2001:db8:9:9::9", "2001:db8:1:2::"),  # header ignored
        ([PROXY], PROXY, "2001:db8:1:2::7", "2001:db8:1:2::"),  # through the proxy
        ([PROXY], PROXY, "2001:db8:9:9::9, 2001:db8:1:2::7", "2001:db8:1:2::"),  # forged left
        ([PROXY], "203.0.113.7", "2001:db8:1:2::7", "203.0.113.7"),  # not from the proxy
    ],
)
def test_the_client_key_follows_the_client_address(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_key(request) == expected
    assert client_key(request) == address_client_key(client_ip(request))


def _track(client, address: str) -> int:
    return client.post(
        reverse("portal:track"),
        {"tracking_number": "1", "phone_last4": "0000"},
        REMOTE_ADDR=address,
    ).status_code


@pytest.mark.django_db
def test_one_64_shares_the_lookup_limit_and_the_next_64_does_not(client, settings):
    settings.PORTAL_LOOKUP_RATE = "3/h"
    assert [_track(client, address) for address in HOME] == [200, 200, 200]
    assert _track(client, "2001:db8:1:2::1234") == 429  # a fresh address of the same /64
    assert _track(client, NEIGHBOUR) == 200


@pytest.mark.django_db
def test_ipv4_addresses_keep_limits_of_their_own(client, settings):
    settings.PORTAL_LOOKUP_RATE = "1/h"
    assert _track(client, "198.51.100.1") == 200
    assert _track(client, "198.51.100.1") == 429
    assert _track(client, "198.51.100.2") == 200
    assert _track(client, "::ffff:198.51.100.1") == 429  # the same address on a dual-stack socket


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_forwarded_ipv6_client_is_keyed_by_its_64(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.PORTAL_LOOKUP_RATE = "2/h"

    def track(visitor: str) -> int:
        return client.post(
            reverse("portal:track"),
            {"tracking_number": "1", "phone_last4": "0000"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=visitor,
        ).status_code

    assert [track(HOME[0]), track(HOME[1]), track(HOME[2])] == [200, 200, 429]
    assert track(NEIGHBOUR) == 200


@pytest.mark.django_db
def test_the_api_throttle_counts_the_64(settings):
    settings.API_PORTAL_RATE = "2/h"

    def track(address: str) -> int:
        return (
            APIClient()
            .post(
                reverse("api:portal-track"),
                {"tracking_number": "1", "phone_last4": "0000"},
                REMOTE_ADDR=address,
            )
            .status_code
        )

    assert [track(HOME[0]), track(HOME[1]), track(HOME[2])] == [404, 404, 429]
    assert track(NEIGHBOUR) == 404


@pytest.mark.django_db
def test_failed_logins_per_address_count_the_64(client, staff_a, settings):
    settings.LOGIN_FAILURE_RATE = "2/h"

    def login(username: str, password: str, address: str) -> int:
        return client.post(
            reverse("accounts:login"),
            {"username": username, "password": password},
            REMOTE_ADDR=address,
        ).status_code

    assert login("nobody1", "Spring2026!", HOME[0]) == 200
    assert login("nobody2", "Spring2026!", HOME[1]) == 200
    assert login("staff_a", PASSWORD, HOME[2]) == 429  # the /64 is spent
    assert login("staff_a", PASSWORD, NEIGHBOUR) == 302
    # The audit log keeps each attempt's full address, not the /64.
    assert set(AuditEvent.objects.filter(action="login_failed").values_list("ip", flat=True)) == {
        HOME[0],
        HOME[1],
    }


@pytest.mark.django_db
def test_the_user_name_lock_out_counts_the_64(client, staff_a, settings):
    """django-axes' lock of a (user name, client) pair: the /64's other addresses do not escape."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("accounts:login"),
            {"username": "staff_a", "password": "wrong-password"},
            REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}",
        )
    locked = client.post(
        reverse("accounts:login"),
        {"username": "staff_a", "password": PASSWORD},
        REMOTE_ADDR="2001:db8:1:2::ff",
    )
    assert locked.status_code == 429
    other = client.post(
        reverse("accounts:login"),
        {"username": "staff_a", "password": PASSWORD},
        REMOTE_ADDR=NEIGHBOUR,
    )
    assert other.status_code == 302


@pytest.mark.django_db
def test_a_guesser_of_a_shared_number_is_locked_across_its_64(
    client, station_a, station_b, settings
):
    """The per-client lock on a bare number several stations hold (probe F4) counts the /64 too."""
    from hqzt.portal.tests.test_portal import _shared_number

    sheet_a, _sheet_b = _shared_number(client, station_a, station_b)
    bare = sheet_a.tracking_number

    def found(last4: str, address: str) -> bool:
        response = client.post(
            reverse("portal:track"),
            {"tracking_number": bare, "phone_last4": last4},
            REMOTE_ADDR=address,
        )
        return 'data-testid="track-none"' not in response.text

    for n in range(settings.PORTAL_TRACK_FAILURES):
        assert not found(f"{n:04d}", f"2001:db8:1:2::{n + 1:x}")
    assert not found("1234", "2001:db8:1:2::beef")  # locked for the whole /64
    assert found("1234", NEIGHBOUR)
