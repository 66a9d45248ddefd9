"""Reader-built routines are rendered from parts kept in the process under the content version
(routines/parts.py). With the page cache off, nothing else stands between an edit and the
reader: every edit a routine shows must be on its very next request, exactly as a process
that had kept nothing would render it; and a routine of guides already kept reads nothing but
the version."""

from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import set_script_prefix
from django.utils import timezone

from routines import parts
from techniques.models import SafetyTip, Status, Technique, TipKind, Urgency
from tests.factories import StepFactory, TechniqueFactory
from tests.test_page_cache import page, rename, upload_step_image

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture
def site(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    guide = TechniqueFactory(title="Seated twist", steps=3)
    other = TechniqueFactory(title="Open book", steps=2)
    SafetyTip.objects.create(technique=guide, kind=TipKind.RED_FLAG, urgency=Urgency.STOP, text="Stop if it pinches.")
    SafetyTip.objects.create(kind=TipKind.RED_FLAG, urgency=Urgency.URGENT, text="Chest pain with back pain.")
    url = f"/routines/custom/{guide.slug}+{other.slug}/"
    return SimpleNamespace(guide=guide, other=other, url=url)


def rendered_from_rows(client, url):
    """The page as a process that has kept nothing renders it."""
    with (
        mock.patch.object(parts, "kept_guides", parts.Kept(parts.GUIDES_KEPT)),
        mock.patch.object(parts, "kept_guide_parts", parts.Kept(parts.PARTS_KEPT)),
        mock.patch.object(parts, "kept_red_flags", parts.Kept(4)),
    ):
        return page(client, url)


EDITS = {
    "guide renamed": lambda s: rename(s.guide, "title", "Seated twist, revised"),
    "guide renamed in bulk": lambda s: Technique.objects.filter(pk=s.guide.pk).update(title="Twist"),
    "step edited": lambda s: rename(s.guide.steps.first(), "title", "Turn further"),
    "step's hold changed": lambda s: rename(s.guide.steps.first(), "hold_seconds", 25),
    "step added": lambda s: StepFactory(technique=s.guide, order=9, title="Rest"),
    "step deleted": lambda s: s.guide.steps.last().delete(),
    "step image uploaded": upload_step_image,
    "guide's red flag edited": lambda s: rename(
        s.guide.tips.get(text="Stop if it pinches."), "text", "Stop if your arm tingles."
    ),
    "red flag added to the other guide": lambda s: SafetyTip.objects.create(
        technique=s.other, kind=TipKind.RED_FLAG, urgency=Urgency.SOON, text="Numbness that lasts."
    ),
    "site-wide red flag edited in bulk": lambda s: SafetyTip.objects.filter(technique=None).update(text="Fever too."),
    "site-wide red flag deleted": lambda s: SafetyTip.objects.filter(technique=None).delete(),
}


@pytest.mark.parametrize("edit", EDITS)
def test_every_edit_a_reader_built_routine_shows_is_on_its_next_request(client, site, edit):
    before = page(client, site.url)
    assert before[0] == 200
    assert page(client, site.url) == before  # now from the kept parts

    EDITS[edit](site)
    after = page(client, site.url)

    assert after != before
    assert after == rendered_from_rows(client, site.url), "the next request must show what the rows say now"


@pytest.mark.parametrize(
    "edit",
    [
        lambda s: rename(s.guide, "status", Status.DRAFT),
        lambda s: Technique.objects.filter(pk=s.guide.pk).update(status=Status.DRAFT),
        lambda s: s.guide.delete(),
        lambda s: rename(s.guide, "slug", "seated-twist-renamed"),
    ],
    ids=["unpublished", "unpublished in bulk", "deleted", "renamed address"],
)
def test_a_guide_gone_from_the_public_is_gone_from_the_next_request(client, site, edit):
    assert page(client, site.url)[0] == 200
    edit(site)
    status, html = page(client, site.url)
    assert status == 404
    assert "not a guide on this site" in html


def test_a_guide_scheduled_for_later_joins_routines_at_its_time(client, site):
    now = timezone.now()
    later = TechniqueFactory(title="Wall angels", steps=1)
    Technique.objects.filter(pk=later.pk).update(published_at=now + timedelta(hours=1))
    url = f"/routines/custom/{site.guide.slug}+{later.slug}/"
    assert page(client, url)[0] == 404
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(hours=2)):
        status, html = page(client, url)
    assert status == 200 and "Wall angels" in html


def test_a_routine_of_kept_guides_reads_only_the_version(client, site):
    page(client, site.url)
    # Another address of the same guides, in another order, with overrides: a new page.
    other_url = f"/routines/custom/{site.other.slug}+{site.guide.slug}~x4/"
    with CaptureQueriesContext(connection) as queries:
        status, html = page(client, other_url)
    assert status == 200 and "4 times" in html
    assert [query["sql"] for query in queries] == [queries[0]["sql"]]
    assert "techniques_contentversion" in queries[0]["sql"]
    assert (status, html) == rendered_from_rows(client, other_url)


def test_the_same_guide_in_the_same_place_with_other_overrides_is_its_own_part(client, site):
    for reps in (4, 6, None):
        spec = f"{site.guide.slug}~x{reps}" if reps else site.guide.slug
        url = f"/routines/custom/{spec}+{site.other.slug}/"
        status, html = page(client, url)
        assert status == 200
        assert (status, html) == rendered_from_rows(client, url), url


def test_a_miss_with_the_page_cache_on_reads_the_version_once(client, settings, site):
    settings.PAGE_CACHE_ENABLED = True
    page(client, site.url)
    with CaptureQueriesContext(connection) as queries:
        status, _ = page(client, f"/routines/custom/{site.other.slug}+{site.guide.slug}/")
    assert status == 200
    assert len(queries) == 1 and "techniques_contentversion" in queries[0]["sql"]


def test_parts_are_kept_per_script_prefix(client, site):
    default = page(client, site.url)[1]
    assert f'href="/guides/{site.guide.slug}/"' in default
    # As the WSGI handler sets it for a site mounted below the root (the test client doesn't).
    set_script_prefix("/back-relief/")
    try:
        prefixed = page(client, site.url)[1]
    finally:
        set_script_prefix("/")
    assert f'href="/back-relief/guides/{site.guide.slug}/"' in prefixed
    assert page(client, site.url)[1] == default


def test_nothing_is_kept_under_debug(client, settings, site):
    settings.DEBUG = True
    page(client, site.url)
    assert not parts.kept_guides.values and not parts.kept_guide_parts.values and not parts.kept_red_flags.values
    settings.DEBUG = False
    page(client, site.url)
    assert parts.kept_guides.values and parts.kept_guide_parts.values and parts.kept_red_flags.values


def test_an_address_naming_no_published_guide_keeps_nothing(client, site):
    for number in range(3):
        assert page(client, f"/routines/custom/{site.guide.slug}+no-such-guide-{number}/")[0] == 404
    assert [key[-1] for key in parts.kept_guides.values] == [site.guide.slug]


def test_what_is_kept_is_bounded():
    kept = parts.Kept(3)
    for number in range(5):
        kept.put(number, str(number))
    assert kept.get(0) is parts.NOT_KEPT and kept.get(1) is parts.NOT_KEPT
    assert kept.get(2) == "2"  # now the most recently used
    kept.put(5, "5")
    assert kept.get(3) is parts.NOT_KEPT
    assert [kept.get(key) for key in (2, 4, 5)] == ["2", "4", "5"]
