"""The servers `make bench` measures: each one started the way `make serve` starts it
(docker-entrypoint.sh, gunicorn.conf.py, production settings), on a database of the bench's own."""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = VENV_BIN / "python"
HOST = "127.0.0.1"

# Settings a server takes from the bench alone, never from the caller's environment.
OWN_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "HTTPS_ONLY",
    "TRUSTED_PROXY_COUNT",
    "PAGE_CACHE",
    "DJANGO_SETTINGS_MODULE",
    "HOST",
    "PORT",
    "GUNICORN_CMD_ARGS",
}


class ServerError(RuntimeError):
    pass


def production_environment(database_url: str, **extra: str) -> dict[str, str]:
    """What `make serve` needs, for plain HTTP on 127.0.0.1. Without REDIS_URL each worker
    caches in its own memory. WEB_CONCURRENCY and GUNICORN_THREADS pass through, for trying
    other pool sizes."""
    env = {name: value for name, value in os.environ.items() if name not in OWN_VARIABLES}
    env.update(
        PATH=f"{VENV_BIN}:{env.get('PATH', '')}",
        DJANGO_SETTINGS_MODULE="backrelief.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        HTTPS_ONLY="false",
        DATABASE_URL=database_url,
        HOST=HOST,
        # Workers are never recycled here: memory growth is then measured on the same
        # processes, and no restart lands in the latency figures. Everything else is as
        # gunicorn.conf.py says.
        GUNICORN_CMD_ARGS="--max-requests 0",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise ServerError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def get(port: int, path: str, timeout: float = 10) -> tuple[int, str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def gunicorn_config(env: dict[str, str]) -> dict[str, str]:
    """The settings gunicorn will run with, in its own words, from the same config file and
    environment."""
    result = subprocess.run(
        [VENV_BIN / "gunicorn", "-c", "gunicorn.conf.py", "--print-config", "backrelief.wsgi:application"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise ServerError(f"gunicorn could not read gunicorn.conf.py:\n{result.stderr}")
    pairs = (line.partition("=") for line in result.stdout.splitlines())
    return {key.strip(): value.strip() for key, _, value in pairs}


class Server:
    """One gunicorn, started through docker-entrypoint.sh; `exec` there makes the process we
    start the gunicorn master, whose children are the workers."""

    def __init__(self, name: str, env: dict[str, str], log_path: Path):
        self.name = name
        self.port = free_port()
        self.env = {**env, "PORT": str(self.port)}
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.config = gunicorn_config(self.env)

    def start(self, timeout: float = 120) -> "Server":
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                ["./docker-entrypoint.sh"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own session: a Ctrl-C at the terminal reaches the bench, which stops
                # the servers itself, instead of killing them mid-measurement.
                start_new_session=True,
            )
        workers = int(self.config["workers"])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if get(self.port, "/healthz", timeout=2)[0] == 200 and len(self.worker_pids()) == workers:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise ServerError(f"{self.name} did not answer /healthz within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
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

    def worker_rss_kib(self) -> int:
        total = 0
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        return total

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
