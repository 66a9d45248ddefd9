"""The Atom feed of new and updated guides (/feed/), as a feed reader reads it."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from techniques.feeds import FEED_LENGTH
from techniques.models import Status, Technique
from tests.factories import TechniqueFactory

pytestmark = pytest.mark.django_db

FEED = reverse("techniques:feed")
ATOM = {"atom": "http://www.w3.org/2005/Atom"}


def read_feed(client):
    response = client.get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 - the site's own feed


def entries(feed):
    return feed.findall("atom:entry", ATOM)


def text(element, path):
    return element.find(path, ATOM).text


def when(element, path):
    return datetime.fromisoformat(text(element, path))


def updated_on(guide, days_ago):
    """Set a guide's last update, as saving it then would have (`updated_at` is automatic),
    after its publication a year ago."""
    now = timezone.now()
    moment = now - timedelta(days=days_ago)
    Technique.objects.filter(pk=guide.pk).update(published_at=now - timedelta(days=365), updated_at=moment)
    return moment


def test_lists_published_guides_newest_update_first_with_their_details(client):
    old = TechniqueFactory(title="Old guide", slug="old-guide", summary="Written long ago.")
    new = TechniqueFactory(title="New guide", slug="new-guide", summary="Just written.")
    middle = TechniqueFactory(title="Middle guide", slug="middle-guide")
    updated_on(old, 30), updated_on(middle, 10), updated_on(new, 1)
    feed = read_feed(client)
    assert [text(entry, "atom:title") for entry in entries(feed)] == ["New guide", "Middle guide", "Old guide"]

    first = entries(feed)[0]
    new.refresh_from_db()
    assert first.find("atom:link", ATOM).get("href") == "http://testserver/guides/new-guide/"
    assert text(first, "atom:id") == "http://testserver/guides/new-guide/"
    assert text(first, "atom:summary") == "Just written."
    assert when(first, "atom:updated") == new.updated_at
    assert when(first, "atom:published") == new.published_at


def test_the_feed_says_what_it_is_who_it_is_from_and_when_it_last_changed(client):
    guide = TechniqueFactory()
    latest = updated_on(guide, 2)
    updated_on(TechniqueFactory(), 5)
    feed = read_feed(client)
    assert text(feed, "atom:title") == "Back Relief: new and updated guides"
    assert text(feed, "atom:author/atom:name") == "Back Relief"
    assert when(feed, "atom:updated") == latest
    links = {link.get("rel"): link.get("href") for link in feed.findall("atom:link", ATOM)}
    assert links == {"alternate": "http://testserver/guides/", "self": "http://testserver/feed/"}


def test_drafts_and_scheduled_guides_are_left_out(client):
    TechniqueFactory(title="Public guide")
    TechniqueFactory(title="Secret draft", status=Status.DRAFT, published_at=None)
    TechniqueFactory(title="Not yet", published_at=timezone.now() + timedelta(days=1))
    feed = read_feed(client)
    assert [text(entry, "atom:title") for entry in entries(feed)] == ["Public guide"]


def test_an_edit_moves_a_guide_to_the_top_with_a_new_updated_time(client):
    edited = TechniqueFactory(title="Edited guide")
    updated_on(edited, 20)
    updated_on(TechniqueFactory(title="Recent guide"), 3)
    before = read_feed(client)
    assert [text(entry, "atom:title") for entry in entries(before)] == ["Recent guide", "Edited guide"]
    published = when(entries(before)[1], "atom:published")

    edited.refresh_from_db()
    edited.summary = "Now with clearer steps."
    edited.save()
    after = read_feed(client)
    top = entries(after)[0]
    assert text(top, "atom:title") == "Edited guide"
    assert text(top, "atom:summary") == "Now with clearer steps."
    assert when(top, "atom:updated") > timezone.now() - timedelta(minutes=1)
    assert when(top, "atom:published") == published
    assert when(after, "atom:updated") == when(top, "atom:updated")


def test_a_summary_is_plain_text_to_feed_readers(client):
    TechniqueFactory(summary="Lean <b>back</b> & breathe.")
    [entry] = entries(read_feed(client))
    summary = entry.find("atom:summary", ATOM)
    assert summary.get("type") == "html"
    # Escaped once for HTML, so a reader shows the brackets rather than bold text.
    assert summary.text == "Lean &lt;b&gt;back&lt;/b&gt; &amp; breathe."


def test_the_feed_holds_the_latest_guides_only(client):
    for number in range(FEED_LENGTH + 3):
        updated_on(TechniqueFactory(title=f"Guide number {number}", steps=0, sources=0), number)
    titles = [text(entry, "atom:title") for entry in entries(read_feed(client))]
    assert titles == [f"Guide number {number}" for number in range(FEED_LENGTH)]


def test_every_page_links_to_the_feed_in_its_head_and_footer(client, seeded):
    for url in ["/", "/guides/", "/guides/cat-cow/", "/safety/", "/what-is-the-pop/", "/sources/", "/about/"]:
        html = client.get(url).content.decode()
        head, body = html.split("</head>")
        assert (
            '<link rel="alternate" type="application/atom+xml" title="Back Relief: new and updated guides" '
            f'href="{FEED}">'
        ) in head, url
        footer = body[body.index('<footer class="site-footer">') :]
        assert f'<a href="{FEED}" type="application/atom+xml">New and updated guides (Atom feed)</a>' in footer, url


def test_the_feed_is_cached_for_readers_until_a_guide_changes(client, django_assert_num_queries):
    guide = TechniqueFactory(title="First title")
    read_feed(client)
    with django_assert_num_queries(1):  # the content version, nothing else
        response = client.get(FEED)
    assert "public" in response["Cache-Control"]
    guide.title = "Second title"
    guide.save()
    assert [text(entry, "atom:title") for entry in entries(read_feed(client))] == ["Second title"]


def test_only_get_and_head_are_answered(client):
    assert client.post(FEED).status_code == 405
