"""A Redis that stalls doesn't freeze the site: with a proxy between the app and Redis that
stops passing bytes, pages still answer within 200 ms of their usual time, and the log gets
one line when the outage starts and one when it ends, not a traceback per cache call.
Both with the page cache alone in Redis and in production's shape, where the copy of the
content version (techniques/page_cache/shared_version.py) is read from the same Redis.

Redis on 127.0.0.1:6379, database 8, which CI always provides.
"""

import logging
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backrelief.redis_cache import redis_cache_settings

REDIS = ("127.0.0.1", 6379)
REDIS_DB = 8
PAGES = ["/", "/guides/", "/guides/cat-cow/", "/routines/", "/safety/"]
MARGIN = 0.2
STALL_SECONDS = 3


class StallingProxy:
    """tests/stalling_proxy.py, started in a process of its own and ended with the test."""

    def __init__(self):
        script = Path(__file__).with_name("stalling_proxy.py")
        self.process = subprocess.Popen(
            [sys.executable, script, str(REDIS[1]), str(STALL_SECONDS)], stdout=subprocess.PIPE, text=True
        )
        self.port = int(self.process.stdout.readline())

    def stall(self):
        self.process.send_signal(signal.SIGUSR1)

    def close(self):
        self.process.kill()
        self.process.wait()


@pytest.fixture(params=["page cache", "page cache and content version"])
def redis_behind_proxy(request, settings):
    try:
        redis.Redis(*REDIS, socket_connect_timeout=5).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is not reachable at {REDIS}; this test needs it ({error})")
    proxy = StallingProxy()
    # Production waits 50 ms; a test machine shared by parallel runs sees Redis itself take
    # that long now and then, which would open the bypass before the stall. Still far below
    # the 200 ms that the test allows.
    settings.REDIS_TIMEOUT_MS = 100
    url = f"redis://127.0.0.1:{proxy.port}/{REDIS_DB}"
    settings.CACHES = {"default": redis_cache_settings(url, settings.REDIS_TIMEOUT_MS)}
    if request.param == "page cache and content version":
        settings.CONTENT_VERSION_REDIS_URL = url
    settings.CACHE_BYPASS_SECONDS = 1
    cache.clear()
    yield proxy
    proxy.close()
    redis.Redis(*REDIS, db=REDIS_DB).flushdb()


def timed(client, url):
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def is_a_hit(client, url):
    """A hit reads only the content version: from the database, or in production's shape from
    Redis, with no query at all."""
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries) == (0 if settings.CONTENT_VERSION_REDIS_URL else 1)


def cached_again_within(client, url, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        client.get(url)
        if is_a_hit(client, url):
            return True
        time.sleep(0.2)
    return False


def test_a_stalled_redis_costs_pages_no_more_than_200_ms_and_logs_one_line(client, seeded, redis_behind_proxy, caplog):
    proxy = redis_behind_proxy
    # Each page's usual time without a cached copy, which is what it takes while Redis is out.
    usual = {}
    for url in PAGES:
        misses = []
        for _ in range(3):
            cache.clear()
            misses.append(timed(client, url))
        usual[url] = statistics.median(misses)
        assert cached_again_within(client, url, 5), url  # the cache works through the proxy

    caplog.clear()
    caplog.set_level(logging.WARNING)
    proxy.stall()
    during = {url: [] for url in PAGES}
    started = time.monotonic()
    while time.monotonic() - started < STALL_SECONDS - 0.5:
        for url in PAGES:
            during[url].append(timed(client, url))
    # Each page's typical time during the stall is within 200 ms of its usual time. (A single
    # request on a machine shared by parallel test runs can lose that much to the scheduler
    # alone, so the bound is on the median; no request may wait out the stall either.)
    slow = [
        f"{url}: {statistics.median(times) * 1000:.0f} ms, usually {usual[url] * 1000:.0f} ms"
        for url, times in during.items()
        if statistics.median(times) > usual[url] + MARGIN
    ]
    assert slow == [], slow
    longest = max(max(times) for times in during.values())
    assert longest < STALL_SECONDS / 3, f"a request took {longest * 1000:.0f} ms: it waited on the stalled Redis"
    assert all(len(times) >= 2 for times in during.values()), during

    # Redis answers again, and the cache is back within the bypass time.
    time.sleep(max(0, STALL_SECONDS - (time.monotonic() - started)))
    assert cached_again_within(client, PAGES[0], 3)

    lines = [record.getMessage() for record in caplog.records if record.name == "backrelief.redis_cache"]
    assert lines[0].startswith("Redis cache not answering (TimeoutError"), lines
    assert lines[1] == "Redis cache answering again", lines
    # One line as each outage starts and one as it ends: at most one more, short, outage
    # on a loaded test machine, never a line per cache call.
    assert len(lines) <= 4, lines
    assert [record for record in caplog.records if record.exc_info] == []
