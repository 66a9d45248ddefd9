"""Real-browser tests: Debian's Chromium, driven by Playwright, against Django's live server.

Fixtures for every test module in tests/browser/:

- `browser`: one headless Chromium for the whole session, started from /usr/bin/chromium
  (scripts/install-system-deps.sh installs it; `playwright install` is never used). If it
  is missing the test fails, never skips: these tests are part of the quality gate.
- `site`: the live server's base URL with no trailing slash, e.g. "http://localhost:40123",
  serving the seed content as `make run` loads it. It uses pytest-django's `live_server`,
  so the test is transactional: the content is loaded for each test (share cards are drawn
  on commit, so they exist too) and the database is emptied after it. The page cache starts
  empty for each test (tests/conftest.py), and a load always moves the content version on.
- `new_page(width=1280, height=800, javascript=True, **options)`: a page in a browser
  context of its own (cookies, storage, permissions), closed after the test. `options` are
  Playwright's `Browser.new_context` arguments: color_scheme="dark", reduced_motion="reduce",
  ... The context is at `page.context`, e.g. for `grant_permissions`.
- `page`: `new_page()`, JavaScript on, 1280×800.
- `no_js_page`: the same with JavaScript disabled, as some readers and crawlers see the site.

Every test in this folder is marked `browser` (`pytest -m "not browser"` leaves them out).
"""

import io
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from tests.browser.chromium import launch_chromium

HERE = Path(__file__).parent
# Generous, as Playwright's own default: these tests check behaviour, not speed (that is
# `make bench`), and a shared 2-core machine under load can take seconds for a first page.
TIMEOUT_MS = 30_000


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Marks the browser tests and runs them last, after pytest-django's own ordering: while
    Playwright runs, the rest of the session runs beside its event loop (see `browser`)."""
    in_browser = {id(item) for item in items if HERE in item.path.parents}
    for item in items:
        if id(item) in in_browser:
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: id(item) in in_browser)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright, pytest.MonkeyPatch.context() as patch:
        try:
            chromium = launch_chromium(playwright)
        except FileNotFoundError as error:
            pytest.fail(str(error), pytrace=False)
        # Playwright's sync API keeps an event loop running on this thread until it stops,
        # and Django then refuses database queries here (SynchronousOnlyOperation) though the
        # tests are plain sync code. The browser tests run last, so only they run beside it.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield chromium
        chromium.close()


@pytest.fixture
def site(live_server):
    call_command("load_content", stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(width=1280, height=800, javascript=True, **options):
        context = browser.new_context(
            viewport={"width": width, "height": height}, java_script_enabled=javascript, **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    if contexts:
        live_server_requests_finished()


def live_server_requests_finished(timeout=10.0):
    """Waits until the live server has answered every request the closed pages sent. Closing an
    editing page sends one more (the presence beacon on pagehide), and the database is emptied
    right after the test: on SQLite, a request still reading the session table then holds the
    lock that emptying it needs ("database table is locked: django_session")."""
    time.sleep(0.1)  # for a request sent on close to be taken by the server
    deadline = time.monotonic() + timeout
    # The live server answers each connection in a thread of socketserver's, named after it.
    while time.monotonic() < deadline and any(
        "process_request_thread" in thread.name for thread in threading.enumerate()
    ):
        time.sleep(0.02)


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def no_js_page(new_page):
    return new_page(javascript=False)
