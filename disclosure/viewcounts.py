"""Exact disclosure view counts without a database write per view.

Two ways, chosen by the shared cache in use:

- **Redis** (FAO_CACHE_URL=redis://…): each item's running total lives in Redis, started from
  the database's count and raised by an atomic script (INCRBY, and the item marked dirty),
  so every app server shows the same figure and no increment is ever lost between
  concurrent readers; each process sends its views in batches (below).
  `manage.py flush_view_counts --loop` (beside the background worker) writes the totals of
  dirty items to the database every few seconds as
  `view_count = max(view_count, total)`: a repeated or interrupted flush never counts twice.
  An app server's restart loses nothing (its last batch is sent on exit), a crash at most
  the views Redis had not acknowledged yet (one batch interval); Redis must keep keys
  without expiry
  (`maxmemory-policy volatile-lru` or `noeviction`, docs/deploy.md).
- **Any other cache** (the embedded default's database cache, whose increments are not
  atomic): each process keeps its increments in memory under a lock and a background thread
  of that process adds them to the database every FAO_VIEW_COUNT_FLUSH_SECONDS; on a normal
  stop (gunicorn's worker exit, interpreter exit) the rest is written out. A crash of the
  process loses at most the last interval's views. A page shows the database's count as of
  that process's last flush plus its own pending views.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

DIRTY_KEY = "viewcount:dirty"
# Returns false when the item's total is not in Redis yet (the caller seeds it from the
# database and asks again).
INCREMENT_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local total = redis.call('INCRBY', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
return total
"""


def _key(pk: int) -> str:
    return f"viewcount:{pk}"


def uses_redis() -> bool:
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    return isinstance(caches["default"], RedisCache)


def _database_count(pk: int) -> int:
    from disclosure.models import DisclosureItem

    found = DisclosureItem.objects.filter(pk=pk).values_list("view_count", flat=True).first()
    return found or 0


# --- Redis ------------------------------------------------------------------------------

_script = None
_client: tuple[int, object] | None = None
_redis_keys: dict[int, list[str]] = {}


def _redis():
    """One Redis client per process (Django builds a new client object per cache call; on
    the hottest public page that costs as much as the round trip). Its connection pool is
    thread-safe and reopens its connections after a fork."""
    global _client
    pid = os.getpid()
    if _client is None or _client[0] != pid:
        _client = (pid, cache._cache.get_client(None, write=True))
    return _client[1]


def _keys(pk: int) -> list[str]:
    keys = _redis_keys.get(pk)
    if keys is None:
        keys = [cache.make_and_validate_key(_key(pk)), cache.make_and_validate_key(DIRTY_KEY)]
        _redis_keys[pk] = keys
    return keys


def _the_script(client):
    global _script
    if _script is None:
        _script = client.register_script(INCREMENT_SCRIPT)
    return _script


def _redis_increment(pk: int, amount: int = 1) -> int:
    client = _redis()
    script, keys = _the_script(client), _keys(pk)
    for _attempt in range(3):
        total = script(keys=keys, args=[pk, amount], client=client)
        if total is not None:
            return int(total)
        # First view since Redis started: seed the total with what the database holds. Only
        # one seeding wins (SET NX); every reader then increments the same total.
        cache.add(_key(pk), _database_count(pk), timeout=None)
    raise RuntimeError("view count could not be seeded")


# Under load a process sends its views to Redis in one pipelined batch every
# FAO_VIEW_COUNT_SEND_MS instead of one round trip per view: the page shows the total Redis
# returned at the last send plus this process's views not sent yet. A view is acknowledged
# once Redis answered that batch; a process killed outright loses at most the views of the
# last interval (20 ms), a normal stop sends them first. When the process has sent nothing
# for a second, the view goes to Redis at once, so a page never shows a stale total.
_unsent: dict[int, int] = {}
_known: dict[int, tuple[int, float]] = {}
_sender_pid: int | None = None
KNOWN_FRESH_SECONDS = 1.0


def _ensure_sender() -> None:
    global _sender_pid
    pid = os.getpid()
    if _sender_pid == pid:
        return
    with _lock:
        if _sender_pid == pid:
            return
        _sender_pid = pid
    threading.Thread(target=_send_loop, name="view-count-send", daemon=True).start()


def _send_loop() -> None:
    while True:
        time.sleep(settings.FAO_VIEW_COUNT_SEND_MS / 1000 or 0.02)
        try:
            _send()
        except Exception:
            logger.exception("view counts not sent to Redis; kept for the next attempt")


_send_lock = threading.Lock()


def _send() -> None:
    # One send at a time per process: the sender thread and an exit hook sending the same
    # views twice would count them twice.
    with _send_lock:
        _send_batch()


def _send_batch() -> None:
    with _lock:
        batch = dict(_unsent)
    if not batch:
        return
    client = _redis()
    script = _the_script(client)
    try:
        pipe = client.pipeline(transaction=False)
        for pk, amount in batch.items():
            script(keys=_keys(pk), args=[pk, amount], client=pipe)
        totals = pipe.execute()
    except RedisError:
        # Redis is away: these views go to the database through this process's buffer.
        with _lock:
            for pk, amount in batch.items():
                _take_unsent(pk, amount)
                _pending[pk] += amount
        _force_flusher()
        return
    now = time.monotonic()
    unseeded = []
    with _lock:
        for (pk, amount), total in zip(batch.items(), totals, strict=True):
            _take_unsent(pk, amount)
            if total is None:
                unseeded.append((pk, amount))
            else:
                _known[pk] = (int(total), now)
    for pk, amount in unseeded:  # Redis lost the total (restart): seed it and send again
        total = _redis_increment(pk, amount)
        with _lock:
            _known[pk] = (total, time.monotonic())


def _take_unsent(pk: int, amount: int) -> None:
    left = _unsent.get(pk, 0) - amount
    if left > 0:
        _unsent[pk] = left
    else:
        _unsent.pop(pk, None)


def _redis_record(pk: int) -> int:
    if settings.FAO_VIEW_COUNT_SEND_MS:
        with _lock:
            known = _known.get(pk)
            if known is not None and time.monotonic() - known[1] < KNOWN_FRESH_SECONDS:
                _unsent[pk] = _unsent.get(pk, 0) + 1
                shown = known[0] + _unsent[pk]
            else:
                shown = None
        if shown is not None:
            _ensure_sender()
            return shown
    total = _redis_increment(pk)
    with _lock:
        _known[pk] = (max(total, _known.get(pk, (0, 0))[0]), time.monotonic())
        return total + _unsent.get(pk, 0)


def _redis_count(pk: int) -> int:
    total = cache.get(_key(pk))
    return int(total) if total is not None else _database_count(pk)


def _redis_flush() -> int:
    from disclosure.models import DisclosureItem

    client = _redis()
    dirty_key = cache.make_and_validate_key(DIRTY_KEY)
    written = 0
    while True:
        popped = client.spop(dirty_key, 500)
        if not popped:
            return written
        pks = [int(p) for p in popped]
        totals = cache.get_many([_key(pk) for pk in pks])
        try:
            with transaction.atomic():
                for pk in pks:
                    total = totals.get(_key(pk))
                    if total is None:
                        continue
                    DisclosureItem.objects.filter(pk=pk).update(
                        view_count=Greatest(F("view_count"), Value(int(total)))
                    )
                    written += 1
        except Exception:
            client.sadd(dirty_key, *pks)  # flushed next time
            raise


# --- process memory (every other cache) -------------------------------------------------

_pending: Counter[int] = Counter()
_bases: dict[int, int] = {}
_lock = threading.Lock()
_flusher_pid: int | None = None


def _ensure_flusher() -> None:
    """One flushing thread per process (started again in a forked child). With
    FAO_VIEW_COUNT_FLUSH_SECONDS=0 (the tests) nothing flushes by itself."""
    global _flusher_pid
    pid = os.getpid()
    if _flusher_pid == pid or not settings.FAO_VIEW_COUNT_FLUSH_SECONDS:
        return
    with _lock:
        if _flusher_pid == pid:
            return
        _flusher_pid = pid
    thread = threading.Thread(target=_flush_loop, name="view-count-flush", daemon=True)
    thread.start()


def _force_flusher() -> None:
    global _flusher_pid
    pid = os.getpid()
    with _lock:
        if _flusher_pid == pid:
            return
        _flusher_pid = pid
    threading.Thread(target=_flush_loop, name="view-count-flush", daemon=True).start()


def _flush_loop() -> None:
    while True:
        time.sleep(settings.FAO_VIEW_COUNT_FLUSH_SECONDS or 5)
        try:
            _local_flush()
        except Exception:
            logger.exception("view counts not flushed; kept for the next attempt")
        finally:
            close_old_connections()
            connection.close()


def _local_increment(pk: int) -> int:
    _ensure_flusher()
    with _lock:
        base = _bases.get(pk)
    if base is None:
        base = _database_count(pk)
    with _lock:
        base = _bases.setdefault(pk, base)
        _pending[pk] += 1
        return base + _pending[pk]


def _local_count(pk: int) -> int:
    with _lock:
        base, pending = _bases.get(pk), _pending[pk] if pk in _pending else 0
    if base is None:
        base = _database_count(pk)
    return base + pending


def _local_flush() -> int:
    from disclosure.models import DisclosureItem

    with _lock:
        batch = dict(_pending)
        _pending.clear()
    if not batch:
        return 0
    try:
        with transaction.atomic():
            for pk, n in batch.items():
                DisclosureItem.objects.filter(pk=pk).update(view_count=F("view_count") + n)
    except Exception:
        with _lock:
            _pending.update(batch)
        raise
    fresh = dict(DisclosureItem.objects.filter(pk__in=list(batch)).values_list("pk", "view_count"))
    with _lock:
        for pk, count in fresh.items():
            _bases[pk] = count
    return len(batch)


# --- the API ----------------------------------------------------------------------------


def record_view(pk: int) -> int:
    """Counts one view of disclosure item `pk`; returns the count to show (including it)."""
    if uses_redis():
        try:
            return _redis_record(pk)
        except RedisError:
            # Redis is away: count in this process and let its flushing thread write the
            # view to the database, rather than fail the page or lose the view.
            logger.warning("view counted in process memory: Redis unavailable")
            _force_flusher()
    return _local_increment(pk)


def displayed_count(pk: int) -> int:
    """The count to show without counting a view (HEAD requests)."""
    if uses_redis():
        return _redis_count(pk)
    return _local_count(pk)


def flush() -> int:
    """Writes buffered views to the database; returns how many items were written."""
    if uses_redis():
        _send()  # this process's views not sent yet
        return _redis_flush() + _local_flush()  # and anything counted while Redis was away
    return _local_flush()


def flush_on_exit() -> None:
    """Called when a process stops normally (gunicorn's worker_exit, interpreter exit)."""
    try:
        if uses_redis():
            _send()
    except Exception:
        logger.exception("view counts not sent to Redis at exit")
    try:
        _local_flush()
    except Exception:
        logger.exception("view counts lost at exit")


def forget_local_state() -> None:
    """Drops this process's memory of counts (tests simulating a restarted process)."""
    global _client, _script
    with _lock:
        _pending.clear()
        _bases.clear()
        _unsent.clear()
        _known.clear()
    _client = _script = None
    _redis_keys.clear()


atexit.register(flush_on_exit)
