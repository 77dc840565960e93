"""Who a request's client is, for the limits counted per client (wrong resume codes, summary mails)."""

from __future__ import annotations

import ipaddress

from starlette.requests import Request


def client_of(request: Request) -> str:
    """The client a request's limits are counted for: its IPv4 address, or its IPv6 /64 network (one household or
    phone has a whole /64), as "ip:203.0.113.7" or "ip:2001:db8:1:2::/64".

    The address is the peer's, or, when the peer is a trusted reverse proxy ([web] forwarded_allow_ips), the
    right-most X-Forwarded-For hop no trusted proxy added: uvicorn's ProxyHeadersMiddleware puts it in the request
    (`create_app` adds it with the configured proxies). A header from anyone else changes nothing.
    """
    host = request.client.host if request.client else "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"ip:{host}"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return f"ip:{address.ipv4_mapped}"
        return f"ip:{ipaddress.ip_network((address, 64), strict=False).compressed}"
    return f"ip:{address}"
