"""Public pages read from a PostgreSQL streaming replica when one is configured
(FAO_READ_REPLICA_URL), everything else from the primary.

Only the rendering of a public page after a page-cache miss reads from the replica
(core.publiccontent.public_read is set around it); staff pages, the admin, writes, and every
read inside a transaction stay on the primary. The replica is skipped, and the primary used
instead, when:

- it lags by more than FAO_READ_REPLICA_MAX_LAG_SECONDS (measured at most once a second per
  process with pg_last_xact_replay_timestamp(); an unreachable replica counts as lagging), or
- public content changed less than that long ago: a page rendered from a replica that has not
  replayed the publication yet would be stored in the page cache under the new content
  version and stay wrong until the next change.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connections

from core.publiccontent import content_version, public_read, version_age

logger = logging.getLogger(__name__)

REPLICA = "replica"
CHECK_EVERY = 1.0
LAG_SQL = (
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
    " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
    " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9) END"
)

_state = threading.local()
_lag_lock = threading.Lock()
_lag: dict[str, float] = {"checked": 0.0, "seconds": 0.0}


def replica_lag() -> float:
    """The replica's replay lag in seconds, re-measured at most once a second."""
    now = time.monotonic()
    with _lag_lock:
        if now - _lag["checked"] < CHECK_EVERY:
            return _lag["seconds"]
        _lag["checked"] = now
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(LAG_SQL)
            seconds = float(cursor.fetchone()[0])
    except DatabaseError as exc:
        logger.warning("read replica unavailable, reading from the primary: %s", exc)
        seconds = float("inf")
    with _lag_lock:
        _lag["seconds"] = seconds
    return seconds


def replica_usable() -> bool:
    limit = settings.FAO_READ_REPLICA_MAX_LAG_SECONDS
    if version_age(content_version()) < limit:
        return False
    return replica_lag() <= limit


class PublicReadRouter:
    def db_for_read(self, model, **hints):
        if not public_read.get() or REPLICA not in settings.DATABASES:
            return None
        if connections["default"].in_atomic_block:
            return None  # read what this transaction wrote
        if getattr(_state, "checking", False):
            return None
        _state.checking = True
        try:
            return REPLICA if replica_usable() else None
        finally:
            _state.checking = False

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
