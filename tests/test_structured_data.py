"""The JSON-LD on guide pages (techniques/structured_data.py), read back as a search engine
reads it: a MedicalWebPage about a HowTo, one HowToStep per step, and review details only
where a clinician really reviewed the guide."""

import json
import re
from urllib.parse import urlsplit

import pytest

from techniques.models import Technique
from tests.factories import StepFactory, TechniqueFactory
from tests.html_safety import script_problems

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
MARKDOWN_SYNTAX = re.compile(r"\*\*|__|\]\(|^#|^- |<[a-z/]", re.M)


def json_ld_blocks(client, guide):
    response = client.get(guide.get_absolute_url())
    assert response.status_code == 200
    return [json.loads(block) for block in JSON_LD.findall(response.content.decode())]


def medical_page(client, guide):
    [page] = [block for block in json_ld_blocks(client, guide) if block.get("@type") == "MedicalWebPage"]
    return page


def test_every_published_guide_describes_itself_and_its_steps(client, seeded):
    guides = Technique.objects.published().prefetch_related("steps").order_by("slug")
    assert guides.count() >= 10
    for guide in guides:
        page = medical_page(client, guide)
        url = SITE + guide.get_absolute_url()
        assert page["@context"] == "https://schema.org"
        assert (page["name"], page["url"], page["description"]) == (guide.title, url, guide.summary), guide.slug

        how_to = page["mainEntity"]
        assert how_to["@type"] == "HowTo" and how_to["name"] == guide.title
        assert how_to["totalTime"] == f"PT{guide.minutes}M"
        steps = list(guide.steps.all())
        assert [entry["@type"] for entry in how_to["step"]] == ["HowToStep"] * len(steps), guide.slug
        assert [entry["position"] for entry in how_to["step"]] == list(range(1, len(steps) + 1))
        assert [entry["name"] for entry in how_to["step"]] == [step.title for step in steps], guide.slug
        for entry, step in zip(how_to["step"], steps, strict=True):
            where = f"{guide.slug} step {step.order}"
            assert entry["url"] == f"{url}#{step.anchor}", where
            assert len(entry["text"]) > 40 and not MARKDOWN_SYNTAX.search(entry["text"]), where
            assert not re.search(r"\[\d+\]|&[a-z]+;|\s{2}", entry["text"]), where
            image = urlsplit(entry["image"])
            assert (image.scheme, image.netloc) == ("http", "testserver"), where
            assert client.get(image.path).status_code == 200, where


def test_review_details_appear_exactly_when_a_guide_was_reviewed(client, seeded):
    for guide in Technique.objects.published():
        page = medical_page(client, guide)
        if guide.is_reviewed:
            assert page["lastReviewed"] == guide.reviewed_on.isoformat(), guide.slug
            assert page["reviewedBy"]["name"] == guide.reviewed_by_name, guide.slug
        else:
            assert "lastReviewed" not in page and "reviewedBy" not in page, guide.slug


def test_a_reviewed_guide_names_its_reviewer_and_credential(client):
    reviewed = TechniqueFactory(
        reviewed_on="2026-03-01", reviewed_by_name="A Reviewer", reviewed_by_credential="Physiotherapist"
    )
    no_credential = TechniqueFactory(reviewed_on="2026-02-01", reviewed_by_name="B Reviewer")
    unreviewed = TechniqueFactory()
    page = medical_page(client, reviewed)
    assert page["lastReviewed"] == "2026-03-01"
    assert page["reviewedBy"] == {"@type": "Person", "name": "A Reviewer", "hasCredential": "Physiotherapist"}
    assert medical_page(client, no_credential)["reviewedBy"] == {"@type": "Person", "name": "B Reviewer"}
    page = medical_page(client, unreviewed)
    assert not {"lastReviewed", "reviewedBy"} & set(page)


def test_step_text_is_readable_words_not_markdown(client):
    guide = TechniqueFactory(steps=0)
    StepFactory(
        technique=guide,
        order=1,
        instruction="Sit **tall** and read [the warm-up](/guides/warm-up/) first [1].\n\n- Breathe out\n- Don't rush",
    )
    [step] = medical_page(client, guide)["mainEntity"]["step"]
    assert step["text"] == "Sit tall and read the warm-up first. Breathe out Don’t rush"


def test_step_urls_follow_the_steps_anchors_when_orders_have_gaps(client):
    guide = TechniqueFactory(slug="gappy", steps=0)
    for order in (1, 2, 5):
        StepFactory(technique=guide, order=order)
    html = client.get("/guides/gappy/").content.decode()
    steps = medical_page(client, guide)["mainEntity"]["step"]
    assert [step["url"] for step in steps] == [f"{SITE}/guides/gappy/#step-{order}" for order in (1, 2, 5)]
    for step in steps:
        assert f'id="{step["url"].split("#")[1]}"' in html


@pytest.mark.parametrize(
    "title",
    ["</script><script>alert(1)</script>", "</SCRIPT ><img src=x onerror=alert(1)>", "<!-- <script>", "a & b > c"],
)
def test_a_title_cannot_break_out_of_the_json_ld(client, title):
    guide = TechniqueFactory(title=title, summary=title)
    StepFactory(technique=guide, order=4, title=title, instruction=title)
    html = client.get(guide.get_absolute_url()).content.decode()
    assert script_problems(html) == []
    [block] = JSON_LD.findall(html)
    assert not re.search(r"[<>&]", block)
    page = json.loads(block)
    assert page["name"] == page["mainEntity"]["name"] == page["description"] == title
    assert page["mainEntity"]["step"][-1]["name"] == title
