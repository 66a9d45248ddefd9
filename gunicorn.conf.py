"""gunicorn's settings, shared by `make serve`, the Docker image (both through
docker-entrypoint.sh) and `make bench`.

WEB_CONCURRENCY and GUNICORN_THREADS size the pool; any other setting can be changed at start
without editing this file through GUNICORN_CMD_ARGS (e.g. "--keep-alive 75"), which gunicorn
applies on top of this file.
"""

import math
import os
import socket
from pathlib import Path

from gunicorn.util import is_ipv6


def usable_cpus() -> int:
    """The CPUs this process may really use. os.cpu_count() reports the whole host, which in a
    container with a CPU quota (cgroup v2 cpu.max) would start far too many workers."""
    cpus = len(os.sched_getaffinity(0))
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()
        if quota != "max":
            cpus = min(cpus, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return cpus


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


behind_proxy = env_int("TRUSTED_PROXY_COUNT", 0) > 0

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"

# One worker a CPU. Pages are made in Python, where a process runs one thread at a time, so
# more processes than CPUs only take turns: on 2 CPUs, `make bench` measured 5 workers (the
# usual 2 x CPUs + 1) about a quarter slower than 2 on cached pages, with a worse p99. At
# least 2, so that one worker restarting never leaves the server without one; at most 8,
# which bounds memory and PostgreSQL connections: every thread keeps one open (CONN_MAX_AGE),
# and servers x workers x threads must stay under the database's max_connections (100).
workers = env_int("WEB_CONCURRENCY", min(max(usable_cpus(), 2), 8))
# Threads keep a worker's CPU busy while one of its requests waits on the database. The
# threaded worker even with one thread: an idle keep-alive connection then waits in the
# worker's poller instead of occupying the worker, as it would with the sync worker.
threads = env_int("GUNICORN_THREADS", 4)
# gunicorn's threaded worker, closing its own listening socket as soon as it stops (below).
worker_class = "backrelief.gunicorn_worker.EarlyClosingThreadWorker"

# No page takes more than a fraction of a second; a worker silent for this long is stuck
# and is replaced.
timeout = 30
# Time for requests in flight to finish on a restart or deploy (SIGTERM). Below the 30 s that
# compose.yaml's stop_grace_period gives the container before it is killed.
graceful_timeout = 25
# A load balancer reuses its connections to the app; keeping them open longer than its own
# idle timeout (60 s on most) means it never sends a request on a connection gunicorn is
# closing, which would be a 502. Facing browsers directly, a short wait frees sockets sooner.
keepalive = 75 if behind_proxy else 5

# Django, the settings, the URLs and the templates' code are imported once, in the master,
# before it forks the workers. Each worker then starts in milliseconds from the master's
# memory (shared until written) instead of importing Django again (about 0.9 s of CPU), and
# whatever the app works out once at start-up, such as the release fingerprint that cached
# pages are filed under (techniques/page_cache/middleware.py), is worked out once for all workers.
preload_app = True


def pre_fork(server, worker):
    """Nothing loaded in the master may hold a database connection: a forked worker would share
    its socket with every other worker. Loading the app opens none; this makes sure of it."""
    from django.db import connections

    connections.close_all()


# Each worker listens on a socket of its own and the kernel spreads new connections over
# them, rather than the first worker to wake taking each one: a burst of keep-alive
# connections could otherwise all go to one worker and leave the other CPUs idle
# (docs/benchmarks.md). Wanted here; kept only where it works (workers_bind_their_own). The
# costs are in docs/production.md.
reuse_port = True


def workers_bind_their_own(server) -> bool:
    """Whether the workers' own sockets work and help here: for two workers or more (a lone
    worker being replaced would leave nobody listening, where one shared socket keeps the
    queue for the next), and only for TCP addresses that gunicorn binds itself (a Unix
    socket file would be replaced by each worker in turn, and sockets that systemd hands
    over are the master's to share)."""
    handed_over = "LISTEN_FDS" in os.environ or getattr(server, "systemd", False)
    tcp_only = all(isinstance(address, tuple) for address in server.cfg.address)
    return server.cfg.reuse_port and server.cfg.workers > 1 and tcp_only and not handed_over


def on_starting(server):
    """Before gunicorn listens. With sockets of the workers' own, a port that something already
    listens on is refused here, as one shared socket would refuse it, rather than joined by
    the workers or retried by them without end."""
    server.cfg.set("reuse_port", workers_bind_their_own(server))
    if not server.cfg.reuse_port:
        return
    problem = None
    if getattr(server, "master_pid", 0):
        # A USR2 re-exec: the old master's workers still listen, and the new one's would join them.
        problem = "a re-exec (USR2) can't take over sockets that the workers hold; restart gunicorn instead"
    for host, port in server.cfg.address:
        problem = problem or listened_on(host, port)
    if problem:
        if getattr(server, "pidfile", None) is not None:
            server.pidfile.unlink()
        raise SystemExit(f"gunicorn: {problem}")


def on_reload(server):
    """A reload (SIGHUP) reads this file again, before it starts the new workers. (A reload
    that changes the address is not supported: gunicorn would bind the new one in the master.)"""
    server.cfg.set("reuse_port", workers_bind_their_own(server))


def listened_on(host, port):
    """Why gunicorn can't listen on host:port, or None if it can."""
    family = socket.AF_INET6 if is_ipv6(host) else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As gunicorn binds: connections of an earlier server waiting out TIME_WAIT don't count.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            return f"can't listen on {host}:{port}: {error.strerror}"
    return None


# Recycling: a worker is replaced after this many requests, as a safety net against a slow
# memory leak in any library, with jitter so that the workers never restart together. It is
# a net, not a routine: `make bench` measures the workers' memory growing by well under 1%
# over 50,000 requests, and each restart costs the new worker its warm caches (its own page
# cache without Redis, its template and URL caches), so at the 2,500 requests a second one
# server answers on 2 CPUs a count of 10,000 replaced a worker every 8 seconds or so. At a
# million, a worker that busy lives about 10 minutes, a worker under ordinary traffic days.
max_requests = 1_000_000
max_requests_jitter = 50_000

# Which peers may tell gunicorn the original scheme (X-Forwarded-Proto). Behind a load
# balancer (TRUSTED_PROXY_COUNT above 0) that is the private networks it sits on; a client
# on the internet never is. FORWARDED_ALLOW_IPS, gunicorn's own variable, still wins.
forwarded_allow_ips = os.environ.get(
    "FORWARDED_ALLOW_IPS",
    "127.0.0.1,::1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7" if behind_proxy else "127.0.0.1,::1",
)

# Logs go to the process's own streams for Docker, systemd or the platform to collect:
# requests to stdout, with how long each took, and errors to stderr.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'

# The workers' heartbeat file is touched constantly; on a container's disk-backed overlay
# filesystem that can stall a worker, in memory it can't.
SHARED_MEMORY = Path("/dev/shm")  # noqa: S108 - only the heartbeat file, which holds no data
if SHARED_MEMORY.is_dir():
    worker_tmp_dir = str(SHARED_MEMORY)

# gunicorn 25+ opens a control socket at one fixed path in $HOME, which two servers on one
# host (make serve beside make bench) would fight over. Nothing here uses it.
control_socket_disable = True
