"""Whole-page cache for anonymous readers of the public pages.

A page is filed under the content version (techniques/page_cache/content_version.py), so the first
request after any edit, on any app server, renders afresh: no timeout decides freshness.
A hit costs one query (the version), or in production one Redis round trip (the version's copy
and the page together; two on the first hit after the version changes), and skips sessions,
authentication, CSRF and the view.

Only what every anonymous reader would get is cached: GET or HEAD of a view marked
`@cacheable_page`, with no session cookie, a query string made only of the parameters the
view reads, and a 200 response that sets no cookie. Signed-in editors (who may see drafts)
get `private, no-store` instead.

The middleware sits before the CSP and security-header middleware: a page is stored with the
headers they gave it, so a hit is sent with the same headers without building them again.
"""

import functools
import hashlib
from pathlib import Path
from typing import NamedTuple

import django
from django.apps import apps
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import urlencode
from zlib_ng import gzip_ng

import backrelief
from backrelief.accept_encoding import accepts
from backrelief.redis_cache import FailFastRedisCache
from techniques.addresses import origin
from techniques.django_internals import csp_nonce_used
from techniques.page_cache import content_version, shared_version

# Settings baked into the HTML of a page, besides the code that renders it: addresses of
# static and uploaded files (STORAGES names the media bucket and its domain), and dates.
RENDERING_SETTINGS = ("STATIC_URL", "MEDIA_URL", "STORAGES", "SITE_URL", "SITE_NAME", "TIME_ZONE", "LANGUAGE_CODE")


class Cacheable(NamedTuple):
    """How a view's pages are cached: the query parameters it reads, and whether readers make
    up its addresses (a routine of their own), whose pages go to their own small budget."""

    query: frozenset
    reader_built: bool


def cacheable_page(view=None, *, query=(), reader_built=False):
    """Marks a public view whose response to an anonymous reader may be cached. `query` names
    the query-string parameters the view reads; a request with any other one is not cached.

    `reader_built` says that anyone can make up valid addresses for the view without end. Its
    pages are then kept apart from the shared cache, in each process's own small store
    (reader_built_pages), where they make room for each other and never push out the pages
    every reader needs, and where they last minutes, not a day."""

    def mark(view):
        view.page_cache = Cacheable(frozenset(query), reader_built)
        return view

    return mark(view) if view is not None else mark


# Bounded whatever readers ask for: at most PAGE_CACHE_READER_BUILT_ENTRIES pages a process,
# the least recently used leaving first.
reader_built_pages = LocMemCache(
    "reader-built-pages",
    {
        "TIMEOUT": settings.PAGE_CACHE_READER_BUILT_SECONDS,
        "OPTIONS": {"MAX_ENTRIES": settings.PAGE_CACHE_READER_BUILT_ENTRIES, "CULL_FREQUENCY": 4},
    },
)


def store_for(cacheable: Cacheable):
    # The backend itself, not django.core.cache.cache, a proxy that hides which backend it is.
    return reader_built_pages if cacheable.reader_built else caches[DEFAULT_CACHE_ALIAS]


@functools.cache
def release() -> str:
    """A fingerprint of the code, templates, static files and rendering settings. A shared
    cache outlives a deploy; pages rendered by the old code (linking to a stylesheet by a
    hashed name that no longer exists) must not be served by the new."""
    digest = hashlib.sha256(django.get_version().encode())
    for name in RENDERING_SETTINGS:
        digest.update(f"{name}={getattr(settings, name, '')}\n".encode())
    roots = [
        Path(backrelief.__file__).parent,
        *(Path(apps.get_app_config(label).path) for label in settings.CONTENT_APPS),
        *(Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])),
        *(Path(d) for d in settings.STATICFILES_DIRS),
    ]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def page_query(request, allowed):
    """The request's query string in a normal form, or None if it has a parameter the view
    does not read. Parameters are sorted by name; repeated values keep their order, which the
    view may depend on."""
    if not request.META.get("QUERY_STRING"):
        return ""
    if not set(request.GET) <= allowed:
        return None
    return urlencode(sorted(request.GET.lists()), doseq=True)


def page_address(request, query):
    # Scheme and host are part of the page: canonical links and share tags are absolute.
    url = f"{origin(request)}{request.path}?{query}"
    return hashlib.sha256(f"{release()}|{url}".encode()).hexdigest()


def page_key(address, version):
    return f"page:{version}:{address}"


def shares_redis_with_version(store) -> bool:
    """Whether pages are kept in the Redis that holds the content version's copy
    (techniques/page_cache/shared_version.py), so that one round trip can read both."""
    return (
        shared_version.enabled()
        and isinstance(store, FailFastRedisCache)
        and store.only_server_is(settings.CONTENT_VERSION_REDIS_URL)
    )


class LastVersion:
    """The content version a request of this process read last. It changes only with an edit
    or when a guide scheduled for later goes public, so the key of the page a request wants is
    nearly always the one made with it: in the production shape, that key is read in the same
    round trip as the version (content_version.current_and), and what it holds is used only if
    the version read then is this one. Threads may overwrite each other's: a stale guess costs
    one more round trip, never a stale page."""

    value = None


def cached_page(request, query, store):
    """The current content version, the key of the page this request wants under it, and the
    page if the store has it (else None)."""
    address = page_address(request, query)
    guess = LastVersion.value if shares_redis_with_version(store) else None
    # The key as the cache files it in Redis, with its prefix.
    guessed_key = store.make_and_validate_key(page_key(address, guess)) if guess else None
    version, stored = content_version.current_and(guessed_key)
    LastVersion.value = version
    key = page_key(address, version)
    if stored is not None and version == guess:
        return version, key, store.value_of(stored)
    # A wrong guess, or a miss: a miss renders the page, next to which a second trip is nothing.
    return version, key, store.get(key)


def shareable(request, response):
    """Whether this response is the same for every anonymous reader."""
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        and not (hasattr(request, "user") and request.user.is_authenticated)
        # A page whose scripts carry this response's CSP nonce can't be replayed to another.
        and not csp_nonce_used(request)
    )


def mark_public(response):
    # Browsers revalidate every time (a cheap 304); a CDN may keep the page a little while.
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        must_revalidate=True,
        s_maxage=settings.PAGE_CACHE_SHARED_MAX_AGE,
        stale_while_revalidate=settings.PAGE_CACHE_STALE_WHILE_REVALIDATE,
    )
    # Signed-in editors get a different page at the same address: no shared cache may mix them.
    patch_vary_headers(response, ["Cookie", "Accept-Encoding"])
    set_response_etag(response)


def freeze(response):
    """What the cache keeps of a page: its headers, and its body gzipped once here rather than
    on every request. Only the gzipped body is kept (a quarter of the size, so a hit moves a
    quarter of the bytes out of Redis); the few clients that don't accept gzip get it
    unpacked from the cache, and as rendered (`plain`) on a miss. The gzipped response is
    stored whole (pickled, as Django's own cache middleware stores a response), so a hit from
    a browser doesn't set and check each header again.
    zlib-ng writes the same gzip as zlib, as small at the same level, in under half the time:
    on a page rendered for this request, the CPU a reader waits for."""
    headers = dict(response.items())
    gzipped = HttpResponse(gzip_ng.compress(response.content, compresslevel=6, mtime=0), headers=headers)
    gzipped["Content-Encoding"] = "gzip"
    gzipped["Content-Length"] = str(len(gzipped.content))
    # Another representation: a weak validator, as Django's GZipMiddleware makes it.
    if gzipped.has_header("ETag") and not gzipped["ETag"].startswith("W/"):
        gzipped["ETag"] = "W/" + gzipped["ETag"]
    return headers, gzipped


def thaw(frozen, request):
    """The page for this request: gzipped for browsers that accept it. Public pages carry no
    secrets (no CSRF token, no session), so compressing them exposes nothing to BREACH."""
    headers, gzipped = frozen
    if takes_gzip(request):
        return gzipped
    return HttpResponse(gzip_ng.decompress(gzipped.content), headers=headers)


def takes_gzip(request) -> bool:
    # META rather than request.headers, which copies every header on first use.
    return accepts("gzip", request.META.get("HTTP_ACCEPT_ENCODING", ""))


def plain(response):
    """The page as `thaw` gives it to a client that doesn't take gzip, from the rendered page
    rather than unpacked again."""
    return HttpResponse(response.content, headers=dict(response.items()))


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        release()  # hash the files at start-up rather than on a reader's request

    def __call__(self, request):
        cacheable = self.cacheable(request)
        if cacheable is None:
            return self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            # Possibly an editor, who may see drafts and the draft banner.
            response = self.get_response(request)
            patch_cache_control(response, private=True, no_store=True)
            return response
        query = page_query(request, cacheable.query)
        if query is None:
            return self.get_response(request)

        key = None
        store = store_for(cacheable)
        if settings.PAGE_CACHE_ENABLED:
            # Read before the view runs: a page is never filed under a version newer than its
            # content. A Redis that is down or stalled answers a miss within tens of
            # milliseconds (backrelief/redis_cache.py), and the page is rendered instead.
            version, key, frozen = cached_page(request, query, store)
            if frozen is not None:
                response = thaw(frozen, request)
                return get_conditional_response(request, etag=response.get("ETag"), response=response)
            # The view may read by it too, rather than read it again (content_version.of_request).
            request.content_version = version
        response = self.get_response(request)
        if not shareable(request, response):
            return response
        mark_public(response)
        takes = takes_gzip(request)
        # Gzipped only to be kept, or for a client that takes it: with nothing to keep (the
        # cache off) a client that doesn't (curl, some link-preview fetchers) costs no gzip.
        if key is None and not takes:
            response = plain(response)
        else:
            frozen = freeze(response)
            if key is not None:
                # The reader-built store's own, shorter, timeout applies there.
                if store is reader_built_pages:
                    store.set(key, frozen)
                else:
                    store.set(key, frozen, settings.PAGE_CACHE_SECONDS)
            _, gzipped = frozen
            response = gzipped if takes else plain(response)
        return get_conditional_response(request, etag=response.get("ETag"), response=response)

    @staticmethod
    def cacheable(request):
        """How the page is cached if this is a request for a cacheable page, else None."""
        if request.method not in ("GET", "HEAD"):
            return None
        return page_cache_for(request.path_info)


# Resolving a path takes longer than the rest of a hit; the answer for a path never changes
# while the code runs. Bounded, since anyone can make up paths.
@functools.lru_cache(maxsize=2048)
def page_cache_for(path):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return getattr(match.func, "page_cache", None)
