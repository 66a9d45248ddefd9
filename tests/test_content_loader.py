import pytest
from django.core.management import call_command

from techniques.models import GuideCitation, Page, SafetyTip, Source, Step, Technique, TipKind
from techniques.seed_items import Item, PairKind, StepKind

pytestmark = pytest.mark.django_db

REQUIRED_GUIDES = {
    "warm-up",
    "cat-cow",
    "foam-roller-upper-back",
    "seated-spinal-twist",
    "standing-thoracic-rotation",
    "lying-rotation",
    "chair-backrest-extension",
    "door-frame-wall-lean",
    "edge-of-bed-extension",
    "towel-roll-extension",
    "half-sit-up",
    "shoulder-roll-routine",
}


def snapshot():
    return {
        "guides": sorted(Technique.objects.values_list("slug", "title", "summary", "status")),
        "steps": sorted(Step.objects.values_list("technique__slug", "order", "title", "instruction")),
        "tips": sorted(SafetyTip.objects.values_list("kind", "text")),
        "sources": sorted(Source.objects.values_list("key", "title")),
        "pages": sorted(Page.objects.values_list("slug", "body")),
        "citations": sorted(GuideCitation.objects.values_list("technique__slug", "source__key", "order")),
    }


def test_loading_twice_changes_nothing(seeded):
    before = snapshot()
    call_command("load_content", verbosity=0)
    assert snapshot() == before


def test_reloading_keeps_editors_changes_and_deletions(seeded):
    guide = Technique.objects.get(slug="cat-cow")
    guide.title = "Cat and cow, edited"
    guide.save()
    step = guide.steps.get(order=1)
    step.instruction = "An editor's own words."
    step.save()
    Technique.objects.get(slug="half-sit-up").delete()
    Page.objects.filter(slug="about").update(title="About us, edited")
    first_do = SafetyTip.objects.filter(technique__isnull=True, kind=TipKind.DO).first()
    first_do.delete()

    call_command("load_content", verbosity=0)

    assert Technique.objects.get(slug="cat-cow").title == "Cat and cow, edited"
    assert Step.objects.get(technique__slug="cat-cow", order=1).instruction == "An editor's own words."
    assert not Technique.objects.filter(slug="half-sit-up").exists()
    assert Page.objects.get(slug="about").title == "About us, edited"
    assert not SafetyTip.objects.filter(text=first_do.text, technique__isnull=True).exists()


def test_seeded_content_covers_every_guide_with_steps_tips_sources_and_related(seeded):
    guides = Technique.objects.published()
    assert REQUIRED_GUIDES <= set(guides.values_list("slug", flat=True))
    for guide in guides:
        steps = list(guide.steps.all())
        assert len(steps) >= 3, guide.slug
        assert all(step.hold_seconds or step.reps for step in steps), guide.slug
        assert all(len(step.image_alt.split()) >= 8 for step in steps), guide.slug
        tips = list(guide.tips.all())
        assert any(tip.kind == TipKind.DO for tip in tips), guide.slug
        assert any(tip.kind == TipKind.DONT for tip in tips), guide.slug
        assert any(tip.kind == TipKind.RED_FLAG and tip.text.startswith("Stop if") for tip in tips), guide.slug
        assert guide.citations.exists(), guide.slug
        assert guide.related.exists(), guide.slug
        if guide.slug != "warm-up":
            assert guide.related.filter(slug="warm-up").exists(), guide.slug


def test_seeded_safety_and_cavitation_content(seeded):
    site_wide = SafetyTip.objects.filter(technique__isnull=True)
    assert min(site_wide.filter(kind=TipKind.DO).count(), site_wide.filter(kind=TipKind.DONT).count()) >= 6
    assert site_wide.filter(kind=TipKind.RED_FLAG, urgency="emergency", text__icontains="chest pain").exists()
    assert Page.objects.get(slug="cavitation").citations.count() >= 4
    assert Page.objects.get(slug="about").body.lower().count("not") > 0


def test_no_seeded_text_carries_placeholder_or_known_seed_mistakes(seeded):
    texts = [g.intro + g.feel + g.mistakes for g in Technique.objects.all()]
    texts += [s.instruction for s in Step.objects.all()] + [p.body for p in Page.objects.all()]
    joined = "\n".join(texts).lower()
    for banned in [
        "lorem",
        "todo",
        "placeholder",
        "example external link",
        "touch your toes",
        "lie on your stomach",
        "safe and effective way",
    ]:
        assert banned not in joined, banned


def test_content_too_long_for_its_column_is_refused_on_every_database():
    """SQLite keeps a string of any length in a CharField and PostgreSQL refuses it: the seed
    files are checked against the columns, so they load on both or on neither."""
    limit = Step._meta.get_field("image_alt").max_length
    with pytest.raises(ValueError, match=rf"guide:g:step:1: image_alt has {limit + 1} characters, at most {limit}"):
        Item("guide:g:step:1", StepKind(), {"title": "Step", "image_alt": "x" * (limit + 1)})
    Item("guide:g:step:1", StepKind(), {"title": "Step", "image_alt": "x" * limit})
    # A value stored under another name is checked against its column: a safety-table row's
    # "do" and "don't" are each a SafetyTip's text.
    text_limit = SafetyTip._meta.get_field("text").max_length
    with pytest.raises(ValueError, match=rf"dont has {text_limit + 1} characters"):
        Item("pair:1", PairKind(), {"order": 1, "do": "Do this.", "dont": "y" * (text_limit + 1)})
