"""`make bench`: how fast the production server answers, on a fresh database, measured with wrk.

For SQLite, and again for PostgreSQL when DATABASE_URL names a PostgreSQL server (the bench
creates databases of its own there and drops them after), it:

1. copies what the Docker image holds into a temporary folder and collects static files
   there; migrates a new database and loads the seed guides; copies that database and adds
   500 guides to the copy;
2. starts two servers on each database with gunicorn.conf.py (on the seed database through
   docker-entrypoint.sh): one as deployed, and one with PAGE_CACHE=off, to show what a page
   costs when it is rendered;
3. loads the home page, the guide list and a guide page on each, and the site's stylesheet
   (by its hashed name, served by WhiteNoise: the reference, about the cheapest answer the
   app gives), each for BENCH_DURATION seconds (10) with 16 connections, every page on the
   seed database and then straight away on the one with 500 more guides;
4. keeps loading the deployed server on the seed database until it has answered
   BENCH_MEMORY_REQUESTS (50,000) requests and compares its workers' memory before and after.

wrk runs on the same machine as the servers and takes part of its CPUs: the figures compare
pages with each other, they are not the capacity of a dedicated server.
"""

import http.client
import os
import re
import signal
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import databases
import load
from servers import (
    CLOCK_TICKS,
    GUNICORN,
    PYTHON,
    Server,
    ServerError,
    get,
    manage,
    production_environment,
    run_in,
    snapshot,
)

DURATION = float(os.environ.get("BENCH_DURATION", "10"))
MEMORY_REQUESTS = int(os.environ.get("BENCH_MEMORY_REQUESTS", "50000"))
MORE_GUIDES = 500
WARM_UP_SECONDS = 2

# The targets the figures are checked against.
CACHED_GUIDE_VS_REFERENCE = 0.8
UNCACHED_GUIDE_VS_REFERENCE = 0.25
CACHED_P99_MS = 50
MORE_GUIDES_VS_SEED = 0.8
MEMORY_GROWTH = 0.10


@dataclass
class Row:
    key: str
    label: str
    server: Server
    path: str
    result: load.Result | None = None

    @property
    def cached(self) -> bool:
        return self.server.env.get("PAGE_CACHE") != "off" and not self.path.startswith("/static/")


@dataclass
class Target:
    name: str
    met: bool
    measured: str


@dataclass
class Report:
    title: str
    setup: str = ""
    seed: dict[str, Row] = field(default_factory=dict)
    more: dict[str, Row] = field(default_factory=dict)
    memory: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)

    @property
    def reference(self) -> float:
        """The stylesheet's rate. It is measured twice, and the number of guides makes no
        difference to it, so the slower figure is the one that other work on the machine held
        back: the faster is the reference, and noise can only make a page look worse."""
        return max(self.seed["css"].result.rate, self.more["css"].result.rate)


class Bench:
    def __init__(self, wrk: str, workdir: Path, app: Path):
        self.wrk = wrk
        self.workdir = workdir
        self.app = app
        self.servers: list[Server] = []
        # Requests each server has answered since its workers' memory was read.
        self.served: dict[Server, int] = {}

    def start_servers(self, database_url: str, tag: str, content: str, **how) -> tuple[Server, Server]:
        env = production_environment(database_url)
        off = {**env, "PAGE_CACHE": "off"}
        cached = Server(f"page cache on, {content}", env, self.workdir / f"{tag}-on.log", app=self.app, **how)
        uncached = Server(f"page cache off, {content}", off, self.workdir / f"{tag}-off.log", app=self.app, **how)
        for server in (cached, uncached):
            self.servers.append(server)
            server.start()
        return cached, uncached

    def stop_servers(self) -> None:
        while self.servers:
            self.servers.pop().stop()

    def hit(self, server: Server, path: str, seconds: float) -> load.Result:
        ticks, position = server.cpu_ticks(), server.log_position()
        result = load.run(self.wrk, f"http://{server.env['HOST']}:{server.port}{path}", seconds)
        if server.process.poll() is not None:
            raise ServerError(f"The server with {server.name} stopped during the load:\n{server.log_tail()}")
        server.wait_until_idle()
        answered = max(server.requests_logged_since(position), 1)
        result.cpu_ms = (server.cpu_ticks() - ticks) / CLOCK_TICKS * 1000 / answered
        self.served[server] = self.served.get(server, 0) + answered
        return result

    def warm_up(self, server: Server, paths: list[str]) -> None:
        """Every worker thread opens its database connection and fills its caches first, so that
        neither start-up cost lands in the figures or in the memory growth."""
        for path in paths:
            try:
                # With wrk's headers: wrk never reports an answer that doesn't arrive whole.
                status = get(server.port, path, headers=load.HEADERS)[0]
            except (OSError, http.client.HTTPException) as error:
                raise ServerError(
                    f"{path} on the server with {server.name}: no complete answer ({error!r})."
                ) from error
            if status != 200:
                raise ServerError(f"{path} answered {status}, not 200, on the server with {server.name}.")
            self.hit(server, path, WARM_UP_SECONDS)
        self.served[server] = 0

    def measure(self, rows: tuple[Row, ...]) -> None:
        for row in rows:
            row.result = self.hit(row.server, row.path, DURATION)
            print(f"  {row.label:<32} {row.server.name:<28} {row.result.rate:9.1f} req/s", flush=True)

    def top_up(self, server: Server, paths: list[str]) -> None:
        """More load, round the pages, until the server has answered MEMORY_REQUESTS since its
        workers' memory was read."""
        rate = None
        turn = 0
        while self.served[server] < MEMORY_REQUESTS:
            remaining = MEMORY_REQUESTS - self.served[server]
            # A short first run learns the rate; the next ones aim at what is left.
            seconds = 2 if rate is None else min(30, remaining / rate + 1)
            rate = max(self.hit(server, paths[turn % len(paths)], seconds).rate, 1)
            turn += 1

    def rows(self, cached: Server, uncached: Server, guide: str, stylesheet: str) -> list[Row]:
        return [
            Row("home", "home /", cached, "/"),
            Row("list", "guide list /guides/", cached, "/guides/"),
            Row("guide", f"guide {guide}", cached, guide),
            Row("home-off", "home, cache off", uncached, "/"),
            Row("list-off", "guide list, cache off", uncached, "/guides/"),
            Row("guide-off", "guide page, cache off", uncached, guide),
            Row("css", "stylesheet (reference)", cached, stylesheet),
        ]

    def run(self, title: str, store, tag: str) -> Report:
        report = Report(title)
        seed_url = store.create()
        env = production_environment(seed_url)
        print(f"\n{title}: migrating and loading the seed guides", flush=True)
        manage(env, "migrate", "--noinput", app=self.app)
        manage(env, "load_content", app=self.app)
        more_url = store.copy("", "more")
        print(f"{title}: a copy with {self.add_guides(production_environment(more_url))}", flush=True)

        # The machine's other work, which the figures share the CPUs with.
        load_average = Path("/proc/loadavg").read_text().split()[0]
        cached, uncached = self.start_servers(seed_url, tag, "seed guides")
        # Straight to gunicorn on the copy: the start script's first steps would draw a share
        # card for each new guide (a second or so apiece), which has nothing to do with serving.
        more_cached, more_uncached = self.start_servers(
            more_url, f"{tag}-more", f"{MORE_GUIDES} more", command=GUNICORN
        )
        config = cached.config
        report.setup = (
            f"databases: {databases.describe(seed_url)}, and a copy with {MORE_GUIDES} more guides\n"
            f"gunicorn.conf.py: {config['workers']} workers x {config['threads']} threads ({config['worker_class']}); "
            f"wrk: {load.THREADS} threads, {load.CONNECTIONS} connections, {DURATION:g} s a row; "
            f"{len(os.sched_getaffinity(0))} CPUs shared by wrk and the servers; load average {load_average} before"
        )
        home = get(cached.port, "/")[1]
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', home)
        guide = re.search(r'href="(/guides/[\w-]+/)"', home)
        if not (stylesheet and guide):
            raise ServerError("The home page links to no stylesheet with a hashed name, or to no guide.")
        pages = ["/", "/guides/", guide[1]]
        for server in (cached, uncached, more_cached, more_uncached):
            self.warm_up(server, [*pages, stylesheet[1]])
        before = {server: (server.worker_rss_kib(), server.worker_pids()) for server in (cached, uncached)}

        # Each page on the seed database, then at once on the one with 500 more guides: side
        # by side, so that a change in the machine's other load between the two is small.
        seed = self.rows(cached, uncached, guide[1], stylesheet[1])
        more = self.rows(more_cached, more_uncached, guide[1], stylesheet[1])
        print(f"{title}: each page on the seed guides, then with {MORE_GUIDES} more", flush=True)
        for pair in zip(seed, more, strict=True):
            self.measure(pair)
        report.seed = {row.key: row for row in seed}
        report.more = {row.key: row for row in more}

        # The deployed server is loaded to MEMORY_REQUESTS; the one without the page cache, at
        # a tenth of the speed, would take minutes, so its figure covers only its own rows.
        print(f"{title}: loading the server with the page cache to {MEMORY_REQUESTS:,} requests", flush=True)
        self.top_up(cached, pages)
        for server in (cached, uncached):
            rss, pids = before[server]
            after = server.worker_rss_kib()
            growth = after / rss - 1
            replaced = server.worker_pids() != pids
            report.memory.append(
                f"{server.name}: {len(pids)} workers, {rss / 1024:.1f} MiB after warm-up, "
                f"{after / 1024:.1f} MiB after {self.served[server]:,} more requests ({growth:+.1%})"
                + (", but workers were replaced meanwhile" if replaced else "")
            )
            if server is cached:
                name = f"memory growth < {MEMORY_GROWTH:.0%} over {self.served[server]:,} requests"
                report.targets.append(Target(name, growth < MEMORY_GROWTH and not replaced, f"{growth:+.1%}"))
        self.stop_servers()

        report.targets = self.check(report) + report.targets
        return report

    def add_guides(self, env: dict[str, str]) -> str:
        return run_in(env, PYTHON, "bench/make_guides.py", str(MORE_GUIDES), app=self.app).strip()

    @staticmethod
    def check(report: Report) -> list[Target]:
        seed, more = report.seed, report.more
        reference = report.reference

        def versus_reference(key, share):
            ratio = seed[key].result.rate / reference
            return Target(f"{seed[key].label} >= {share}x reference", ratio >= share, f"{ratio:.2f}x")

        targets = [
            versus_reference("guide", CACHED_GUIDE_VS_REFERENCE),
            versus_reference("guide-off", UNCACHED_GUIDE_VS_REFERENCE),
        ]
        cached = [row for row in [*seed.values(), *more.values()] if row.cached]
        worst = max(cached, key=lambda row: row.result.p99_ms)
        targets.append(
            Target(
                f"p99 <= {CACHED_P99_MS} ms on cached pages",
                worst.result.p99_ms <= CACHED_P99_MS,
                f"worst {worst.result.p99_ms:.1f} ms ({worst.label})",
            )
        )
        errors = sum(row.result.errors for row in [*seed.values(), *more.values()])
        targets.append(Target("no errors", errors == 0, f"{errors} errors"))
        for key in ("list", "guide", "list-off", "guide-off"):
            ratio = more[key].result.rate / seed[key].result.rate
            cost = more[key].result.cpu_ms / seed[key].result.cpu_ms
            targets.append(
                Target(
                    f"{more[key].label} with {MORE_GUIDES} more guides >= {MORE_GUIDES_VS_SEED}x seed",
                    ratio >= MORE_GUIDES_VS_SEED,
                    f"{ratio:.2f}x (CPU time per request {cost:.2f}x)",
                )
            )
        return targets


def line(row: Row) -> str:
    result = row.result
    return (
        f"{row.label:<32} {result.rate:>9.1f} {result.p50_ms:>8.1f} {result.p99_ms:>8.1f} {result.errors:>7}"
        f" {result.cpu_ms:>7.2f}"
    )


def print_report(report: Report) -> None:
    header = f"{'page':<32} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'CPU ms':>7}"
    reference = report.reference
    print(f"\n== {report.title}\n{report.setup}")
    print(f"\nSeed guides\n{header} {'x ref':>7}")
    for row in report.seed.values():
        print(f"{line(row)} {row.result.rate / reference:>7.2f}")
    print(f"\nWith {MORE_GUIDES} more guides\n{header} {'x ref':>7} {'x seed':>7}")
    for key, row in report.more.items():
        seed_rate = report.seed[key].result.rate
        print(f"{line(row)} {row.result.rate / reference:>7.2f} {row.result.rate / seed_rate:>7.2f}")
    print(
        f"\nCPU ms: the servers' CPU time per request answered. x ref: against the reference,"
        f" {reference:.1f} req/s, the faster of the two stylesheet rows. x seed: against the seed table."
    )
    print("\nWorkers' memory (VmRSS summed over the master's children)")
    for text in report.memory:
        print(f"  {text}")
    print("\nTargets")
    for target in report.targets:
        print(f"  [{'ok' if target.met else 'MISSED'}] {target.name}: {target.measured}")


def stop_on_sigterm(signum, frame):
    """Turns `kill` into SystemExit, so the servers are still stopped on the way out."""
    raise SystemExit(128 + signum)


def main() -> int:
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    try:
        wrk = load.ensure_wrk()
    except load.WrkMissing as error:
        print(f"make bench: {error}", file=sys.stderr)
        return 2

    server_url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="backrelief-bench-") as folder:
        workdir = Path(folder)
        runs = [("SQLite", "sqlite", databases.SQLiteDatabases(workdir))]
        if server_url.startswith(("postgres://", "postgresql://")):
            runs.append(("PostgreSQL", "postgres", databases.PostgresDatabases(server_url)))
        app = snapshot(workdir)
        bench = Bench(wrk, workdir, app)
        reports = []
        try:
            # As the Docker image's build does; every server below serves the same files.
            static_env = production_environment("sqlite:///unused")
            manage(static_env, "collectstatic", "--noinput", "--verbosity", "0", app=app)
            for title, tag, store in runs:
                try:
                    reports.append(bench.run(title, store, tag))
                finally:
                    bench.stop_servers()
                    store.drop_all()
        except ServerError as error:
            print(f"make bench: {error}", file=sys.stderr)
            return 1
        finally:
            bench.stop_servers()

    for report in reports:
        print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
