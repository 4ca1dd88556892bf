"""The address of the client a request comes from — one function for every limit and log.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only when the
connection comes from a proxy listed in TRUSTED_PROXIES (addresses or networks; none by default).
Then the header is read from the right — each trusted proxy appends the address it saw — and the
first address not itself a trusted proxy is the client. A client cannot move itself into another
bucket by sending the header, and behind the proxy visitors are not all one address.
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


def ratelimit_key(group: str, request: HttpRequest) -> str:
    """The client a rate limit counts (core/ratelimit.py): its address, in any group."""
    return client_ip(request)
