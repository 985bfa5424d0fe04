"""The client's IP address, read correctly behind reverse proxies.

With TRUSTED_PROXY_COUNT = N (default 0), each of our N proxies appends the address it received
the request from to X-Forwarded-For, so the real client is the N-th entry from the right; any
entries further left were sent by the client and are not trusted. With N = 0, or fewer entries
than N, REMOTE_ADDR is used. Used for login throttling (django-axes) and for the IP recorded
with agreements (SZB-3, XT-1).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(ip: str) -> str | None:
    try:
        return str(ipaddress.ip_address(ip.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count > 0:
        hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= count:
            ip = _valid(hops[-count])
            if ip:
                return ip
    return _valid(remote) if remote else None
