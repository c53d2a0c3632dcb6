"""The 503 answer shared by the middleware, handler500 and /healthz."""

import logging

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext

logger = logging.getLogger("ops.database")

RETRY_AFTER_SECONDS = 5


def database_unavailable_response(request) -> HttpResponse:
    # Rendered without the request: context processors (the user, messages) would query the
    # very database that is down.
    try:
        body = render_to_string(
            "ops/503.html", {"retry_after": RETRY_AFTER_SECONDS, "path": request.path}
        )
    except Exception:  # the fallback page must never fail in turn
        logger.exception("could not render the 503 page")
        body = gettext("系统维护中，请稍后再试。")
    response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
