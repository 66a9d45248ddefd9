"""The client's address, for counting failed logins.

Behind a load balancer or proxy, REMOTE_ADDR is the proxy, so every reader would share one
lockout. Set TRUSTED_PROXY_COUNT to the number of proxies in front of the app that append
to X-Forwarded-For; the address that many entries from the right is the client's. Entries
further left are written by the client itself and are never trusted. With no proxy (the
default, 0) REMOTE_ADDR is used and X-Forwarded-For is ignored, so it cannot be spoofed.
"""

from django.conf import settings


def client_ip(request) -> str:
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")
