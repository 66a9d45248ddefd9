"""A copy of the content version in Redis, so that a cached page is served in production
(CONTENT_VERSION_REDIS_URL, set from REDIS_URL) without a database round trip.

The database stays the source of truth (techniques/page_cache/content_version.py); Redis only holds a
copy, and the copy is trusted only while it is known to be exact:

- An edit marks the copy "pending" before its transaction commits, and publishes the new
  version after it commits. From the mark on, every reader reads the database, so no server
  can see the old version once the edit is committed. If the mark can't be written (Redis
  down), the edit fails rather than leave other servers trusting the old copy.
- A reader that finds no copy (a flush, an eviction, an expired mark), a pending one, or a
  copy on a connection it has not checked yet, reads the database and puts what it read in
  place of exactly what it found (compare-and-set, in one Lua script): if an edit has
  changed the copy meanwhile, the edit's value stays.
- Redis may come back from a restart with an older snapshot, or be shared by a database
  restored from a backup. A restart drops every connection, so the first read on each new
  connection is checked against the database before that connection's reads are trusted.
  (`manage.py restore` bumps the version like any edit; after restoring a database by other
  means, flush the Redis database too.)

If Redis can't be reached, or stalls, the version is read from the database, as it is without
Redis. Reads fail fast the way the page cache does (backrelief/redis_cache.py): the same short
timeouts, and after a failure the same bypass, shared with the page cache when both are in one
Redis, so a stalled Redis costs one request one timeout, logs one line, and no more.
"""

import functools
import hashlib
import logging

import redis
from django.conf import settings
from django.db import connection

from backrelief.redis_cache import Bypass, bypass_for

logger = logging.getLogger(__name__)

KEY_PREFIX = "backrelief:content-version:"
# A pending mark outlives any edit's transaction; should the edit be rolled back, readers go
# to the database until it expires or the next edit publishes.
PENDING_SECONDS = 300
PENDING = b"pending"

# For edits, after they commit: sets the copy to ARGV[2] (a version row whose counter is
# ARGV[1]) unless the copy holds a newer version already, or the pending mark of a later edit.
PUBLISH = """
local current = redis.call('GET', KEYS[1])
if current then
    local counter = tonumber(string.match(current, '(%d+)'))
    local pending = string.sub(current, 1, 7) == 'pending'
    local newer = counter and counter > tonumber(ARGV[1])
    if newer or (counter == tonumber(ARGV[1]) and not pending) then
        return 0
    end
end
redis.call('SET', KEYS[1], ARGV[2])
return 1
"""
# For readers: sets the copy to ARGV[2] only if it still holds exactly ARGV[1] (or nothing,
# when ARGV[1] is empty), what the reader found before it read the database.
REPLACE = """
local current = redis.call('GET', KEYS[1])
if (current == false and ARGV[1] == '') or current == ARGV[1] then
    redis.call('SET', KEYS[1], ARGV[2])
    return 1
end
return 0
"""


class CheckedConnection(redis.Connection):
    """A connection that remembers whether the version read on it has been checked against the
    database since it (re)connected."""

    version_checked = False

    def on_connect_check_health(self, *args, **kwargs):
        self.version_checked = False
        super().on_connect_check_health(*args, **kwargs)


_pools: dict[str, redis.ConnectionPool] = {}


def enabled() -> bool:
    return bool(settings.CONTENT_VERSION_REDIS_URL)


def pool() -> redis.ConnectionPool:
    # One a process and address; redis-py starts a new one by itself in a forked worker.
    url = settings.CONTENT_VERSION_REDIS_URL
    if url not in _pools:
        timeout = settings.REDIS_TIMEOUT_MS / 1000
        _pools[url] = redis.ConnectionPool.from_url(
            url, connection_class=CheckedConnection, socket_timeout=timeout, socket_connect_timeout=timeout
        )
    return _pools[url]


def bypass() -> Bypass:
    """The page cache's bypass for this address (keyed as Django's RedisCache names its servers)."""
    return bypass_for([settings.CONTENT_VERSION_REDIS_URL])


@functools.cache
def key_for(database: str) -> str:
    return KEY_PREFIX + hashlib.sha256(database.encode()).hexdigest()[:16]


def key() -> str:
    """The copy's key names the database it copies: two databases that share a Redis (a
    staging site, the bench's two) each keep their own version there."""
    database = connection.settings_dict
    return key_for(f"{connection.vendor}://{database['HOST']}:{database['PORT']}/{database['NAME']}")


def encode(row) -> bytes:
    """counter, token and the upcoming publication times, space-separated."""
    counter, token, upcoming = row
    return f"{counter} {token} {upcoming}".strip().encode()


def decode(value: bytes):
    counter, token, *upcoming = value.decode().split(" ")
    return int(counter), token, " ".join(upcoming)


def execute(redis_connection, *command):
    redis_connection.send_command(*command)
    return redis_connection.read_response()


def current_row(database_row, also=None):
    """The version row (counter, token, upcoming publications), from Redis when the copy there
    can be trusted, else from `database_row()`, which then replaces the copy; and what Redis
    holds under the key `also`, read in the same round trip (None without it, while Redis is
    skipped after a failure, or when the call failed on the way). The page cache reads a page
    this way (techniques/page_cache/middleware.py)."""
    skip = bypass()
    if not skip.should_try():
        return database_row(), None
    connections = pool()
    try:
        redis_connection = connections.get_connection()
    except (redis.RedisError, OSError) as error:
        skip.failed(error)
        return database_row(), None
    row = None
    try:
        if also is None:
            found, extra = execute(redis_connection, "GET", key()), None
        else:
            found, extra = execute(redis_connection, "MGET", key(), also)
        pending = found is not None and found.startswith(PENDING)
        if found is not None and not pending and redis_connection.version_checked:
            skip.succeeded()
            return decode(found), extra
        # Read after the copy was: a copy that an edit had published is then never newer.
        row = database_row()
        if row is not None and found != encode(row):
            committed = not pending or row[0] >= int(found.split()[1])
            if committed:
                execute(redis_connection, "EVAL", REPLACE, 1, key(), found or b"", encode(row))
        if not pending:
            redis_connection.version_checked = True
        skip.succeeded()
        return row, extra
    except (redis.RedisError, OSError) as error:
        redis_connection.disconnect()
        skip.failed(error)
        return (row if row is not None else database_row()), None
    finally:
        connections.release(redis_connection)


class EditRefused(redis.ConnectionError):
    """An edit that must not happen: other servers could not be told to stop trusting their copy.
    The site answers it with the 503 page (backrelief/error_pages.py)."""


def mark_pending(counter: int) -> None:
    """Before an edit commits: readers must go to the database from now on. Raises if Redis
    can't be told, so that the edit fails instead of leaving a copy that other servers trust."""
    try:
        redis.Redis(connection_pool=pool()).set(key(), f"pending {counter}", ex=PENDING_SECONDS)
    except (redis.RedisError, OSError) as error:
        bypass().failed(error)
        raise EditRefused(f"Redis did not take the pending mark ({type(error).__name__}: {error})") from error


def publish(row) -> None:
    """After an edit commits: the new version, for every server to read from Redis."""
    try:
        redis.Redis(connection_pool=pool()).eval(PUBLISH, 1, key(), row[0], encode(row))
    except (redis.RedisError, OSError) as error:
        # The pending mark stays, and sends readers to the database until it expires.
        bypass().failed(error)
        logger.warning("The new content version was not copied to Redis (%s: %s)", type(error).__name__, error)
