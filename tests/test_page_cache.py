"""The page cache: hits skip the view, every kind of edit shows on the very next request,
and nothing personal, draft or broken is ever cached."""

import gzip
import hashlib
from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from backrelief.redis_cache import redis_cache_settings
from routines.models import Routine, RoutineItem
from techniques import views
from techniques.models import (
    BodyArea,
    Equipment,
    GuideCitation,
    Page,
    PageCitation,
    SafetyTip,
    Status,
    Technique,
)
from techniques.page_cache import PageCacheMiddleware, content_version, middleware
from tests.admin_forms import change_form_data
from tests.factories import SourceFactory, StepFactory, TechniqueFactory
from tests.image_files import image_bytes
from tests.postgres_connections import (
    assert_reconnects_after_the_kept_connection_is_dropped,
    needs_postgres,
    start_of_a_request,
)
from tests.test_editorial_safety import revert_through_admin

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = [
    "Content-Security-Policy",
    "Permissions-Policy",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
]


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    response.query_count = len(queries)
    response.queries = [query["sql"] for query in queries]
    return response


def page(client, url):
    response = client.get(url)
    return response.status_code, response.content.decode()


@pytest.fixture
def site(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    guide = TechniqueFactory(title="Seated twist", steps=3, sources=2)
    other = TechniqueFactory(title="Open book")
    guide.related.add(other)
    guide.equipment.add(Equipment.objects.create(slug="chair", name="Chair"))
    guide.body_areas.add(BodyArea.objects.create(slug="upper-back", name="Upper back"))
    about = Page.objects.create(slug="about", title="About", summary="Who we are.", body="We write guides.")
    PageCitation.objects.create(page=about, source=SourceFactory(), order=1)
    SafetyTip.objects.create(kind="do", text="Warm up first.")
    SafetyTip.objects.create(kind="dont", text="Force the movement.")
    Page.objects.create(slug="safety", title="Safety", summary="Stay safe.", body="Go gently.")
    return SimpleNamespace(guide=guide, other=other, about=about)


def test_a_hit_runs_only_the_version_query_and_skips_the_view(client, site):
    url = site.guide.get_absolute_url()
    miss = get(client, url)
    assert miss.query_count > 1 and "techniques_contentversion" in miss.queries[0]
    with mock.patch("techniques.views.render") as render:
        hit = get(client, url)
    render.assert_not_called()
    assert hit.query_count == 1 and "techniques_contentversion" in hit.queries[0]
    assert hit.status_code == 200 and hit.content == miss.content


def rename(obj, field="title", value="Edited"):
    setattr(obj, field, value)
    obj.save()


def upload_step_image(site):
    step = site.guide.steps.first()
    step.image = SimpleUploadedFile("new-photo.jpg", image_bytes(size=(800, 600)), "image/jpeg")
    step.image_alt = "A person sitting upright"
    step.save()


# name -> (the page that shows it, the edit)
EDITS = {
    "guide saved": ("guide", lambda s: rename(s.guide, "title", "Seated twist, revised")),
    "guide bulk-updated": ("guide", lambda s: Technique.objects.filter(pk=s.guide.pk).update(summary="Now shorter.")),
    "guide deleted": ("guide", lambda s: s.guide.delete()),
    "step edited": ("guide", lambda s: rename(s.guide.steps.first(), "title", "Turn further")),
    "step added": ("guide", lambda s: StepFactory(technique=s.guide, order=9, title="Rest")),
    "step deleted": ("guide", lambda s: s.guide.steps.last().delete()),
    "step image uploaded": ("guide", upload_step_image),
    "tip edited": ("guide", lambda s: rename(s.guide.tips.first(), "text", "Breathe slowly.")),
    "source edited": ("guide", lambda s: rename(s.guide.citations.first().source, "title", "A better study")),
    "citation added": (
        "guide",
        lambda s: GuideCitation.objects.create(technique=s.guide, source=SourceFactory(title="New trial"), order=5),
    ),
    "citation removed": ("guide", lambda s: s.guide.citations.last().delete()),
    "equipment renamed": ("guide", lambda s: rename(Equipment.objects.get(slug="chair"), "name", "Stool")),
    "equipment added": ("guide", lambda s: s.guide.equipment.add(Equipment.objects.create(slug="mat", name="Mat"))),
    "body areas cleared": ("guide", lambda s: s.guide.body_areas.clear()),
    "related guide removed": ("guide", lambda s: s.guide.related.remove(s.other)),
    "related guide unpublished": ("guide", lambda s: rename(s.other, "status", Status.DRAFT)),
    "page edited": ("about", lambda s: rename(s.about, "body", "We write **careful** guides.")),
    "page citation removed": ("about", lambda s: s.about.citations.all().delete()),
    "site-wide tip edited": ("safety", lambda s: SafetyTip.objects.filter(technique=None).update(text="Go slow.")),
    "guide added to the list": ("list", lambda s: TechniqueFactory(title="Wall angels")),
}


def url_of(name, site):
    return site.guide.get_absolute_url() if name == "guide" else reverse(f"techniques:{name}")


@pytest.mark.parametrize("edit", EDITS)
def test_every_kind_of_edit_shows_on_the_next_request(client, settings, site, edit):
    where, change = EDITS[edit]
    url = url_of(where, site)
    before = page(client, url)
    assert get(client, url).query_count == 1  # now served from the cache

    change(site)
    after = page(client, url)

    settings.PAGE_CACHE_ENABLED = False
    assert after == page(client, url), "the next request must show exactly what the view renders now"
    assert after != before


def test_admin_edits_actions_and_reverts_show_on_the_next_request(client, staff_client, site):
    url = site.guide.get_absolute_url()
    original = site.guide.history.latest()
    page(client, url)

    change = reverse("admin:techniques_technique_change", args=[site.guide.pk])
    form = change_form_data(staff_client.get(change))
    form["title"] = "Renamed in the admin"
    assert staff_client.post(change, form).status_code == 302
    assert "Renamed in the admin" in page(client, url)[1]

    changelist = reverse("admin:techniques_technique_changelist")
    staff_client.post(changelist, {"action": "unpublish", "_selected_action": [site.guide.pk]})
    assert page(client, url)[0] == 404
    staff_client.post(changelist, {"action": "publish", "_selected_action": [site.guide.pk]})
    assert page(client, url)[0] == 200

    assert revert_through_admin(staff_client, site.guide.pk, original).status_code == 302
    assert "Seated twist" in page(client, url)[1]


def test_loading_content_shows_on_the_next_request(client):
    assert "Cat-cow" not in page(client, "/")[1]
    call_command("load_content", verbosity=0)
    assert "Cat-cow" in page(client, "/")[1]


def test_a_guide_appears_when_its_publication_time_comes(client):
    now = timezone.now()
    TechniqueFactory(title="Scheduled guide", published_at=now + timedelta(hours=1))
    assert "Scheduled guide" not in page(client, "/")[1]
    assert get(client, "/").query_count == 1
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(hours=2)):
        assert "Scheduled guide" in page(client, "/")[1]


def test_every_content_model_bumps_the_version_on_bulk_writes():
    for model in content_version.content_models():
        assert isinstance(model._default_manager.all(), content_version.ContentQuerySet), model


def test_staff_and_drafts_are_never_cached(client, staff_client, site):
    draft = TechniqueFactory(title="Secret draft", status=Status.DRAFT)
    preview = staff_client.get(draft.get_absolute_url())
    assert preview.status_code == 200 and "Draft." in preview.content.decode()
    assert "no-store" in preview["Cache-Control"] and "private" in preview["Cache-Control"]
    assert client.get(draft.get_absolute_url()).status_code == 404

    url = site.guide.get_absolute_url()
    staff_client.get(url)
    assert get(client, url).query_count > 1  # the editor's visit filled nothing
    assert get(staff_client, url).query_count > 1  # and editors never get the cached copy


def test_the_admin_is_never_cached(staff_client):
    for _ in range(2):
        response = get(staff_client, reverse("admin:index"))
        assert response.status_code == 200 and response.query_count > 1
        assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


@pytest.mark.parametrize(
    "url, status",
    [
        ("/guides/no-such-guide/", 404),
        ("/guides/?position=upside-down", 400),
        ("/guides/?page=99", 404),
        ("/?utm_source=newsletter", 200),
        ("/guides/?position=seated&sort=title", 200),
    ],
)
def test_errors_and_unknown_query_strings_are_not_cached(client, site, url, status):
    for _ in range(2):
        response = get(client, url)
        assert response.status_code == status and response.query_count > 1
        assert "public" not in response.get("Cache-Control", "")


def test_the_guide_list_is_cached_per_filter_and_page(client, site):
    seated, standing = "/guides/?position=seated", "/guides/?position=standing"
    assert page(client, seated) != page(client, standing)
    assert get(client, seated).query_count == get(client, standing).query_count == 1
    assert get(client, "/guides/?difficulty=gentle&position=seated").query_count > 1
    assert get(client, "/guides/?position=seated&difficulty=gentle").query_count == 1  # the same query, reordered


def test_the_host_is_part_of_the_key(client, site):
    assert "http://localhost/" in client.get("/", HTTP_HOST="localhost").content.decode()
    assert "http://127.0.0.1/" in client.get("/", HTTP_HOST="127.0.0.1").content.decode()


def test_a_reader_with_a_session_cookie_is_not_served_from_the_cache(client, site):
    url = site.guide.get_absolute_url()
    page(client, url)
    client.cookies["sessionid"] = "not-a-real-session"
    response = get(client, url)
    assert response.query_count > 1 and "private" in response["Cache-Control"]


def test_page_cache_off_runs_the_view_every_time(client, settings, site):
    settings.PAGE_CACHE_ENABLED = False
    url = site.guide.get_absolute_url()
    with mock.patch("techniques.views.render", wraps=views.render) as render:
        first, second = get(client, url), get(client, url)
    assert render.call_count == 2 and first.content == second.content
    assert not any("techniques_contentversion" in sql for sql in first.queries + second.queries)
    assert "public" in second["Cache-Control"] and second.has_header("ETag")


@pytest.mark.parametrize("cached", [True, False, None], ids=["hit", "miss", "cache off"])
def test_a_conditional_get_is_answered_304(client, site, cached, settings):
    url = site.guide.get_absolute_url()
    etag = client.get(url)["ETag"]
    if not cached:
        cache.clear()
    if cached is None:
        settings.PAGE_CACHE_ENABLED = False
    response = get(client, url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


@pytest.mark.parametrize("cached", [True, False, None], ids=["hit", "miss", "cache off"])
def test_browsers_that_accept_gzip_get_the_page_gzipped(client, site, cached, settings):
    url = site.guide.get_absolute_url()
    plain = client.get(url)
    if not cached:
        cache.clear()
    if cached is None:
        settings.PAGE_CACHE_ENABLED = False
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    assert int(zipped["Content-Length"]) == len(zipped.content)
    assert len(zipped.content) < len(plain.content) / 3
    # zlib-ng, for speed, at no cost in bytes against the standard library's zlib.
    assert len(zipped.content) <= len(gzip.compress(plain.content, compresslevel=6, mtime=0)) * 1.01
    assert zipped["ETag"] == "W/" + plain["ETag"]
    revalidated = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=zipped["ETag"])
    assert revalidated.status_code == 304 and revalidated.content == b""
    assert not plain.has_header("Content-Encoding")


def test_clients_without_gzip_get_from_the_cache_exactly_the_page_a_miss_gave_them(client, site):
    """The cache keeps a page gzipped only; a client that doesn't accept gzip gets it unpacked."""
    url = site.guide.get_absolute_url()
    miss = get(client, url)
    hit = get(client, url, HTTP_ACCEPT_ENCODING="identity")
    assert hit.query_count < miss.query_count, "served from the cache"
    assert hit.content == miss.content
    assert not hit.has_header("Content-Encoding")
    assert dict(hit.items()) == dict(miss.items())
    assert int(hit["Content-Length"]) == len(hit.content)
    # The plain page's own strong validator, as Django makes it from the body.
    assert hit["ETag"] == f'"{hashlib.md5(hit.content, usedforsecurity=False).hexdigest()}"'


def test_a_page_is_gzipped_only_to_be_kept_or_for_a_client_that_takes_gzip(client, site, settings):
    """Gzipping a guide page and unpacking it again took a fifth of rendering it: a client
    that doesn't take gzip gets the page as rendered, gzipped only if the cache keeps it, and
    never unpacked again; the page is the same either way."""
    url = site.guide.get_absolute_url()
    compress = mock.patch.object(middleware.gzip_ng, "compress", wraps=middleware.gzip_ng.compress)
    decompress = mock.patch.object(middleware.gzip_ng, "decompress", wraps=middleware.gzip_ng.decompress)
    with compress as compressed, decompress as decompressed:
        kept = client.get(url)
        assert (compressed.call_count, decompressed.call_count) == (1, 0), "gzipped to be kept, not unpacked"
        from_the_cache = client.get(url)
        assert (compressed.call_count, decompressed.call_count) == (1, 1), "a hit is unpacked"
        settings.PAGE_CACHE_ENABLED = False
        rendered = client.get(url)
        assert (compressed.call_count, decompressed.call_count) == (1, 1), "nothing kept: no gzip"
        zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert compressed.call_count == 2 and zipped["Content-Encoding"] == "gzip"
    assert kept.content == from_the_cache.content == rendered.content == gzip.decompress(zipped.content)
    assert dict(kept.items()) == dict(from_the_cache.items()) == dict(rendered.items())
    assert not rendered.has_header("Content-Encoding")


def test_public_pages_let_browsers_revalidate_and_cdns_cache_briefly(client, site, settings):
    cache_control = client.get(site.guide.get_absolute_url())["Cache-Control"]
    assert set(cache_control.split(", ")) == {
        "public",
        "max-age=0",
        "must-revalidate",
        f"s-maxage={settings.PAGE_CACHE_SHARED_MAX_AGE}",
        f"stale-while-revalidate={settings.PAGE_CACHE_STALE_WHILE_REVALIDATE}",
    }


def test_hits_carry_the_same_security_headers_as_misses(client, site):
    url = site.guide.get_absolute_url()
    miss, hit = get(client, url), get(client, url)
    assert hit.query_count == 1
    for header in [*SECURITY_HEADERS, "Cache-Control", "ETag", "Vary", "Content-Type"]:
        assert hit.has_header(header), header
        assert hit[header] == miss[header], header
    assert "Cookie" in hit["Vary"]


@pytest.mark.parametrize("name", ["home", "list", "safety", "cavitation", "sources", "about", "guide"])
def test_public_pages_carry_no_csrf_token_or_cookie(client, seeded, name):
    url = Technique.objects.published().first().get_absolute_url() if name == "guide" else reverse(f"techniques:{name}")
    response = client.get(url)
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies


def stored_after_two_requests(response_factory, method="get", path="/", **extra):
    """How many times the view ran for two identical anonymous requests."""
    calls = []

    def view(request):
        calls.append(request)
        return response_factory(request)

    middleware = PageCacheMiddleware(view)
    for _ in range(2):
        middleware(getattr(RequestFactory(), method)(path, **extra))
    return len(calls)


def with_cookie(request):
    response = HttpResponse("hello")
    response.set_cookie("seen", "1")
    return response


def private(request):
    response = HttpResponse("hello")
    response["Cache-Control"] = "private"
    return response


def with_csp_nonce(request):
    request._csp_nonce = "bm9uY2U="  # as django-csp stores it once a template asks for one
    return HttpResponse("<script nonce='bm9uY2U='></script>")


@pytest.mark.parametrize(
    "response_factory",
    [
        with_cookie,
        private,
        with_csp_nonce,
        lambda request: HttpResponse("gone", status=404),
        lambda request: HttpResponse("broken", status=500),
        lambda request: HttpResponse(status=302, headers={"Location": "/"}),
        lambda request: StreamingHttpResponse(iter([b"a", b"b"])),
    ],
    ids=["Set-Cookie", "private", "CSP nonce", "404", "500", "redirect", "streaming"],
)
def test_responses_that_are_not_for_everyone_are_not_stored(response_factory):
    assert stored_after_two_requests(response_factory) == 2


@pytest.mark.parametrize(
    "method, path",
    [("post", "/"), ("get", "/admin/"), ("get", "/editor/markdown/preview/"), ("get", "/healthz")],
)
def test_only_get_and_head_of_public_pages_are_stored(method, path):
    assert stored_after_two_requests(lambda request: HttpResponse("hello"), method, path) == 2


def test_a_plain_public_response_is_stored():
    assert stored_after_two_requests(lambda request: HttpResponse("hello")) == 1


def test_pages_are_still_served_when_the_cache_is_down(client, settings, site):
    # Nothing listens on port 1: every cache call fails at once.
    settings.CACHES = {"default": redis_cache_settings("redis://127.0.0.1:1/0", settings.REDIS_TIMEOUT_MS)}
    for _ in range(2):
        assert client.get(site.guide.get_absolute_url()).status_code == 200


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_hit_checks_a_kept_connection_with_the_version_query_alone(client, site):
    url = site.guide.get_absolute_url()
    client.get(url)
    assert connection.health_check_enabled
    start_of_a_request()
    with mock.patch.object(type(connections["default"]), "is_usable", side_effect=AssertionError("SELECT 1 sent")):
        response = get(client, url)
    assert response.status_code == 200
    assert response.query_count == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_hit_on_a_kept_connection_the_database_has_dropped_reconnects(client, site):
    url = site.guide.get_absolute_url()
    assert_reconnects_after_the_kept_connection_is_dropped(client, url)


@pytest.mark.parametrize(
    "accept_encoding,gzipped",
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8, *;q=0.1", True),
        ("x-gzip", True),
        ("*", True),
        ("GZIP ; Q=0.5", True),
        ("", False),
        ("identity", False),
        ("br", False),
        ("gzip;q=0", False),
        ("gzip;q=0.000", False),
        ("gzip; q=0, deflate", False),
        ("deflate, gzip;q=0", False),
        ("*;q=0", False),
        ("*, gzip;q=0", False),
        ("gzip;q=0, *", False),
        ("gzip;q=bogus", False),
        ("gzip;q=2", False),
        ("notgzip", False),
    ],
)
def test_gzip_only_when_the_accept_encoding_weights_allow_it(client, site, accept_encoding, gzipped):
    url = site.guide.get_absolute_url()
    for _ in ("miss", "hit"):
        response = client.get(url, HTTP_ACCEPT_ENCODING=accept_encoding)
        assert response.status_code == 200
        assert (response.get("Content-Encoding") == "gzip") is gzipped


def test_a_routine_appears_when_its_publication_time_comes(client):
    now = timezone.now()
    guide = TechniqueFactory(title="Live guide")
    routine = Routine.objects.create(
        slug="later",
        title="Scheduled routine",
        summary="Soon.",
        status=Status.PUBLISHED,
        published_at=now + timedelta(hours=1),
    )
    RoutineItem.objects.create(routine=routine, technique=guide, order=1)
    assert "Scheduled routine" not in page(client, "/routines/")[1]
    assert get(client, "/routines/").query_count == 1
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(hours=2)):
        assert "Scheduled routine" in page(client, "/routines/")[1]
        assert page(client, "/routines/later/")[0] == 200


def cached_pages(store=None):
    """How many pages a local-memory store holds (the tests' shared cache is one)."""
    return len((store or cache)._cache)


@pytest.mark.parametrize(
    "asked, canonical",
    [
        ("/guides/?page=0001", "/guides/"),
        ("/guides/?page=1", "/guides/"),
        ("/guides/?page=", "/guides/"),
        ("/guides/?page=02", "/guides/?page=2"),
        ("/guides/?page=2&page=2", "/guides/?page=2"),
        ("/guides/?position=seated&position=seated", "/guides/?position=seated"),
        ("/guides/?position=standing&position=seated", "/guides/?position=seated"),
        ("/guides/?position=&equipment=&area=&difficulty=", "/guides/"),
        ("/guides/?difficulty=gentle&position=&page=001", "/guides/?difficulty=gentle"),
        ("/guides/?page=0002&utm_source=news", "/guides/?page=2&utm_source=news"),
    ],
)
def test_other_spellings_of_a_guide_list_redirect_to_its_one_address(client, site, asked, canonical):
    TechniqueFactory.create_batch(12, steps=1)  # a second page
    response = client.get(asked)
    assert response.status_code == 301 and response["Location"] == canonical
    assert cached_pages() == 0
    assert client.get(canonical).status_code == 200


def test_a_flood_of_spellings_adds_no_page_to_the_cache(client, site):
    TechniqueFactory.create_batch(12, steps=1)
    for canonical in ("/guides/", "/guides/?page=2", "/guides/?position=seated"):
        client.get(canonical)
    stored = cached_pages()
    assert stored == 3
    for zeros in range(1, 40):
        client.get(f"/guides/?page={'0' * zeros}1")
        client.get(f"/guides/?page={'0' * zeros}2")
        client.get("/guides/?" + "&".join(["position=seated"] * (zeros + 1)))
    assert cached_pages() == stored
    # Filters in another order are the same list, under the same key.
    client.get("/guides/?position=seated&difficulty=gentle")
    client.get("/guides/?difficulty=gentle&position=seated")
    assert cached_pages() == stored + 1


def test_reader_built_routines_have_their_own_bounded_store(client, seeded, monkeypatch):
    monkeypatch.setattr(middleware.reader_built_pages, "_max_entries", 20)
    for url in ("/", "/guides/", "/guides/cat-cow/", "/routines/"):
        client.get(url)
    shared = cached_pages()
    made_up = [
        f"/routines/custom/cat-cow~x{first}+lying-rotation~{hold}/" for first in range(1, 11) for hold in range(10, 16)
    ]
    answered = [client.get(url).status_code for url in made_up]
    assert answered.count(200) >= 50, answered
    # Nothing reached the shared cache, and the reader-built store kept to its budget.
    assert cached_pages() == shared
    assert 0 < cached_pages(middleware.reader_built_pages) <= 20
    for url in ("/", "/guides/", "/guides/cat-cow/", "/routines/"):
        assert get(client, url).query_count == 1, url  # still hits
    # A reader-built routine shared and opened again is served from the store.
    assert get(client, made_up[-1]).query_count == 1


def test_a_reader_built_routine_is_cached_only_under_its_one_address(client, seeded):
    canonical = "/routines/custom/cat-cow+lying-rotation/"
    assert client.get(canonical).status_code == 200
    assert cached_pages(middleware.reader_built_pages) == 1
    for other in (
        canonical + "?utm_source=x",
        canonical + "?",
        "/routines/custom/cat-cow%2Blying-rotation/",
        "/routines/custom/Cat-Cow+lying-rotation/",
        "/routines/custom/cat-cow+lying-rotation",
        "/routines/custom/cat-cow~+lying-rotation/",
        "/routines/custom/cat-cow~x03+lying-rotation/",
    ):
        client.get(other)
    assert cached_pages(middleware.reader_built_pages) == 1
    assert cached_pages() == 0
