"""Stored guide bodies (techniques/guide_bodies/): a guide page read from its stored body is
exactly the page rendered from its rows now, after every kind of edit, with the page cache
off, so nothing but the stored body stands between the edit and the reader."""

import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from routines.models import Routine
from techniques.guide_bodies import stored
from techniques.models import GuideBody, Page, SafetyTip, Step, Technique
from tests.factories import TechniqueFactory
from tests.postgres_connections import needs_postgres
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
    """Asks for the page, which stores its body; then it is one query."""
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
    render = stored.render_body

    def render_then_edit(request, guide):
        body = render(request, guide)
        # An editor's save commits after this request read the rows, before it stores.
        Technique.objects.get(pk=guide.pk).steps.update(title="Edited meanwhile")
        return body

    with mock.patch.object(stored, "render_body", render_then_edit):
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
    with mock.patch.object(stored, "release", return_value="another-release"):
        assert queries(client, url) > 1
        assert queries(client, url) == 1
        assert GuideBody.objects.get(guide=site.guide).release == "another-release"


def test_a_body_the_database_refuses_to_store_still_makes_the_page(client, site):  # noqa: F811
    url = site.guide.get_absolute_url()
    with mock.patch.object(GuideBody.objects, "filter", side_effect=OperationalError("database is locked")):
        status, html = page(client, url)
    assert status == 200 and "Seated twist" in html
    assert GuideBody.objects.get(guide=site.guide).rendered_generation is None
    assert page(client, url) == rendered_from_rows(client, url)


def test_an_editor_previewing_a_draft_stores_nothing_of_their_own(client, staff_client, site):  # noqa: F811
    """An editor's visit may store the body a reader is served later: nothing in it may be theirs."""
    url = site.guide.get_absolute_url()
    Technique.objects.filter(pk=site.guide.pk).update(status="draft")
    status, preview = page(staff_client, url)
    assert status == 200 and "draft-banner" in preview
    body = GuideBody.objects.get(guide=site.guide)
    assert body.rendered_generation == body.generation
    assert "draft-banner" not in body.html and "csrfmiddlewaretoken" not in body.html
    assert page(client, url)[0] == 404


@pytest.mark.parametrize("move", ["step to another guide", "tip to another guide", "tip made site-wide"])
def test_a_row_moved_away_leaves_the_page_it_was_on(client, site, move):  # noqa: F811
    url = site.guide.get_absolute_url()
    step, tip = site.guide.steps.first(), SafetyTip.objects.create(technique=site.guide, kind="do", text="Sit tall.")
    row = step if move.startswith("step") else tip
    store_body(client, url)
    assert row_text(row) in page(client, url)[1]

    row.technique = None if move == "tip made site-wide" else site.other
    if move.startswith("step"):
        row.order = 99
    row.save()

    assert row_text(row) not in page(client, url)[1]
    assert page(client, url) == rendered_from_rows(client, url)


def row_text(row):
    return row.title if isinstance(row, Step) else row.text


@pytest.mark.parametrize("model", [Page, Routine])
def test_bulk_writes_to_what_no_guide_shows_leave_the_stored_bodies(client, site, model):  # noqa: F811
    url = site.guide.get_absolute_url()
    store_body(client, url)
    Routine.objects.create(slug="morning", title="Morning", summary="S.")
    model.objects.update(title="Renamed in bulk")
    assert queries(client, url) == 1


def test_guides_made_in_bulk_get_their_body_rows(client, site):  # noqa: F811
    made = Technique.objects.bulk_create(
        [Technique(**{**factory_fields(site.other), "slug": "bulk-guide", "title": "Bulk guide"})]
    )
    url = made[0].get_absolute_url()
    store_body(client, url)


def factory_fields(guide):
    fields = {field.attname: getattr(guide, field.attname) for field in Technique._meta.concrete_fields}
    fields.pop("id")
    return fields


def test_a_guide_without_a_body_row_is_rendered_and_never_stored_by_a_reader(client, site):  # noqa: F811
    """Only the transaction that makes a guide makes its body row: a row a reader made while
    an edit was in flight would not carry that edit's mark."""
    url = site.guide.get_absolute_url()
    GuideBody.objects.filter(guide=site.guide).delete()
    page(client, url)
    assert queries(client, url) > 1
    assert not GuideBody.objects.filter(guide=site.guide).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's; CI runs this on it")
@pytest.mark.django_db(transaction=True)
def test_a_reader_does_not_wait_for_an_edit_in_progress(client, settings):
    """An editor's save holds the guide's body row from its mark until it commits (a save
    with pictures to encode takes seconds): readers render the page meanwhile, without
    waiting and without storing it."""
    settings.PAGE_CACHE_ENABLED = False
    guide = TechniqueFactory(title="Seated twist", steps=2)
    url = guide.get_absolute_url()
    marked, release = threading.Event(), threading.Event()

    def edit():
        try:
            with transaction.atomic():
                guide.title = "Seated twist, revised"
                guide.save()
                marked.set()
                release.wait(10)
        finally:
            connections.close_all()

    editor = threading.Thread(target=edit)
    editor.start()
    try:
        assert marked.wait(10)
        started = time.monotonic()
        status, html = page(client, url)
        waited = time.monotonic() - started
    finally:
        release.set()
        editor.join()
    assert status == 200 and "Seated twist" in html and waited < 2
    body = GuideBody.objects.get(guide=guide)
    assert body.rendered_generation != body.generation
    assert "Seated twist, revised" in page(client, url)[1]


@needs_postgres
def test_a_stored_body_is_kept_in_its_row_compressed_with_lz4_on_postgresql(client, site):  # noqa: F811
    store_body(client, site.guide.get_absolute_url())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = 'techniques_guidebody'::regclass"
            " AND attname IN ('html', 'json_ld')"
        )
        assert dict(cursor.fetchall()) == {"html": "m", "json_ld": "m"}
        cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        has_lz4 = cursor.fetchone()[0]
        cursor.execute(
            "SELECT pg_column_compression(html), length(html) FROM techniques_guidebody WHERE guide_id = %s",
            [site.guide.pk],
        )
        compression, length = cursor.fetchone()
    # Long enough to be compressed at all: PostgreSQL leaves values under 2 kB as they are.
    assert length > 2048
    assert compression == ("lz4" if has_lz4 else "pglz")
