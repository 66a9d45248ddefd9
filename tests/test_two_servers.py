"""Several app servers, one database: an editor's change saved through server A is on the
very next page server B serves, although B had the page cached in the Redis cache the
servers share; and on the next page from server C, whose two workers cache in their own
memory, as `make serve` runs them without REDIS_URL.

Real gunicorn servers with gunicorn.conf.py and production settings (bench/servers.py),
against PostgreSQL and Redis on 127.0.0.1, which CI always provides: the test fails, never
skips, when they are missing. It makes and drops a database of its own.
"""

import json
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from html.parser import HTMLParser
from http.cookiejar import CookieJar

import psycopg
import pytest
import redis

from bench.databases import fresh_postgres
from bench.servers import GUNICORN, HOST, ROOT, Server, get, manage, production_environment

pytestmark = pytest.mark.servers

POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/13"
GUIDE = "cat-cow"
EDITOR = "two-servers-editor"
EDITOR_PASSWORD = secrets.token_urlsafe(16)


def require_postgres_and_redis():
    try:
        psycopg.connect(POSTGRES, connect_timeout=5).close()
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES}; this test needs it ({error})")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is not reachable at {REDIS_URL}; this test needs it ({error})")


def collect_static_if_missing(env):
    """Production serves static files by the names in collectstatic's manifest. Collecting
    compresses every file (about ten seconds), so it runs only when a file is missing."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    sources = {p.relative_to(ROOT / "static").as_posix() for p in (ROOT / "static").rglob("*") if p.is_file()}
    if not manifest.exists() or not sources <= set(json.loads(manifest.read_text())["paths"]):
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")


@pytest.fixture(scope="module")
def environment():
    """Production settings on a new PostgreSQL database with the seed guides and an editor."""
    require_postgres_and_redis()
    with fresh_postgres(POSTGRES) as database_url:
        env = production_environment(database_url, WEB_CONCURRENCY="2", EDITOR_PASSWORD=EDITOR_PASSWORD)
        collect_static_if_missing(env)
        manage(env, "migrate", "--noinput")
        manage(env, "load_content")
        manage(env, "create_editor", EDITOR)
        yield env


@contextmanager
def running_servers(log_dir, **environments):
    """Servers started side by side, each with its environment, and stopped whatever happens.
    Straight with gunicorn: the database is ready, so the start script's steps would only
    add seconds."""
    servers = [Server(name, env, log_dir / f"{name}.log", command=GUNICORN) for name, env in environments.items()]
    try:
        with ThreadPoolExecutor(len(servers)) as pool:
            list(pool.map(Server.start, servers))
        yield servers
    finally:
        for server in servers:
            server.stop()


class FormFields(HTMLParser):
    """The fields a browser would submit from the form with this id, unchanged."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select = self.textarea = None
        self.options = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        kind = attrs.get("type", "text")
        if tag == "input" and "name" in attrs and kind not in {"submit", "button", "file", "image", "reset"}:
            if kind not in {"checkbox", "radio"} or "checked" in attrs:
                self.fields.append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
        elif tag == "select":
            self.select, self.options = attrs, []
        elif tag == "option" and self.select is not None:
            self.options.append((attrs.get("value", ""), "selected" in attrs))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # Browsers drop the newline that follows <textarea>.
            self.fields.append((name, text.removeprefix("\r\n").removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            chosen = [value for value, selected in self.options if selected]
            if not chosen and self.options and "multiple" not in self.select:
                chosen = [self.options[0][0]]
            self.fields += [(self.select["name"], value) for value in chosen]
            self.select = None


class Browser:
    """Cookies kept, redirects not followed: enough to sign in to the admin and post a form."""

    class KeepRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, port):
        self.base = f"http://{HOST}:{port}"
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), self.KeepRedirects())

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as answer:  # 3xx and 4xx arrive here
            return answer.code, answer.headers, answer.read().decode()

    def form(self, path, form_id):
        status, _, html = self.request(path)
        assert status == 200, f"GET {path}: {status}"
        parser = FormFields(form_id)
        parser.feed(html)
        return dict_of_lists(parser.fields)

    def submit(self, path, fields):
        return self.request(path, [(name, value) for name, values in fields.items() for value in values])


def dict_of_lists(pairs):
    fields = {}
    for name, value in pairs:
        fields.setdefault(name, []).append(value)
    return fields


def rename_guide_through_admin(port, slug, title):
    browser = Browser(port)
    login = browser.form("/admin/login/?next=/admin/", "login-form")
    login.update(username=[EDITOR], password=[EDITOR_PASSWORD])
    status, _, _ = browser.submit("/admin/login/?next=/admin/", login)
    assert status == 302, f"signing in answered {status}"

    _, _, changelist = browser.request(f"/admin/techniques/technique/?q={slug}")
    change = re.search(r'href="(/admin/techniques/technique/\d+/change/)[^"]*"', changelist)[1]
    fields = browser.form(change, "technique_form")
    assert fields["csrfmiddlewaretoken"], "the change form carries a CSRF token"
    fields.update(title=[title], _save=["Save"])
    status, _, html = browser.submit(change, fields)
    errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    assert status == 302, f"saving the guide answered {status}: {errors}"


def title(html):
    heading = re.search(r"<h1>(.*?)</h1>", html)
    return heading[1] if heading else html[:300]


def test_an_edit_through_one_server_is_on_the_next_page_from_the_others(environment, tmp_path):
    with_redis = {**environment, "REDIS_URL": REDIS_URL}
    with running_servers(tmp_path, a=with_redis, b=with_redis, c=environment) as (server_a, server_b, server_c):
        page = f"/guides/{GUIDE}/"
        # Several times, so that each of C's workers has the page cached too.
        for _ in range(4):
            for server in (server_b, server_c):
                status, html = get(server.port, page)
                assert (status, title(html)) == (200, "Cat-cow"), server.log_tail()

        rename_guide_through_admin(server_a.port, GUIDE, "Cat-cow, renamed on server A")

        for server in (server_b, server_c):
            status, html = get(server.port, page)
            assert (status, title(html)) == (200, "Cat-cow, renamed on server A"), f"{server.name} is stale"
