"""Full-page screenshots of every kind of public page, at a phone's and a desktop's width.

    make screenshots            # or: .venv/bin/python scripts/screenshots.py [--out DIR]

Serves the seed content from a fresh SQLite database in a temporary folder (the project's
db.sqlite3 and media are not touched) with the test settings (DEBUG off, so the real 404
page), and saves PNGs named <page>-<width>.png in build/screenshots/, in light mode.
Needs Chromium at /usr/bin/chromium (scripts/install-system-deps.sh).
"""

import argparse
import io
import logging
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = (375, 1280)
HEIGHT = 800
# Lazy images load only as they scroll into view, which a full-page screenshot never does.
LOAD_ALL_IMAGES = """() => Promise.all([...document.images].map((img) => {
  img.loading = "eager";
  return img.decode().catch(() => null);
}))"""
PAGES = {
    "home": "/",
    "guide-list": "/guides/",
    "guide": "/guides/shoulder-roll-routine/",  # the guide with the most steps
    "safety": "/safety/",
    "what-is-the-pop": "/what-is-the-pop/",
    "sources": "/sources/",
    "about": "/about/",
    "routines": "/routines/",
    "routine": "/routines/morning-mobility/",
    "routine-builder": "/routines/build/",
    "custom-routine": "/routines/custom/warm-up+cat-cow~5x3+chair-backrest-extension/",
    "search": "/search/?q=neck",
    "404": "/no-such-page/",
}


def start_server(folder: Path) -> str:
    """Migrate a new database in `folder`, load the seed content and serve it from a thread.
    Returns the server's base URL."""
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'db.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backrelief.settings.test")
    import django

    django.setup()
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.management import call_command
    from django.test.testcases import LiveServerThread

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404 page is expected
    call_command("migrate", verbosity=0)
    call_command("load_content", stdout=io.StringIO())
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    return f"http://127.0.0.1:{server.port}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "screenshots")
    out = parser.parse_args().out
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import launch_chromium

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="backrelief-screenshots-") as folder:
        site = start_server(Path(folder))
        with sync_playwright() as playwright:
            try:
                browser = launch_chromium(playwright)
            except FileNotFoundError as error:
                print(f"make screenshots: {error}", file=sys.stderr)
                return 1
            for width in WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": HEIGHT}, color_scheme="light")
                page = context.new_page()
                for name, path in PAGES.items():
                    page.goto(site + path)
                    page.evaluate(LOAD_ALL_IMAGES)
                    target = out / f"{name}-{width}.png"
                    page.screenshot(path=target, full_page=True)
                    print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
                context.close()
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
