"""`make bench`: how fast the production server answers, on a fresh database, measured with wrk.

For SQLite, and again for the production shape when DATABASE_URL names a PostgreSQL server
(with REDIS_URL, pages and the content version's copy go to that Redis, as in production;
the bench creates databases of its own on the server and drops them after), it:

1. copies what the Docker image holds into a temporary folder and collects static files
   there; migrates a new database and loads the seed guides; copies that database and adds
   500 guides to the copy;
2. starts two servers on each database with gunicorn.conf.py, as deployed (on the seed
   database through docker-entrypoint.sh): one with the page cache, and one with
   PAGE_CACHE=off, to show what a page costs when it is rendered;
3. measures each page for BENCH_DURATION seconds (5) with 16 connections, each time right
   after a run of the site's stylesheet on the same server (by its hashed name, served by
   WhiteNoise: the reference, about the cheapest answer the app gives), and reports the
   page's rate as a share of that reference run's. The machine is shared, so only a ratio
   taken under the same load means anything. Every page is measured on the seed database
   and straight after on the one with 500 more guides; the whole sequence runs
   BENCH_ROUNDS times (3), and the medians and the spread across rounds are reported;
4. times searches one at a time, with nothing else running;
5. keeps loading the server with the page cache on the seed database until it has answered
   BENCH_MEMORY_REQUESTS (50,000) requests and compares its workers' memory before and
   after, and counts the workers gunicorn restarted during the whole run.

wrk runs on the same machine as the servers and takes part of its CPUs: the figures compare
pages with each other, they are not the capacity of a dedicated server.
"""

import http.client
import os
import re
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import databases
import load
from servers import (
    CLOCK_TICKS,
    GUNICORN,
    HOST,
    PYTHON,
    Server,
    ServerError,
    get,
    manage,
    production_environment,
    run_in,
    snapshot,
)

DURATION = float(os.environ.get("BENCH_DURATION", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
MEMORY_REQUESTS = int(os.environ.get("BENCH_MEMORY_REQUESTS", "50000"))
SEARCH_TIMINGS = 30
MORE_GUIDES = 500
WARM_UP_SECONDS = 2
SEARCH_QUERY = "shoulder blades"

# The targets the figures are checked against (issue 17).
CACHED_VS_REFERENCE = 0.8
UNCACHED_GUIDE_VS_REFERENCE = 0.25
UNCACHED_OTHER_VS_REFERENCE = 0.2
STEADY_SPREAD = 0.15
CACHED_P99_MS = 50
MORE_GUIDES_VS_SEED = 0.8
MEMORY_GROWTH = 0.10
SEARCH_MEDIAN_MS = {"sqlite": 50, "postgres": 20}


@dataclass
class Page:
    key: str
    label: str
    cached_server: bool  # measured on the server with the page cache (else on PAGE_CACHE=off)
    path: str
    # Targets: its share of the reference, and whether it is a cached page.
    target: float
    is_cached_page: bool


@dataclass
class Measurement:
    page: load.Result
    reference: load.Result

    @property
    def ratio(self) -> float:
        return self.page.rate / self.reference.rate


@dataclass
class Row:
    """One page on one database: a measurement a round."""

    page: Page
    rounds: list[Measurement] = field(default_factory=list)

    def median(self, value) -> float:
        return statistics.median(value(m) for m in self.rounds)

    @property
    def ratio(self) -> float:
        return self.median(lambda m: m.ratio)

    @property
    def spread(self) -> tuple[float, float]:
        ratios = [m.ratio for m in self.rounds]
        return min(ratios), max(ratios)

    @property
    def worst_p99(self) -> float:
        return max(m.page.p99_ms for m in self.rounds)

    @property
    def errors(self) -> int:
        return sum(m.page.errors for m in self.rounds)


@dataclass
class Target:
    name: str
    met: bool
    measured: str


@dataclass
class Report:
    title: str
    tag: str
    setup: str = ""
    seed: dict[str, Row] = field(default_factory=dict)
    more: dict[str, Row] = field(default_factory=dict)
    search_ms: dict[str, float] = field(default_factory=dict)
    memory: list[str] = field(default_factory=list)
    restarts: dict[str, int] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)


def pages(guide: str, routine: str) -> list[Page]:
    return [
        Page("home", "home /", True, "/", CACHED_VS_REFERENCE, True),
        Page("list", "guide list /guides/", True, "/guides/", CACHED_VS_REFERENCE, True),
        Page("guide", f"guide {guide}", True, guide, CACHED_VS_REFERENCE, True),
        Page("guide-off", "guide page, cache off", False, guide, UNCACHED_GUIDE_VS_REFERENCE, False),
        Page("routine-off", "custom routine, cache off", False, routine, UNCACHED_OTHER_VS_REFERENCE, False),
        # Never page-cached: every query is a page of its own.
        Page(
            "search",
            "search ?q=shoulder+blades",
            True,
            "/search/?q=shoulder+blades",
            UNCACHED_OTHER_VS_REFERENCE,
            False,
        ),
    ]


class Bench:
    def __init__(self, wrk: str, workdir: Path, app: Path):
        self.wrk = wrk
        self.workdir = workdir
        self.app = app
        self.servers: list[Server] = []
        # Requests each server has answered since its workers' memory was read.
        self.served: dict[Server, int] = {}

    def start_servers(self, env: dict[str, str], tag: str, content: str, **how) -> tuple[Server, Server]:
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

    def measure(self, row: Row, server: Server, reference: Server, stylesheet: str, content: str) -> None:
        """The reference, then at once the page: the two share whatever else the machine does."""
        before = self.hit(reference, stylesheet, DURATION)
        result = self.hit(server, row.page.path, DURATION)
        row.rounds.append(Measurement(result, before))
        print(
            f"  {row.page.label:<30} {content:<12} {result.rate:8.1f} req/s,"
            f" reference {before.rate:8.1f}: {row.rounds[-1].ratio:5.2f}x",
            flush=True,
        )

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

    @staticmethod
    def search_median_ms(server: Server, path: str) -> float:
        """One search at a time, nothing else loading the server: how long a reader waits."""
        timings = []
        for _ in range(SEARCH_TIMINGS):
            start = time.perf_counter()
            status = get(server.port, path)[0]
            timings.append((time.perf_counter() - start) * 1000)
            if status != 200:
                raise ServerError(f"{path} answered {status} on the server with {server.name}.")
        return statistics.median(timings)

    def run(self, title: str, tag: str, store, redis_url: str) -> Report:
        report = Report(title, tag)
        seed_url = store.create()
        extra = {"REDIS_URL": redis_url} if redis_url else {}
        env = production_environment(seed_url, **extra)
        print(f"\n{title}: migrating and loading the seed guides", flush=True)
        manage(env, "migrate", "--noinput", app=self.app)
        manage(env, "load_content", app=self.app)
        more_url = store.copy("", "more")
        print(f"{title}: a copy with {self.add_guides(production_environment(more_url))}", flush=True)

        # The machine's other work, which the figures share the CPUs with.
        load_average = Path("/proc/loadavg").read_text().split()[0]
        cached, uncached = self.start_servers(env, tag, "seed guides")
        # Straight to gunicorn on the copy: the start script's first steps would draw a share
        # card for each new guide (a second or so apiece), which has nothing to do with serving.
        more_cached, more_uncached = self.start_servers(
            production_environment(more_url, **extra), f"{tag}-more", f"{MORE_GUIDES} more", command=GUNICORN
        )
        config = cached.config
        cache = (
            f"pages and the content version's copy in Redis ({databases.describe(redis_url)})"
            if redis_url
            else ("pages in each worker's memory")
        )
        report.setup = (
            f"databases: {databases.describe(seed_url)}, and a copy with {MORE_GUIDES} more guides; {cache}\n"
            f"gunicorn.conf.py: {config['workers']} workers x {config['threads']} threads ({config['worker_class']}),"
            f" preload {config.get('preload_app')}, max_requests {config['max_requests']}"
            f" (+ up to {config['max_requests_jitter']}); wrk: {load.THREADS} threads, {load.CONNECTIONS}"
            f" connections, {DURATION:g} s a run, {ROUNDS} rounds; {len(os.sched_getaffinity(0))} CPUs shared"
            f" by wrk, the servers{' and the database' if tag == 'postgres' else ''}; load average"
            f" {load_average} before"
        )
        home = get(cached.port, "/")[1]
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', home)
        guides = re.findall(r'href="/guides/([\w-]+)/"', home)
        if not (stylesheet and len(guides) >= 3):
            raise ServerError("The home page links to no stylesheet with a hashed name, or to fewer than 3 guides.")
        stylesheet = stylesheet[1]
        guide = f"/guides/{guides[0]}/"
        routine = f"/routines/custom/{guides[0]}~20x3+{guides[1]}+{guides[2]}~x5/"
        measured = pages(guide, routine)
        for server in (cached, uncached, more_cached, more_uncached):
            on = [page.path for page in measured if page.cached_server == (server in (cached, more_cached))]
            self.warm_up(server, [*on, stylesheet])
        before = {server: (server.worker_rss_kib(), server.worker_pids()) for server in (cached, uncached)}

        report.seed = {page.key: Row(page) for page in measured}
        report.more = {page.key: Row(page) for page in measured}
        for round_number in range(1, ROUNDS + 1):
            print(f"{title}, round {round_number} of {ROUNDS}: each page right after its reference run", flush=True)
            for page in measured:
                for rows, on, off, content in (
                    (report.seed, cached, uncached, "seed"),
                    (report.more, more_cached, more_uncached, f"+{MORE_GUIDES}"),
                ):
                    server = on if page.cached_server else off
                    self.measure(rows[page.key], server, server, stylesheet, content)

        search = report.seed["search"].page.path
        report.search_ms = {
            "seed": self.search_median_ms(cached, search),
            "more": self.search_median_ms(more_cached, search),
        }

        # The server with the page cache is loaded to MEMORY_REQUESTS; the one without, at a
        # tenth of the speed, would take minutes, so its figure covers only its own runs.
        print(f"{title}: loading the server with the page cache to {MEMORY_REQUESTS:,} requests", flush=True)
        self.top_up(cached, [page.path for page in measured if page.is_cached_page])
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
        report.restarts = {server.name: server.worker_restarts() for server in self.servers}
        self.stop_servers()

        report.targets = self.check(report) + report.targets
        return report

    def add_guides(self, env: dict[str, str]) -> str:
        return run_in(env, PYTHON, "bench/make_guides.py", str(MORE_GUIDES), app=self.app).strip()

    @staticmethod
    def check(report: Report) -> list[Target]:
        seed, more = report.seed, report.more
        targets = []
        for row in seed.values():
            low, high = row.spread
            targets.append(
                Target(
                    f"{row.page.label} >= {row.page.target}x reference",
                    row.ratio >= row.page.target,
                    f"{row.ratio:.2f}x (rounds {low:.2f}-{high:.2f})",
                )
            )
        guide = seed["guide"]
        drift = max(abs(m.ratio / guide.ratio - 1) for m in guide.rounds)
        targets.append(
            Target(
                f"cached guide ratio within {STEADY_SPREAD:.0%} of its median in every round",
                drift <= STEADY_SPREAD,
                f"furthest {drift:.0%} off ({', '.join(f'{m.ratio:.2f}x' for m in guide.rounds)})",
            )
        )
        cached = [row for row in [*seed.values(), *more.values()] if row.page.is_cached_page]
        worst = max(cached, key=lambda row: row.worst_p99)
        targets.append(
            Target(
                f"p99 <= {CACHED_P99_MS} ms on every cached page, in every round",
                worst.worst_p99 <= CACHED_P99_MS,
                f"worst {worst.worst_p99:.1f} ms ({worst.page.label})",
            )
        )
        errors = sum(row.errors for row in [*seed.values(), *more.values()])
        targets.append(Target("no errors", errors == 0, f"{errors} errors"))
        for key, row in more.items():
            share = row.ratio / seed[key].ratio
            targets.append(
                Target(
                    f"{row.page.label} with {MORE_GUIDES} more guides >= {MORE_GUIDES_VS_SEED}x seed",
                    share >= MORE_GUIDES_VS_SEED,
                    f"{share:.2f}x",
                )
            )
        limit = SEARCH_MEDIAN_MS[report.tag]
        targets.append(
            Target(
                f"a search with {MORE_GUIDES} more guides takes <= {limit} ms (median, one at a time)",
                report.search_ms["more"] <= limit,
                f"{report.search_ms['more']:.1f} ms (seed guides: {report.search_ms['seed']:.1f} ms)",
            )
        )
        restarts = sum(report.restarts.values())
        targets.append(Target("no worker restarted during the run", restarts == 0, f"{restarts} restarts"))
        return targets


def line(row: Row) -> str:
    low, high = row.spread
    rate, p50, cpu = (row.median(lambda m, name=name: getattr(m.page, name)) for name in ("rate", "p50_ms", "cpu_ms"))
    return (
        f"{row.page.label:<30} {rate:>8.1f} {p50:>7.1f}"
        f" {row.worst_p99:>7.1f} {row.errors:>6} {cpu:>7.2f}"
        f" {row.ratio:>6.2f} {low:>5.2f}-{high:<5.2f}"
    )


def print_report(report: Report) -> None:
    header = (
        f"{'page':<30} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'CPU ms':>7} {'x ref':>6} {'rounds':<11}"
    )
    print(f"\n== {report.title}\n{report.setup}")
    print(f"\nSeed guides\n{header}")
    for row in report.seed.values():
        print(line(row))
    print(f"\nWith {MORE_GUIDES} more guides\n{header} {'x seed':>6}")
    for key, row in report.more.items():
        print(f"{line(row)} {row.ratio / report.seed[key].ratio:>6.2f}")
    print(
        f"\nMedians of {ROUNDS} rounds. x ref: the page's rate over that of the stylesheet (the reference),"
        " measured on the same server right before it, in the same round; rounds: the lowest and highest"
        " of those ratios. p99 ms: the worst round. CPU ms: the servers' CPU time per request answered."
        " x seed: the page's x ref with 500 more guides over its x ref with the seed guides."
    )
    print(
        f"\nSearch, one at a time (median of {SEARCH_TIMINGS}): {report.search_ms['seed']:.1f} ms with the seed"
        f" guides, {report.search_ms['more']:.1f} ms with {MORE_GUIDES} more"
    )
    print("\nWorkers' memory (VmRSS summed over the master's children)")
    for text in report.memory:
        print(f"  {text}")
    print("\nWorker restarts during the run (workers gunicorn started after the first ones)")
    for name, count in report.restarts.items():
        print(f"  {name}: {count}")
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
    redis_url = os.environ.get("REDIS_URL", "")
    with tempfile.TemporaryDirectory(prefix="backrelief-bench-") as folder:
        workdir = Path(folder)
        runs = [("SQLite", "sqlite", databases.SQLiteDatabases(workdir), "")]
        if server_url.startswith(("postgres://", "postgresql://")):
            title = "PostgreSQL + Redis (the production shape)" if redis_url else "PostgreSQL, without Redis"
            runs.append((title, "postgres", databases.PostgresDatabases(server_url), redis_url))
        app = snapshot(workdir)
        bench = Bench(wrk, workdir, app)
        reports = []
        try:
            # As the Docker image's build does; every server below serves the same files.
            static_env = production_environment("sqlite:///unused")
            manage(static_env, "collectstatic", "--noinput", "--verbosity", "0", app=app)
            for title, tag, store, redis in runs:
                try:
                    reports.append(bench.run(title, tag, store, redis))
                finally:
                    bench.stop_servers()
                    store.drop_all()
        except ServerError as error:
            print(f"make bench: {error}", file=sys.stderr)
            return 1
        finally:
            bench.stop_servers()

    print(f"\nmake bench on {HOST}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    for report in reports:
        print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
