"""gunicorn.conf.py's serving rules: the app loaded once in the master, workers that live long
under load, and nothing in the master a worker could inherit by mistake."""

import runpy

from django.core.handlers.wsgi import WSGIHandler
from django.db import connections

from techniques.page_cache import middleware
from tests.test_settings import ROOT

CONF = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
# What one server answered a second on this 2-CPU machine before this rule (issue 17).
BUSY_SERVER_REQUESTS_PER_SECOND = 2500


def test_the_app_is_loaded_once_in_the_master():
    assert CONF["preload_app"] is True


def test_loading_the_app_works_out_the_release_fingerprint():
    """With the app preloaded, building the WSGI handler happens in the master: the release
    fingerprint is then computed there, once, and every worker inherits it."""
    middleware.release.cache_clear()
    WSGIHandler()
    assert middleware.release.cache_info().currsize == 1


def test_workers_are_not_recycled_every_few_seconds_under_load():
    fewest = CONF["max_requests"] - CONF["max_requests_jitter"]
    per_worker = BUSY_SERVER_REQUESTS_PER_SECOND / CONF["workers"]
    assert fewest / per_worker >= 5 * 60, "a busy worker would be replaced within five minutes"
    assert CONF["max_requests_jitter"] > 0, "workers would all restart at once"


def test_the_master_closes_every_database_connection_before_it_forks(monkeypatch):
    # (The test database may be SQLite in memory, which Django never really closes: what is
    # checked is that the hook asks every connection to close.)
    closed = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))
    CONF["pre_fork"](server=None, worker=None)
    assert closed == [True]
