"""Search in Chromium: from the header of any page to a step of a guide, on a phone, with
JavaScript and without; and the search pages, which the sitemap leaves out of the site-wide
accessibility and width checks, checked here."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import AXE, RUN_AXE, WCAG_TAGS, describe
from tests.browser.test_journeys import MEASURE_WIDTH, NARROWEST_PHONE

SEARCH_PAGES = ["/search/", "/search/?q=neck", "/search/?q=zzzz", "/search/?q=" + "neck+" * 50]


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_search_from_the_header_to_a_step_on_a_phone(site, new_page, javascript):
    page = new_page(width=375, height=740, javascript=javascript)
    page.goto(site + "/guides/")
    header = page.locator("header.site-header")
    header.get_by_role("searchbox", name="Search guides, steps and pages").fill("cat")
    header.get_by_role("button", name="Search").click()

    expect(page).to_have_url(site + "/search/?q=cat")
    expect(page.get_by_role("status")).to_contain_text("for “cat”")
    expect(page.get_by_role("searchbox", name="Search guides, steps and pages")).to_have_value("cat")
    step = page.locator(".search-result").filter(has_text="Step 3 of Cat-cow")
    expect(step.locator("mark").first).to_have_text(re.compile("cat", re.I))

    step.get_by_role("link").click()
    expect(page).to_have_url(site + "/guides/cat-cow/#step-3")
    expect(page.locator("#step-3")).to_be_in_viewport()


@pytest.mark.parametrize(("scheme", "width"), [("light", 375), ("dark", 1280)], ids=["light-phone", "dark-desktop"])
def test_search_pages_have_no_wcag_violations(site, new_page, scheme, width):
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing. Install the npm tools with `make node_modules/.installed` (npm ci).")
    page = new_page(width=width, height=800, color_scheme=scheme, bypass_csp=True)
    problems = []
    for path in SEARCH_PAGES:
        page.goto(site + path)
        page.add_script_tag(path=AXE)
        problems += [describe(path, violation) for violation in page.evaluate(RUN_AXE, [WCAG_TAGS, None])]
    assert not problems, f"{len(problems)} axe violations:\n" + "\n".join(problems)


def test_search_pages_and_the_header_search_do_not_scroll_sideways_on_a_320px_phone(site, new_page):
    page = new_page(width=NARROWEST_PHONE, height=640)
    too_wide = {}
    # The search page has no header search of its own; these pages have.
    for path in [*SEARCH_PAGES, "/", "/guides/cat-cow/"]:
        page.goto(site + path)
        width = page.evaluate(MEASURE_WIDTH)
        if width["scrollWidth"] > width["clientWidth"]:
            too_wide[path] = width
    assert not too_wide
