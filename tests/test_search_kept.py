"""The search for databases other than PostgreSQL looks through text kept in the process under
the content version (techniques/search/sqlite.py). Search pages are never cached, so nothing
else stands between an edit and the searcher: every edit a search shows must be in its very
next result, exactly as a process that had kept nothing finds it; and a search under a version
already read runs no query but the version's."""

from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from techniques.models import Page, PageSlug, Status, Technique
from techniques.search import sqlite
from tests.factories import StepFactory, TechniqueFactory
from tests.test_page_cache import rename
from tests.test_search import search_page

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL searches its own index"),
]


@pytest.fixture
def site():
    guide = TechniqueFactory(title="Seated twist", summary="Turn gently.", intro="Sit tall.", steps=0)
    StepFactory(technique=guide, order=1, title="Sit tall", instruction="Rest both feet flat.", breathing="Breathe in.")
    page = Page.objects.create(slug=PageSlug.SAFETY, title="Staying safe", summary="When to stop.", body="Stop early.")
    return SimpleNamespace(guide=guide, step=guide.steps.get(), page=page)


def found_by_a_fresh_process(client, query):
    with mock.patch.object(sqlite, "kept_documents", sqlite.KeptDocuments()):
        return search_page(client, query)


def kept_search(client, query):
    """The search page, from text kept by an earlier search."""
    search_page(client, "warm")
    return search_page(client, query)


EDITS = {
    "guide renamed": (lambda s: rename(s.guide, "title", "Seated rotation"), "rotation"),
    "guide renamed in bulk": (lambda s: Technique.objects.filter(pk=s.guide.pk).update(title="Rotation"), "rotation"),
    "guide summary edited": (lambda s: rename(s.guide, "summary", "Rotate slowly."), "rotate"),
    "guide introduction edited": (lambda s: rename(s.guide, "intro", "Plant your *hips*."), "hips"),
    "step renamed": (lambda s: rename(s.step, "title", "Plant the hips"), "hips"),
    "step instruction edited": (lambda s: rename(s.step, "instruction", "Knees over **ankles**."), "ankles"),
    "step breathing edited": (lambda s: rename(s.step, "breathing", "Exhale as you turn."), "exhale"),
    "step added": (lambda s: StepFactory(technique=s.guide, order=2, title="Unwind", instruction="x"), "unwind"),
    "page edited": (lambda s: rename(s.page, "body", "Numbness means stop."), "numbness"),
}


@pytest.mark.parametrize("edit", EDITS)
def test_every_edit_is_in_the_next_search(client, site, edit):
    change, new_word = EDITS[edit]
    before = kept_search(client, new_word)
    assert "No results" in before

    change(site)
    after = search_page(client, new_word)

    assert "<mark>" in after, f"{new_word!r} must be found on the next search"
    assert after == found_by_a_fresh_process(client, new_word)


@pytest.mark.parametrize(
    "edit",
    [
        lambda s: rename(s.guide, "status", Status.DRAFT),
        lambda s: Technique.objects.filter(pk=s.guide.pk).update(status=Status.DRAFT),
        lambda s: s.guide.delete(),
    ],
    ids=["unpublished", "unpublished in bulk", "deleted"],
)
def test_a_guide_gone_from_the_public_is_gone_from_the_next_search_and_so_are_its_steps(client, site, edit):
    assert "2 results" in kept_search(client, "sit")  # the guide and its step
    edit(site)
    assert "No results" in search_page(client, "sit")
    assert "No results" in search_page(client, "feet")


def test_a_deleted_page_is_gone_from_the_next_search(client, site):
    assert "Staying safe" in kept_search(client, "stop")
    site.page.delete()
    assert "Staying safe" not in search_page(client, "stop")


def test_a_guide_scheduled_for_later_is_found_from_its_time(client, site):
    now = timezone.now()
    later = TechniqueFactory(title="Wall angels", steps=0)
    Technique.objects.filter(pk=later.pk).update(published_at=now + timedelta(hours=1))
    assert "No results" in kept_search(client, "angels")
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(hours=2)):
        html = search_page(client, "angels")
    assert "<mark>angels</mark>" in html


def test_a_search_under_a_version_already_read_runs_only_the_versions_query(client, site):
    search_page(client, "twist")
    with CaptureQueriesContext(connection) as queries:
        html = search_page(client, "feet")
    assert "Step 1 of Seated twist" in html
    assert [query["sql"] for query in queries] == [queries[0]["sql"]]
    assert "techniques_contentversion" in queries[0]["sql"]


def test_the_snippet_starts_a_few_words_before_the_first_match_of_a_long_text(client):
    words = [f"word{number}" for number in range(80)]
    words[40] = "(stretching"
    TechniqueFactory(title="Long", summary="A guide.", intro=" ".join(words), feel="", mistakes="", steps=0)
    [snippet] = sqlite.matches("stretch")[0][0]
    shown = snippet.result().snippet
    # Seven words before the match's word, thirty in all, and more on both sides.
    assert shown.startswith("… word33 word34")
    assert "(<mark>stretching</mark> word41" in shown
    assert shown.endswith("word62 …")


def test_only_matches_that_may_be_shown_are_made_candidates_and_the_page_is_the_same(client):
    """Ranks tie often (many titles with the word): those tied with the last shown are all
    ordered by title, as if every match were."""
    for number in range(30):
        # Titles in no order, ranks in three tiers: title, summary or introduction.
        title = f"Guide {(number * 7) % 30:02d}" + (" stretch" if number % 3 == 0 else "")
        summary = "Stretch well." if number % 3 == 1 else "A guide."
        TechniqueFactory(title=title, summary=summary, intro="Then stretch.", feel="", mistakes="", steps=0)
    shown = search_page(client, "stretch")
    assert "30 results" in shown and shown.count('<li class="search-result') == 20
    with mock.patch.object(sqlite, "RESULTS_SHOWN", 1000):
        assert search_page(client, "stretch") == shown
