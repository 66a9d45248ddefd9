"""Two editors in Chromium: who else is editing, drafts that survive a closed tab and an
expired session, the merge view after a stale save, and axe on these admin screens.

Screenshots of each screen go to build/screenshots/editing/ for a look by eye."""

import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from techniques.models import Technique
from tests.browser.test_accessibility import AXE, RUN_AXE, WCAG_TAGS, describe
from tests.factories import StaffFactory

PASSWORD = "a long editor password for the browser test"
SHOTS = Path(settings.BASE_DIR) / "build" / "screenshots" / "editing"
GUIDE_SLUG = "cat-cow"
# Heartbeats come every few seconds; on a busy machine a few of them can take a while.
HEARTBEAT_WAIT_MS = 20_000


@pytest.fixture
def new_page(new_page):
    """The suite's `new_page`, whose pages stop their heartbeats before the test's database is
    emptied: an open change form keeps writing to it (SQLite then refuses the flush)."""
    pages = []

    def make(**options):
        page = new_page(**options)
        pages.append(page)
        return page

    yield make
    for page in pages:
        if not page.is_closed():
            page.context.route("**/editor/presence/**", lambda route: route.abort())
            page.goto("about:blank")
    time.sleep(1)  # any heartbeat already on its way is answered before the flush


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def admin(site):
    return f"{site}/{settings.ADMIN_URL_PREFIX}"


def sign_in(page, site, editor, then=None):
    page.goto(then or admin(site))
    expect(page).to_have_url(re.compile(r"/login/"))
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))
    page.wait_for_load_state()


def editors():
    return StaffFactory(first_name="Alice", password=PASSWORD), StaffFactory(first_name="Bob", password=PASSWORD)


def guide_url(site, guide):
    return f"{admin(site)}techniques/technique/{guide.pk}/change/"


# The parts this feature adds to the admin's change form, which axe checks alone: the stock
# form's tabular inlines and many-to-many pickers have findings of their own.
CHANGE_FORM_ADDITIONS = ["#editing-status", ".editing-conflict"]


def assert_no_axe_violations(page, name, include=None):
    page.add_script_tag(path=AXE)
    found = page.evaluate(RUN_AXE, [WCAG_TAGS, include])
    problems = [describe(name, violation) for violation in found]
    assert not problems, "\n".join(problems)


def test_also_editing_notice_appears_for_both_and_goes_when_one_leaves(site, new_page):
    alice, bob = editors()
    guide = Technique.objects.get(slug=GUIDE_SLUG)
    alices, bobs = new_page(bypass_csp=True), new_page()
    sign_in(alices, site, alice, guide_url(site, guide))
    sign_in(bobs, site, bob, guide_url(site, guide))

    expect(alices.locator(".editing-other")).to_have_text(
        re.compile(r"^Bob is also editing this guide \(opened \d\d:\d\d\)\.$"), timeout=HEARTBEAT_WAIT_MS
    )
    expect(bobs.locator(".editing-other")).to_have_text(
        re.compile(r"^Alice is also editing this guide \(opened \d\d:\d\d\)\.$"), timeout=HEARTBEAT_WAIT_MS
    )
    shoot(alices, "presence-also-editing")
    assert_no_axe_violations(alices, "change form with presence notice", CHANGE_FORM_ADDITIONS)

    bobs.close()  # the page says it is leaving; Alice's next heartbeat no longer lists Bob
    expect(alices.locator(".editing-other")).to_have_count(0, timeout=HEARTBEAT_WAIT_MS)

    # When someone saves, the open form says so at once.
    bobs = new_page()
    sign_in(bobs, site, bob, guide_url(site, guide))
    bobs.locator("#id_summary").fill("Bob's summary, saved while Alice has the form open.")
    bobs.get_by_role("button", name="Save and continue editing").click()
    expect(bobs.locator(".messagelist .success")).to_be_visible()
    expect(alices.locator(".editing-saved")).to_contain_text(
        re.compile(r"Bob saved this guide at \d\d:\d\d, after you opened it"), timeout=HEARTBEAT_WAIT_MS
    )
    shoot(alices, "presence-saved-by-other")


def draft_offer(page):
    return page.locator(".editing-draft")


def wait_for_draft(page, guide):
    page.wait_for_function(
        "key => Object.keys(localStorage).some(k => k.endsWith(key))", arg=f":techniques.technique:{guide.pk}"
    )


def test_closed_tab_offers_the_draft_and_restoring_puts_the_text_back(site, new_page):
    alice, _ = editors()
    guide = Technique.objects.get(slug=GUIDE_SLUG)
    page = new_page(bypass_csp=True)
    sign_in(page, site, alice, guide_url(site, guide))
    typed = "Ease into the movement and never force the arch."
    page.locator("#id_summary").fill(typed)
    wait_for_draft(page, guide)
    context = page.context
    page.close()  # the tab is closed without saving

    page = context.new_page()
    page.goto(guide_url(site, guide))
    expect(page.locator("#id_summary")).to_have_value(guide.summary)
    expect(draft_offer(page)).to_contain_text(
        re.compile(r"You have unsaved changes from \d\d:\d\d: restore or discard\?")
    )
    shoot(page, "draft-offer")
    assert_no_axe_violations(page, "change form with draft offer", CHANGE_FORM_ADDITIONS)
    page.get_by_role("button", name="Restore").click()
    expect(page.locator("#id_summary")).to_have_value(typed)
    expect(draft_offer(page)).to_contain_text("Your unsaved changes are back in the form")

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert Technique.objects.get(pk=guide.pk).summary == typed
    expect(draft_offer(page)).to_be_empty()  # saved, so nothing is offered any more
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('backrelief:draft:'))") == []


def test_discarding_a_draft_forgets_it(site, new_page):
    alice, _ = editors()
    guide = Technique.objects.get(slug=GUIDE_SLUG)
    page = new_page()
    sign_in(page, site, alice, guide_url(site, guide))
    page.locator("#id_title").fill("A title never saved")
    wait_for_draft(page, guide)
    page.reload()
    page.get_by_role("button", name="Discard").click()
    expect(page.locator("#id_title")).to_have_value(guide.title)
    page.reload()
    expect(draft_offer(page)).to_be_empty()


def test_after_the_session_expires_and_the_editor_signs_in_again_the_restore_is_offered(site, new_page):
    alice, _ = editors()
    guide = Technique.objects.get(slug=GUIDE_SLUG)
    page = new_page()
    sign_in(page, site, alice, guide_url(site, guide))
    typed = "Rewritten while the session ran out."
    page.locator("#id_summary").fill(typed)
    wait_for_draft(page, guide)

    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)  # the session has expired
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page).to_have_url(re.compile(r"/login/"))  # the admin dropped the post
    assert Technique.objects.get(pk=guide.pk).summary != typed

    page.get_by_label("Username").fill(alice.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(guide_url(site, guide))
    expect(draft_offer(page)).to_contain_text("You have unsaved changes from")
    page.get_by_role("button", name="Restore").click()
    expect(page.locator("#id_summary")).to_have_value(typed)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert Technique.objects.get(pk=guide.pk).summary == typed


def test_a_draft_restored_after_someone_else_saved_goes_to_the_merge_view(site, new_page):
    alice, bob = editors()
    guide = Technique.objects.get(slug=GUIDE_SLUG)
    page = new_page()
    sign_in(page, site, alice, guide_url(site, guide))
    page.locator("#id_summary").fill("Alice's summary, typed before Bob's save.")
    wait_for_draft(page, guide)
    context = page.context
    page.close()

    # Bob saves the same field after Alice's draft was typed.
    bobs = new_page()
    sign_in(bobs, site, bob, guide_url(site, guide))
    bobs.locator("#id_summary").fill("Bob's newer summary.")
    bobs.get_by_role("button", name="Save and continue editing").click()
    expect(bobs.locator(".messagelist .success")).to_be_visible()

    page = context.new_page()
    page.goto(guide_url(site, guide))
    expect(draft_offer(page)).to_contain_text("saved by someone since")
    page.get_by_role("button", name="Restore").click()
    page.get_by_role("button", name="Save and continue editing").click()
    # Refused as a stale save: Bob's summary stands until Alice chooses in the merge view.
    expect(page.locator(".errorlist.nonfield")).to_contain_text(re.compile(r"Bob saved this guide at \d\d:\d\d"))
    summary_row = page.locator(".editing-conflict tr", has=page.get_by_role("rowheader", name="Summary"))
    expect(summary_row).to_contain_text("You both changed this")
    assert Technique.objects.get(pk=guide.pk).summary == "Bob's newer summary."


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_merge_view_keeps_both_changes(site, new_page, javascript):
    alice, bob = editors()
    guide = Technique.objects.get(slug=GUIDE_SLUG)
    alices, bobs = new_page(javascript=javascript, bypass_csp=True), new_page()
    sign_in(alices, site, alice, guide_url(site, guide))
    sign_in(bobs, site, bob, guide_url(site, guide))

    bobs.locator("#id_summary").fill("Bob's clearer summary.")
    bobs.locator("textarea[name=feel]").fill("Bob: a stretch between the shoulder blades.")
    bobs.get_by_role("button", name="Save and continue editing").click()
    expect(bobs.locator(".messagelist .success")).to_be_visible()

    alices.locator("#id_title").fill("Cat-cow, Alice's title")
    alices.locator("textarea[name=feel]").fill("Alice: a gentle stretch along the spine.")
    alices.get_by_role("button", name="Save and continue editing").click()

    panel = alices.locator(".editing-conflict")
    expect(alices.locator(".errorlist.nonfield")).to_contain_text(
        re.compile(r"Bob saved this guide at \d\d:\d\d, after you opened it")
    )
    shoot(alices, f"merge-view-{'js' if javascript else 'no-js'}")
    saved = Technique.objects.get(pk=guide.pk)
    assert (saved.title, saved.summary) == (guide.title, "Bob's clearer summary.")  # nothing of Alice's yet
    expect(alices.locator("#id_title")).to_have_value("Cat-cow, Alice's title")  # her input intact
    expect(alices.locator("#id_summary")).to_have_value("Bob's clearer summary.")  # his change merged in
    expect(alices.locator("textarea[name=feel]")).to_have_value("Alice: a gentle stretch along the spine.")
    feel_row = panel.locator("tr", has=alices.get_by_role("rowheader", name="What you should feel"))
    expect(feel_row).to_contain_text("You both changed this")
    if javascript:
        assert_no_axe_violations(alices, "merge view", CHANGE_FORM_ADDITIONS)
        feel_row.get_by_role("button", name=re.compile("Use theirs")).click()
        expect(alices.locator("textarea[name=feel]")).to_have_value("Bob: a stretch between the shoulder blades.")

    alices.get_by_role("button", name="Save and continue editing").click()
    expect(alices.locator(".messagelist .success")).to_be_visible()
    saved = Technique.objects.get(pk=guide.pk)
    assert (saved.title, saved.summary) == ("Cat-cow, Alice's title", "Bob's clearer summary.")
    expected_feel = "Bob: a stretch" if javascript else "Alice: a gentle"
    assert saved.feel.startswith(expected_feel)


def test_history_compare_and_recent_changes_pass_axe(site, new_page):
    alice, _ = editors()
    guide = Technique.objects.get(slug=GUIDE_SLUG)
    page = new_page(bypass_csp=True)
    sign_in(page, site, alice, guide_url(site, guide))
    page.locator("textarea[name=intro]").fill(guide.intro + "\n\nBreathe out as you round your back.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    page.get_by_role("link", name="History").click()
    shoot(page, "history-list")
    assert_no_axe_violations(page, "history list")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".editing-words ins")).to_contain_text("Breathe out as you round your back.")
    shoot(page, "history-compare")
    assert_no_axe_violations(page, "history compare")

    page.goto(admin(site))
    page.get_by_role("link", name=re.compile("Every recent save")).click()
    expect(page.locator(".editing-recent-table tbody tr").first).to_contain_text("Alice")
    shoot(page, "recent-changes")
    assert_no_axe_violations(page, "recent changes")
