"""Static files as `make serve` serves them: the production STORAGES (compressed, hashed
names) and WhiteNoise's production behaviour. A template that names a static file missing
from the manifest would be a 500 in production only."""

import gzip
import importlib
import re
from unittest import mock

import brotli
import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.templatetags.static import static
from django.test import override_settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

from techniques.images.pictures import drawing_file
from techniques.models import Technique

pytestmark = pytest.mark.django_db

TEN_YEARS = 10 * 365 * 24 * 60 * 60


@pytest.fixture(scope="session")
def production():
    """The production settings module itself, so these tests follow any change to it."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SECRET_KEY", "x" * 50)
        return importlib.import_module("backrelief.settings.production")


def production_static_settings(production, static_root):
    """WhiteNoise serving only what collectstatic wrote, as it does with DEBUG off (test
    settings serve from the source folders)."""
    return override_settings(
        STATIC_ROOT=static_root,
        STORAGES=production.STORAGES,
        WHITENOISE_MAX_AGE=production.WHITENOISE_MAX_AGE,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    )


@pytest.fixture(scope="session")
def collected_static(production, tmp_path_factory):
    """collectstatic with production's storages, once: compressing every file takes seconds."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    with production_static_settings(production, static_root):
        call_command("collectstatic", interactive=False, verbosity=0)
    return static_root


@pytest.fixture
def production_static(production, collected_static):
    with production_static_settings(production, collected_static):
        drawing_file.cache_clear()
        yield
    drawing_file.cache_clear()


def test_every_public_page_renders_with_hashed_static_files(client, seeded, production_static):
    urls = ["/", "/guides/", "/safety/", "/what-is-the-pop/", "/sources/", "/about/", "/no-such-page/"]
    urls += [guide.get_absolute_url() for guide in Technique.objects.published()]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert "/static/css/site." in response.content.decode(), url


def body(response):
    return b"".join(response.streaming_content)


def test_static_files_are_served_compressed_and_hashed_names_are_cached_for_good(client, production, production_static):
    assert production.STORAGES["staticfiles"]["BACKEND"] == "backrelief.static_files.RememberingManifestStorage"
    css_url = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', client.get("/").content.decode())[1]

    plain = client.get(css_url)
    assert plain.status_code == 200
    assert "Content-Encoding" not in plain
    css = body(plain)
    responses = [plain]
    for encoding, decompress in [("br", brotli.decompress), ("gzip", gzip.decompress)]:
        response = client.get(css_url, HTTP_ACCEPT_ENCODING=f"{encoding}, deflate")
        assert response.status_code == 200
        assert response["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response["Vary"]
        compressed = body(response)
        assert len(compressed) < len(css) and decompress(compressed) == css
        responses.append(response)
    # The hash changes whenever the file does, so browsers and CDNs may keep it for good.
    for response in responses:
        assert response["Cache-Control"] == f"max-age={TEN_YEARS}, public, immutable"

    # A weight of 0 refuses a coding (RFC 9110): the client gets the next one it allows, or
    # the plain file.
    for header, expected in [
        ("gzip;q=0", None),
        ("br;q=0, gzip;q=0", None),
        ("*;q=0", None),
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=0, br", "br"),
        ("*", "br"),
        ("br;q=0, *", "gzip"),
    ]:
        response = client.get(css_url, HTTP_ACCEPT_ENCODING=header)
        assert response.status_code == 200, header
        assert response.get("Content-Encoding") == expected, header
        decompress = {None: bytes, "br": brotli.decompress, "gzip": gzip.decompress}[expected]
        assert decompress(body(response)) == css, header

    # The unhashed name, which nothing links to, may change under the same URL: an hour.
    unhashed = client.get("/static/css/site.css")
    assert unhashed.status_code == 200
    assert unhashed["Cache-Control"] == f"max-age={production.WHITENOISE_MAX_AGE}, public"


def test_a_static_url_is_worked_out_once_and_names_outside_the_manifest_still_fail(production_static):
    worked_out = CompressedManifestStaticFilesStorage.url(staticfiles_storage, "css/site.css")
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", worked_out)
    with mock.patch.object(
        CompressedManifestStaticFilesStorage, "stored_name", wraps=staticfiles_storage.stored_name
    ) as stored_name:
        assert [static("css/site.css") for _ in range(3)] == [worked_out] * 3
    assert stored_name.call_count == 1
    # A template naming a file collectstatic never saw is an error, every time it is asked.
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            static("css/no-such-file.css")
    # With DEBUG on, as in development, names are not hashed, remembered or not.
    with override_settings(DEBUG=True):
        assert static("css/site.css") == "/static/css/site.css"
    assert static("css/site.css") == worked_out


def test_collectstatic_in_the_same_process_forgets_the_urls(production_static):
    static("css/site.css")
    assert staticfiles_storage.urls
    list(staticfiles_storage.post_process({}, dry_run=True))  # nothing written
    assert not staticfiles_storage.urls
