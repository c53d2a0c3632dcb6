"""The read-replica router: public page renders read from the replica, everything else from
the primary; a lagging or unreachable replica, or a publication moments ago, sends public
reads back to the primary. The "replica" here is the test database itself (settings
TEST MIRROR), which is how a deployment without a real replica can try the set-up."""

import time

import pytest

from core import publiccontent
from core.publiccontent import public_read
from disclosure.models import DisclosureItem
from ops import dbrouter


@pytest.fixture
def replica(settings):
    settings.DATABASES = {
        **settings.DATABASES,
        "replica": {**settings.DATABASES["default"], "TEST": {"MIRROR": "default"}},
    }
    settings.FAO_READ_REPLICA_MAX_LAG_SECONDS = 2
    dbrouter._lag.update(checked=0.0, seconds=0.0)
    yield dbrouter.PublicReadRouter()
    dbrouter._lag.update(checked=0.0, seconds=0.0)


@pytest.fixture
def settled_content(db, monkeypatch):
    """Public content last changed a minute ago."""
    monkeypatch.setattr(publiccontent, "content_version", lambda: f"{time.time() - 60:.3f}-x")
    monkeypatch.setattr(dbrouter, "content_version", publiccontent.content_version)


def public(router):
    token = public_read.set(True)
    try:
        return router.db_for_read(DisclosureItem)
    finally:
        public_read.reset(token)


def test_inside_a_transaction_public_reads_stay_on_the_primary(
    replica, settled_content, monkeypatch
):
    monkeypatch.setattr(dbrouter, "replica_lag", lambda: 0.0)
    assert public(replica) is None  # the test's transaction: it must read its own writes


def test_other_reads_and_all_writes_use_the_primary(replica, settled_content):
    assert replica.db_for_read(DisclosureItem) is None
    assert replica.db_for_write(DisclosureItem) == "default"
    assert replica.allow_migrate("replica", "disclosure") is False


def test_a_lagging_replica_is_skipped(replica, settled_content, monkeypatch):
    monkeypatch.setattr(dbrouter, "replica_lag", lambda: 30.0)
    assert dbrouter.replica_usable() is False
    assert public(replica) is None


def test_right_after_a_publication_the_primary_is_read(replica, db, monkeypatch):
    monkeypatch.setattr(dbrouter, "replica_lag", lambda: 0.0)
    publiccontent.public_content_changed()
    assert dbrouter.replica_usable() is False


def test_the_lag_is_measured_on_the_replica_connection(replica, settled_content, monkeypatch):
    from django.db import connection

    monkeypatch.setattr(dbrouter, "REPLICA", "default")  # the same database as "replica"
    if connection.vendor == "postgresql":
        # Not in recovery: no lag.
        assert dbrouter.replica_lag() == 0.0
        assert dbrouter.replica_usable() is True
    else:
        # A database that cannot answer the question counts as lagging: the primary is read.
        assert dbrouter.replica_lag() == float("inf")
        assert dbrouter.replica_usable() is False


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_public_reads_use_the_replica(replica, settled_content, monkeypatch):
    monkeypatch.setattr(dbrouter, "replica_lag", lambda: 0.0)
    assert public(replica) == "replica"
