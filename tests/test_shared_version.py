"""The production shape of the page cache: pages and a copy of the content version in Redis
(techniques/page_cache/shared_version.py). A hit makes no database round trip, and yet every edit shows
on the next request, through a Redis flush, a crash and a restart from an older snapshot.

Each test runs against a Redis server of its own (tests/redis_servers.py), in transactions
that really commit, since the copy is published once an edit has committed."""

import pytest
import redis
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backrelief.redis_cache import redis_cache_settings
from techniques.models import Technique
from techniques.page_cache import content_version, shared_version
from tests.admin_forms import change_form_data
from tests.factories import TechniqueFactory
from tests.redis_servers import RedisServer
from tests.test_page_cache import EDITS, get, page, rename, url_of
from tests.test_page_cache import site as site  # noqa: PLC0414 - the fixture, shared

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_server(settings, tmp_path):
    """Pages and the version copy in a Redis server of the test's own, as in production."""
    server = RedisServer(tmp_path).start()
    settings.CACHES = {"default": redis_cache_settings(server.url, settings.REDIS_TIMEOUT_MS)}
    settings.CONTENT_VERSION_REDIS_URL = server.url
    yield server
    server.stop()


def served_from_the_cache(client, url):
    """Whether the page comes from the cache without a single database query."""
    return get(client, url).query_count == 0


def test_a_hit_makes_no_database_round_trip(client, redis_server):
    url = TechniqueFactory(title="Seated twist").get_absolute_url()
    miss = get(client, url)
    assert miss.query_count > 1
    hit = get(client, url)
    assert hit.query_count == 0
    assert hit.status_code == 200 and hit.content == miss.content


def test_a_hit_is_one_redis_round_trip(client, redis_server):
    """The version's copy and the page are read together: a second trip would cost a hit about
    as much CPU again in the Redis server and in the context switches to and from it."""
    url = TechniqueFactory(title="Seated twist").get_absolute_url()
    miss = get(client, url)
    redis_server.client().config_resetstat()
    hit = get(client, url)
    calls = {name: stats["calls"] for name, stats in redis_server.client().info("commandstats").items()}
    assert hit.content == miss.content and hit.query_count == 0
    assert calls.get("cmdstat_mget") == 1
    assert not {"cmdstat_get", "cmdstat_eval", "cmdstat_evalsha"} & set(calls), calls


@pytest.mark.parametrize("edit", EDITS)
def test_every_kind_of_edit_shows_on_the_next_request(client, settings, redis_server, site, edit):
    where, change = EDITS[edit]
    url = url_of(where, site)
    before = page(client, url)
    assert served_from_the_cache(client, url)

    change(site)
    after = page(client, url)
    if after[0] == 200:  # (a deleted guide's 404 is never cached)
        assert served_from_the_cache(client, url), "the new version was published to Redis"

    settings.PAGE_CACHE_ENABLED = False
    assert after == page(client, url), "the next request must show exactly what the view renders now"
    assert after != before


def test_a_flush_between_an_edit_and_a_read_never_serves_the_old_page(client, redis_server, site):
    url = site.guide.get_absolute_url()
    page(client, url)
    assert served_from_the_cache(client, url)

    rename(site.guide, "title", "Seated twist, revised")
    redis_server.client().flushall()

    assert "Seated twist, revised" in page(client, url)[1]
    assert served_from_the_cache(client, url), "the reader put the version back"


def test_a_restart_from_an_older_snapshot_never_serves_the_old_page(client, redis_server, site):
    url = site.guide.get_absolute_url()
    page(client, url)
    assert served_from_the_cache(client, url)
    old_copy = redis_server.client().get(shared_version.key())
    redis_server.client().save()  # the snapshot holds the old version and the old page

    rename(site.guide, "title", "Seated twist, revised")
    assert "Seated twist, revised" in page(client, url)[1]

    redis_server.crash()
    redis_server.start()
    assert redis_server.client().get(shared_version.key()) == old_copy, "Redis came back with the old version"

    assert "Seated twist, revised" in page(client, url)[1]
    assert redis_server.client().get(shared_version.key()) != old_copy, "the copy was corrected"
    assert served_from_the_cache(client, url)
    assert "Seated twist, revised" in page(client, url)[1]


def test_with_redis_down_pages_come_from_the_database_and_edits_are_refused(client, redis_server, site):
    url = site.guide.get_absolute_url()
    page(client, url)
    redis_server.crash()

    status, html = page(client, url)
    assert status == 200 and "Seated twist" in html

    # Other servers may still reach Redis and trust its copy: an edit they could not be told
    # about must not happen.
    with pytest.raises(redis.ConnectionError), transaction.atomic():
        rename(site.guide, "title", "Seated twist, revised")
    assert Technique.objects.get(pk=site.guide.pk).title == "Seated twist"


def test_an_admin_save_while_redis_is_down_gets_the_503_page_and_stores_nothing(staff_client, redis_server, site):
    change = reverse("admin:techniques_technique_change", args=[site.guide.pk])
    form = change_form_data(staff_client.get(change))
    form["title"] = "Seated twist, revised"
    redis_server.crash()

    response = staff_client.post(change, form)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "Not saved" in response.content.decode()
    assert Technique.objects.get(pk=site.guide.pk).title == "Seated twist"


def test_while_an_edit_is_pending_readers_read_the_database_and_leave_the_mark(redis_server):
    version = content_version.current()
    shared_version.mark_pending(10**9)  # an edit that has not committed yet

    with CaptureQueriesContext(connection) as queries:
        assert content_version.current() == version
    assert len(queries) == 1
    assert redis_server.client().get(shared_version.key()).startswith(shared_version.PENDING)
