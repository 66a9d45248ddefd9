"""Corrections to the seed content reach a site that loaded an earlier version: an item no
editor changed gets the new text, an item an editor changed is left alone and listed.

`tests/fixtures/content-first-release.tar.gz` is techniques/content/ as first released. A
database loaded from it by that release's loader recorded only the keys of whole guides,
sources, pages and site-wide tips, without fingerprints or row ids; `first_release_site`
leaves the database exactly so.
"""

import io
import shutil
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from techniques.models import LoadedSeed, Page, SafetyTip, Source, Step, Technique, TipKind
from techniques.seed_items import GUIDE, GUIDE_TIP, PAGE, PAIR, RED_FLAG, SOURCE, STEP, fingerprint
from techniques.seeding import CONTENT_DIR, ContentLoader, fingerprints, loaded_before, seed_items

pytestmark = pytest.mark.django_db

FIRST_RELEASE = CONTENT_DIR.parent.parent / "tests" / "fixtures" / "content-first-release.tar.gz"
FIRST_RELEASE_KEYS = (":step:", ":tip:")


@pytest.fixture
def first_release(tmp_path):
    with tarfile.open(FIRST_RELEASE) as archive:
        archive.extractall(tmp_path, filter="data")
    return tmp_path / "content"


@pytest.fixture
def first_release_site(first_release):
    ContentLoader(first_release).load()
    for key in LoadedSeed.objects.values_list("key", flat=True):
        if any(marker in key for marker in FIRST_RELEASE_KEYS):
            LoadedSeed.objects.filter(key=key).delete()
    LoadedSeed.objects.update(fingerprint="", object_id=None)
    return first_release


def row_for(item):
    """The item's row, found by what names it: slug, key, order within its guide; or None."""
    if item.kind is SOURCE:
        return Source.objects.filter(key=item.values["key"]).first()
    if item.kind is PAGE:
        return Page.objects.filter(slug=item.values["slug"]).first()
    if item.kind is GUIDE:
        return Technique.objects.filter(slug=item.values["slug"]).first()
    guide_slug = item.parent.removeprefix("guide:")
    if item.kind is STEP:
        return Step.objects.filter(technique__slug=guide_slug, order=item.values["order"]).first()
    if item.kind is GUIDE_TIP:
        return SafetyTip.objects.filter(technique__slug=guide_slug, order=item.values["order"]).first()
    return PAIR.find(item)


def holds_seed_values(item):
    row = row_for(item)
    return row is not None and fingerprint(item.kind.read(row)) == item.fingerprint


def site_wide_red_flags():
    rows = SafetyTip.objects.filter(technique__isnull=True, kind=TipKind.RED_FLAG)
    return sorted(fingerprint(RED_FLAG.read(row)) for row in rows)


def differences_from_seed(content_dir=CONTENT_DIR, except_keys=()):
    """Every seed item whose row does not hold exactly what the seed files say."""
    items = [item for item in seed_items(content_dir) if item.key not in except_keys]
    wrong = [item.key for item in items if item.kind is not RED_FLAG and not holds_seed_values(item)]
    flags = sorted(item.fingerprint for item in items if item.kind is RED_FLAG)
    if not except_keys and site_wide_red_flags() != flags:
        wrong.append("site-wide red flags")
    for guide in Technique.objects.all():
        expected = [item for item in items if item.parent == f"guide:{guide.slug}"]
        if guide.steps.count() + guide.tips.count() != len(expected) and not except_keys:
            wrong.append(f"guide:{guide.slug} has steps or tips the seed files don't")
    return wrong


def test_the_shipped_fingerprints_are_those_of_the_first_release(first_release):
    assert {key: [value] for key, value in fingerprints(first_release).items()} == loaded_before()


def test_a_fresh_database_gets_the_seed_content_and_records_each_row(seeded):
    assert differences_from_seed() == []
    records = LoadedSeed.objects.exclude(key__startswith="routine:")
    assert records.count() == len(seed_items())
    assert not records.filter(fingerprint="").exists()
    step_record = LoadedSeed.objects.get(key="guide:cat-cow:step:2")
    assert step_record.object_id == Step.objects.get(technique__slug="cat-cow", order=2).pk


def test_an_untouched_first_release_site_gets_every_correction(first_release_site):
    assert differences_from_seed() != []  # the first release really differs

    out = io.StringIO()
    call_command("load_content", stdout=out)

    assert differences_from_seed() == []
    assert "0 changed by an editor" in out.getvalue()
    # The merged red flag is gone; the new ones and the osteoporosis cautions are there.
    assert not SafetyTip.objects.filter(text__startswith="Pain that is constant, severe or steadily").exists()
    assert SafetyTip.objects.get(text__startswith="Back pain if you have had cancer").urgency == "urgent"
    assert Technique.objects.get(slug="door-frame-wall-lean").tips.filter(text__contains="osteoporosis").exists()
    # A correction is a recorded change, saying where it came from.
    intro_change = Technique.objects.get(slug="warm-up").history.latest()
    assert intro_change.history_change_reason == "Seed content correction (load_content)"


def test_items_an_editor_changed_are_left_alone_and_listed(first_release_site):
    cat_cow = Technique.objects.get(slug="cat-cow")
    cat_cow.intro = "Our own introduction."
    cat_cow.save()
    step = Step.objects.get(technique__slug="edge-of-bed-extension", order=2)
    step.instruction = "Our own instruction."
    step.save()
    cancer = SafetyTip.objects.get(technique__isnull=True, text__startswith="Back pain if you have had cancer")
    cancer.text = "Back pain if you have ever had cancer: see your GP."
    cancer.save()
    merged_away = SafetyTip.objects.get(text__startswith="Pain that is constant, severe or steadily")
    merged_away.text += " Our note."
    merged_away.save()
    Page.objects.filter(slug="cavitation").update(title="The pop, explained")
    Technique.objects.get(slug="half-sit-up").delete()

    out = io.StringIO()
    call_command("load_content", stdout=out)

    assert Technique.objects.get(slug="cat-cow").intro == "Our own introduction."
    assert Step.objects.get(pk=step.pk).instruction == "Our own instruction."
    cancer.refresh_from_db()
    assert (cancer.text, cancer.urgency) == ("Back pain if you have ever had cancer: see your GP.", "soon")
    assert SafetyTip.objects.filter(pk=merged_away.pk).exists()
    assert Page.objects.get(slug="cavitation").title == "The pop, explained"
    assert not Technique.objects.filter(slug="half-sit-up").exists()  # deleted stays deleted

    listed = out.getvalue()
    for key in [
        "guide:cat-cow",
        "guide:edge-of-bed-extension:step:2",
        "site-tip:red-flag:cancer",
        "site-tip:red-flag:18",
        "page:cavitation",
    ]:
        assert f"  {key}: " in listed, key
    assert "half-sit-up" not in listed
    # Each listed red flag is the row the editor changed, though rows around it were renumbered.
    assert LoadedSeed.objects.get(key="site-tip:red-flag:cancer").object_id == cancer.pk
    assert LoadedSeed.objects.get(key="site-tip:red-flag:18").object_id == merged_away.pk

    # Everything else got its correction, including the parts of cat-cow no editor touched.
    changed = {
        "guide:cat-cow",
        "guide:edge-of-bed-extension:step:2",
        "site-tip:red-flag:cancer",
        "page:cavitation",
    }
    half_sit_up = {item.key for item in seed_items() if item.key.startswith("guide:half-sit-up")}
    assert differences_from_seed(except_keys=changed | half_sit_up) == []
    assert Technique.objects.get(slug="cat-cow").tips.filter(text__contains="sit-back to your heels").exists()

    # Running again changes nothing more, and lists the same items.
    again = ContentLoader().load()
    assert (again.loaded, again.updated, again.removed) == ([], [], [])
    assert {review.key for review in again.review} == {*changed, "site-tip:red-flag:18"}


def test_a_later_correction_reaches_a_site_loaded_with_fingerprints(seeded, tmp_path):
    corrected = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, corrected)
    guide_file = corrected / "guides" / "warm-up.toml"
    text = guide_file.read_text()
    guide_file.write_text(
        text.replace("Aim for about 30 steps in total.", "Aim for about 40 steps in total.").replace(
            'text = "Keep every movement small and easy at first.', 'text = "Start every movement small and easy.'
        )
    )
    edited = Step.objects.get(technique__slug="warm-up", order=2)
    edited.title = "Shoulder rolls, our way"
    edited.save()
    # The editor also changes the tip that the seed files now correct.
    tip = Technique.objects.get(slug="warm-up").tips.get(order=1)
    tip.text = "Our own first tip."
    tip.save()

    report = ContentLoader(corrected).load()

    assert report.updated == ["guide:warm-up:step:1"]
    assert [review.key for review in report.review] == ["guide:warm-up:tip:1"]
    assert "40 steps" in Step.objects.get(technique__slug="warm-up", order=1).instruction
    assert Step.objects.get(pk=edited.pk).title == "Shoulder rolls, our way"
    assert Technique.objects.get(slug="warm-up").tips.get(order=1).text == "Our own first tip."


def test_a_step_or_tip_dropped_from_the_seed_files_goes_unless_an_editor_changed_it(seeded, tmp_path):
    trimmed = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, trimmed)
    for slug in ("towel-roll-extension", "lying-rotation"):
        path = trimmed / "guides" / f"{slug}.toml"
        text = path.read_text()
        last_tip = text.rindex("[[tip]]")
        path.write_text(text[:last_tip])
    kept = Technique.objects.get(slug="lying-rotation").tips.order_by("-order").first()
    kept.text += " Our addition."
    kept.save()
    towel_tips = Technique.objects.get(slug="towel-roll-extension").tips.count()

    report = ContentLoader(trimmed).load()

    assert Technique.objects.get(slug="towel-roll-extension").tips.count() == towel_tips - 1
    assert SafetyTip.objects.filter(pk=kept.pk).exists()
    assert [review.key for review in report.review] == [f"guide:lying-rotation:tip:{kept.order}"]
    assert report.removed == [f"guide:towel-roll-extension:tip:{towel_tips}"]


def test_editors_see_the_items_to_review_in_the_admin_and_can_settle_them(first_release_site, staff_client):
    cat_cow = Technique.objects.get(slug="cat-cow")
    cat_cow.intro = "Our own introduction."
    cat_cow.save()
    cancer = SafetyTip.objects.get(technique__isnull=True, text__startswith="Back pain if you have had cancer")
    cancer.text = "Back pain if you have ever had cancer."
    cancer.save()
    call_command("load_content", stdout=io.StringIO())

    home = staff_client.get(reverse("admin:index")).content.decode()
    assert "Corrections to the seed content waiting for review" in home
    assert f'href="{reverse("admin:techniques_technique_change", args=[cat_cow.pk])}">guide:cat-cow</a>' in home
    assert (
        f'href="{reverse("admin:techniques_safetytip_change", args=[cancer.pk])}">site-tip:red-flag:cancer</a>' in home
    )

    out = io.StringIO()
    call_command("load_content", "--reviewed", "guide:cat-cow", stdout=out)
    assert "1 item(s) marked as reviewed" in out.getvalue()
    with pytest.raises(CommandError, match="page:about"):
        call_command("load_content", "--reviewed", "page:about", stdout=io.StringIO())

    report = ContentLoader().load()
    assert [review.key for review in report.review] == ["site-tip:red-flag:cancer"]
    home = staff_client.get(reverse("admin:index")).content.decode()
    assert "guide:cat-cow" not in home and "site-tip:red-flag:cancer" in home
    assert Technique.objects.get(slug="cat-cow").intro == "Our own introduction."

    # The editor takes the correction: nothing is waiting any more.
    cancer.text = "Back pain if you have had cancer."
    cancer.urgency = "urgent"
    cancer.sources.set(Source.objects.filter(key__in=["mayo-back-pain-older", "physiopedia-thoracic-red-flags"]))
    cancer.order = next(item.values["order"] for item in seed_items() if item.key == "site-tip:red-flag:cancer")
    cancer.save()
    assert ContentLoader().load().review == []
    assert "Corrections to the seed content" not in staff_client.get(reverse("admin:index")).content.decode()
