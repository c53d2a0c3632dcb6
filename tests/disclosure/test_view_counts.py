"""Disclosure view counts: exact under concurrency, no database write per view, nothing
acknowledged lost when an app server restarts (Redis), at most one flush interval on the
embedded default (process memory, flushed when the process stops normally)."""

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections

from core.publiccontent import content_version
from disclosure import viewcounts
from disclosure.models import DisclosureItem

pytestmark = pytest.mark.usefixtures("public_site")

SEED_URL = "/disclosure/014109568-2022-00012/"
REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_available() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def redis_cache(settings):
    if not redis_available():
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"fao-test-{uuid.uuid4().hex[:8]}",
        }
    }
    viewcounts._script = None
    yield
    cache.clear()
    viewcounts._script = None


def concurrent_views(pk: int, views: int = 1000, threads: int = 50) -> list[int]:
    def one(_):
        try:
            return viewcounts.record_view(pk)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(one, range(views)))


def stored(item) -> int:
    return DisclosureItem.objects.get(pk=item.pk).view_count


def test_views_are_buffered_not_written_per_view(seed_disclosure, django_assert_num_queries):
    viewcounts.record_view(seed_disclosure.pk)  # reads the stored count once
    with django_assert_num_queries(0):
        for _ in range(10):
            viewcounts.record_view(seed_disclosure.pk)
    assert stored(seed_disclosure) == 0
    assert viewcounts.displayed_count(seed_disclosure.pk) == 11
    viewcounts.flush()
    assert stored(seed_disclosure) == 11


def test_a_thousand_concurrent_views_add_exactly_a_thousand_in_process_memory(seed_disclosure):
    viewcounts.record_view(seed_disclosure.pk)
    viewcounts.flush()
    shown = concurrent_views(seed_disclosure.pk)
    # Every reader saw a different count, and together they are 2..1001.
    assert sorted(shown) == list(range(2, 1002))
    viewcounts.flush()
    assert stored(seed_disclosure) == 1001


def test_a_normal_stop_writes_the_buffer_out(seed_disclosure):
    for _ in range(7):
        viewcounts.record_view(seed_disclosure.pk)
    viewcounts.flush_on_exit()  # gunicorn's worker_exit and interpreter exit call this
    viewcounts.forget_local_state()  # the next process starts empty
    assert stored(seed_disclosure) == 7
    assert viewcounts.record_view(seed_disclosure.pk) == 8


def test_flushing_leaves_the_page_cache_alone(seed_disclosure):
    version = content_version()
    viewcounts.record_view(seed_disclosure.pk)
    viewcounts.flush()
    assert content_version() == version


def test_a_thousand_concurrent_views_add_exactly_a_thousand_in_redis(redis_cache, seed_disclosure):
    DisclosureItem.objects.filter(pk=seed_disclosure.pk).update(view_count=5)
    assert viewcounts.record_view(seed_disclosure.pk) == 6  # seeded from the database
    shown = concurrent_views(seed_disclosure.pk)
    assert sorted(shown) == list(range(7, 1007))
    assert stored(seed_disclosure) == 5  # nothing written per view
    call_command("flush_view_counts", verbosity=0)
    assert stored(seed_disclosure) == 1006
    call_command("flush_view_counts", verbosity=0)  # a repeated flush never counts twice
    assert stored(seed_disclosure) == 1006


def test_an_app_server_restart_loses_no_view_counted_in_redis(redis_cache, seed_disclosure):
    for _ in range(25):
        viewcounts.record_view(seed_disclosure.pk)
    viewcounts.flush_on_exit()  # gunicorn's worker_exit: views not yet sent go to Redis
    # A restarted app server: no memory of its own, a new connection to Redis.
    viewcounts.forget_local_state()
    viewcounts._script = None
    cache.close()
    assert viewcounts.displayed_count(seed_disclosure.pk) == 25
    assert viewcounts.record_view(seed_disclosure.pk) == 26
    viewcounts.flush()
    assert stored(seed_disclosure) == 26


def test_the_page_shows_stored_plus_buffered_views(client, redis_cache, seed_disclosure):
    DisclosureItem.objects.filter(pk=seed_disclosure.pk).update(view_count=40)
    for expected in (41, 42, 43):  # the second and third come from the page cache
        assert f"<span data-view-count>{expected}</span>" in client.get(SEED_URL).content.decode()
    assert client.head(SEED_URL).status_code == 200  # HEAD is not a view
    viewcounts.flush()
    assert stored(seed_disclosure) == 43


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_page_views_through_the_cache_are_exact(redis_cache, seed_disclosure):
    from django.test import Client

    errors = []

    def read():
        local = Client()
        for _ in range(25):
            if local.get(SEED_URL).status_code != 200:
                errors.append("status")
        connections.close_all()

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    viewcounts.flush()
    assert stored(seed_disclosure) == 200


def test_with_redis_away_pages_are_served_and_views_still_counted(
    client, settings, seed_disclosure
):
    reachable = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        }
    }
    viewcounts.forget_local_state()
    for expected in (1, 2):
        response = client.get(SEED_URL)
        assert response.status_code == 200
        assert f"<span data-view-count>{expected}</span>" in response.content.decode()
    assert client.get("/disclosure/").status_code == 200
    viewcounts.flush_on_exit()
    assert stored(seed_disclosure) == 2
    settings.CACHES = reachable  # the fixtures' clean-up clears the cache


def test_a_crashed_app_server_loses_no_view_redis_acknowledged(
    redis_cache, settings, seed_disclosure
):
    for _ in range(25):
        viewcounts.record_view(seed_disclosure.pk)
    # Batched views are in Redis once the interval has passed (the sender thread's work).
    time.sleep(settings.FAO_VIEW_COUNT_SEND_MS / 1000 * 10 + 0.1)
    viewcounts.forget_local_state()  # killed outright: no exit hook ran
    assert viewcounts.displayed_count(seed_disclosure.pk) == 25
    # Without batching every view is acknowledged by Redis before the page is answered.
    settings.FAO_VIEW_COUNT_SEND_MS = 0
    for _ in range(5):
        viewcounts.record_view(seed_disclosure.pk)
    viewcounts.forget_local_state()
    assert viewcounts.displayed_count(seed_disclosure.pk) == 30
    viewcounts.flush()
    assert stored(seed_disclosure) == 30
