"""Connections are spread over gunicorn's workers by the kernel (gunicorn.conf.py's
reuse_port): every worker listens on a socket of its own, a burst of keep-alive connections
does not all go to one worker while the others idle, and a stopping worker leaves the group
at once (backrelief/gunicorn_worker.py).

A real gunicorn with production settings; which process holds which socket is read from
/proc, as `ss -p` reads it."""

import http.client
import os
import signal
import time

import pytest

from bench.servers import (
    ESTABLISHED,
    GUNICORN,
    HOST,
    LISTENING,
    Server,
    production_environment,
    socket_inodes,
    tcp_sockets,
)

pytestmark = pytest.mark.servers

CONNECTIONS = 16


@pytest.fixture
def server(production_sqlite):
    folder, url = production_sqlite
    # Connections kept alive longer than the tests take, however slow the machine.
    env = production_environment(url, WEB_CONCURRENCY="2", GUNICORN_THREADS="4", GUNICORN_CMD_ARGS="--keep-alive 60")
    server = Server("worker-balance", env, folder / "server.log", command=GUNICORN).start()
    yield server
    server.stop()


def connected(server, count):
    """`count` keep-alive connections, each having had one answer."""
    clients = [http.client.HTTPConnection(HOST, server.port, timeout=30) for _ in range(count)]
    for client in clients:
        client.connect()
    for client in clients:
        client.request("GET", "/robots.txt", headers={"Host": HOST})
        response = client.getresponse()
        response.read()
        assert response.status == 200
        assert response.getheader("Connection", "").lower() != "close"
    return clients


def held_by_worker(server, clients) -> dict[int, list[int]]:
    """Each worker's pid -> the local ports of the clients whose connection it holds."""
    established = tcp_sockets(server.port, ESTABLISHED)
    ours = {client.sock.getsockname()[1] for client in clients}
    held = {}
    for pid in server.worker_pids():
        inodes = socket_inodes(pid)
        held[pid] = [port for inode, port in established.items() if inode in inodes and port in ours]
    return held


def test_every_worker_listens_on_a_socket_of_its_own(server):
    listening = set(tcp_sockets(server.port, LISTENING))
    workers = server.worker_pids()
    held = {pid: socket_inodes(pid) & listening for pid in workers}
    assert all(len(inodes) == 1 for inodes in held.values()), held
    assert len(set.union(*held.values())) == len(workers), "workers share a listening socket"
    assert not socket_inodes(server.process.pid) & listening, "the master listens too"


def test_a_burst_of_keep_alive_connections_reaches_every_worker(server):
    clients = connected(server, CONNECTIONS)
    try:
        held = held_by_worker(server, clients)
        assert sum(len(ports) for ports in held.values()) == CONNECTIONS
        # Spread by a hash of the addresses: all 16 on one of 2 workers is 1 chance in 32,768.
        assert all(held.values()), {pid: len(ports) for pid, ports in held.items()}
    finally:
        for client in clients:
            client.close()


def told_to_stop(server, worker):
    os.kill(worker, signal.SIGTERM)  # as on a deploy or a reload


def master_gone(server, worker):
    os.kill(server.process.pid, signal.SIGKILL)  # a crash: its supervisor will start it again


@pytest.mark.parametrize("stop", [told_to_stop, master_gone])
def test_a_stopping_worker_stops_listening_at_once(server, stop):
    """Stopping, a worker finishes its connections first (here kept-alive ones, for up to
    2 s); its listening socket is closed before that, at once, so that no new connection
    waits on it meanwhile, and a master started again finds the port free."""
    clients = connected(server, 4)
    try:
        stopping = next(pid for pid, ports in held_by_worker(server, clients).items() if ports)
        held = socket_inodes(stopping)
        (own,) = held & set(tcp_sockets(server.port, LISTENING))
        connections = held & set(tcp_sockets(server.port, ESTABLISHED))
        stop(server, stopping)
        deadline = time.monotonic() + 5
        while own in held:
            assert time.monotonic() < deadline, "the worker still listened 5 s after it began to stop"
            time.sleep(0.02)
            try:
                held = socket_inodes(stopping)
            except FileNotFoundError:
                held = set()
        # (An exiting worker closes everything at the end: that is not "at once".)
        assert held & connections, "the worker listened until it had closed its connections"
        assert own not in tcp_sockets(server.port, LISTENING)
    finally:
        for client in clients:
            client.close()
