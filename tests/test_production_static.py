"""Pages rendered with hashed static names, as `make serve` serves them: a template that
names a static file missing from the manifest would be a 500 in production only."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from techniques.models import Technique
from techniques.pictures import drawing_size

pytestmark = pytest.mark.django_db

MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


def test_every_public_page_renders_with_hashed_static_files(client, seeded, tmp_path):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=MANIFEST_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
        drawing_size.cache_clear()
        urls = ["/", "/guides/", "/safety/", "/what-is-the-pop/", "/sources/", "/about/", "/no-such-page/"]
        urls += [guide.get_absolute_url() for guide in Technique.objects.published()]
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 404), url
            assert "/static/css/site." in response.content.decode(), url
    drawing_size.cache_clear()
