"""The address of the client a request comes from — one function for every limit and log.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only when the
connection comes from a proxy listed in TRUSTED_PROXIES (addresses or networks; none by default).
Then the header is read from the right — each trusted proxy appends the address it saw — and the
first address not itself a trusted proxy is the client. A client cannot move itself into another
bucket by sending the header, and behind the proxy visitors are not all one address.

Limits count clients, not addresses (`client_key`, probe R1): an IPv4 client is its address, an
IPv6 client its /64 — one household, office or phone is normally given a whole /64 and picks any
address in it, so per address a single client could spread its guesses over 2**64 buckets. An
IPv4 address written in IPv6 (`::ffff:198.51.100.7`, a dual-stack socket) is that IPv4 address.
Logs and the audit trail keep the full address (`client_ip`).
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_proxies_check(entries: list[str]) -> None:
    """Settings refuse a TRUSTED_PROXIES entry that is not an address or a network."""
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES entry {entry!r} is not an IP address or network "
                "(TRUSTED_PROXIES 须为 IP 地址或网段)."
            ) from exc


def _parse(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in net for net in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address, following X-Forwarded-For only through configured proxies."""
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    peer = _parse(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return ""  # no usable address at all: one shared bucket
    if not _trusted(peer, networks):
        return str(peer)
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            break  # a malformed entry: nothing to its left can be trusted
        if not _trusted(address, networks):
            return str(address)
    return str(peer)


# The bits of an IPv6 address that name the client's network: its /64.
IPV6_CLIENT_PREFIX = 64
_IPV6_CLIENT_MASK = ((1 << IPV6_CLIENT_PREFIX) - 1) << (128 - IPV6_CLIENT_PREFIX)


def address_client_key(address: str) -> str:
    """The client `address` belongs to, as an address: IPv4 itself, IPv6 the first address of
    its /64 (2001:db8:1:2::, still an address, so axes' address column takes it); "" stays ""."""
    parsed = _parse(address)
    if parsed is None:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Address(int(parsed) & _IPV6_CLIENT_MASK))
    return str(parsed)


def client_key(request: HttpRequest) -> str:
    """The client every limit and lock-out counts — the rate limits (core/ratelimit.py, the API
    throttle), the failed logins per address and per user name (accounts/login_limit.py, axes'
    AXES_CLIENT_IP_CALLABLE) and the tracking-number guesses (portal/selectors.need_lookup):
    client_ip's address, an IPv6 one taken as its /64."""
    return address_client_key(client_ip(request))


def ratelimit_key(group: str, request: HttpRequest) -> str:
    """The client a rate limit counts (core/ratelimit.py): client_key, in any group."""
    return client_key(request)
