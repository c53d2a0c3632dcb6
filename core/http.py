"""Facts about the request that several apps need, read the same way everywhere."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address: FAO_CLIENT_IP_HEADER's first entry behind a reverse proxy that
    sets it, else REMOTE_ADDR. Used by django-axes (AXES_CLIENT_IP_CALLABLE), the login log
    and the comment rate limit, so a lockout, its log rows and a rate limit name the same
    address."""
    if request is None:
        return None
    candidates = []
    header = settings.FAO_CLIENT_IP_HEADER
    if header:
        candidates.append(request.META.get(header, "").split(",")[0].strip())
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None
