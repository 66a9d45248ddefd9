"""The reader's own settings: a dark colour scheme, reduced motion, and ink on paper."""

import re

import pytest

GUIDE_PATH = "/guides/shoulder-roll-routine/"

# The page's background, and the colour of the first of each kind of text with the
# background it sits on (its own, or the nearest ancestor's that isn't transparent).
TEXT = ["h1", "h2", "main p", "main li", "main a", ".button", ".lede", ".small", ".step-number", ".review-status"]
COLOURS = """(selectors) => {
  const backdrop = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const colour = getComputedStyle(e).backgroundColor;
      if (colour !== "rgba(0, 0, 0, 0)") return colour;
    }
    return "rgb(255, 255, 255)";
  };
  const text = {};
  for (const selector of selectors) {
    const element = document.querySelector(selector);
    if (element) text[selector] = [getComputedStyle(element).color, backdrop(element)];
  }
  return {background: getComputedStyle(document.body).backgroundColor, text};
}"""

# Every transition and animation duration on the page, pseudo-elements included, that isn't zero.
MOVING = """() => {
  const moving = [];
  for (const element of document.querySelectorAll("*")) {
    for (const pseudo of [null, "::before", "::after"]) {
      const style = getComputedStyle(element, pseudo);
      for (const property of ["transitionDuration", "animationDuration"]) {
        if (style[property].split(",").some((duration) => parseFloat(duration) > 0)) {
          moving.push(`${element.tagName.toLowerCase()}${pseudo || ""} ${property} ${style[property]}`);
        }
      }
    }
  }
  return moving;
}"""

REDUCED_MOTION_RULES = """() => [...document.styleSheets].flatMap((sheet) => [...sheet.cssRules])
  .filter((rule) => rule instanceof CSSMediaRule && rule.conditionText.includes("prefers-reduced-motion: reduce"))
  .length"""


def luminance(css_colour):
    """Relative luminance (WCAG) of an rgb() or rgba() colour, 0 for black to 1 for white."""
    red, green, blue = (int(part) / 255 for part in re.findall(r"[\d.]+", css_colour)[:3])

    def linear(channel):
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(one, other):
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("path", ["/", GUIDE_PATH])
def test_dark_colour_scheme_gives_a_dark_page_with_readable_text(site, new_page, path):
    page = new_page(color_scheme="dark")
    page.goto(site + path)
    colours = page.evaluate(COLOURS, TEXT)
    assert luminance(colours["background"]) < 0.05, colours
    assert all(contrast(*pair) >= 4.5 for pair in colours["text"].values()), colours


def test_a_guide_prints_in_ink_on_white_even_in_dark_mode(site, page):
    page.emulate_media(media="print", color_scheme="dark")
    page.goto(site + GUIDE_PATH)
    colours = page.evaluate(COLOURS, TEXT)
    assert luminance(colours["background"]) > 0.95, colours
    assert all(contrast(*pair) >= 7 for pair in colours["text"].values()), colours


def test_with_reduced_motion_nothing_on_a_guide_moves(site, new_page):
    page = new_page(reduced_motion="reduce")
    page.goto(site + GUIDE_PATH)
    assert page.evaluate(MOVING) == []
    # The rule that stops anything added later from moving, too.
    assert page.evaluate(REDUCED_MOTION_RULES) >= 1
