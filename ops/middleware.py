"""Response headers Django 5.2 does not send itself, and a calm answer while the database is
down.

Content-Security-Policy: Django only gains a CSP middleware in 6.0 (which needs Python 3.12),
and the portal's policy is one fixed set of directives plus an optional script nonce, so a
small middleware here costs less than another dependency and is deleted on the move to 6.0.
"""

import logging
import secrets

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils.functional import SimpleLazyObject, empty

from ops.responses import database_unavailable_response

logger = logging.getLogger("ops.database")

DATABASE_ERRORS = (OperationalError, InterfaceError)


def build_csp(policy: dict[str, list[str]], nonce: str | None = None) -> str:
    directives = []
    for name, sources in policy.items():
        values = list(sources)
        if nonce and name == "script-src":
            # Only scripts take the nonce: a nonce in style-src would switch off the
            # 'unsafe-inline' the admin's style attributes need.
            values.append(f"'nonce-{nonce}'")
        directives.append(" ".join([name, *values]).strip())
    return "; ".join(directives)


class SecurityHeadersMiddleware:
    """Sends FAO_CSP and FAO_PERMISSIONS_POLICY on every response that has none yet.

    A view that needs a stricter policy (the media downloads) sets its own header first.
    Templates that must run an inline script use `nonce="{{ request.csp_nonce }}"`; the nonce
    is only generated, and only added to the policy, when a template asked for it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = SimpleLazyObject(lambda: secrets.token_urlsafe(16))
        response = self.get_response(request)
        header = (
            "Content-Security-Policy-Report-Only"
            if settings.FAO_CSP_REPORT_ONLY
            else "Content-Security-Policy"
        )
        policy = settings.FAO_CSP
        if policy and "Content-Security-Policy" not in response:
            used = request.csp_nonce._wrapped is not empty
            response.headers[header] = build_csp(policy, str(request.csp_nonce) if used else None)
        permissions = settings.FAO_PERMISSIONS_POLICY
        if permissions:
            response.headers.setdefault("Permissions-Policy", permissions)
        return response


class DatabaseUnavailableMiddleware:
    """Any view that hits an unreachable database answers 503 with a styled page.

    Exceptions raised inside other middleware never reach process_exception; the root URLconf's
    handler500 (ops.views.server_error) gives those the same answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning(
                "database unavailable: %s: %s",
                type(exception).__name__,
                str(exception).strip()[:300],
                extra={"path": request.path},
            )
            return database_unavailable_response(request)
        return None
