"""Hostile and malformed requests, as an attacker or a broken client sends them, to every
public URL pattern and to the admin login: whatever they send, the answer is a 4xx (or the
page), never a 500."""

import logging

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from routines.models import Routine
from techniques.models import Technique

pytestmark = pytest.mark.django_db

# A real value for each kind of URL parameter, so that each pattern is reached with a path it
# answers for real. A new pattern with another parameter fails the test until it is added.
SAMPLE_ARGUMENTS = {
    "slug": lambda pattern: sample_slug(pattern),
    "spec": lambda pattern: "warm-up+cat-cow~5x8+lying-rotation~x3",
    "path": lambda pattern: "uploads/markdown/picture.png",
}
HOSTILE_HOSTS = [
    "evil.example",
    "",
    "a" * 300,
    "testserver:99999",
    "testserver:abc",
    "[::1",
    "10.0.0.1",
    "ünïcode.example",
    "testserver, evil.example",
    "testserver/../admin",
    "testserver\r\nX-Injected: 1",
]
HOSTILE_ACCEPT_ENCODINGS = [
    "gzip;q=0",
    "*;q=0",
    "gzip;q=bogus",
    "gzip;q=1e9",
    "gzip;q=-1",
    ";;;,,,q=",
    "gzip;" + "q=0.5;" * 500,
    "x" * 8000,
]
ODD_CHARSETS = [
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/x-www-form-urlencoded; charset=utf-32",
    "application/x-www-form-urlencoded; charset=no-such-charset",
    "application/x-www-form-urlencoded; charset=",
    "multipart/form-data; boundary=xyz; charset=utf-16",
    "multipart/form-data",
    "multipart/form-data; boundary=" + "b" * 500,
    "text/plain; charset=utf-16",
    "application/json; charset=utf-7",
]
BAD_BODIES = [
    "username=ed&password=x".encode("utf-16"),
    b"username=\xff\xfe&password=\xc3\x28",
    b"username=%ff%fe&password=%c3%28",
    b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n\xff\r\n--xyz--\r\n',
    b"\x00" * 64,
]
BAD_UTF8_SUFFIXES = ["%ff%fe/", "%c3%28/", "%ed%a0%80/", "%00/", "\u202e/"]
BAD_QUERIES = [
    "?q=%ff%fe",
    "?page=%c3%28",
    "?page=0001",
    "?page=-1",
    "?page=99999999999999999999999",
    "?page=1&page=2&page=3",
    "?position=%00",
    "?" + "&".join(f"p{n}=v" for n in range(500)),
    "?" + "a" * 6000,
]
UNUSUAL_METHODS = ["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "CONNECT", "FOO", "HEAD"]


def sample_slug(pattern: str) -> str:
    if pattern.startswith("routines/"):
        return Routine.objects.published().first().slug
    return Technique.objects.published().first().slug


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def public_paths() -> list[str]:
    """A real path for every URL pattern outside the admin, and the admin's login page."""
    admin_prefix = reverse("admin:index").lstrip("/")
    paths = []
    for pattern, _ in walk(get_resolver().url_patterns):
        if pattern.startswith(admin_prefix):
            continue
        path = pattern
        while "<" in path:
            start, end = path.index("<"), path.index(">")
            name = path[start + 1 : end].rpartition(":")[2]
            assert name in SAMPLE_ARGUMENTS, f"no sample value for <{name}> in {pattern!r}: add one"
            path = path[:start] + SAMPLE_ARGUMENTS[name](pattern) + path[end + 1 :]
        paths.append("/" + path)
    return [*paths, "/healthz", reverse("admin:login")]


def hostile_requests(path: str):
    """(description, method, path, extra request arguments) for one page."""
    base = path.split("?")[0]
    for host in HOSTILE_HOSTS:
        yield f"Host {host!r}", "GET", path, {"HTTP_HOST": host}
    for accept in HOSTILE_ACCEPT_ENCODINGS:
        yield f"Accept-Encoding {accept[:40]!r}", "GET", path, {"HTTP_ACCEPT_ENCODING": accept}
    yield "long path", "GET", base + "a" * 5000 + "/", {}
    yield "long name", "GET", base + "b" * 300 + ".png", {}
    for suffix in BAD_UTF8_SUFFIXES:
        yield f"bad UTF-8 path {suffix!r}", "GET", base + suffix, {}
    for query in BAD_QUERIES:
        yield f"query {query[:40]!r}", "GET", base + query, {}
    for content_type in ODD_CHARSETS:
        for body in BAD_BODIES:
            yield (
                f"POST {content_type[:60]!r} {body[:12]!r}",
                "POST",
                path,
                {"content_type": content_type, "data": body},
            )
    for method in UNUSUAL_METHODS:
        yield method, method, path, {}
    yield "cookie junk", "GET", path, {"HTTP_COOKIE": "sessionid=\xff\xfe; csrftoken=" + "x" * 5000}
    yield (
        "If-None-Match junk",
        "GET",
        path,
        {"HTTP_IF_NONE_MATCH": '"' + "\\" * 300, "HTTP_IF_MODIFIED_SINCE": "yesterday"},
    )
    yield "X-Forwarded-For junk", "GET", path, {"HTTP_X_FORWARDED_FOR": "not-an-ip, ::::, " + "1." * 500}


@pytest.fixture
def errors_logged():
    """ERROR records logged while the requests run: Django logs each 500 as one. Refused
    request bodies are logged as security events (django.security.*), which they are."""
    records = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = lambda record: None if record.name.startswith("django.security.") else records.append(record)
    logging.getLogger().addHandler(handler)
    yield records
    logging.getLogger().removeHandler(handler)


def test_the_fuzz_reaches_every_public_pattern_and_the_admin_login(seeded):
    paths = public_paths()
    assert "/guides/" in paths and "/routines/custom/warm-up+cat-cow~5x8+lying-rotation~x3/" in paths
    assert reverse("admin:login") in paths and "/healthz" in paths
    assert any(path.startswith("/media/") for path in paths)


def test_no_hostile_request_gets_a_500(seeded, settings, tmp_path, errors_logged):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "uploads" / "markdown").mkdir(parents=True)
    (tmp_path / "uploads" / "markdown" / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    browser = Client(raise_request_exception=False, enforce_csrf_checks=True)
    # With a CSRF cookie, as a visitor who opened a page first has: the CSRF check then reads
    # the posted form, where odd charsets and bad bytes do their damage.
    browser.get(reverse("admin:login"))
    failures = []
    sent = 0
    for path in public_paths():
        for description, method, target, extra in hostile_requests(path):
            response = browser.generic(method, target, **extra)
            sent += 1
            if response.status_code >= 500:
                failures.append(f"{method} {target[:80]} ({description}): {response.status_code}")
    assert sent > 1000
    assert failures == [], "\n".join(failures)
    assert errors_logged == [], [record.getMessage() for record in errors_logged]


def test_a_media_name_longer_than_the_file_system_allows_is_a_404(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/media/" + "a" * 300 + ".png")
    assert response.status_code == 404
    assert "We can't find that page" in response.content.decode()


@pytest.mark.parametrize("charset", ["utf-16", "utf-32"])
def test_a_login_form_posted_in_utf16_gets_the_400_page(db, charset):
    browser = Client(raise_request_exception=False, enforce_csrf_checks=True)
    browser.get(reverse("admin:login"))
    body = "username=ed&password=x".encode(charset)
    content_type = f"application/x-www-form-urlencoded; charset={charset}"
    response = browser.generic("POST", reverse("admin:login"), body, content_type=content_type)
    assert response.status_code == 400
    assert "That request didn't make sense to us" in response.content.decode()
