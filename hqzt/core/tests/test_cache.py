"""The database cache's `incr` counts every simultaneous request (core/cache.py): the embedded
default's rate limits and lock-outs are exact, as they are on Redis."""

import time

import pytest
from django.core.cache import cache, caches

from tests.concurrency import at_once, failures

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_default_cache_is_the_atomic_database_cache():
    from hqzt.core.cache import AtomicDatabaseCache

    assert isinstance(caches["default"], AtomicDatabaseCache)


def test_simultaneous_increments_are_all_counted():
    cache.add("hits", 0, timeout=600)
    threads_n, each = 8, 10

    def hit() -> None:
        for _ in range(each):
            cache.incr("hits")

    assert failures(at_once([hit] * threads_n)) == []
    assert cache.get("hits") == threads_n * each


def test_incr_keeps_the_entry_s_expiry():
    cache.set("short", 1, timeout=1)
    assert cache.incr("short", 4) == 5
    assert cache.get("short") == 5
    time.sleep(1.2)
    assert cache.get("short") is None


def test_incr_of_a_missing_or_expired_key_says_so_as_django_does():
    with pytest.raises(ValueError):
        cache.incr("never-set")
    cache.set("gone", 3, timeout=1)
    time.sleep(1.2)
    with pytest.raises(ValueError):
        cache.incr("gone")


def test_decr_counts_down():
    cache.set("n", 5, timeout=60)
    assert cache.decr("n") == 4
    assert cache.get("n") == 4
