"""Who a request's client is, for the limits counted per client (wrong resume codes, summary mails)."""

from __future__ import annotations

import ipaddress
import sys
from collections.abc import Sequence
from functools import lru_cache

from starlette.requests import Request

from advisor.handoff.limits import IN_STORE

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_of(request: Request) -> str:
    """The client a request's limits are counted for: its IPv4 address, or its IPv6 /64 network (one household or
    phone has a whole /64), as "ip:203.0.113.7" or "ip:2001:db8:1:2::/64".

    The address is the peer's, or, when the peer is a trusted reverse proxy ([web] forwarded_allow_ips), the
    right-most X-Forwarded-For hop no trusted proxy added: uvicorn's ProxyHeadersMiddleware puts it in the request
    (`create_app` adds it with the configured proxies). A header from anyone else changes nothing.
    """
    host = request.client.host if request.client else "unknown"
    _no_forwarded_for(request, host)
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"ip:{host}"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return f"ip:{address.ipv4_mapped}"
        return f"ip:{ipaddress.ip_network((address, 64), strict=False).compressed}"
    return f"ip:{address}"


_told_no_forwarded_for = False  # said once per process


def _no_forwarded_for(request: Request, host: str) -> None:
    """A journal line, once per process, when a configured proxy's request carries no X-Forwarded-For: its
    shoppers all count as the proxy, one client (their wrong codes, mails and bookings share one budget)."""
    global _told_no_forwarded_for
    if _told_no_forwarded_for or "x-forwarded-for" in request.headers:
        return
    web = getattr(request.app.state, "web", None) if "app" in request.scope else None
    proxies = tuple(web.config.web.forwarded_allow_ips) if web is not None else ()
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return
    if not proxies or not any(address in network for network in _parsed(proxies)):
        return
    _told_no_forwarded_for = True
    sys.stderr.write(
        f"advisor: [web] forwarded_allow_ips lists {host}, but its requests carry no X-Forwarded-For: every shopper "
        "counts as one client (set proxy_set_header X-Forwarded-For in the proxy; docs/deploying.md)\n"
    )
    sys.stderr.flush()


@lru_cache(maxsize=8)
def _parsed(networks: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(network, strict=False) for network in networks)


def in_store(request: Request, store_networks: Sequence[str]) -> bool:
    """Whether the request comes from one of the store's own networks ([web] store_networks, say its guest Wi-Fi's
    public address): the address `client_of` counts for, an IPv4-mapped IPv6 address as its IPv4 address."""
    if not store_networks or request.client is None:
        return False
    try:
        address = ipaddress.ip_address(request.client.host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in _parsed(tuple(store_networks)))


def budget_client_of(request: Request, store_networks: Sequence[str]) -> str:
    """The client a request's per-client budgets (bookings, chat requests, repair orders, mails, empty API sessions)
    are spent for: `client_of`, or, from one of the store's own networks, that marked as in the store, which
    `advisor.handoff.limits.spend` counts nothing for (shoppers on the store's guest Wi-Fi share one public address;
    the per-session budgets still hold each advice). Wrong resume and pickup codes are counted per `client_of`, in
    the store too."""
    client = client_of(request)
    return f"{IN_STORE}{client}" if in_store(request, store_networks) else client
