"""The client's address, for the sign-in lockout and the verification rate limit.

Served directly, it is the connection's address (REMOTE_ADDR), and X-Forwarded-For is ignored:
any client can write that header. Behind a reverse proxy (DJANGO_BEHIND_PROXY=1) every
connection comes from the proxy, so the address is taken from X-Forwarded-For, counting
REGISTRY_PROXY_HOPS entries from the right: each trusted proxy appends the address it saw, and
only those entries are the proxies' own words; anything further left came from the client.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's address: the connection's, or the one the trusted proxies forwarded."""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = getattr(settings, "REGISTRY_PROXY_HOPS", 0)
    if not hops:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        return remote
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
