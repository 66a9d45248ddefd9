"""Share cards: every guide, the safety page and the cavitation page have their own."""

import io
import re

import pytest
from django.core.management import call_command
from PIL import Image

from techniques.images.share_card_drawing import PANEL_BOX
from techniques.models import Step, Technique
from tests.factories import TechniqueFactory

pytestmark = pytest.mark.django_db


def meta(html: str, key: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    assert match, f"no {key}"
    return match.group(1)


@pytest.fixture
def seeded_with_cards(db, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Cards are drawn when the loading transaction commits, as on a real server.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_content", verbosity=0)


def test_every_guide_and_the_safety_and_cavitation_pages_share_their_own_card(client, seeded_with_cards):
    urls = [guide.get_absolute_url() for guide in Technique.objects.published()] + ["/safety/", "/what-is-the-pop/"]
    assert len(urls) >= 14
    cards = set()
    for url in urls:
        html = client.get(url).content.decode()
        image_url = meta(html, "og:image")
        assert image_url.startswith("http://testserver/media/share-cards/"), url
        assert meta(html, "og:image:width") == "1200" and meta(html, "og:image:height") == "630"
        assert meta(html, "og:image:alt") and meta(html, "twitter:card") == "summary_large_image"
        assert meta(html, "twitter:image") == image_url
        response = client.get(image_url.removeprefix("http://testserver"))
        assert response.status_code == 200, url
        card = Image.open(io.BytesIO(b"".join(response.streaming_content)))
        assert card.format == "PNG" and card.size == (1200, 630)
        cards.add(image_url)
    assert len(cards) == len(urls), "each page has a card of its own"


def card_name(slug: str) -> str:
    return Technique.objects.get(slug=slug).share_card


def test_the_card_is_drawn_again_when_the_title_or_the_lead_picture_changes(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        guide = TechniqueFactory(slug="card", steps=2)
        Step.objects.filter(technique=guide, order=1).update(illustration="cat-cow-1")
        guide.save()
    first = card_name("card")
    assert (tmp_path / first).is_file()

    with django_capture_on_commit_callbacks(execute=True):
        second_step = guide.steps.get(order=2)
        second_step.breathing = "Breathe out as you round your back."
        second_step.save()
        guide.summary = "A new summary line."
        guide.save()
    summary_card = card_name("card")
    assert summary_card != first, "the line under the title is on the card"

    with django_capture_on_commit_callbacks(execute=True):
        second_step.breathing = "Breathe in as you arch."
        second_step.save()
    assert card_name("card") == summary_card, "a change the card doesn't show keeps it"

    with django_capture_on_commit_callbacks(execute=True):
        guide.title = "Cat-cow, renamed"
        guide.save()
    renamed = card_name("card")
    assert renamed != summary_card

    with django_capture_on_commit_callbacks(execute=True):
        lead = guide.steps.get(order=1)
        lead.illustration = "cat-cow-2"
        lead.save()
    redrawn = card_name("card")
    assert redrawn != renamed
    assert Image.open(tmp_path / redrawn).tobytes() != Image.open(tmp_path / renamed).tobytes()


def test_a_guide_card_shows_the_lead_drawing_on_its_panel(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        guide = TechniqueFactory(slug="drawn", steps=1)
        Step.objects.filter(technique=guide).update(illustration="cat-cow-1")
        guide.save()
    panel = Image.open(tmp_path / card_name("drawn")).convert("L").crop(PANEL_BOX)
    darkest, lightest = panel.getextrema()
    assert lightest == 255 and darkest < 100, "a white panel with the drawing's dark lines on it"
