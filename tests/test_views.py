import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from techniques.models import BodyArea, Equipment, Status
from tests.factories import SourceFactory, StepFactory, TechniqueFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["home", "list", "safety", "cavitation", "sources", "about"]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_every_public_page_answers(client, seeded, name):
    response = client.get(reverse(f"techniques:{name}"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<link rel="canonical" href="http://testserver/' in html
    assert '<meta name="description" content="' in html


def test_every_seeded_guide_page_answers_with_numbered_steps(client, seeded):
    from techniques.models import Technique

    for guide in Technique.objects.published():
        response = client.get(guide.get_absolute_url())
        assert response.status_code == 200, guide.slug
        html = response.content.decode()
        anchors = re.findall(r'id="step-(\d+)"', html)
        assert len(anchors) >= 3, guide.slug
        assert anchors == [str(n) for n in range(1, len(anchors) + 1)]
        assert html.count('class="dosage">') == len(anchors)
        assert not re.search(r'class="dosage">\s*<', html), f"{guide.slug}: a step without hold or reps"
        pictures = re.findall(
            r'<figure class="step-figure">\s*(?:<picture><source media="print, \(prefers-reduced-motion: reduce\)" '
            r'srcset="([^"]+)"[^>]*>)?<img src="([^"]+)" alt="([^"]*)" width="\d+" height="\d+"',
            html,
        )
        assert len(pictures) == len(anchors), f"{guide.slug}: every step has a picture"
        for still, src, alt in pictures:
            assert src.endswith(".svg") and len(alt.split()) >= 8, (guide.slug, src, alt)
            # A movement shows its animation, and names its still drawing for reduced motion and print.
            assert bool(still) == src.endswith("-moving.svg"), (guide.slug, src, still)
            if still:
                assert src == still.replace(".svg", "-moving.svg")
        assert any(still for still, _, _ in pictures) or guide.slug == "none", f"{guide.slug}: no step moves"
        assert client.get(pictures[0][1]).status_code == 200


def test_guide_page_shows_what_a_reader_needs(client):
    guide = TechniqueFactory(title="Cat-cow", slug="cat-cow", steps=3, minutes=4, position="hands-and-knees")
    related = TechniqueFactory(title="Warm-up", slug="warm-up")
    guide.related.add(related)
    html = client.get("/guides/cat-cow/").content.decode()
    for text in [
        "About 4 min",
        "On hands and knees",
        "Gentle",
        "Hold 10 seconds · 3 times · each side",
        "Breathe out as you turn.",
        "What you should feel",
        "Common mistakes",
        "Move slowly.",
        "Force the movement.",
        "Stop if you feel sharp pain.",
        "Not yet reviewed by a clinician",
        "Last updated",
        'href="/guides/warm-up/"',
        'id="source-1"',
    ]:
        assert text in html, text


def test_reviewed_guide_names_its_reviewer(client):
    TechniqueFactory(
        slug="reviewed", reviewed_on="2026-03-01", reviewed_by_name="A Reviewer", reviewed_by_credential="Physio"
    )
    html = client.get("/guides/reviewed/").content.decode()
    assert "Reviewed by A Reviewer, Physio on" in html
    assert "Not yet reviewed" not in html


def test_share_tags_use_absolute_urls(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        TechniqueFactory(title="Seated twist", slug="seated-twist", summary="Turn gently while seated.")
    html = client.get("/guides/seated-twist/").content.decode()
    assert '<meta property="og:title" content="Seated twist">' in html
    assert '<meta property="og:description" content="Turn gently while seated.">' in html
    assert '<meta property="og:url" content="http://testserver/guides/seated-twist/">' in html
    assert re.search(
        r'<meta property="og:image" content="http://testserver/media/share-cards/guide-seated-twist-\w+\.png">', html
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_pages_without_a_card_of_their_own_share_the_site_card(client):
    html = client.get("/guides/").content.decode()
    assert re.search(r'<meta property="og:image" content="http://testserver/static/img/share-card\.png">', html)


def test_draft_is_404_for_the_public_and_visible_to_staff_with_a_banner(client, staff_client):
    TechniqueFactory(slug="work-in-progress", status=Status.DRAFT)
    response = client.get("/guides/work-in-progress/")
    assert response.status_code == 404
    assert "We can't find that page" in response.content.decode()
    staff_view = staff_client.get("/guides/work-in-progress/")
    assert staff_view.status_code == 200
    assert "This guide is not published" in staff_view.content.decode()


def test_drafts_are_left_out_of_lists_and_sitemap(client):
    TechniqueFactory(title="Published guide")
    TechniqueFactory(title="Secret draft", slug="secret-draft", status=Status.DRAFT)
    for url in ["/", "/guides/", "/sitemap.xml"]:
        body = client.get(url).content.decode()
        assert "Secret draft" not in body and "secret-draft" not in body, url


def test_unknown_guide_is_404_with_the_sites_own_page(client, db):
    response = client.get("/guides/no-such-guide/")
    assert response.status_code == 404
    assert "Browse all guides" in response.content.decode()


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_guide_page_query_count_does_not_grow_with_steps(client):
    small = TechniqueFactory(steps=3, sources=1)
    large = TechniqueFactory(steps=30, sources=8)
    for other in TechniqueFactory.create_batch(3, steps=0):
        large.related.add(other)
    assert query_count(client, small.get_absolute_url()) == query_count(client, large.get_absolute_url())


def test_list_query_count_does_not_grow_with_guides(client):
    TechniqueFactory.create_batch(2, steps=1)
    few = query_count(client, "/guides/")
    TechniqueFactory.create_batch(20, steps=2)
    assert query_count(client, "/guides/") == few


@pytest.fixture
def filter_values(db):
    roller = Equipment.objects.create(slug="foam-roller", name="Foam roller")
    chair = Equipment.objects.create(slug="chair", name="Chair")
    upper = BodyArea.objects.create(slug="upper-back", name="Upper back")
    rolled = TechniqueFactory(title="Roller", position="lying-face-up", difficulty="moderate", steps=1)
    rolled.equipment.add(roller)
    rolled.body_areas.add(upper)
    seated = TechniqueFactory(title="Chair one", position="seated", difficulty="gentle", steps=1)
    seated.equipment.add(chair)
    return {
        "position": ["", "lying-face-up", "seated", "standing"],
        "equipment": ["", "foam-roller", "chair"],
        "area": ["", "upper-back"],
        "difficulty": ["", "gentle", "moderate"],
    }


def test_every_filter_combination_answers_and_filters(client, filter_values):
    names = list(filter_values)
    for values in itertools.product(*filter_values.values()):
        params = {name: value for name, value in zip(names, values, strict=True) if value}
        response = client.get("/guides/", params)
        assert response.status_code == 200, params
        shown = {guide.title for guide in response.context["guides"]}
        expect_roller = all(
            params.get(k) in (None, v)
            for k, v in {
                "position": "lying-face-up",
                "equipment": "foam-roller",
                "area": "upper-back",
                "difficulty": "moderate",
            }.items()
        )
        expect_chair = (
            all(
                params.get(k) in (None, v)
                for k, v in {"position": "seated", "equipment": "chair", "difficulty": "gentle"}.items()
            )
            and "area" not in params
        )
        assert shown == {t for t, ok in (("Roller", expect_roller), ("Chair one", expect_chair)) if ok}, params


@pytest.mark.parametrize(
    "query",
    [
        "position=upside-down",
        "equipment=trampoline",
        "area=%00",
        "difficulty=" + "x" * 5000,
        "position=seated&position=<script>",
        "equipment[]=chair",
    ],
)
def test_bad_filter_values_give_a_clear_400_not_a_500(client, filter_values, query):
    response = client.get("/guides/?" + query)
    if "equipment[]" in query:
        assert response.status_code == 200  # an unknown parameter name is ignored
        return
    assert response.status_code == 400
    html = response.content.decode()
    assert "Some filters could not be used" in html
    assert "<script>" not in html


@pytest.mark.parametrize("page", ["0", "999", "abc", "-1", "1.5"])
def test_bad_page_numbers_are_404(client, filter_values, page):
    assert client.get("/guides/", {"page": page}).status_code == 404


def test_list_is_paginated_and_keeps_filters_in_page_links(client, db):
    TechniqueFactory.create_batch(14, steps=1, position="standing")
    html = client.get("/guides/", {"position": "standing"}).content.decode()
    assert "Page 1 of 2" in html
    assert 'href="/guides/?position=standing&amp;page=2"' in html
    assert client.get("/guides/", {"position": "standing", "page": 2}).status_code == 200


def test_post_to_a_public_page_is_refused(client, db):
    assert client.post("/guides/").status_code == 405


def test_step_without_a_picture_renders_without_an_image(client):
    guide = TechniqueFactory(slug="no-pictures", steps=0)
    StepFactory(technique=guide, order=1, illustration="")
    html = client.get("/guides/no-pictures/").content.decode()
    assert 'class="step-figure"' not in html


def test_an_organisation_that_wrote_and_published_a_source_is_named_once(client, db):
    SourceFactory(title="Back care", authors="Society of Backs", publisher="Society of Backs", year=2021)
    html = client.get("/sources/").content.decode()
    assert html.count("Society of Backs") == 1


def test_the_home_page_shows_a_page_of_guides_and_links_to_the_rest(client):
    guides = TechniqueFactory.create_batch(13)
    html = client.get("/").content.decode()
    assert html.count('<li class="card">') == 12 and "See all guides" in html
    guides[0].delete()
    html = client.get("/").content.decode()
    assert html.count('<li class="card">') == 12 and "See all guides" not in html


CURRENT_NAV_ITEM = re.compile(r'<a [^>]*href="([^"]*)"[^>]*aria-current="page"')


@pytest.mark.parametrize("order", [1, -1], ids=["in-order", "reversed"])
def test_the_header_marks_the_section_of_the_page_asked_for_whichever_came_before(client, seeded, order):
    """The header is rendered once per address and kept (site_tags.frame_part): each address
    gets its own, whatever other pages were asked for first."""
    guide = "/guides/cat-cow/"
    current = {"/": "/", "/guides/": "/guides/", guide: "/guides/", "/safety/": "/safety/", "/routines/": "/routines/"}
    for url, section in [*current.items()][::order] * 2:
        html = client.get(url).content.decode()
        header = html[html.index('<header class="site-header">') : html.index("</header>")]
        assert CURRENT_NAV_ITEM.findall(header) == [section], url
