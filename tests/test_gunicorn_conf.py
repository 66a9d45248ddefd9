"""gunicorn.conf.py's serving rules: the app loaded once in the master, workers that live long
under load, and nothing in the master a worker could inherit by mistake."""

import runpy
import socket
from types import SimpleNamespace

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from gunicorn.config import Config

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


def gunicorn_master(*binds):
    cfg = Config()
    cfg.set("bind", list(binds))
    cfg.set("reuse_port", CONF["reuse_port"])
    return SimpleNamespace(cfg=cfg)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_workers_listen_on_their_own_sockets_on_a_free_tcp_port():
    master = gunicorn_master(f"127.0.0.1:{free_port()}")
    CONF["on_starting"](master)
    assert master.cfg.reuse_port is True


def test_a_port_something_listens_on_is_refused_at_start():
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        with pytest.raises(SystemExit, match=f"can't listen on 127.0.0.1:{port}"):
            CONF["on_starting"](gunicorn_master(f"127.0.0.1:{port}"))


@pytest.mark.parametrize("hook", ["on_starting", "on_reload"])
def test_a_unix_socket_or_sockets_from_systemd_are_shared(monkeypatch, tmp_path, hook):
    master = gunicorn_master(f"unix:{tmp_path / 'gunicorn.sock'}")
    CONF[hook](master)
    assert master.cfg.reuse_port is False

    monkeypatch.setenv("LISTEN_FDS", "1")
    master = gunicorn_master(f"127.0.0.1:{free_port()}")
    CONF[hook](master)
    assert master.cfg.reuse_port is False
