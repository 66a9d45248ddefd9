"""Site search (/search/): what it finds, in what order, how it shows it, and what it does
with hostile input. The PostgreSQL full-text path and the SQLite fallback each have tests of
their own, skipped on the other database; CI runs the suite once on each."""

import json
import re
import subprocess
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from techniques.models import Page, PageSlug, Status, Technique
from techniques.search import MAX_QUERY_LENGTH, RESULTS_SHOWN, SearchForm, find
from tests.factories import StepFactory, TechniqueFactory
from tests.html_safety import script_problems
from tests.test_html_valid import checker_command
from tests.xss_payloads import XSS_PAYLOADS

pytestmark = pytest.mark.django_db

SEARCH = reverse("techniques:search")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
on_fallback = pytest.mark.skipif(connection.vendor == "postgresql", reason="the fallback for other databases")


def guide(title, intro="", summary="A guide.", **fields):
    """A published guide whose only words are the ones given: the factory's own summary and
    texts would match searches of their own."""
    return TechniqueFactory(title=title, summary=summary, intro=intro, feel="", mistakes="", steps=0, **fields)


def search_page(client, query, status=200):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == status, query
    return response.content.decode()


def results(client, query):
    """(title text, label, url) of each result shown, in order."""
    html = search_page(client, query)
    found = re.findall(
        r'<h2 class="search-result-title"><a href="([^"]+)">(.*?)</a></h2>\s*<p class="search-result-kind">(.*?)</p>',
        html,
        re.S,
    )
    return [(re.sub(r"</?mark>", "", title), label, url) for url, title, label in found]


def titles(client, query):
    return [title for title, _, _ in results(client, query)]


def snippets(client, query):
    return re.findall(r'<p class="search-result-snippet">(.*?)</p>', search_page(client, query), re.S)


# What a reader finds


def test_finds_guides_steps_and_pages_with_a_count(client):
    chin_tuck = guide("Chin tuck", "Good for a stiff neck.", slug="chin-tuck")
    StepFactory(technique=chin_tuck, order=1, title="Sit tall", instruction="Keep your neck long.")
    StepFactory(technique=chin_tuck, order=2, title="Tuck the chin", instruction="Draw the neck back gently.")
    Page.objects.create(slug=PageSlug.SAFETY, title="Staying safe", summary="When to stop.", body="Leave the neck.")
    found = results(client, "neck")
    assert sorted(found) == sorted(
        [
            ("Chin tuck", "Guide", "/guides/chin-tuck/"),
            ("Sit tall", "Step 1 of Chin tuck", "/guides/chin-tuck/#step-1"),
            ("Tuck the chin", "Step 2 of Chin tuck", "/guides/chin-tuck/#step-2"),
            ("Staying safe", "Page", "/safety/"),
        ]
    )
    assert "4 results for “neck”." in search_page(client, "neck")


def test_a_step_result_links_to_the_steps_anchor_on_the_guide_page(client):
    cat_cow = guide("Cat-cow", slug="cat-cow")
    StepFactory(technique=cat_cow, order=1, title="Set up on all fours")
    StepFactory(technique=cat_cow, order=3, title="Round up into a hump")
    [(title, label, url)] = results(client, "hump")
    assert (title, label, url) == ("Round up into a hump", "Step 3 of Cat-cow", "/guides/cat-cow/#step-3")
    assert 'id="step-3"' in client.get(url.split("#")[0]).content.decode()


def test_title_matches_rank_above_summary_matches_above_body_matches(client):
    guide("Shoulder rolls", "Roll slowly.", summary="Loosen up.")
    guide("Body only", "Roll one shoulder back.", summary="A gentle stretch.")
    guide("Summary hit", "Move slowly.", summary="Ease a tight shoulder.")
    assert titles(client, "shoulder") == ["Shoulder rolls", "Summary hit", "Body only"]


def test_drafts_and_scheduled_guides_are_never_found_nor_their_steps(client):
    draft = guide("Secret zebra twist", status=Status.DRAFT, published_at=None)
    StepFactory(technique=draft, title="Zebra step", instruction="A zebra in the instructions.")
    scheduled = guide("Future zebra", "Zebra.", published_at=timezone.now() + timedelta(days=1))
    StepFactory(technique=scheduled, title="Future zebra step")
    html = search_page(client, "zebra")
    assert "No results for “zebra”." in html
    assert "Secret" not in html and "Future" not in html
    assert find("zebra").items == []


def test_no_results_points_to_the_guide_list(client):
    guide("Cat-cow")
    html = search_page(client, "trampoline")
    assert "No results for “trampoline”." in html
    assert f'<a href="{reverse("techniques:list")}">browse all guides</a>' in html


def test_shows_the_best_few_of_many_matches_and_says_how_many_there_are(client):
    for number in range(RESULTS_SHOWN + 5):
        guide(f"Stretch {number}")
    html = search_page(client, "stretch")
    assert html.count('class="search-result"') == RESULTS_SHOWN
    assert f"{RESULTS_SHOWN + 5} results for “stretch”; here are the best {RESULTS_SHOWN}." in html


# How results are shown


def test_snippets_are_readable_text_with_the_matches_marked(client):
    guide(
        "Wall angel",
        "Keep your **elbows** soft and read [the warm-up](/guides/warm-up/) first [1]. Don't rush the elbows.",
        summary="Slide your arms up a wall.",
    )
    [snippet] = snippets(client, "elbows")
    assert "<mark>elbows</mark> soft and read the warm-up first." in snippet
    assert "Don’t rush the <mark>elbows</mark>" in snippet
    for markup in ["**", "](", "<strong>", "<a ", "[1]", "&amp;", "&rsquo;"]:
        assert markup not in snippet, markup


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_an_editors_markup_comes_out_of_snippets_and_titles_as_inert_text(client, payload):
    quokka = guide(f"Quokka {payload}", f"quokka {payload}", summary=f"Quokka {payload}")
    StepFactory(technique=quokka, title=f"Quokka {payload}", instruction=f"quokka {payload}")
    html = search_page(client, "quokka")
    assert html.count('class="search-result"') == 2
    assert script_problems(html) == []
    results_part = html[html.index('class="search-results"') :]
    # Only the site's own tags: the title's link, the kind and snippet paragraphs, and <mark>.
    assert set(re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", results_part.split("</ol>")[0])) <= {
        "li",
        "h2",
        "a",
        "p",
        "mark",
    }


def test_a_title_typed_with_angle_brackets_is_shown_as_typed(client):
    guide("Reach <up> & over")
    html = search_page(client, "reach")
    assert "<mark>Reach</mark> &lt;up&gt; &amp; over" in html


# Hostile and odd input


def test_an_empty_search_shows_the_form_and_a_hint(client):
    for query in ["", "   ", "\t"]:
        html = search_page(client, query)
        assert '<input id="search-q" type="search" name="q" value=""' in html
        assert "Type a word or two" in html
        assert 'class="search-results"' not in html and "No results" not in html
    assert "Type a word or two" in client.get(SEARCH).content.decode()


def test_search_pages_are_kept_out_of_search_engines_and_the_sitemap(client):
    guide("Cat-cow")
    for query in ["", "cat"]:
        assert '<meta name="robots" content="noindex">' in search_page(client, query)
    assert "/search/" not in client.get("/sitemap.xml").content.decode()


def test_a_search_longer_than_the_limit_is_a_400_with_a_clear_message(client):
    guide("Cat-cow")
    search_page(client, "a" * MAX_QUERY_LENGTH)
    html = search_page(client, "cat " * 60, status=400)
    assert f"Your search is too long: please use at most {MAX_QUERY_LENGTH} characters" in html
    assert 'class="search-results"' not in html


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_control_characters_are_a_400_with_a_clear_message(client, character):
    html = search_page(client, f"neck{character}pain", status=400)
    assert "Your search contains a control character" in html
    assert html.count("control character") == 1
    assert 'value=""' in html


@pytest.mark.parametrize(
    "query",
    [
        "'",
        '"',
        '"unclosed phrase',
        "&|!:*()",
        "cat & | ! : * ( ) <-> <2>",
        "!!!",
        "-",
        "--",
        "cat:*",
        "cat' OR '1'='1",
        "'; DROP TABLE techniques_technique; --",
        "cat\\",
        "%",
        "_",
        "😀 cat 🐈",
        "café",
        "\u200d",
        "<script>alert(1)</script>",
        "the and or",
        "a",
        "x" * MAX_QUERY_LENGTH,
    ],
)
def test_odd_and_hostile_queries_answer_safely(client, query):
    guide("Cat-cow", "Round and arch.")
    html = search_page(client, query)
    assert script_problems(html) == []
    assert "<script>alert" not in html
    assert Technique.objects.count() == 1


@pytest.mark.parametrize(
    ("query_string", "status"),
    [("q=%ff%fe", 200), ("q=%E2%80", 200), ("q=cat%00", 400), ("q[]=cat", 200), ("q=cat&q=%00", 400), ("q", 200)],
)
def test_raw_query_strings_never_cause_a_server_error(client, query_string, status):
    guide("Cat-cow")
    assert client.get(f"{SEARCH}?{query_string}").status_code == status


def test_a_repeated_q_searches_for_the_last_one_as_django_reads_it(client):
    guide("Cat-cow")
    guide("Wall angel")
    response = client.get(SEARCH + "?q=cat&q=wall")
    assert response.status_code == 200
    assert [result.title for result in response.context["results"].items] == ["<mark>Wall</mark> angel"]


def test_only_get_and_head_are_answered(client):
    assert client.post(SEARCH, {"q": "cat"}).status_code == 405
    assert client.head(SEARCH, {"q": "cat"}).status_code == 200


def test_the_form_collapses_whitespace():
    form = SearchForm({"q": "  neck \t\n pain  "})
    assert form.is_valid()
    assert form.cleaned_data["q"] == "neck pain"


def test_search_results_are_not_put_in_the_shared_page_cache(client):
    guide("Cat-cow")
    response = client.get(SEARCH, {"q": "cat"})
    assert "public" not in response.get("Cache-Control", "")


def test_search_pages_are_valid_html(client, seeded, tmp_path):
    pages = {"": 200, "neck": 200, "zzzz": 200, "neck " * 50: 400, "neck\x07": 400}
    files = []
    for number, (query, status) in enumerate(pages.items()):
        files.append(tmp_path / f"search-{number}.html")
        files[-1].write_text(search_page(client, query, status))
    result = subprocess.run([*checker_command(), *map(str, files)], capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr)["messages"]
    assert [message for message in messages if message.get("type") in {"error", "non-document-error"}] == []
    assert result.returncode == 0, result.stderr


# The search form in the header


def test_every_page_has_a_labelled_search_form_in_its_header(client, seeded):
    for url in ["/", "/guides/", "/guides/cat-cow/", "/safety/", "/about/", "/no-such-page/"]:
        html = client.get(url).content.decode()
        header = html[html.index('<header class="site-header">') : html.index("</header>")]
        assert f'<form class="site-search" role="search" method="get" action="{SEARCH}">' in header, url
        assert '<label class="visually-hidden" for="site-search-q">' in header, url
        assert '<input id="site-search-q" type="search" name="q"' in header, url
        assert '<button type="submit">Search</button>' in header, url


def test_the_search_page_has_one_search_form_not_two(client):
    html = search_page(client, "")
    assert html.count('role="search"') == 1
    assert 'id="site-search-q"' not in html


# PostgreSQL full-text search


@on_postgresql
def test_postgresql_finds_other_forms_of_a_word(client):
    guide("Chest opener", "Stretching the chest after sitting.")
    assert titles(client, "stretches") == ["Chest opener"]
    [snippet] = snippets(client, "stretches")
    assert "<mark>Stretching</mark> the chest" in snippet


@on_postgresql
def test_postgresql_reads_quotes_or_and_minus_as_a_search_box_should(client):
    guide("Upper back roll", "Roll the upper back.")
    guide("Back of the upper arm", "For the arm.")
    guide("Neck glide", "For the neck.")
    assert titles(client, '"upper back"') == ["Upper back roll"]
    assert sorted(titles(client, "upper -roll")) == ["Back of the upper arm"]
    assert sorted(titles(client, "glide or roll")) == ["Neck glide", "Upper back roll"]


@on_postgresql
def test_postgresql_ranks_a_step_title_above_a_guide_body_match(client):
    wall_slide = guide("Wall slide", "Keep your ribs down; do not arch.")
    StepFactory(technique=wall_slide, order=1, title="Arch gently", instruction="Lift your chest.")
    assert [label for _, label, _ in results(client, "arch")] == ["Step 1 of Wall slide", "Guide"]


@on_postgresql
def test_postgresql_snippets_decode_the_contents_html_and_escape_it_again(client):
    guide("Wall angel", "Don't lift the elbows > shoulders & keep the elbows soft.")
    [snippet] = snippets(client, "elbows")
    assert "Don’t lift the <mark>elbows</mark> &gt; shoulders &amp; keep the <mark>elbows</mark> soft" in snippet


@on_postgresql
def test_postgresql_stored_documents_follow_every_kind_of_write(client):
    """The stored search documents are the database's to keep: a save, a queryset update and
    a bulk insert each leave them current, for guides, steps and pages alike."""
    chest = guide("Chest opener", "For the chest.")
    step = StepFactory(technique=chest, order=1, title="Arms wide", instruction="Open the arms.")
    assert titles(client, "wingspan") == []

    chest.intro = "Stretch to your full wingspan."
    chest.save()
    assert titles(client, "wingspan") == ["Chest opener"]

    step.title = "Reach to the ceiling"
    step.save()
    assert titles(client, "ceiling") == ["Reach to the ceiling"]

    Technique.objects.filter(pk=chest.pk).update(title="Doorway pectoral stretch")
    assert titles(client, "pectoral") == ["Doorway pectoral stretch"]
    assert "Chest opener" not in titles(client, "opener")

    [copy] = Technique.objects.bulk_create(
        [
            Technique(
                **{
                    **{
                        f.attname: getattr(chest, f.attname)
                        for f in Technique._meta.concrete_fields
                        if not f.primary_key
                    },
                    "slug": "bulk-copy",
                    "title": "Bulk copied sternum lift",
                    "search_document": None,
                }
            )
        ]
    )
    assert "Bulk copied sternum lift" in titles(client, "sternum")

    about = Page.objects.create(slug=PageSlug.ABOUT, title="About us", summary="Who we are.", body="A team.")
    about.body = "Written by a team of zymologists."
    about.save()
    assert titles(client, "zymologists") == [about.title]


@on_postgresql
def test_postgresql_searches_read_the_gin_indexes(client):
    """EXPLAIN shows each search matching through its GIN index, with 400 more guides of 2
    steps each, few of which match. Tables this small are cheap to read whole, and the planner
    may rightly prefer that, so sequential scans are priced out for the check: what it shows is
    that the match can be served by the index, which a document built at query time never
    could. (`make bench` times searches with 500 more guides.)"""
    from django.db.models import F

    from techniques.models import Step
    from techniques.search.postgres import matching as postgres_matches

    template = guide("Template", "Sit tall and breathe.")
    fields = {f.attname: getattr(template, f.attname) for f in Technique._meta.concrete_fields if not f.primary_key}
    many = Technique.objects.bulk_create(
        Technique(**{**fields, "slug": f"bulk-guide-{n}", "title": f"Bulk guide {n}"}) for n in range(400)
    )
    Step.objects.bulk_create(
        Step(technique=one, order=order, title=f"Step {order}", instruction_html="<p>Reach up.</p>", reps=3)
        for one in many
        for order in (1, 2)
    )
    squeeze = guide("Shoulder blade squeeze", "Draw the shoulder blades together.")
    StepFactory(technique=squeeze, order=1, title="Squeeze", instruction="Squeeze the shoulder blades.")
    Page.objects.create(slug=PageSlug.ABOUT, title="About", summary="Who we are.", body="Shoulder care.")
    published_steps = Step.objects.filter(technique__in=Technique.objects.published())
    searches = {
        "techniques_technique": postgres_matches(Technique.objects.published(), "shoulder", F("summary")),
        "techniques_step": postgres_matches(published_steps, "shoulder", F("title")),
        "techniques_page": postgres_matches(Page.objects.all(), "shoulder", F("summary")),
    }
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE techniques_technique, techniques_step, techniques_page")
        cursor.execute("SET enable_seqscan = off")
        try:
            for table, queryset in searches.items():
                plan = queryset.explain()
                assert f"Bitmap Index Scan on {table}_search_document_gin" in plan, plan
                assert "to_tsvector" not in plan, "the document is built at query time"
        finally:
            cursor.execute("RESET enable_seqscan")
    assert titles(client, "shoulder") == ["Shoulder blade squeeze", "About", "Squeeze"]


# The fallback for other databases


@on_fallback
def test_fallback_matches_the_start_of_words_and_leaves_out_common_words(client):
    guide("Chest opener", "Stretching the chest after sitting.")
    guide("Neck glide", "Glide the head back.")
    assert titles(client, "how do I stretch my chest") == ["Chest opener"]
    assert titles(client, "est") == []
    [snippet] = snippets(client, "stretch")
    assert "<mark>Stretching</mark> the chest" in snippet


@on_fallback
def test_fallback_needs_every_word_of_the_query(client):
    guide("Upper back roll")
    guide("Neck glide")
    assert titles(client, "upper roll") == ["Upper back roll"]
    assert titles(client, "upper glide") == []
