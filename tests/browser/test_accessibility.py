"""Accessibility in Chromium: axe-core finds no WCAG 2.2 AA violation on any public page, in the
light and the dark colour scheme, and a keyboard reader can reach every control of a guide in
order and always see where the focus is."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.site_pages import NOT_FOUND_PATH, UNLISTED_PAGES, sitemap_paths

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
GUIDE_PATH = "/guides/door-frame-wall-lean/"

# axe over the whole page, or only over the elements the `include` selectors name.
RUN_AXE = """async ([tags, include]) => {
  const context = include ? {include: include.map((selector) => [selector])} : document;
  const results = await axe.run(context, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map((node) => ({target: node.target.join(" "), summary: node.failureSummary})),
  }));
}"""


def public_paths(page, site) -> list[str]:
    sitemap = page.request.get(site + "/sitemap.xml")
    assert sitemap.ok
    return [*sitemap_paths(sitemap.text()), *UNLISTED_PAGES, NOT_FOUND_PATH]


def describe(path: str, violation: dict) -> str:
    nodes = "\n".join(
        f"    {node['target']}\n" + "\n".join(f"      {line}" for line in node["summary"].splitlines() if line.strip())
        for node in violation["nodes"]
    )
    return f"{path}: {violation['id']} ({violation['impact']}): {violation['help']}\n{nodes}"


@pytest.mark.parametrize(
    ("scheme", "width", "height"),
    [("light", 1280, 800), ("dark", 1280, 800), ("light", 375, 740), ("dark", 375, 740)],
    ids=["light-desktop", "dark-desktop", "light-phone", "dark-phone"],
)
def test_no_page_has_wcag_violations(site, new_page, scheme, width, height):
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing. Install the npm tools with `make node_modules/.installed` (npm ci).")
    # The site's CSP allows its own scripts only; axe is injected as an inline script.
    page = new_page(width=width, height=height, color_scheme=scheme, bypass_csp=True)
    problems = []
    for path in public_paths(page, site):
        page.goto(site + path)
        page.add_script_tag(path=AXE)
        problems += [describe(path, violation) for violation in page.evaluate(RUN_AXE, [WCAG_TAGS, None])]
    assert not problems, f"{len(problems)} axe violations in the {scheme} scheme:\n" + "\n".join(problems)


# Where an element is and what the focus looks like on it.
DESCRIBE = """(e) => {
  const style = getComputedStyle(e);
  const box = e.getBoundingClientRect();
  return {
    label: e.tagName.toLowerCase() + " " + JSON.stringify((e.innerText || e.value || "").trim().slice(0, 60)),
    region: e.closest("header.site-header") ? "header" : e.closest("main") ? "main"
      : e.closest("footer") ? "footer" : "body",
    href: e.getAttribute("href"),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
    onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
      && box.left < innerWidth && box.top < innerHeight,
  };
}"""
# Every element Tab should stop at, in document order (the skip link is off-screen until focused).
TABBABLE = f"""() => {{
  const selector = "a[href], button, input, select, textarea, summary, [tabindex]";
  const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
  return [...document.querySelectorAll(selector)]
    .filter((e) => e.tabIndex >= 0 && !e.disabled && (visible(e) || e.classList.contains("skip-link")))
    .map({DESCRIBE});
}}"""
FOCUSED = f"() => ({DESCRIBE})(document.activeElement)"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_keyboard_reaches_a_guide_in_order_with_a_visible_focus(site, new_page, scheme):
    page = new_page(color_scheme=scheme)
    page.goto(site + GUIDE_PATH)
    expected = page.evaluate(TABBABLE)
    regions = [stop["region"] for stop in expected]
    # Skip link, then the header's links, then the guide, then the footer: nothing out of place.
    assert expected[0]["href"] == "#main"
    assert regions[1:] == sorted(regions[1:], key=["body", "header", "main", "footer"].index), regions
    assert regions.count("header") >= 6 and regions.count("main") >= 10, regions

    visited = []
    for _ in expected:
        page.keyboard.press("Tab")
        visited.append(page.evaluate(FOCUSED))
    assert [stop["label"] for stop in visited] == [stop["label"] for stop in expected]
    unseen = [stop for stop in visited if not (stop["outline"] or stop["shadow"]) or not stop["onScreen"]]
    assert not unseen, f"focus is not visible on: {unseen}"


def test_skip_link_moves_the_focus_to_the_guide(site, page):
    page.goto(site + GUIDE_PATH)
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 20, "the skip link is not shown on focus"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    first_in_main = page.locator("main a[href], main button").first
    assert page.evaluate("(e) => e === document.activeElement", first_in_main.element_handle())
