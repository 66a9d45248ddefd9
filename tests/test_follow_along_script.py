"""The follow-along player's side of the guide page: the markup its script reads, a script small
enough for a phone on a slow connection, and nothing inline that the Content-Security-Policy
would refuse."""

import gzip
from html.parser import HTMLParser

import brotli
import pytest
from django.contrib.staticfiles import finders

from tests.factories import StepFactory, TechniqueFactory
from tests.html_safety import script_problems

pytestmark = pytest.mark.django_db

SCRIPT = "js/follow-along.js"
SCRIPT_BUDGET_BYTES = 8 * 1024


class Elements(HTMLParser):
    """Every start tag of a document as (tag, attributes), in order."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def with_attribute(self, name):
        return [(tag, attributes) for tag, attributes in self.found if name in attributes]


@pytest.fixture
def guide_html(client):
    guide = TechniqueFactory(title="Seated twist & turn", slug="seated-twist", steps=0)
    StepFactory(technique=guide, order=1, title="Turn", hold_seconds=20, reps=3, sides="each", breathing="Breathe out.")
    StepFactory(technique=guide, order=2, title="Shrug", hold_seconds=None, reps=10, sides="once", breathing="")
    response = client.get(guide.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_script_is_small_on_the_wire():
    source = open(finders.find(SCRIPT), "rb").read()
    gzipped = len(gzip.compress(source, compresslevel=9))
    brotlied = len(brotli.compress(source))
    assert gzipped < SCRIPT_BUDGET_BYTES, f"{gzipped} bytes gzipped"
    assert brotlied < gzipped, f"{brotlied} bytes with brotli"


def test_the_guide_page_gives_the_player_its_steps(guide_html):
    page = Elements(guide_html)
    [(_, container)] = page.with_attribute("data-follow-along")
    assert container["data-follow-along-title"] == "Seated twist & turn"
    [(tag, start)] = page.with_attribute("data-follow-along-start")
    # Hidden until the script shows it: without JavaScript it could do nothing.
    assert tag == "button" and start["type"] == "button" and "hidden" in start

    turn, shrug = (attributes for _, attributes in page.with_attribute("data-step"))
    assert turn["data-step-title"] == "Step 1: Turn"
    assert (turn["data-hold-seconds"], turn["data-reps"], turn["data-sides"]) == ("20", "3", "each")
    assert turn["data-breathing"] == "Breathe out."
    # A step with no timed hold has no hold seconds at all: the player waits for Done.
    assert shrug["data-step-title"] == "Step 2: Shrug"
    assert "data-hold-seconds" not in shrug and "data-breathing" not in shrug
    assert (shrug["data-reps"], shrug["data-sides"]) == ("10", "once")

    scripts = [attributes for tag, attributes in page.found if tag == "script" and "src" in attributes]
    assert any(s["src"].endswith("/follow-along.js") and "defer" in s for s in scripts), scripts


def test_the_guide_page_has_no_inline_script_or_style(guide_html):
    page = Elements(guide_html)
    assert script_problems(guide_html) == []
    assert not [tag for tag, _ in page.found if tag == "style"]
    assert not page.with_attribute("style")


def test_the_script_builds_the_player_without_html_strings_or_eval():
    # The player shows text from the page (titles, breathing cues): set as text, never parsed
    # as HTML, and nothing the Content-Security-Policy's script-src 'self' would block.
    source = open(finders.find(SCRIPT), encoding="utf-8").read()
    for risky in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", '"style"']:
        assert risky not in source, risky
