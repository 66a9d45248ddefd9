"""What rendering a page costs, in-process: CPU time and queries, with the page cache off.

    DJANGO_SETTINGS_MODULE=backrelief.settings.production SECRET_KEY=... HTTPS_ONLY=false \
        DATABASE_URL=sqlite:////tmp/db.sqlite3 python bench/render_cpu.py [--renders 50] [--profile PAGE]

Run it after `manage.py migrate`, `manage.py load_content` and `manage.py collectstatic` on
that database. Each page goes through django.test.Client (every middleware, the view, the
templates, the page cache's gzipping) and is timed with time.process_time, the CPU time of this
process, which other work on a shared machine changes far less than it changes a wall clock or
a request rate. It prints the median, the lowest and highest of the renders, and the queries
one render makes. `--profile home` prints a cProfile of that page instead.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backrelief.settings.production")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from techniques.models import Technique  # noqa: E402

WARM_UP = 5


def pages() -> dict[str, str]:
    slugs = list(Technique.objects.published().order_by("title").values_list("slug", flat=True)[:3])
    guide = "door-frame-wall-lean" if Technique.objects.filter(slug="door-frame-wall-lean").exists() else slugs[0]
    return {
        "guide": f"/guides/{guide}/",
        "guide list": "/guides/",
        "home": "/",
        "custom routine": f"/routines/custom/{slugs[0]}~20x3+{slugs[1]}+{slugs[2]}~x5/",
        "search": "/search/?q=stretch",
    }


def render(client, path):
    response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return response


def measure(client, path, renders):
    for _ in range(WARM_UP):
        render(client, path)
    queries = []
    # A wrapper rather than connection.queries, which each request empties when it starts.
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        render(client, path)
    times = []
    for _ in range(renders):
        start = time.process_time()
        render(client, path)
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times), min(times), max(times), len(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=50)
    parser.add_argument("--profile", help="print a cProfile of this page (a name from the table) instead")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=60)
    arguments = parser.parse_args()
    client = Client()
    with override_settings(PAGE_CACHE_ENABLED=False, ALLOWED_HOSTS=["testserver"]):
        addresses = pages()
        if arguments.profile:
            path = addresses[arguments.profile]
            for _ in range(WARM_UP):
                render(client, path)
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(arguments.renders):
                render(client, path)
            profile.disable()
            pstats.Stats(profile).sort_stats(arguments.sort).print_stats(arguments.lines)
            return
        print(f"{'page':<16} {'CPU ms median':>13} {'min':>6} {'max':>6} {'queries':>8}  address")
        for name, path in addresses.items():
            median, low, high, queries = measure(client, path, arguments.renders)
            print(f"{name:<16} {median:>13.2f} {low:>6.2f} {high:>6.2f} {queries:>8}  {path}")


if __name__ == "__main__":
    main()
