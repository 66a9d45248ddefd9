"""Routines in Chromium: a reader builds one, shares its address, and someone else plays it in
follow-along mode across its guides; and the longest routine allowed prints as a one-page A4
handout whose QR code opens the routine's canonical address."""

import io
import re
import shutil
import subprocess
import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from routines.links import Choice, routine_url
from routines.models import Routine
from routines.steps import MAX_GUIDES, MAX_STEPS, RoutineEntry
from techniques.models import SafetyTip, Technique, TipKind
from techniques.templatetags.site_tags import dosage
from tests.factories import StepFactory

# Any fixed moment: the player's clock starts here and stands still until the test moves it.
START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
A4_POINTS = (595, 842)
# Screen furniture that has no place on the handout.
NOT_PRINTED = ("Skip to content", "Play routine", "Link to this routine", "Information, not medical advice. These")
LOCAL_NUMBER = "Outside the UK, call your local emergency number"


def tool(name):
    """A command-line tool's path, or a failure that says how to install it: a handout whose
    QR code was never read must not pass."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: run scripts/install-system-deps.sh (poppler-utils, zbar-tools).")
    return path


def compact(text):
    """Text without whitespace (PDF text breaks lines, even inside addresses) or ligatures."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def test_a_reader_builds_a_routine_and_someone_else_plays_it(site, new_page):
    builder = new_page()
    builder.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    builder.goto(site + "/routines/build/")
    builder.get_by_label("Chair backrest extension", exact=True).check()
    builder.get_by_label("Standing upper-back rotation", exact=True).check()
    # Ticking numbers the guides in the order ticked; the reader then puts the rotation first.
    expect(builder.get_by_label("Position of Chair backrest extension")).to_have_value("1")
    expect(builder.get_by_label("Position of Standing upper-back rotation")).to_have_value("2")
    builder.get_by_label("Position of Standing upper-back rotation").select_option("1")
    builder.get_by_label("Position of Chair backrest extension").select_option("2")
    builder.get_by_text("Hold and repetitions for Standing upper-back rotation").click()
    builder.get_by_label("Repetitions for Standing upper-back rotation").fill("2")
    expect(builder.get_by_role("status")).to_have_text("2 guides, 6 steps chosen.")
    builder.get_by_role("button", name="Make my routine").click()

    address = site + "/routines/custom/standing-thoracic-rotation~x2+chair-backrest-extension/"
    expect(builder).to_have_url(address)
    builder.get_by_role("button", name="Copy link to this routine").click()
    shared = builder.evaluate("navigator.clipboard.readText()")
    assert shared == address

    # Whoever the link was sent to: a browser context of their own, on a clock the test moves.
    reader = new_page(width=375, height=812)
    errors = []
    reader.on("console", lambda message: message.type == "error" and errors.append(message.text))
    reader.on("pageerror", lambda error: errors.append(str(error)))
    reader.clock.install(time=START)
    reader.goto(shared)
    reader.clock.pause_at(START + timedelta(hours=1))
    reader.get_by_role("button", name="Play routine").click()

    dialog = reader.get_by_role("dialog", name="Routine: Standing upper-back rotation and Chair backrest extension")
    heading, counter = dialog.get_by_role("heading", level=3), dialog.locator(".follow-along-counter")
    expect(heading).to_have_text("Standing upper-back rotation · Step 1: Stand ready")
    expect(counter).to_have_text("Step 1 of 6")

    # Get ready 5 s and hold 5 s; then, for each of the next two steps, twice on each side
    # (the routine's 2, not the guide's 5): get ready or switch sides 5 s, hold 3 s, rest 3 s,
    # hold 3 s on each side, 28 s a step.
    reader.clock.run_for(11_000)
    expect(heading).to_have_text("Standing upper-back rotation · Step 2: Turn with arms crossed")
    expect(dialog.locator(".follow-along-set")).to_have_text("Left side, 1 of 2")
    reader.clock.run_for(56_000)
    expect(counter).to_have_text("Step 4 of 6")
    expect(heading).to_have_text("Chair backrest extension · Step 1: Sit back in the chair")
    expect(dialog.get_by_role("img")).to_have_attribute("src", re.compile(r"/chair-backrest-extension-1\.svg$"))
    assert not errors


def test_the_builder_works_without_javascript(site, no_js_page):
    no_js_page.goto(site + "/routines/build/")
    no_js_page.get_by_label("Cat-cow", exact=True).check()
    no_js_page.get_by_label("Gentle warm-up", exact=True).check()
    no_js_page.get_by_label("Position of Gentle warm-up").select_option("1")
    no_js_page.get_by_role("button", name="Make my routine").click()
    expect(no_js_page).to_have_url(site + "/routines/custom/warm-up+cat-cow/")
    expect(no_js_page.locator("[data-step]")).to_have_count(8)
    expect(no_js_page.get_by_role("link", name="Link to this routine")).to_be_visible()
    # The player's button needs the script, so without it the button stays hidden.
    expect(no_js_page.locator("[data-follow-along-start]")).to_be_hidden()


def advice_points(guide):
    """A guide's "stop and get advice" points that send the reader to a professional, such
    as its osteoporosis caution: the handout prints these for every guide in it."""
    return guide.tips.filter(kind=TipKind.RED_FLAG).exclude(urgency="stop")


@pytest.mark.parametrize("slug", ["morning-mobility", "desk-break"])
def test_a_routine_and_its_handout_carry_each_guides_osteoporosis_caution(site, page, slug):
    routine = Routine.objects.get(slug=slug)
    guides = [item.technique for item in routine.items.order_by("order")]
    cautions = {
        guide.slug: guide.tips.get(kind=TipKind.RED_FLAG, text__contains="osteoporosis").text
        for guide in guides
        if guide.slug != "warm-up"  # small, easy turns only: it has no such caution
    }
    assert len(cautions) >= 2

    page.goto(site + routine.get_absolute_url())
    for guide_slug, caution in cautions.items():
        expect(page.locator(".routine-guide", has=page.locator(f'a[href="/guides/{guide_slug}/"]'))).to_contain_text(
            caution
        )

    page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    assert len(pdf.pages) == 1
    text = compact(pdf.pages[0].extract_text())
    missing = [caution for caution in cautions.values() if compact(caution) not in text]
    assert not missing
    assert compact(LOCAL_NUMBER) in text
    # "Stop if it hurts" is said once for the whole handout, not repeated for each guide.
    assert "Stopifyoufeelsharppain" not in text


def longest_routine():
    """The longest routine the limits allow: the guides with the most steps, topped up with
    steps of their own to the limit, each asking for the longest hold and the most repetitions
    its steps take."""
    guides = list(Technique.objects.published().prefetch_related("steps"))
    guides = sorted(guides, key=lambda guide: (-len(guide.steps.all()), guide.slug))[:MAX_GUIDES]
    missing = MAX_STEPS - sum(len(guide.steps.all()) for guide in guides)
    for number in range(missing):
        guide = guides[number % len(guides)]
        StepFactory(
            technique=guide,
            order=len(guide.steps.all()) + 1 + number // len(guides),
            title="Hold the stretch and breathe slowly",
            hold_seconds=20,
            reps=3,
            sides="each",
            illustration=f"{guide.slug}-1",
            image_alt="The same position as the guide's first step, held a little longer.",
        )
    choices, entries = [], []
    for guide in Technique.objects.filter(pk__in=[g.pk for g in guides]).prefetch_related("steps"):
        steps = list(guide.steps.all())
        refused = RoutineEntry(guide, steps, 120, 30).override_problems()
        hold = None if "hold_seconds" in refused else 120
        reps = None if "reps" in refused else 30
        choices.append(Choice(guide.slug, hold, reps))
        entries.append(RoutineEntry(guide, steps, hold, reps))
    assert len(entries) == MAX_GUIDES and sum(len(entry.steps) for entry in entries) == MAX_STEPS
    return routine_url(choices), entries


def test_the_longest_routine_prints_on_one_a4_page_with_a_qr_code_of_its_address(site, page, tmp_path):
    path, entries = longest_routine()
    page.goto(site + path)
    canonical = page.locator('link[rel="canonical"]').get_attribute("href")
    assert canonical == site + path

    pdf_bytes = page.pdf(format="A4", print_background=True)
    pdf = PdfReader(io.BytesIO(pdf_bytes))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert abs(float(box.width) - A4_POINTS[0]) <= 1 and abs(float(box.height) - A4_POINTS[1]) <= 1

    text = compact(pdf.pages[0].extract_text())
    red_flags = SafetyTip.objects.filter(technique__isnull=True, kind=TipKind.RED_FLAG).values_list("text", flat=True)
    expected = [
        *(entry.guide.title for entry in entries),
        *(f"Step {step.number}: {step.title}" for entry in entries for step in entry.steps),
        *(dosage(step) for entry in entries for step in entry.steps),
        *red_flags,
        *(tip.text for entry in entries for tip in advice_points(entry.guide)),
        LOCAL_NUMBER,
        canonical,
    ]
    assert not [item for item in expected if compact(item) not in text]
    assert not [item for item in NOT_PRINTED if compact(item) in text]

    (tmp_path / "routine.pdf").write_bytes(pdf_bytes)
    subprocess.run([tool("pdftoppm"), "-r", "200", "-png", "routine.pdf", "routine"], cwd=tmp_path, check=True)
    scans = subprocess.run(
        [tool("zbarimg"), "--raw", "-q", *sorted(str(png) for png in tmp_path.glob("routine*.png"))],
        capture_output=True,
        text=True,
        check=True,
    )
    assert scans.stdout.strip() == canonical
