"""Every public page runs at most BUDGET queries for an anonymous reader, and the same number
for a small site as for a large one. Counted on a cache miss, with the page cache on (the
count includes reading the content version) and off (the view's own work only).

A guide page may also write once, to store the body it rendered (techniques/guide_bodies/).
The savepoint around that write is left out of the count: it is there because each test runs
in a transaction, and a reader's request runs in none."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from routines.models import Routine, RoutineItem
from techniques.models import (
    BodyArea,
    Equipment,
    Page,
    PageCitation,
    PageSlug,
    SafetyTip,
    TipKind,
)
from tests.factories import SourceFactory, TechniqueFactory

pytestmark = pytest.mark.django_db

BUDGET = 6


SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT")


@pytest.fixture(params=["page cache empty", "page cache off"])
def measure(request, client, settings):
    """measure(url) -> how many queries an anonymous GET of url runs, failing over BUDGET."""
    settings.PAGE_CACHE_ENABLED = request.param == "page cache empty"

    def count(url, budget=BUDGET):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        queries = [query["sql"] for query in captured if not query["sql"].startswith(SAVEPOINTS)]
        assert len(queries) <= budget, f"{url}: {len(queries)} queries:\n" + "\n".join(queries)
        return len(queries)

    count.cache_on = request.param == "page cache empty"
    return count


def tag(guide, number):
    guide.equipment.add(Equipment.objects.get_or_create(slug=f"kit-{number}", name=f"Kit {number}")[0])
    guide.body_areas.add(BodyArea.objects.get_or_create(slug=f"area-{number}", name=f"Area {number}")[0])


def test_guide_page(measure):
    small = TechniqueFactory(steps=3, sources=1)
    large = TechniqueFactory(steps=30, sources=15)
    for number in range(10):
        tag(large, number)
        large.related.add(TechniqueFactory(steps=1))
    for number in range(20):
        SafetyTip.objects.create(technique=large, kind=TipKind.DO, text=f"Tip {number}.")
    urls = [small.get_absolute_url(), large.get_absolute_url()]
    # Asked for the first time, a guide is rendered and its body stored; from then on its
    # body is read with the guide.
    for state in ("render that stores", "stored"):
        small_count, large_count = (measure(url, budget=BUDGET + 1) for url in urls)
        assert small_count == large_count, state
    # The guide with its body, and the content version.
    assert small_count == 1 + measure.cache_on


def make_guides(count):
    for number in range(count):
        guide = TechniqueFactory(steps=1, sources=1, position="seated" if number % 2 else "standing")
        tag(guide, number % 7)


def test_home_and_guide_list(measure):
    home, guides = reverse("techniques:home"), reverse("techniques:list")
    urls = [home, guides, guides + "?position=seated&equipment=kit-1", guides + "?page=2"]
    make_guides(25)
    small_counts = [measure(url) for url in urls]
    make_guides(175)
    urls[-1] = guides + "?page=9"
    assert [measure(url) for url in urls] == small_counts


def make_pages_and_sources(count):
    for slug in PageSlug.values:
        page, _ = Page.objects.get_or_create(slug=slug, defaults={"title": slug, "summary": "S.", "body": "Text."})
        for order, source in enumerate(SourceFactory.create_batch(count), start=1):
            PageCitation.objects.create(page=page, source=source, order=order)
    for number in range(count):
        kind = [TipKind.DO, TipKind.DONT, TipKind.RED_FLAG][number % 3]
        tip = SafetyTip.objects.create(
            kind=kind, text=f"Tip {number}.", order=number, urgency="stop" if kind == TipKind.RED_FLAG else ""
        )
        tip.sources.add(SourceFactory())
    TechniqueFactory.create_batch(count, steps=1, sources=2)


def test_safety_cavitation_sources_and_about(measure):
    urls = [reverse(f"techniques:{name}") for name in ("safety", "cavitation", "sources", "about")]
    make_pages_and_sources(2)
    small_counts = [measure(url) for url in urls]
    make_pages_and_sources(40)
    assert [measure(url) for url in urls] == small_counts


def test_search_and_feed(measure):
    """Neither is in the sitemap. Searches that match guides, steps, pages, or nothing; the
    feed, whose length is capped."""
    search, feed = reverse("techniques:search"), reverse("techniques:feed")
    urls = [search, *(f"{search}?q={words}" for words in ("guide", "step+title", "text", "zzzz")), feed]
    make_pages_and_sources(2)
    small_counts = [measure(url) for url in urls]
    make_pages_and_sources(40)
    make_guides(100)
    assert [measure(url) for url in urls] == small_counts


def make_routine(slug, guide_count, steps_per_guide):
    """A published routine of new guides, each repeated twice; and the same guides' address as a
    reader-built routine."""
    guides = TechniqueFactory.create_batch(guide_count, steps=steps_per_guide)
    routine = Routine.objects.create(slug=slug, title=slug, summary="S.", status="published")
    for order, guide in enumerate(guides, start=1):
        RoutineItem.objects.create(routine=routine, technique=guide, order=order, reps=2)
    return routine.get_absolute_url(), reverse(
        "routines:custom", kwargs={"spec": "+".join(f"{guide.slug}~x2" for guide in guides)}
    )


def test_routine_pages(measure):
    """The list of routines, the builder (it lists every guide), and curated and reader-built
    routines (reader-built ones are not in the sitemap) of one guide and of the most allowed."""
    fixed = [reverse("routines:list"), reverse("routines:builder")]
    small_counts = [measure(url) for url in [*fixed, *make_routine("small", 1, 1)]]
    for number in range(10):
        make_routine(f"other-{number}", 3, 1)
        SafetyTip.objects.create(kind=TipKind.RED_FLAG, urgency="urgent", text=f"Red flag {number}.")
    make_guides(50)
    assert [measure(url) for url in [*fixed, *make_routine("large", 8, 5)]] == small_counts
