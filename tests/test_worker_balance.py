"""Connections are spread over gunicorn's workers by the kernel (gunicorn.conf.py's
reuse_port): every worker listens on a socket of its own, and a burst of keep-alive
connections does not all go to one worker while the others idle.

A real gunicorn with production settings; which process holds which socket is read from
/proc, as `ss -p` reads it."""

import http.client
from pathlib import Path

import pytest

from bench.servers import GUNICORN, HOST, Server, manage, production_environment

pytestmark = pytest.mark.servers

LISTENING, ESTABLISHED = "0A", "01"
CONNECTIONS = 16


def sockets_on(port: int, state: str) -> dict[int, int]:
    """The TCP sockets whose local port is `port`, in `state`: inode -> remote port."""
    found = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, remote, socket_state, inode = fields[1], fields[2], fields[3], int(fields[9])
            if int(local.rpartition(":")[2], 16) == port and socket_state == state:
                found[inode] = int(remote.rpartition(":")[2], 16)
    return found


def socket_inodes(pid: int) -> set[int]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().name
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[len("socket:[") : -1]))
    return inodes


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("worker-balance")
    url = f"sqlite:///{folder / 'db.sqlite3'}"
    env = production_environment(url, WEB_CONCURRENCY="2", GUNICORN_THREADS="4")
    manage(env, "migrate", "--noinput")
    server = Server("worker-balance", env, folder / "server.log", command=GUNICORN).start()
    yield server
    server.stop()


def test_every_worker_listens_on_a_socket_of_its_own(server):
    listening = set(sockets_on(server.port, LISTENING))
    workers = server.worker_pids()
    held = {pid: socket_inodes(pid) & listening for pid in workers}
    assert all(len(inodes) == 1 for inodes in held.values()), held
    assert len(set.union(*held.values())) == len(workers), "workers share a listening socket"
    assert not socket_inodes(server.process.pid) & listening, "the master listens too"


def test_a_burst_of_keep_alive_connections_reaches_every_worker(server):
    clients = [http.client.HTTPConnection(HOST, server.port, timeout=30) for _ in range(CONNECTIONS)]
    try:
        for client in clients:
            client.connect()
        for client in clients:
            client.request("GET", "/robots.txt", headers={"Host": HOST})
            response = client.getresponse()
            response.read()
            assert response.status == 200
            assert response.getheader("Connection", "").lower() != "close"
        # Each server-side socket of a client's connection, and the worker holding it.
        established = sockets_on(server.port, ESTABLISHED)
        ours = {client.sock.getsockname()[1] for client in clients}
        held = {
            pid: [port for inode, port in established.items() if inode in socket_inodes(pid)]
            for pid in server.worker_pids()
        }
        assert sorted(port for ports in held.values() for port in ports) == sorted(ours)
        # Spread by a hash of the addresses: all 16 on one of 2 workers is 1 chance in 32,768.
        assert all(held.values()), {pid: len(ports) for pid, ports in held.items()}
    finally:
        for client in clients:
            client.close()
