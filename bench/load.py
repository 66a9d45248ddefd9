"""Load from wrk: getting it, running it, reading its numbers."""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPORT_SCRIPT = Path(__file__).resolve().parent / "report.lua"
THREADS = 2
CONNECTIONS = 16
# Sent with every request, as browsers send it: static files and pages then come back
# compressed, as they do to readers.
HEADERS = {"Accept-Encoding": "br, gzip"}


class WrkMissing(RuntimeError):
    pass


def ensure_wrk() -> str:
    """wrk from Debian's packages, installed on first use."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0:
        apt = ["apt-get"]
    elif shutil.which("sudo"):
        apt = ["sudo", "apt-get"]
    else:
        raise WrkMissing("wrk is not installed and installing it needs root: run `apt-get install -y wrk` as root.")
    print("Installing wrk: " + " ".join([*apt, "install", "-y", "wrk"]), flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run([*apt, "install", "-y", "wrk"], env=env).returncode != 0:
        # A fresh system may have no package lists yet.
        subprocess.run([*apt, "update"], env=env)
        subprocess.run([*apt, "install", "-y", "wrk"], env=env)
    found = shutil.which("wrk")
    if not found:
        raise WrkMissing("Could not install wrk with apt-get; install it (Debian package `wrk`) and run again.")
    return found


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int  # socket errors (connect, read, write, timeout) and HTTP 4xx/5xx answers
    # The server's CPU time (all its processes) per request it answered, which the machine's
    # other load changes far less than the rate.
    cpu_ms: float = 0.0

    @property
    def rate(self) -> float:
        # Never quite 0, so that ratios of a page that got no answer at all stay defined.
        return max(self.requests, 0.001) / self.seconds


def run(wrk: str, url: str, seconds: float) -> Result:
    command = [
        wrk,
        f"--threads={THREADS}",
        f"--connections={CONNECTIONS}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=5s",
        f"--script={REPORT_SCRIPT}",
        *(f"--header={name}: {value}" for name, value in HEADERS.items()),
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next((line for line in output.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no report for {url}:\n{output}")
    report = json.loads(line.removeprefix("BENCH "))
    errors = sum(report[kind] for kind in ("connect", "read", "write", "status", "timeout"))
    return Result(
        requests=report["requests"],
        seconds=report["duration_us"] / 1e6,
        p50_ms=report["p50_us"] / 1000,
        p99_ms=report["p99_us"] / 1000,
        errors=errors,
    )
