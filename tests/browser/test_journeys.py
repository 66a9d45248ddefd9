"""What a reader does on the public site, in Chromium, with JavaScript and without."""

import re

import pytest
from playwright.sync_api import expect

from routines.models import Routine
from techniques.models import Technique
from tests.site_pages import UNLISTED_PAGES

# A standing guide with at least three steps and related guides.
GUIDE_SLUG = "door-frame-wall-lean"
NARROWEST_PHONE = 320


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_home_filter_guide_step_related_and_back(site, new_page, javascript):
    guide = Technique.objects.published().get(slug=GUIDE_SLUG)
    guide_url = site + guide.get_absolute_url()
    page = new_page(javascript=javascript)

    page.goto(site + "/")
    page.get_by_role("link", name="Browse all guides").click()
    expect(page).to_have_url(site + "/guides/")

    page.get_by_label("Position").select_option(guide.position)
    page.get_by_role("button", name="Show guides").click()
    expect(page).to_have_url(re.compile(rf"/guides/\?(.*&)?position={guide.position}(&|$)"))
    same_position = Technique.objects.published().filter(position=guide.position).order_by("title")
    expect(page.locator(".cards .card-title")).to_have_text([g.title for g in same_position])

    page.get_by_role("link", name=guide.title, exact=True).click()
    expect(page).to_have_url(guide_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(guide.title)

    if javascript:
        # The step's link is a copy button now: open the address it copies, as whoever it
        # was sent to would.
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
        page.get_by_role("button", name="Copy link to step 3").click()
        page.goto(page.evaluate("navigator.clipboard.readText()"))
    else:
        page.get_by_role("link", name="Link to step 3").click()
    expect(page).to_have_url(guide_url + "#step-3")
    expect(page.locator("#step-3")).to_be_in_viewport()
    assert page.evaluate("document.querySelector(':target')?.id") == "step-3"

    related = page.locator(".related a").first
    related_title = related.inner_text()
    related.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(related_title)
    page.go_back()
    expect(page).to_have_url(guide_url + "#step-3")
    expect(page.get_by_role("heading", level=1)).to_have_text(guide.title)


def public_urls(page, site):
    """Every address in the sitemap, the public pages it leaves out, and one that is not found."""
    sitemap = page.request.get(site + "/sitemap.xml")
    assert sitemap.ok
    urls = re.findall(r"<loc>([^<]+)</loc>", sitemap.text())
    # The guides, the routines, the six site pages, the list of routines and the builder.
    assert len(urls) == Technique.objects.published().count() + Routine.objects.published().count() + 8
    return [*urls, *(site + path for path in UNLISTED_PAGES), site + "/no-such-page/"]


# The page's width and, when it is too wide, the first few elements that stick out.
MEASURE_WIDTH = """() => {
  const root = document.scrollingElement;
  const name = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + [...e.classList].map((c) => "." + c).join("");
  const wide = [...document.body.querySelectorAll("*")]
    .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 0.5)
    .map((e) => `${name(e)} (right edge ${Math.round(e.getBoundingClientRect().right)})`);
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide: wide.slice(0, 6)};
}"""


def test_no_page_scrolls_sideways_on_a_320px_phone(site, new_page):
    page = new_page(width=NARROWEST_PHONE, height=640)
    too_wide = {}
    for url in public_urls(page, site):
        page.goto(url)
        width = page.evaluate(MEASURE_WIDTH)
        if width["scrollWidth"] > width["clientWidth"]:
            too_wide[url] = width
    assert not too_wide
