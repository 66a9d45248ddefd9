"""An editor's round trip in Chromium: sign in to the admin, rewrite a step in the markdown
editor and watch its live preview, upload a picture for it, publish the guide, find both on
the public page, and sign out."""

import re
from pathlib import Path

from django.conf import settings
from playwright.sync_api import expect

from techniques.models import Status, Technique
from tests.factories import StaffFactory
from tests.image_files import photo_bytes

PASSWORD = "a long editor password for the browser test"
GUIDE_SLUG = "cat-cow"
NEW_INSTRUCTION = "Kneel on a folded towel with your hands under your shoulders and your fingers spread."
ALT = "A person kneeling on a folded towel, hands flat under the shoulders, back level."


def test_editor_rewrites_a_step_adds_a_picture_publishes_and_signs_out(site, new_page):
    editor = StaffFactory(password=PASSWORD)
    guide = Technique.objects.get(slug=GUIDE_SLUG)
    # A draft, so that nothing of the edit reaches readers until the editor publishes it.
    Technique.objects.filter(pk=guide.pk).update(status=Status.DRAFT)
    admin = f"{site}/{settings.ADMIN_URL_PREFIX}"
    public_url = site + guide.get_absolute_url()
    page = new_page()
    reader = new_page()  # anonymous, with cookies of its own

    page.goto(admin)
    expect(page).to_have_url(re.compile(r"/login/"))
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(admin)

    page.goto(f"{admin}techniques/technique/{guide.pk}/change/")
    step = page.locator(".inline-related", has=page.locator("textarea[name='steps-0-instruction']"))
    step.locator("textarea[name='steps-0-instruction']").fill(f"{NEW_INSTRUCTION}\n\n**Keep your neck long.**")
    preview = step.locator(".markdownx-preview")
    expect(preview).to_contain_text(NEW_INSTRUCTION)
    expect(preview.locator("strong")).to_have_text("Keep your neck long.")

    step.locator("input[type=file][name='steps-0-image']").set_input_files(
        {"name": "kneeling.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes((1600, 1000))}
    )
    step.locator("[name='steps-0-image_alt']").fill(ALT)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    assert reader.goto(public_url).status == 404  # still a draft

    page.locator(f"input[name='_selected_action'][value='{guide.pk}']").check()
    page.locator("select[name='action']").select_option("publish")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist .success")).to_have_text("Published 1 guide(s).")

    assert reader.goto(public_url).status == 200
    first_step = reader.locator("#step-1")
    expect(first_step.locator(".prose")).to_contain_text(NEW_INSTRUCTION)
    # The upload, turned into variants under its stored (random) name: AVIF and WebP sources,
    # a JPEG fallback, each 480, 960 and 1440 px wide.
    stored = Path(guide.steps.get(order=1).image.name)
    assert stored.parent.name == "steps"

    def variants(extension):
        return ", ".join(rf"/media/variants/{re.escape(stored.stem)}-{w}\.{extension} {w}w" for w in (480, 960, 1440))

    picture = first_step.locator("picture")
    expect(picture.locator("source")).to_have_count(2)
    for source, kind in zip(picture.locator("source").all(), ["avif", "webp"], strict=True):
        expect(source).to_have_attribute("type", f"image/{kind}")
        expect(source).to_have_attribute("srcset", re.compile(f"^{variants(kind)}$"))
    image = picture.locator("img")
    expect(image).to_have_attribute("alt", ALT)
    expect(image).to_have_attribute("srcset", re.compile(f"^{variants('jpg')}$"))
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Logged out")).to_be_visible()
    page.goto(admin)
    expect(page).to_have_url(re.compile(r"/login/"))
