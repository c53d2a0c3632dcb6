"""Health check, media downloads and the last-resort error handler."""

import datetime
import sys
import time

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.uploads import attachment_response, normalise_media_name
from disclosure.models import DisclosureAttachment
from ops.middleware import DATABASE_ERRORS
from ops.responses import RETRY_AFTER_SECONDS, database_unavailable_response


def check_database(timeout_ms: int) -> None:
    """One cheap round trip; raises OperationalError/InterfaceError when the database is out."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with transaction.atomic():
                # A stuck server must not hold the probe (and a worker) for long.
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true)", [str(timeout_ms)]
                )
                cursor.execute("SELECT 1")
                cursor.fetchone()
        else:
            cursor.execute("SELECT 1")
            cursor.fetchone()


@never_cache
@require_safe
def healthz(request):
    started = time.monotonic()
    database = {"vendor": connection.vendor}
    try:
        check_database(settings.FAO_HEALTHZ_TIMEOUT_MS)
    except DATABASE_ERRORS as exc:
        database.update(ok=False, error=type(exc).__name__)
    else:
        database.update(ok=True)
    database["latency_ms"] = round((time.monotonic() - started) * 1000, 1)
    ok = database["ok"]
    payload = {
        "status": "ok" if ok else "unavailable",
        "database": database,
        "time": timezone.localtime().isoformat(timespec="seconds"),
    }
    response = JsonResponse(payload, status=200 if ok else 503)
    if not ok:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def public_attachment_names(today: datetime.date):
    """Files the public may download: attachments of disclosures published by today and not
    withheld (the same rule as the public disclosure pages)."""
    return DisclosureAttachment.objects.public(today)


def can_read_any_media(user) -> bool:
    return bool(user and user.is_active and user.is_staff)


@require_safe
def media_download(request, name: str):
    """Serves an uploaded file as a download with safe headers; 404 for anything the asker
    may not read, so the existence of internal files is not revealed."""
    name = normalise_media_name(name)
    if name is None:
        raise Http404
    is_public = public_attachment_names(timezone.localdate()).filter(file=name).exists()
    if not is_public and not can_read_any_media(request.user):
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        raise Http404 from None
    return attachment_response(handle, name.rsplit("/", 1)[-1], public=is_public)


def server_error(request):
    """handler500: a database outage noticed outside a view (in middleware) is a 503 too."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable_response(request)
    return defaults.server_error(request)
