"""The public content version: one token in the shared cache that changes whenever anything
the public pages show changes (publishing, repealing, correcting, comment moderation,
notices). The public site's page cache (publicsite.cache) serves a stored page only while the
version it was rendered under is still current, so every app server stops serving old pages
the moment the version changes.

Service functions call `public_content_changed()` explicitly; it lives in the foundation
layer so that every app that changes public content can call it.
"""

from __future__ import annotations

import contextvars
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "publicsite:content-version"

# True while a public page is rendered after a cache miss: the database router may then read
# from the replica (ops.dbrouter).
public_read = contextvars.ContextVar("public_read", default=False)

_memo: dict[str, tuple[float, str]] = {}


def _new_version() -> str:
    # The time comes first, so readers can tell how long ago public content last changed.
    return f"{time.time():.3f}-{secrets.token_hex(4)}"


def content_version() -> str:
    """The current version, created afresh if the cache lost it (restart, clear).

    FAO_PAGE_CACHE_VERSION_MS > 0 lets a process reuse the version it read for that long
    (one cache round trip fewer per page, at the price of other processes noticing a change
    that much later); 0, the default, asks the shared cache on every request."""
    ttl = settings.FAO_PAGE_CACHE_VERSION_MS / 1000
    if ttl:
        memo = _memo.get("v")
        if memo is not None and memo[0] > time.monotonic():
            return memo[1]
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_version(), timeout=None)
        version = cache.get(VERSION_KEY) or _new_version()
    if ttl:
        _memo["v"] = (time.monotonic() + ttl, version)
    return version


def version_age(version: str) -> float:
    """Seconds since `version` was made (0 when it cannot tell)."""
    try:
        return max(0.0, time.time() - float(version.split("-", 1)[0]))
    except ValueError:
        return 0.0


def _bump() -> None:
    cache.set(VERSION_KEY, _new_version(), timeout=None)
    _memo.clear()


def public_content_changed() -> None:
    """Call from every service function that changes what the public pages show.

    The version changes now, so no process serves the old pages any more, and again when the
    surrounding transaction commits: a page rendered from the database before the change was
    committed was stored under the intermediate version, which is gone by then."""
    _bump()
    transaction.on_commit(_bump)


def forget_memo() -> None:
    _memo.clear()
