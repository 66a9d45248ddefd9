"""gunicorn.conf.py's serving rules: the app loaded once in the master, workers that live long
under load, nothing in the master a worker could inherit by mistake, and the start-up hooks
that give the workers sockets of their own only where that works
(tests/test_worker_balance.py runs them for real)."""

import runpy
import socket
from types import SimpleNamespace

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from gunicorn.config import Config

from bench.servers import HOST, TIME_WAIT, free_port, tcp_sockets
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


def gunicorn_master(*binds, workers=2, **arbiter):
    """What the start-up hooks see of gunicorn's master (its Arbiter)."""
    cfg = Config()
    cfg.set("bind", list(binds))
    cfg.set("workers", workers)
    cfg.set("reuse_port", CONF["reuse_port"])
    return SimpleNamespace(**{"cfg": cfg, "master_pid": 0, "systemd": False, "pidfile": None, **arbiter})


def test_workers_listen_on_their_own_sockets_on_a_free_tcp_port():
    master = gunicorn_master(f"{HOST}:{free_port()}")
    CONF["on_starting"](master)
    assert master.cfg.reuse_port is True


def test_a_port_something_listens_on_is_refused_at_start():
    with socket.socket() as other:
        other.bind((HOST, 0))
        other.listen()
        port = other.getsockname()[1]
        with pytest.raises(SystemExit, match=f"can't listen on {HOST}:{port}: Address already in use"):
            CONF["on_starting"](gunicorn_master(f"{HOST}:{port}"))


def test_a_port_an_earlier_server_just_left_is_not_refused():
    """Its connections wait out TIME_WAIT for a minute after it stops: a server restarted
    meanwhile must start."""
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn's listeners
        listener.bind((HOST, 0))
        listener.listen()
        port = listener.getsockname()[1]
        client = socket.create_connection((HOST, port))
        accepted, _ = listener.accept()
        accepted.close()  # the server's side closes first, and waits in TIME_WAIT
        client.close()
    assert tcp_sockets(port, TIME_WAIT), "no connection waits in TIME_WAIT: the test proves nothing"
    master = gunicorn_master(f"{HOST}:{port}")
    CONF["on_starting"](master)
    assert master.cfg.reuse_port is True


def test_a_re_exec_is_refused_rather_than_joining_the_old_workers():
    with pytest.raises(SystemExit, match="restart gunicorn instead"):
        CONF["on_starting"](gunicorn_master(f"{HOST}:{free_port()}", master_pid=12345))


@pytest.mark.parametrize("hook", ["on_starting", "on_reload"])
def test_a_unix_socket_systemds_sockets_or_a_lone_worker_share_one_socket(monkeypatch, tmp_path, hook):
    for master in (
        gunicorn_master(f"unix:{tmp_path / 'gunicorn.sock'}"),
        gunicorn_master(f"{HOST}:{free_port()}", workers=1),
        # At a reload gunicorn has taken LISTEN_FDS out of the environment and remembers it.
        gunicorn_master(f"{HOST}:{free_port()}", systemd=True),
    ):
        CONF[hook](master)
        assert master.cfg.reuse_port is False

    monkeypatch.setenv("LISTEN_FDS", "1")
    master = gunicorn_master(f"{HOST}:{free_port()}")
    CONF[hook](master)
    assert master.cfg.reuse_port is False
