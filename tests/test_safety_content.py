"""The clinical rules the seed content keeps: red flags at the right urgency, each with a
source; an osteoporosis caution among the "stop and get advice" points of every guide that
bends, twists or presses on the spine; a local emergency number wherever 999, 111 or A&E is
named; and the corrections of claims that went past their sources."""

import re
import tomllib
from html import unescape

import pytest
from django.urls import reverse

from techniques.models import Page, SafetyTip, Source, Step, Technique, TipKind, Urgency
from techniques.seeding import CONTENT_DIR
from tests.site_pages import UNLISTED_PAGES, sitemap_paths

pytestmark = pytest.mark.django_db

# The guides that bend the spine forwards, twist it or press on it, and what the caution names.
SPINE_LOADING_GUIDES = {
    "cat-cow": "sit-back to your heels",
    "seated-spinal-twist": "twists",
    "lying-rotation": "twists",
    "standing-thoracic-rotation": "twists",
    "half-sit-up": "osteoporosis",
    "shoulder-roll-routine": "self-hug",
    "door-frame-wall-lean": "edge",
    "foam-roller-upper-back": "ribs",
    "chair-backrest-extension": "backrest",
    "edge-of-bed-extension": "edge of the bed",
    "towel-roll-extension": "towel",
}
NAMES_UK_SERVICES = re.compile(r"\b999\b|\b111\b|A&E")
LOCAL_NUMBER = "local emergency number"


def site_red_flags():
    return SafetyTip.objects.filter(technique__isnull=True, kind=TipKind.RED_FLAG).prefetch_related("sources")


def flag(text_start):
    return site_red_flags().get(text__startswith=text_start)


def visible_text(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_the_emergency_red_flags_are_there(seeded):
    emergencies = [tip.text for tip in site_red_flags().filter(urgency=Urgency.EMERGENCY)]
    for words in [
        ("tearing", "between your shoulder blades", "with or without chest pain"),
        ("sweating", "faint", "arm or jaw"),
        ("difficulty walking", "weak, clumsy or unsteady"),
        ("chest pain",),
        ("both legs",),
    ]:
        assert any(all(word in text for word in words) for text in emergencies), words


def test_urgencies_follow_the_clinical_triage(seeded):
    assert flag("Back pain if you have had cancer").urgency in {Urgency.EMERGENCY, Urgency.URGENT}
    assert flag("New weakness or numbness in one arm or one leg").urgency in {Urgency.EMERGENCY, Urgency.URGENT}
    merged = flag("Pain that rest does not ease")
    assert merged.urgency == Urgency.URGENT and "constant, severe or steadily getting worse" in merged.text
    assert not site_red_flags().filter(text__startswith="Pain that is constant").exists()
    # A minor fall when bones may be fragile: an emergency only with severe pain, being unable
    # to move, or leg symptoms; otherwise urgent.
    severe = flag("After even a minor fall")
    assert severe.urgency == Urgency.EMERGENCY
    assert all(words in severe.text for words in ("severe", "stops you moving", "legs"))
    assert flag("Any other new back pain after a minor fall").urgency == Urgency.URGENT
    for added in ("Back pain during or soon after an infection", "Back pain if you inject drugs"):
        assert flag(added).urgency == Urgency.URGENT
    assert flag("Stiffness in your back every morning").urgency == Urgency.SOON


def test_every_red_flag_cites_a_source_that_lists_it(seeded):
    for tip in site_red_flags():
        assert tip.sources.exists(), tip.text
    # Mayo's age, cancer, osteoporosis and drug items are only on its older page.
    for text_start in (
        "Back pain if you have had cancer",
        "Back pain for the first time after",
        "You have osteoporosis",
    ):
        keys = {source.key for source in flag(text_start).sources.all()}
        assert "mayo-back-pain" not in keys and "mayo-back-pain-older" in keys, text_start


def test_every_cited_source_is_a_seeded_source():
    keys = {source["key"] for source in tomllib.loads((CONTENT_DIR / "sources.toml").read_text())["source"]}
    cited = set()
    for path in CONTENT_DIR.rglob("*.toml"):
        data = tomllib.loads(path.read_text())
        cited.update(data.get("sources", []))
        for red_flag in data.get("red_flag", []):
            cited.update(red_flag.get("sources", []))
    assert cited and cited <= keys, cited - keys


@pytest.mark.parametrize(("slug", "names"), sorted(SPINE_LOADING_GUIDES.items()))
def test_each_spine_loading_guide_asks_for_advice_with_osteoporosis(seeded, client, slug, names):
    guide = Technique.objects.get(slug=slug)
    cautions = guide.tips.filter(kind=TipKind.RED_FLAG, text__contains="osteoporosis").exclude(urgency=Urgency.STOP)
    assert cautions.exists(), slug
    assert any(names in caution.text for caution in cautions), (slug, names)
    html = client.get(guide.get_absolute_url()).content.decode()
    advice = html[html.index('id="stop-heading"') : html.index("</aside>", html.index('id="stop-heading"'))]
    assert any(caution.text in unescape(advice) for caution in cautions), slug


def test_every_page_that_names_999_111_or_a_and_e_gives_the_local_alternative(seeded, client):
    paths = sitemap_paths(client.get("/sitemap.xml").content.decode()) + list(UNLISTED_PAGES) + ["/no-such-page/"]
    naming = 0
    for path in paths:
        text = visible_text(client.get(path).content.decode())
        if NAMES_UK_SERVICES.search(text):
            naming += 1
            assert LOCAL_NUMBER in text, path
    assert naming == len(paths)  # the footer names 999 on every page


def test_every_guide_page_says_the_shared_notes_once_and_no_intro_repeats_them(seeded, client):
    for guide in Technique.objects.published():
        assert "/guides/warm-up/" not in guide.intro and "click" not in guide.intro.lower(), guide.slug
        text = visible_text(client.get(guide.get_absolute_url()).content.decode())
        assert text.count("Before you start") == 1, guide.slug
        assert text.count("the sound is not the aim") == 1, guide.slug
        assert text.count("Pain between the shoulder blades:") == 1, guide.slug
        assert ("first, especially if you feel stiff" in text) == (guide.slug != "warm-up"), guide.slug
    safety = visible_text(client.get(reverse("techniques:safety")).content.decode())
    assert safety.count("Pain between the shoulder blades:") == 1


def test_claims_that_went_past_their_sources_are_gone(seeded):
    texts = [g.intro + g.feel + g.mistakes for g in Technique.objects.all()]
    texts += [s.instruction for s in Step.objects.all()] + [p.body + p.summary for p in Page.objects.all()]
    texts += list(SafetyTip.objects.values_list("text", flat=True))
    joined = "\n".join(texts)
    for claim in [
        "slightly out of breath",
        "main risk",
        "was not out of place",
        "exercises like this",
        "You do not need to hear anything for a stretch to do its job",
        "which physiotherapists advise over long spells of rest",
        "Reviews suggest",
        "a doctor cracked",
        "Hold times and repetitions follow published guidance",
    ]:
        assert claim not in joined, claim
    door_frame = Technique.objects.get(slug="door-frame-wall-lean").intro
    assert "common practice" in door_frame and "10 to 30 seconds" in door_frame
    hinge = Step.objects.get(technique__slug="shoulder-roll-routine", title="Hinge from the hips").instruction
    assert "bend from your hips, not from your waist" in hinge


def test_the_sources_keep_to_what_was_verified(seeded):
    assert not Source.objects.filter(publisher__startswith="NHS", year__isnull=False).exists()
    assert Source.objects.get(key="boutin-2017").authors == ""
    assert "probable title" in Source.objects.get(key="castellanos-1990").title
    assert "doctor" not in Source.objects.get(key="unger-1998").summary
    older = Source.objects.get(key="mayo-back-pain-older")
    assert "older version" in older.title and "cancer" in older.summary


def test_edge_of_bed_and_chair_backrest_are_rewritten(seeded):
    edge = Technique.objects.get(slug="edge-of-bed-extension")
    assert "lower tips of your shoulder blades" in edge.steps.get(order=2).instruction
    assert all(words in edge.intro for words in ("dizzy", "neck problems", "poor balance", "slide off"))
    chair = Technique.objects.get(slug="chair-backrest-extension")
    assert "Variant: arms crossed" in chair.steps.get(order=2).instruction
    assert not chair.steps.filter(title__icontains="arms crossed").exists()
    warm_up = Technique.objects.get(slug="warm-up").feel
    assert "out of breath" not in warm_up and "talk comfortably" in warm_up
