"""The copy-link controls on a guide: plain links without JavaScript, copy buttons with it
(static/js/share.js)."""

import re

import pytest
from playwright.sync_api import expect

from techniques.models import Technique

GUIDE_SLUG = "cat-cow"
# As a browser whose reader said no, or whose page lost focus, answers.
REFUSING_CLIPBOARD = "navigator.clipboard.writeText = () => Promise.reject(new DOMException('No', 'NotAllowedError'))"


@pytest.fixture
def guide_url(site):
    return site + Technique.objects.published().get(slug=GUIDE_SLUG).get_absolute_url()


def test_copying_a_step_link_puts_its_canonical_address_on_the_clipboard(site, guide_url, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    errors = []  # a script the Content-Security-Policy blocked, or one that failed
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Tracking parameters in the address the reader came by never travel with the copied link.
    page.goto(guide_url + "?utm_source=newsletter")
    status = page.locator("#step-2").get_by_role("status")
    button = page.get_by_role("button", name="Copy link to step 2")
    expect(page.locator("a[data-copy-link]")).to_have_count(0)
    expect(status).to_have_text("")

    button.click()

    expect(status).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == guide_url + "#step-2"
    # Copying, not following: the reader stays where they were.
    assert page.url == guide_url + "?utm_source=newsletter"
    assert not errors


def test_the_guide_link_copies_the_guide_address(site, guide_url, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page.goto(guide_url)
    page.get_by_role("button", name="Copy link to this guide").click()
    expect(page.locator(".guide-header").get_by_role("status")).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == guide_url


def test_when_the_clipboard_refuses_the_address_is_shown_selected(guide_url, page):
    page.add_init_script(REFUSING_CLIPBOARD)
    page.goto(guide_url)
    page.get_by_role("button", name="Copy link to step 2").click()

    step = page.locator("#step-2")
    expect(step.get_by_role("status")).to_contain_text("Could not copy the link")
    field = step.get_by_role("textbox", name="Link to copy")
    expect(field).to_have_value(guide_url + "#step-2")
    expect(field).to_be_focused()
    selected = page.evaluate("[document.activeElement.selectionStart, document.activeElement.selectionEnd]")
    assert selected == [0, len(guide_url + "#step-2")]


def test_without_javascript_each_control_is_a_plain_link_to_the_canonical_address(guide_url, no_js_page):
    no_js_page.goto(guide_url + "?utm_source=newsletter")
    guide = Technique.objects.get(slug=GUIDE_SLUG)
    # The only button left is the header's search button, a plain form submit.
    expect(no_js_page.get_by_role("button", name=re.compile("copy|follow", re.IGNORECASE))).to_have_count(0)
    expect(no_js_page.get_by_role("link", name="Link to this guide")).to_have_attribute("href", guide_url)
    for order in range(1, guide.steps.count() + 1):
        link = no_js_page.get_by_role("link", name=f"Link to step {order}", exact=True)
        expect(link).to_have_attribute("href", f"{guide_url}#step-{order}")
