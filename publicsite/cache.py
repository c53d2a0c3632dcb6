"""Whole-page cache of the public site, shared by every worker and app server.

A public page (home, catalogue with each filter and page, disclosure detail, notice list,
reports, the feed) changes a few times a day, yet rendering it costs several database round
trips. The rendered page is kept in the shared cache (Redis in production, the embedded
default's cache otherwise) under its address, the interface language and today's date, and
is served by `PublicPageCacheMiddleware` before sessions, CSRF, authentication and the view
run: a cached page costs about what a static file costs.

Invalidation is by version: every page is stored with the "public content version" current
when its rendering started, and is served only while that version is still current. The
service functions that change what the public sees (publishing, repealing, correcting,
moderating comments, notices) call `public_content_changed()`, which replaces the version at
once and again when their transaction commits, so no reader can store the old content under
the new version. Pages that depend on the date (notices opening and closing, items published
for a future date) are keyed by the date as well.

Per-request parts stay out of the stored page: the disclosure view count is a slot filled in
on every response (disclosure.viewcounts). Pages carrying a form with a CSRF token (the notice
page with its comment form) are not cached at all.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import empty

from core.publiccontent import content_version, forget_memo, public_read
from disclosure import viewcounts

PAGE_PREFIX = "publicsite:page:"
# Pages served whole from the cache; the notice page is missing on purpose (comment form).
CACHED_VIEWS = {
    "publicsite:home",
    "publicsite:disclosure_list",
    "publicsite:disclosure_feed",
    "publicsite:disclosure_detail",
    "publicsite:notice_list",
    "publicsite:report_list",
    "publicsite:report_detail",
}
# Pages whose body holds a per-request slot (the view count): browsers and proxies must ask
# again each time, so every reading is counted.
REVALIDATE_VIEWS = {"publicsite:disclosure_detail"}
# Headers never stored with a page: they belong to one response.
PER_RESPONSE_HEADERS = {"set-cookie", "content-length", "date", "content-security-policy"}
LOCAL_PAGES = 512
logger = logging.getLogger(__name__)


@dataclass
class CachedPage:
    version: str
    status: int
    headers: list[tuple[str, str]]
    parts: list[bytes]
    etag: str
    last_modified: float
    view_count_pk: int | None = None
    extra: dict = field(default_factory=dict)


_local: OrderedDict[str, CachedPage] = OrderedDict()
_local_lock = threading.Lock()


def language_of(request) -> str:
    """The interface language exactly as fao_portal.locale.ChineseFirstLocaleMiddleware picks
    it: the language cookie, else Chinese."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def page_key(request, language: str) -> str:
    address = f"{request.get_host()}|{request.scheme}|{request.get_full_path()}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()[:40]
    return f"{PAGE_PREFIX}{language}:{timezone.localdate().isoformat()}:{digest}"


def cached_view_name(path: str) -> str | None:
    try:
        name = resolve(path).view_name
    except Resolver404:
        return None
    return name if name in CACHED_VIEWS else None


def _lookup(key: str, version: str) -> CachedPage | None:
    with _local_lock:
        page = _local.get(key)
        if page is not None and page.version == version:
            _local.move_to_end(key)
            return page
    page = cache.get(key)
    if page is None or page.version != version:
        return None
    _remember(key, page)
    return page


def _remember(key: str, page: CachedPage) -> None:
    with _local_lock:
        _local[key] = page
        _local.move_to_end(key)
        while len(_local) > LOCAL_PAGES:
            _local.popitem(last=False)


def clear_local() -> None:
    with _local_lock:
        _local.clear()
    forget_memo()


def _etag(parts: list[bytes], version: str) -> str:
    digest = hashlib.blake2b(digest_size=12)
    for part in parts:
        digest.update(part)
        digest.update(b"\0")
    return f'W/"{digest.hexdigest()}"'


def _not_modified(request, page: CachedPage) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = {tag.strip() for tag in if_none_match.split(",")}
        return "*" in tags or page.etag in tags or page.etag.removeprefix("W/") in tags
    since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if since:
        try:
            return parsedate_to_datetime(since).timestamp() >= int(page.last_modified)
        except (TypeError, ValueError, OverflowError):
            return False
    return False


def _cache_control(view_name: str) -> str:
    if view_name in REVALIDATE_VIEWS:
        return "no-cache"
    seconds = settings.FAO_PUBLIC_PROXY_SECONDS
    return f"public, max-age=0, s-maxage={seconds}, must-revalidate"


def _respond(request, page: CachedPage) -> HttpResponse:
    count = None
    if page.view_count_pk is not None and request.method == "GET":
        count = viewcounts.record_view(page.view_count_pk)
    # A page showing its view count changes with every view: always send it whole, or a
    # reload would show the count of the first visit.
    if page.view_count_pk is None and _not_modified(request, page):
        response = HttpResponseNotModified()
    else:
        if page.view_count_pk is not None:
            if count is None:
                count = viewcounts.displayed_count(page.view_count_pk)
            body = str(count).encode().join(page.parts)
        else:
            body = page.parts[0]
        response = HttpResponse(body, status=page.status)
        for name, value in page.headers:  # ETag, Last-Modified, Cache-Control, Vary included
            response.headers[name] = value
        return response
    for name in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
        response.headers[name] = page.extra["headers"][name]
    return response


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.has_header("Set-Cookie"):
        return False
    if response.cookies:
        return False
    # A page that asked for a CSP nonce carries it in its body: it belongs to one response.
    nonce = getattr(request, "csp_nonce", None)
    return not (nonce is not None and getattr(nonce, "_wrapped", empty) is not empty)


class PublicPageCacheMiddleware:
    """Serves cached public pages before the session, CSRF and authentication middleware
    and the view; stores what the view rendered on a miss. Sits after WhiteNoise, so the
    security headers middleware still adds its headers to every cached response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.FAO_PAGE_CACHE or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        view_name = cached_view_name(request.path_info)
        if view_name is None:
            return self.get_response(request)
        language = language_of(request)
        key = page_key(request, language)
        try:
            version = content_version()
            page = _lookup(key, version)
            if page is not None:
                return _respond(request, page)
        except Exception:
            # The shared cache is away (Redis restarting): render the page, store nothing.
            logger.warning("page cache unavailable", exc_info=True)
            return self.get_response(request)
        token = public_read.set(True)
        try:
            response = self.get_response(request)
        finally:
            public_read.reset(token)
        if _storable(request, response):
            try:
                self._store(request, response, key, version, view_name)
            except Exception:
                logger.warning("page not stored in the cache", exc_info=True)
        return response

    def _store(self, request, response, key, version, view_name) -> None:
        template = getattr(response, "public_page_parts", None)
        parts = template if template is not None else [response.content]
        searched = bool(request.GET.get("q"))
        etag, now = _etag(parts, version), time.time()
        patch_vary_headers(response, ("Cookie",))
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = formatdate(now, usegmt=True)
        response.headers["Cache-Control"] = _cache_control(view_name)
        # Worked out once here, so a cached response only copies them.
        headers = [
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in PER_RESPONSE_HEADERS
        ]
        page = CachedPage(
            version=version,
            status=response.status_code,
            headers=headers,
            parts=parts,
            etag=etag,
            last_modified=now,
            view_count_pk=getattr(response, "public_view_count_pk", None),
            extra={
                "headers": {
                    name: response.headers[name]
                    for name in ("ETag", "Last-Modified", "Cache-Control", "Vary")
                }
            },
        )
        # Search results are many and rarely asked twice: kept briefly. Every page is
        # replaced as soon as the content version changes anyway.
        timeout = (
            settings.FAO_PAGE_CACHE_SEARCH_SECONDS if searched else settings.FAO_PAGE_CACHE_SECONDS
        )
        cache.set(key, page, timeout=timeout)
        _remember(key, page)
