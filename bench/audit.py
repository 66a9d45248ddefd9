"""`make audit`: Lighthouse scores for the production server, as `make serve` starts it.

It collects static files, starts gunicorn through docker-entrypoint.sh (production settings,
WhiteNoise) on a fresh SQLite database with the seed content, then runs Lighthouse from
node_modules with Debian's Chromium on the home page, a guide, /safety/ and /what-is-the-pop/,
with the mobile preset (Lighthouse's default) and the desktop one. It prints the performance,
accessibility, best-practices and SEO scores, names every audit that cost a page points, and
exits 1 when a page misses a target. The server is stopped whatever happens.

The reports are kept in build/lighthouse/ (JSON and HTML) for a closer look.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from servers import ROOT, Server, ServerError, get, manage, production_environment, snapshot

LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
REPORTS = ROOT / "build" / "lighthouse"
PRESETS = ["mobile", "desktop"]
# The lowest score each category may have, out of 100.
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


@dataclass
class Result:
    page: str
    preset: str
    scores: dict[str, int]
    # For every category below its target: the audits that lost it points, with what they say.
    losses: dict[str, list[str]]
    report: Path

    @property
    def missed(self) -> list[str]:
        return [name for name, target in TARGETS.items() if self.scores[name] < target]


def lighthouse(url: str, preset: str, output: Path) -> dict:
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(TARGETS)}",
        "--output=json",
        "--output=html",
        f"--output-path={output}",
    ]
    if preset != "mobile":
        command.append(f"--preset={preset}")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    report = output.with_name(output.name + ".report.json")
    if result.returncode != 0 or not report.exists():
        raise ServerError(f"Lighthouse failed on {url} ({preset}):\n{result.stdout}{result.stderr}")
    return json.loads(report.read_text())


def losses(report: dict, category: str) -> list[str]:
    """The audits of a category that did not score full marks, weightiest first."""
    audits = report["audits"]
    lost = []
    for ref in sorted(report["categories"][category]["auditRefs"], key=lambda ref: -ref["weight"]):
        audit = audits[ref["id"]]
        if audit["score"] is not None and audit["score"] < 1 and (ref["weight"] > 0 or category != "performance"):
            value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
            lost.append(f"{ref['id']}: score {audit['score']:.2f}{value}, {audit['title']}")
    return lost


def scores_of(report: dict) -> dict[str, int]:
    return {name: round(100 * (report["categories"][name]["score"] or 0)) for name in TARGETS}


def audit(server: Server, path: str, preset: str) -> Result:
    """One Lighthouse run, or three when performance misses its target: that score moves with
    whatever else the machine is doing, so the run with the median performance counts, as
    Lighthouse's own guidance on variability advises."""
    name = "home" if path == "/" else path.strip("/").replace("/", "-")
    url = f"http://{server.env['HOST']}:{server.port}{path}"

    def run(number: int) -> tuple[Path, dict[str, int], dict]:
        output = REPORTS / (f"{name}-{preset}" + (f"-run{number}" if number > 1 else ""))
        report = lighthouse(url, preset, output)
        if report.get("runtimeError"):
            raise ServerError(f"Lighthouse could not load {path} ({preset}): {report['runtimeError']}")
        return output, scores_of(report), report

    runs = [run(1)]
    if runs[0][1]["performance"] < TARGETS["performance"]:
        runs += [run(2), run(3)]
    output, scores, report = sorted(runs, key=lambda entry: entry[1]["performance"])[len(runs) // 2]
    result = Result(path, preset, scores, {}, output.with_name(output.name + ".report.html"))
    result.losses = {category: losses(report, category) for category in result.missed}
    if len(runs) > 1:
        result.losses.setdefault("performance", []).insert(
            0, f"performance of {len(runs)} runs: {', '.join(str(entry[1]['performance']) for entry in runs)}"
        )
    return result


def print_table(results: list[Result]) -> None:
    width = max(len(result.page) for result in results)
    header = f"{'page':<{width}}  {'preset':<8}" + "".join(f"  {name:>14}" for name in TARGETS)
    print(f"\n{header}\n{'-' * len(header)}")
    for result in results:
        cells = "".join(
            f"  {str(result.scores[name]) + (' *' if name in result.missed else ''):>14}" for name in TARGETS
        )
        print(f"{result.page:<{width}}  {result.preset:<8}{cells}")
    targets = ", ".join(f"{name} >= {target}" for name, target in TARGETS.items())
    print(f"\nTargets: {targets}. * marks a miss. Reports: {REPORTS.relative_to(ROOT)}/")
    for result in results:
        for category, lost in result.losses.items():
            print(f"\n{result.page} ({result.preset}), {category} {result.scores[category]}:")
            for line in lost or ["(no single audit below full marks)"]:
                print(f"  {line}")


def stop_on_sigterm(signum, frame):
    """Turns `kill` into SystemExit, so the server is still stopped on the way out."""
    raise SystemExit(128 + signum)


def main() -> int:
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    if not LIGHTHOUSE.exists():
        print(f"make audit: {LIGHTHOUSE} is missing; `make node_modules/.installed` installs it.", file=sys.stderr)
        return 2
    if not Path(CHROMIUM).exists():
        print(f"make audit: no Chromium at {CHROMIUM}; run scripts/install-system-deps.sh.", file=sys.stderr)
        return 2
    # Only this run's reports, none left over from an earlier one.
    shutil.rmtree(REPORTS, ignore_errors=True)
    REPORTS.mkdir(parents=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="backrelief-audit-") as folder:
        workdir = Path(folder)
        # As `make serve`: its environment, without the bench's gunicorn overrides.
        env = production_environment(f"sqlite:///{workdir / 'audit.sqlite3'}", GUNICORN_CMD_ARGS="")
        server = None
        try:
            # The server runs from a copy of what the Docker image holds, as the bench's do.
            app = snapshot(workdir)
            manage(env, "collectstatic", "--noinput", "--verbosity", "0", app=app)
            server = Server("the audit's settings", env, workdir / "server.log", app=app)
            server.start()
            guide = re.search(r'href="(/guides/[\w-]+/)"', get(server.port, "/")[1])
            if not guide:
                raise ServerError("The home page links to no guide.")
            for path in ["/", guide[1], "/safety/", "/what-is-the-pop/"]:
                for preset in PRESETS:
                    print(f"Lighthouse: {path} ({preset})", flush=True)
                    results.append(audit(server, path, preset))
        except ServerError as error:
            print(f"make audit: {error}", file=sys.stderr)
            return 1
        finally:
            if server:
                server.stop()
    print_table(results)
    return 1 if any(result.missed for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
