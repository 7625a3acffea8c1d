"""Who sent a request: the one place the site decides a visitor's address.

Rate limits, login lockouts (django-axes), the API's throttling and every log
line ask `client_address(request)`; nothing else reads `REMOTE_ADDR` or
`X-Forwarded-For`.

Behind a proxy, `REMOTE_ADDR` is the proxy's address, so every visitor would
share one. `X-Forwarded-For` names the real client, but anyone can send that
header, so it is believed only from a trusted proxy (`TRUSTED_PROXIES`,
from `DJANGO_TRUSTED_PROXIES`: addresses or networks):

- a connection from an address that is not a trusted proxy is the client,
  whatever headers it sends;
- from a trusted proxy, `X-Forwarded-For` is read from the right (each proxy
  appends the address it received the request from), skipping trusted
  proxies; the first address that is not one is the client. If every hop is
  trusted, the leftmost one is. A malformed entry ends the walk at the last
  address a trusted proxy vouched for.

This is nginx's `real_ip_recursive`. python-ipware was considered: it picks a
position in `X-Forwarded-For` but never checks that the connection itself came
from a trusted proxy, so a client reaching gunicorn directly could still choose
its own address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, MutableMapping
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# The answer is kept in the WSGI environ: Django's request.META is that same
# dict, so the view, axes and gunicorn's access log share one computation.
_MEMO = "toolfinder.client_address"


def client_address(request: HttpRequest) -> str:
    """The visitor's IP address as text (e.g. "203.0.113.7" or "2001:db8::1").

    Falls back to `REMOTE_ADDR` as given when that is not an IP address
    (a Unix-socket peer, a test request without one).
    """
    return client_address_of(request.META)


def client_address_of(environ: MutableMapping[str, Any]) -> str:
    """`client_address` for a WSGI environ (what gunicorn's access log has)."""
    memo = environ.get(_MEMO)
    if memo is None:
        memo = environ[_MEMO] = resolve(
            remote_addr=environ.get("REMOTE_ADDR") or "",
            forwarded_for=environ.get("HTTP_X_FORWARDED_FOR") or "",
            trusted=trusted_networks(tuple(settings.TRUSTED_PROXIES)),
        )
    return memo


def resolve(*, remote_addr: str, forwarded_for: str, trusted: Iterable[Network]) -> str:
    """The client's address from the connection's peer and the X-Forwarded-For header."""
    trusted = tuple(trusted)
    peer = parse_address(remote_addr)
    if peer is None:
        return remote_addr
    client = peer
    if _is_trusted(peer, trusted):
        for hop in reversed(forwarded_for.split(",")) if forwarded_for else ():
            address = parse_address(hop)
            if address is None:
                break
            client = address
            if not _is_trusted(address, trusted):
                break
    return str(client)


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """Networks from "10.0.0.5" / "10.0.0.0/8" / "fd00::/8" entries (validated in settings)."""
    return tuple(ipaddress.ip_network(entry.strip()) for entry in entries)


def parse_address(text: str) -> Address | None:
    """An IP address from a header entry; IPv4-mapped IPv6 becomes IPv4; None if malformed.

    Proxies other than nginx may add a port ("203.0.113.7:51234",
    "[2001:db8::1]:443"); the port is dropped.
    """
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, trusted: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in trusted)
