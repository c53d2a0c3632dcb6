"""上一篇/下一篇 on a disclosure page: its neighbours in the public catalogue's order (newest
first: publication date, then index number), as government sites offer under each article.

Looked up at most every `CACHE_SECONDS` per item and process: the detail page is served from
a page cache, and a newly published item changes its neighbours' links within that time.
"""

import threading
import time

from django.db.models import Q

from disclosure.models import DisclosureItem

CACHE_SECONDS = 30
_cache: dict[int, tuple[float, tuple]] = {}
_lock = threading.Lock()


def _link(row) -> tuple[str, str] | None:
    if row is None:
        return None
    title, index_number = row
    item = DisclosureItem(title=title, index_number=index_number)
    return (title, item.get_absolute_url())


def _neighbours(pk: int, public) -> tuple:
    current = (
        DisclosureItem.objects.filter(pk=pk)
        .values_list("published_on", "index_year", "index_serial")
        .first()
    )
    if current is None or current[0] is None:
        return (None, None)
    published_on, year, serial = current
    after = (
        Q(published_on__gt=published_on)
        | Q(published_on=published_on, index_year__gt=year)
        | Q(published_on=published_on, index_year=year, index_serial__gt=serial)
    )
    before = (
        Q(published_on__lt=published_on)
        | Q(published_on=published_on, index_year__lt=year)
        | Q(published_on=published_on, index_year=year, index_serial__lt=serial)
    )
    fields = ("title", "index_number")
    # The catalogue lists newest first: the previous entry is the next newer one.
    previous = (
        public.filter(after)
        .order_by("published_on", "index_year", "index_serial")
        .values_list(*fields)
        .first()
    )
    following = (
        public.filter(before)
        .order_by("-published_on", "-index_year", "-index_serial")
        .values_list(*fields)
        .first()
    )
    return (_link(previous), _link(following))


def catalogue_neighbours(pk: int, public) -> tuple:
    """((title, url) or None for 上一篇, the same for 下一篇); `public` is the queryset of
    items the public may see."""
    now = time.monotonic()
    with _lock:
        cached = _cache.get(pk)
        if cached and now - cached[0] < CACHE_SECONDS:
            return cached[1]
    found = _neighbours(pk, public)
    with _lock:
        if len(_cache) > 4096:
            _cache.clear()
        _cache[pk] = (now, found)
    return found


def forget_neighbours() -> None:
    with _lock:
        _cache.clear()
