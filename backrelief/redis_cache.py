"""Django's Redis cache, made to fail fast: a Redis that stalls or is gone must cost a page
tens of milliseconds, once, and never freeze the site.

Every call has the short connect and read timeouts set in settings (REDIS_TIMEOUT_MS). When
one fails, this process stops asking Redis for CACHE_BYPASS_SECONDS: cache reads miss, writes
are dropped, and pages are rendered as if they had never been cached. Then a single request
tries Redis again; if it answers, the cache is back for everyone. Each outage is logged as
one warning line when it starts and one when it ends, not a traceback per cache call.

The cache is only ever a speed-up here (techniques/page_cache/middleware.py): whatever it misses is
rendered from the database, so serving without it is always correct.
"""

import functools
import logging
import threading
import time

from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class Bypass:
    """Whether this process is skipping Redis just now, shared by every thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.until = 0.0
        self.failing = False

    def should_try(self) -> bool:
        if not self.failing:
            return True
        with self.lock:
            now = time.monotonic()
            if now < self.until:
                return False
            # This caller tries Redis again; the others keep skipping it meanwhile.
            self.until = now + settings.CACHE_BYPASS_SECONDS
            return True

    def failed(self, error: Exception):
        with self.lock:
            self.until = time.monotonic() + settings.CACHE_BYPASS_SECONDS
            if self.failing:
                return
            self.failing = True
        logger.warning(
            "Redis cache not answering (%s: %s); serving pages without it, trying again every %g s",
            type(error).__name__,
            error,
            settings.CACHE_BYPASS_SECONDS,
        )

    def succeeded(self):
        if self.failing:
            with self.lock:
                self.failing = False
            logger.warning("Redis cache answering again")


BYPASSES: dict[tuple, Bypass] = {}
BYPASSES_LOCK = threading.Lock()


def bypass_for(servers) -> Bypass:
    with BYPASSES_LOCK:
        return BYPASSES.setdefault(tuple(servers), Bypass())


def fails_fast(fallback):
    """Run a client call unless Redis is being skipped; on a Redis or socket error, skip it
    for a while and answer `fallback(*args)`, what a cache without the key would answer."""

    def decorate(method):
        @functools.wraps(method)
        def wrapped(self, *args):
            if not self.bypass.should_try():
                return fallback(*args)
            try:
                result = method(self, *args)
            except (RedisError, OSError) as error:
                self.bypass.failed(error)
                return fallback(*args)
            self.bypass.succeeded()
            return result

        return wrapped

    return decorate


def nothing(*args):
    return None


def false(*args):
    return False


class FailFastRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self.bypass = bypass_for(servers)
        self.clients = {}

    def get_client(self, key=None, *, write=False):
        """One redis.Redis per server, kept: Django makes a new one for every call, which
        builds its table of reply parsers each time, a fifth of a cache hit's CPU. A Redis
        object takes a connection from its pool for each command, so threads can share it."""
        pool = self._get_connection_pool(write)
        client = self.clients.get(pool)
        if client is None:
            client = self.clients.setdefault(pool, self._client(connection_pool=pool))
        return client

    add = fails_fast(false)(RedisCacheClient.add)
    get = fails_fast(lambda key, default: default)(RedisCacheClient.get)
    set = fails_fast(nothing)(RedisCacheClient.set)
    touch = fails_fast(false)(RedisCacheClient.touch)
    delete = fails_fast(false)(RedisCacheClient.delete)
    get_many = fails_fast(lambda keys: {})(RedisCacheClient.get_many)
    has_key = fails_fast(false)(RedisCacheClient.has_key)
    set_many = fails_fast(lambda data, timeout: [])(RedisCacheClient.set_many)
    delete_many = fails_fast(nothing)(RedisCacheClient.delete_many)
    clear = fails_fast(false)(RedisCacheClient.clear)


class FailFastRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailFastRedisCacheClient

    def only_server_is(self, url: str) -> bool:
        return self._servers == [url]

    def value_of(self, stored: bytes):
        """A value this cache stored, from the bytes Redis holds, as `get` would return it."""
        return self._cache._serializer.loads(stored)


def redis_cache_settings(url: str, timeout_ms: int) -> dict:
    """The CACHES entry for a Redis at `url`: every connect and every reply within timeout_ms."""
    return {
        "BACKEND": "backrelief.redis_cache.FailFastRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "backrelief",
        "OPTIONS": {"socket_connect_timeout": timeout_ms / 1000, "socket_timeout": timeout_ms / 1000},
    }
