"""The search for databases other than PostgreSQL looks words up in an index kept in the process
under the content version (techniques/search/sqlite.py). Search pages are never cached, so nothing
else stands between an edit and the searcher: every edit a search shows must be in its very
next result, exactly as a process that had kept nothing finds it; and a search under a version
already read runs no query but the version's."""

from datetime import timedelta
from random import Random
from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import set_script_prefix
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from techniques.models import Page, PageSlug, Status, Step, Technique
from techniques.search import sqlite
from techniques.search.results import (
    GUIDE,
    PAGE,
    STEP,
    Result,
    marked_html,
    marked_words_html,
    results_html,
    split_at_words,
)
from tests.factories import StepFactory, TechniqueFactory
from tests.test_page_cache import rename
from tests.test_search import search_page, titles

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
    with mock.patch.object(sqlite, "kept_index", sqlite.KeptIndex()):
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
    "guide feel edited": (lambda s: rename(s.guide, "feel", "A *warm* stretch."), "warm"),
    "guide mistakes edited": (lambda s: rename(s.guide, "mistakes", "Don't **bounce**."), "bounce"),
    "step added": (lambda s: StepFactory(technique=s.guide, order=2, title="Unwind", instruction="x"), "unwind"),
    "page renamed": (lambda s: rename(s.page, "title", "Red flags"), "flags"),
    "page summary edited": (lambda s: rename(s.page, "summary", "Warning signs."), "warning"),
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


def test_a_results_address_and_label_follow_an_edit_after_it_was_shown(client, site):
    """A shown document keeps its address and label; an edit makes new documents."""
    before = kept_search(client, "sit")
    assert f'href="/guides/{site.guide.slug}/"' in before and "Step 1 of Seated twist" in before

    rename(site.guide, "slug", "seated-rotation")
    rename(site.guide, "title", "Seated rotation")
    after = search_page(client, "sit")

    assert 'href="/guides/seated-rotation/"' in after
    assert f'href="/guides/seated-rotation/#{site.step.anchor}"' in after
    assert "Step 1 of Seated rotation" in after and "Step 1 of Seated twist" not in after
    assert after == found_by_a_fresh_process(client, "sit")


def test_a_results_address_begins_with_the_script_prefix_it_is_served_under(client, site):
    """Addresses are kept with a document per script prefix: a site served under /back-relief/
    as well links there, after the same results were shown under /."""
    guide, step = site.guide.get_absolute_url(), site.step.get_absolute_url()
    assert f'href="{guide}"' in kept_search(client, "sit") and f'href="{step}"' in search_page(client, "sit")

    # As the WSGI handler sets it from SCRIPT_NAME; the test client leaves it as it is.
    set_script_prefix("/back-relief/")
    try:
        under_prefix = search_page(client, "sit")
    finally:
        set_script_prefix("/")
    assert f'href="/back-relief{guide}"' in under_prefix and f'href="/back-relief{step}"' in under_prefix

    assert f'href="{guide}"' in search_page(client, "sit")


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


def test_a_deleted_step_is_gone_from_the_next_search(client, site):
    assert "Step 1 of Seated twist" in kept_search(client, "feet")
    site.step.delete()
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


def snippet_of(text, query):
    TechniqueFactory(title="Long", summary="A guide.", intro=text, feel="", mistakes="", steps=0)
    [candidate] = sqlite.matches(query)[0][0]
    return candidate.result().snippet


def test_the_snippet_starts_a_few_words_before_the_first_match_of_a_long_text():
    words = [f"word{number}" for number in range(80)]
    words[40] = "(stretching"
    shown = snippet_of(" ".join(words), "stretch")
    # The text is the summary's two words, then these: the match is its 43rd word. Seven
    # words before it, thirty in all, and more on both sides.
    assert shown.startswith("… word33 word34")
    assert "(<mark>stretching</mark> word41" in shown
    assert shown.endswith("word62 …")


def test_a_snippet_near_the_start_or_with_no_match_starts_at_the_start():
    words = [f"word{number}" for number in range(28)]
    words[3] = "stretch"
    assert snippet_of(" ".join(words), "stretch") == "A guide. word0 word1 word2 <mark>stretch</mark> " + " ".join(
        words[4:]
    )


def test_a_snippet_of_a_title_only_match_is_the_texts_first_thirty_words():
    TechniqueFactory(title="Stretch", summary="A guide.", intro=" ".join(["word"] * 40), feel="", mistakes="", steps=0)
    [candidate] = sqlite.matches("stretch")[0][0]
    assert candidate.result().snippet == "A guide. " + " ".join(["word"] * 28) + " …"


def test_a_title_whose_capital_letter_folds_oddly_is_still_found(client):
    """A pattern ignoring case matches "i" with the dotted capital I, which case-folds to "i"
    and a combining dot: the index's lookup by folded words must not pass over it."""
    TechniqueFactory(title="İnhale deeply", summary="A guide.", intro="", feel="", mistakes="", steps=0)
    assert titles(client, "inhale") == ["İnhale deeply"]


def test_only_matches_that_may_be_shown_are_made_candidates_and_the_page_is_the_same(client):
    """Ranks tie often (many titles with the word): those tied with the last shown are all
    ordered by their marked titles, as if every match were."""
    # Fifteen title matches (rank 1.2 with the introduction's), ten summary matches (0.6) and
    # five in the introduction only (0.2): the twentieth place falls among the summary matches.
    # Marking changes how titles sort: "<mark>Stretch</mark> …" sorts before "Side …".
    titles = [f"{'Stretch' if number % 2 else 'Side stretch'} {(number * 7) % 15:02d}" for number in range(15)]
    titles += [f"{'Arch' if number % 2 else 'Bend'} {(number * 3) % 10}" for number in range(10)]
    titles += [f"Roll {number}" for number in range(5)]
    for number, title in enumerate(titles):
        summary = "Stretch well." if 15 <= number < 25 else "A guide."
        TechniqueFactory(title=title, summary=summary, intro="Then stretch.", feel="", mistakes="", steps=0)
    shown = search_page(client, "stretch")
    assert "30 results" in shown and shown.count('<li class="search-result') == 20
    ranks = sorted((candidate.rank for candidate in sqlite.matches("stretch")[0][0]), reverse=True)
    assert len(ranks) == 25 and ranks[19] == ranks[24], "every summary match ties with the twentieth"
    with mock.patch.object(sqlite, "RESULTS_SHOWN", 1000):
        assert search_page(client, "stretch") == shown


def test_the_results_list_escapes_what_it_is_given_and_keeps_the_marks():
    picture = SimpleNamespace(url="/static/a.svg?x=1&y=2", alt='A "quoted" <alt>', width=400, height=300)
    result = Result(
        GUIDE, "Guide & <co>", SafeString("<mark>Cat</mark> &amp; cow"), SafeString("s"), '/g/"x"/', 1.0, picture
    )
    html = results_html([result])
    assert html == (
        '<ol class="search-results"><li class="search-result with-picture">'
        '<img class="search-result-picture" src="/static/a.svg?x=1&amp;y=2" alt="A &quot;quoted&quot; &lt;alt&gt;"'
        ' width="400" height="300" loading="lazy" decoding="async">'
        '<h2 class="search-result-title"><a href="/g/&quot;x&quot;/"><mark>Cat</mark> &amp; cow</a></h2>'
        '<p class="search-result-kind">Guide &amp; &lt;co&gt;</p><p class="search-result-snippet">s</p></li></ol>'
    )


def test_the_results_list_escapes_plain_text_and_takes_html_marked_safe_as_it_is():
    result = Result(GUIDE, mark_safe("A &amp; B"), "<b>Cat</b>", "<i>s</i>", "/g/?a=1&b=2", 1.0, None)
    html = results_html([result])
    assert '<a href="/g/?a=1&amp;b=2">&lt;b&gt;Cat&lt;/b&gt;</a>' in html and "&lt;i&gt;s&lt;/i&gt;" in html
    assert '<p class="search-result-kind">A &amp; B</p>' in html


def test_results_of_equal_rank_kind_and_title_keep_the_order_their_rows_are_read_in(client):
    """Steps of different guides often share a title: found by it, they tie on everything the
    order is made of, and are listed as their rows come, the same at every search."""
    for title in ("Chair twist", "Wall twist", "Floor twist"):
        guide = TechniqueFactory(title=title, summary="A guide.", intro="", feel="", mistakes="", steps=0)
        StepFactory(technique=guide, order=1, title="Sit tall", instruction="Then turn.", breathing="")
    read_in = [step.get_absolute_url() for step in Step.objects.filter(title="Sit tall")]
    assert len(read_in) == 3
    results = sqlite.matches("sit tall")[1][0]
    assert [candidate.result().url for candidate in results] == read_in


# Words whose letters fold or match oddly when case is ignored: the dotted capital I and the
# dotless i, the sharp s, the long s, the Kelvin sign, the Greek final sigma, the micro sign.
ODD_WORDS = ["İnhale", "ınhale", "Straße", "STRASSE", "ſtretch", "\u212aelvin", "kelvin", "ΣΤΡΕΤΣ", "στρετς"]
ODD_WORDS += ["µm", "μm"]
PLAIN_WORDS = ["stretch", "Stretches", "shoulder", "Shoulders", "blade", "neck", "inhale", "exhale", "wall", "roll"]


def ranked_one_text_at_a_time(weighted_documents, query):
    """What the index must find: each term's pattern run over each text, the most important first."""
    terms = sqlite.compiled(sqlite.search_terms(query))
    ranks = {}
    for place, (_, weighted) in enumerate(weighted_documents):
        rank = 0.0
        for pattern in terms.each:
            weight = next((weight for weight, text in weighted if pattern.search(text)), None)
            if weight is None:
                break
            rank += weight
        else:
            ranks[place] = rank
    return ranks


def test_the_index_ranks_every_document_as_the_patterns_run_over_every_text_would():
    """The index looks words up (by their folded form) instead of running the patterns: it must
    find the same documents with the same ranks, whatever the words' case and letters, and
    matches() count them by kind."""
    random = Random(17)
    vocabulary = ODD_WORDS + PLAIN_WORDS

    def text():
        return " ".join(random.choice(vocabulary + ["(" + random.choice(vocabulary), "a-b", "x"]) for _ in range(6))

    def weighted_document():
        weighted = [(weight, text()) for weight in (1.0, 0.4, 0.2, 0.1)[: random.randint(1, 4)]]
        title = weighted[0][1]
        return sqlite.document(random.choice([GUIDE, STEP, PAGE]), title, title, None), weighted

    weighted_documents = [weighted_document() for _ in range(300)]
    index = sqlite.Index(weighted_documents)
    queries = [word[:cut] for word in vocabulary for cut in (2, 4, len(word))]
    # Up to four words: floats summed in another order than the terms' can differ in the last
    # place (0.4 + 0.2 + 0.1), and change ties.
    queries += [" ".join(random.choices(vocabulary, k=random.randint(2, 4))) for _ in range(300)]
    # A word no text holds, alone, first, and after words many texts hold.
    queries += ["zebra", "zebra neck", "neck zebra", "st zebra"]
    # A query of no words worth looking for ("İn" is "i̇n" lowered: two words of one letter) isn't searched.
    queries = [query for query in queries if sqlite.search_terms(query)]
    found_some = 0
    for query in queries:
        terms = sqlite.compiled(sqlite.search_terms(query))
        expected = ranked_one_text_at_a_time(weighted_documents, query)
        assert index.ranks(terms) == expected, query
        # And matches() counts them by kind.
        with (
            mock.patch.object(sqlite.content_version, "current", return_value="a version"),
            mock.patch.object(sqlite, "kept_index", SimpleNamespace(under=lambda version: index)),
        ):
            totals = [total for _, total in sqlite.matches(query)]
        kinds = [weighted_documents[place][0].kind for place in expected]
        assert totals == [kinds.count(kind) for kind in (GUIDE, STEP, PAGE)], query
        found_some += bool(expected)
    assert found_some > len(queries) // 2


def test_a_title_split_at_its_words_is_marked_as_marking_the_whole_title_would():
    """Titles are marked word by word where that gives the same HTML as marking and escaping
    the whole title; titles where it can't (spaces to tidy, citation marks, mark characters of
    their own) are not split."""
    random = Random(23)
    pieces = ODD_WORDS + PLAIN_WORDS + [" ", " ", " ", "&", "<b>", '"', "'", "-", "(", ")", ",", "  ", " [1]", "\ue000"]
    titles = ["".join(random.choice(pieces) for _ in range(random.randint(1, 8))) for _ in range(2000)]
    split = 0
    for title in titles:
        words = split_at_words(title)
        for query in (random.choice(ODD_WORDS + PLAIN_WORDS)[:3], "sh st", "in"):
            terms = sqlite.search_terms(query)
            if words and terms:
                pattern = sqlite.compiled(terms).any_term
                assert marked_words_html(words, pattern) == marked_html(sqlite.mark(title, pattern)), (title, query)
        split += words is not None
    assert 500 < split < len(titles), "some titles are split and some are not"
