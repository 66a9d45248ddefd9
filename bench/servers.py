"""The servers `make bench` measures, started the way `make serve` and the Docker image start
them (docker-entrypoint.sh, gunicorn.conf.py, production settings), each on a database of the
bench's own and in a copy of the project, so that neither the bench nor the working tree
disturbs the other."""

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = VENV_BIN / "python"
HOST = "127.0.0.1"
ENTRYPOINT = ["./docker-entrypoint.sh"]
# The last line of docker-entrypoint.sh (tests/test_compose.py holds it to that).
GUNICORN = ["gunicorn", "-c", "gunicorn.conf.py", "backrelief.wsgi:application"]
# All a server takes from the caller's environment: anything else (DATABASE_URL, REDIS_URL,
# S3 storage, PAGE_CACHE...) would make it another server than the one measured.
# An access-log line of gunicorn.conf.py's format: ... "GET /path HTTP/1.1" 200 ...
ACCESS_LINE = re.compile(rb'"[A-Z]+ [^"]* HTTP/[\d.]+" \d{3} ')
# What gunicorn's master logs each time it starts a worker, the first ones included.
WORKER_BOOT = re.compile(rb"Booting worker with pid")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PASSED_THROUGH = {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "WEB_CONCURRENCY", "GUNICORN_THREADS"}


# States of a TCP socket in /proc/net/tcp.
ESTABLISHED, TIME_WAIT, LISTENING = "01", "06", "0A"


class ServerError(RuntimeError):
    pass


def tcp_sockets(port: int, state: str) -> dict[int, int]:
    """This machine's TCP sockets in `state` whose local port is `port`, from the kernel's
    tables in /proc: inode -> the remote port."""
    found = {}
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        if not table.exists():  # a kernel without IPv6
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            local, remote, socket_state, inode = fields[1], fields[2], fields[3], int(fields[9])
            if int(local.rpartition(":")[2], 16) == port and socket_state == state:
                found[inode] = int(remote.rpartition(":")[2], 16)
    return found


def socket_inodes(pid: int) -> set[int]:
    """The sockets a process holds open, by inode (its /proc/<pid>/fd links)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().name
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[len("socket:[") : -1]))
    return inodes


def snapshot(folder: Path) -> Path:
    """A copy of what the Docker image holds (the Dockerfile's COPY lines) plus bench/. The
    servers run from it, so static files are collected, and share cards and uploads written,
    inside it, and an edit to the working tree during the bench changes nothing measured.
    Python finds the copy's packages before the editable install's, which come last."""
    app = folder / "app"
    app.mkdir()
    sources = ["bench"]
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        words = [word for word in line.split() if not word.startswith("--")]
        if words and words[0] == "COPY":
            sources += words[1:-1]
    for source in sources:
        path = ROOT / source
        if path.is_dir():
            shutil.copytree(path, app / source, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, app / source)
    return app


def production_environment(database_url: str, **extra: str) -> dict[str, str]:
    """What `make serve` needs, for plain HTTP on 127.0.0.1. Without REDIS_URL each worker
    caches in its own memory."""
    env = {name: value for name, value in os.environ.items() if name in PASSED_THROUGH}
    env.update(
        PATH=f"{VENV_BIN}:{env.get('PATH', '/usr/bin:/bin')}",
        DJANGO_SETTINGS_MODULE="backrelief.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        HTTPS_ONLY="false",
        DATABASE_URL=database_url,
        HOST=HOST,
    )
    env.update(extra)
    return env


def run_in(env: dict[str, str], *command: str | Path, app: Path = ROOT) -> str:
    result = subprocess.run(command, cwd=app, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise ServerError(f"{' '.join(map(str, command))} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def manage(env: dict[str, str], *args: str, app: Path = ROOT) -> str:
    """manage.py in `app`: the working tree, or a copy of it from snapshot()."""
    return run_in(env, PYTHON, "manage.py", *args, app=app)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def get(port: int, path: str, timeout: float = 10, headers: dict[str, str] | None = None) -> tuple[int, str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def gunicorn_config(env: dict[str, str], app: Path = ROOT) -> dict[str, str]:
    """The settings gunicorn will run with, in its own words."""
    output = run_in(env, VENV_BIN / "gunicorn", *GUNICORN[1:], "--print-config", app=app)
    pairs = (line.partition("=") for line in output.splitlines())
    return {key.strip(): value.strip() for key, _, value in pairs}


class Server:
    """One gunicorn. The start script ends in `exec gunicorn`, so the process started here
    becomes the gunicorn master, whose children are the workers."""

    def __init__(self, name: str, env: dict[str, str], log_path: Path, *, app: Path = ROOT, command=ENTRYPOINT):
        self.name = name
        self.app = app
        self.port = free_port()
        self.env = {**env, "PORT": str(self.port)}
        self.log_path = log_path
        self.command = command
        self.config = gunicorn_config(self.env, app)
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 300) -> "Server":
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=self.app,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                # A process group of its own: stop() ends the start script's steps with it, and
                # a Ctrl-C at the terminal reaches the bench, which stops the servers itself.
                start_new_session=True,
            )
        workers = int(self.config["workers"])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(
                    f"The server with {self.name} exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                if get(self.port, "/healthz", timeout=2)[0] == 200 and self.all_workers_listen(workers):
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise ServerError(f"The server with {self.name} did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def all_workers_listen(self, workers: int) -> bool:
        """Whether every worker has started and listens, on a socket of its own (gunicorn.conf.py's
        reuse_port) or on the master's: a load started earlier could miss the late ones."""
        pids = self.worker_pids()
        listening = set(tcp_sockets(self.port, LISTENING))
        return len(pids) == workers and all(socket_inodes(pid) & listening for pid in pids)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def worker_pids(self) -> list[int]:
        """The master's children, from /proc: each /proc/<pid>/stat names its parent."""
        master = self.process.pid
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # "pid (name) state ppid ...": the name may hold spaces, so split after its ")".
            if int(stat.rpartition(")")[2].split()[1]) == master:
                children.append(int(entry.name))
        return sorted(children)

    def cpu_ticks(self) -> int:
        """CPU time the master and its workers have used, in clock ticks (/proc/<pid>/stat)."""
        total = 0
        for pid in [self.process.pid, *self.worker_pids()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total

    def wait_until_idle(self, timeout: float = 120) -> None:
        """wrk stops sending at the end of its run, but requests it left queued are still being
        answered: let them finish before the next measurement, which they would slow down."""
        deadline = time.monotonic() + timeout
        ticks = self.cpu_ticks()
        while time.monotonic() < deadline:
            time.sleep(0.25)
            ticks, before = self.cpu_ticks(), ticks
            if ticks - before <= 1:
                return

    def log_position(self) -> int:
        return self.log_path.stat().st_size

    def requests_logged_since(self, position: int) -> int:
        """Requests the server answered after `position` in its log, by its access-log lines:
        wrk counts only the answers it waited for, not those to requests still queued when it
        stopped, which the server answers all the same."""
        with self.log_path.open("rb") as log:
            log.seek(position)
            return len(ACCESS_LINE.findall(log.read()))

    def worker_restarts(self) -> int:
        """Workers started after the first ones, by the master's log: each is a worker that was
        recycled, or that died, and was replaced."""
        booted = len(WORKER_BOOT.findall(self.log_path.read_bytes()))
        return max(booted - int(self.config["workers"]), 0)

    def worker_rss_kib(self) -> int:
        total = 0
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        return total

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
