"""Stored guide bodies (techniques/guide_bodies.py): a guide page read from its stored body is
exactly the page rendered from its rows now, after every kind of edit, with the page cache
off, so nothing but the stored body stands between the edit and the reader."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from techniques import guide_bodies
from techniques.models import GuideBody, Technique
from tests.factories import TechniqueFactory
from tests.test_page_cache import EDITS, page, site  # noqa: F401 (site is a fixture)

pytestmark = pytest.mark.django_db

GUIDE_EDITS = [name for name, (where, _) in EDITS.items() if where == "guide"]


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    settings.PAGE_CACHE_ENABLED = False


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def store_body(client, url):
    """Asks for the page until its body is stored; then it is one query."""
    page(client, url)
    page(client, url)
    assert queries(client, url) == 1


def rendered_from_rows(client, url):
    """The page as its rows make it now, with no stored body to read."""
    GuideBody.objects.all().delete()
    return page(client, url)


@pytest.mark.parametrize("edit", GUIDE_EDITS)
def test_every_kind_of_edit_shows_on_the_next_request(client, site, edit):  # noqa: F811
    url = site.guide.get_absolute_url()
    store_body(client, url)
    before = page(client, url)

    EDITS[edit][1](site)
    after = page(client, url)

    assert after != before
    assert after == rendered_from_rows(client, url), "the next request must show exactly what the rows say now"


def test_a_body_rendered_from_rows_an_edit_changed_meanwhile_is_not_stored(client, site):  # noqa: F811
    url = site.guide.get_absolute_url()
    store_body(client, url)
    site.guide.title = "Renamed"
    site.guide.save()
    render = guide_bodies.render_body

    def render_then_edit(request, guide):
        body = render(request, guide)
        # An editor's save commits after this request read the rows, before it stores.
        Technique.objects.get(pk=guide.pk).steps.update(title="Edited meanwhile")
        return body

    with mock.patch.object(guide_bodies, "render_body", render_then_edit):
        stale = page(client, url)[1]
    assert "Renamed" in stale and "Edited meanwhile" not in stale
    body = GuideBody.objects.get(guide=site.guide)
    assert body.rendered_generation != body.generation
    assert "Edited meanwhile" in page(client, url)[1]


def test_a_related_guide_scheduled_for_later_joins_the_list_when_it_goes_public(client, site):  # noqa: F811
    now = timezone.now()
    later = TechniqueFactory(title="Wall angels", published_at=now + timedelta(hours=1))
    site.guide.related.add(later)
    url = site.guide.get_absolute_url()
    store_body(client, url)
    assert "Wall angels" not in page(client, url)[1]
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(hours=2)):
        assert "Wall angels" in page(client, url)[1]


def test_a_body_is_stored_for_one_host_and_rendered_for_another(client, site, settings):  # noqa: F811
    settings.ALLOWED_HOSTS = ["testserver", "backrelief.example"]
    url = site.guide.get_absolute_url()
    store_body(client, url)
    other = client.get(url, HTTP_HOST="backrelief.example").content.decode()
    assert "http://backrelief.example/guides/" in other and "http://testserver/" not in other


def test_a_new_release_renders_the_body_again(client, site):  # noqa: F811
    url = site.guide.get_absolute_url()
    store_body(client, url)
    with mock.patch.object(guide_bodies, "release", return_value="another-release"):
        assert queries(client, url) > 1
        assert queries(client, url) == 1
        assert GuideBody.objects.get(guide=site.guide).release == "another-release"


def test_a_body_the_database_refuses_to_store_still_makes_the_page(client, site):  # noqa: F811
    url = site.guide.get_absolute_url()
    page(client, url)
    with mock.patch.object(GuideBody.objects, "filter", side_effect=OperationalError("database is locked")):
        status, html = page(client, url)
    assert status == 200 and "Seated twist" in html
    assert GuideBody.objects.get(guide=site.guide).rendered_generation is None
    assert page(client, url) == rendered_from_rows(client, url)


def test_an_editor_previewing_a_draft_stores_nothing_of_their_own(client, staff_client, site):  # noqa: F811
    """An editor's visit may store the body a reader is served later: nothing in it may be theirs."""
    url = site.guide.get_absolute_url()
    Technique.objects.filter(pk=site.guide.pk).update(status="draft")
    page(staff_client, url)
    status, preview = page(staff_client, url)
    assert status == 200 and "draft-banner" in preview
    body = GuideBody.objects.get(guide=site.guide)
    assert body.rendered_generation == body.generation
    assert "draft-banner" not in body.html and "csrfmiddlewaretoken" not in body.html
    assert page(client, url)[0] == 404
