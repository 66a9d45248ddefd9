"""Step drawings on screen, in Chromium: a movement's drawing runs its animation, and every
step figure stands still when the reader asks for reduced motion (or prints). Checked on
screen, by comparing screenshots taken apart in time, not by reading the files."""

import pytest

GUIDE = "/guides/cat-cow/"
MOVING_STEP = "#step-2"  # cat-cow step 2 (into cow) is a movement
APART_MS = 900


def _loaded(page, selector):
    image = page.locator(f"{selector} .step-figure img")
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    return image


def _current_sources(page):
    return page.eval_on_selector_all(".step-figure img", "images => images.map(img => img.currentSrc)")


def test_a_movement_animates_on_screen(site, new_page):
    page = new_page(width=1000, height=900)
    page.goto(site + GUIDE)
    image = _loaded(page, MOVING_STEP)
    assert image.evaluate("img => img.currentSrc").endswith("/cat-cow-2-moving.svg")
    shots = []
    for _ in range(3):
        shots.append(image.screenshot())
        page.wait_for_timeout(APART_MS)
    assert len(set(shots)) > 1, "the drawing looked the same each time: it is not moving"


@pytest.mark.parametrize("ask", ["reduced motion", "print"])
def test_every_step_figure_stands_still_for_reduced_motion_and_print(site, new_page, ask):
    page = new_page(width=1000, height=900, reduced_motion="reduce" if ask == "reduced motion" else "no-preference")
    if ask == "print":
        page.emulate_media(media="print")
    page.goto(site + GUIDE)
    sources = _current_sources(page)
    assert sources and not [src for src in sources if "-moving" in src], sources
    image = _loaded(page, MOVING_STEP)
    assert image.evaluate("img => img.currentSrc").endswith("/cat-cow-2.svg")
    first = image.screenshot()
    page.wait_for_timeout(APART_MS)
    assert image.screenshot() == first, "the still drawing changed between two screenshots"


def test_follow_along_shows_the_same_animation_and_honours_reduced_motion(site, new_page):
    for motion, expected in (("no-preference", "cat-cow-2-moving.svg"), ("reduce", "cat-cow-2.svg")):
        page = new_page(width=1000, height=900, reduced_motion=motion)
        page.goto(site + GUIDE)
        page.click("[data-follow-along-start]")
        page.get_by_role("button", name="Next", exact=True).click()
        figure = page.locator(".follow-along-figure img")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=figure.element_handle())
        assert figure.evaluate("img => img.currentSrc").endswith(expected), motion


@pytest.mark.parametrize("width", [375, 1000])
def test_every_step_figure_holds_its_room_before_it_loads(site, new_page, width):
    """A lazy drawing below the screen takes its full height at once, so nothing the reader
    is looking at (or has tabbed to) jumps down the page as it loads."""
    page = new_page(width=width, height=700)
    page.goto(site + GUIDE)
    figures = page.eval_on_selector_all(
        ".step-figure img",
        """images => images.map(img => {
          const box = img.getBoundingClientRect();
          return {loaded: img.complete && img.naturalWidth > 0, width: box.width, height: box.height,
                  ratio: img.width / img.height};
        })""",
    )
    assert any(not figure["loaded"] for figure in figures), "every drawing loaded at once: nothing to check"
    for figure in figures:
        assert figure["width"] > width / 2, figure
        assert figure["height"] == pytest.approx(figure["width"] / figure["ratio"], abs=1), figure
