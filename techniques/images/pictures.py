"""What picture a step shows: an editor's uploaded image if there is one, otherwise the
site's own drawing for the step, otherwise none (never a placeholder).

An upload is shown through its responsive variants (techniques.images.variants); the site's
own drawings are SVG, sharp at every width, so they need none. A step that is a movement has
two drawings: an animated one, shown by default, and a still one (the end pose over a
ghost of the start) that the page names for readers who ask for reduced motion and for
print. Chromium ignores prefers-reduced-motion inside an SVG shown as an image, so the
choice has to be made by the page, with <picture>.
"""

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from django.contrib.staticfiles import finders
from django.templatetags.static import static

from techniques.images.variants import ResponsiveImage, responsive_image

STEP_DRAWINGS_DIR = "illustrations/steps"
MOVING_SUFFIX = "-moving"  # steps/<key>-moving.svg is the animated drawing of steps/<key>.svg
CAVITATION_DIAGRAM = "illustrations/cavitation.svg"
CAVITATION_DIAGRAM_NARROW = "illustrations/cavitation-narrow.svg"
CAVITATION_DIAGRAM_ALT = (
    "Diagram of a joint in four panels. One: two bone ends inside a joint capsule filled with synovial "
    "fluid. Two: the joint surfaces are pulled apart and the pressure in the fluid drops. Then the two "
    "competing explanations of the pop. Explanation A, Kawchuk 2015: the sound is a gas cavity forming "
    "as the surfaces separate. Explanation B, Unsworth 1971 and Chandran Suja and Barakat 2018: the "
    "sound is a bubble collapsing, partly, in the fluid."
)
VIEWBOX = re.compile(r'viewBox="\s*[-\d.]+\s+[-\d.]+\s+([\d.]+)\s+([\d.]+)\s*"')


@dataclass(frozen=True)
class Credit:
    """Who made an image, under which licence, and where it came from."""

    author: str
    licence: str
    url: str

    @classmethod
    def of(cls, author: str, licence: str, url: str) -> "Credit | None":
        return cls(author, licence, url) if (author or licence or url) else None


@dataclass(frozen=True)
class Picture:
    url: str
    alt: str
    width: int
    height: int
    is_drawing: bool
    srcset: str = ""
    # (MIME type, srcset) for each modern format, best first, for <source> elements.
    sources: tuple[tuple[str, str], ...] = ()
    credit: Credit | None = None
    # The still drawing of an animated one: for reduced motion and for print.
    still_url: str = ""

    @classmethod
    def of_upload(cls, variants: ResponsiveImage, alt: str, credit: Credit | None = None) -> "Picture":
        """An uploaded image, shown through its responsive variants."""
        return cls(
            variants.src,
            alt,
            variants.width,
            variants.height,
            False,
            srcset=variants.srcset,
            sources=variants.sources,
            credit=credit,
        )


class DrawingFile(NamedTuple):
    url: str
    width: int
    height: int


@lru_cache(maxsize=2048)
def drawing_file(static_path: str) -> DrawingFile | None:
    """The address and intrinsic size of one of the site's SVG drawings, or None if it doesn't
    exist. Kept for the life of the process: the files and their hashed names only change with
    a deploy, and a guide page asks for two of them per step, for the page and for its
    structured data (looking up a hashed name costs more than the rest of the picture)."""
    found = finders.find(static_path)
    if not found:
        return None
    match = VIEWBOX.search(Path(found).read_text(encoding="utf-8")[:2000])
    if not match:
        return None
    return DrawingFile(static(static_path), round(float(match.group(1))), round(float(match.group(2))))


def drawing(static_path: str, alt: str) -> Picture | None:
    """One of the site's own SVG drawings, if it has been rendered."""
    found = drawing_file(static_path)
    if found is None:
        return None
    return Picture(found.url, alt, found.width, found.height, True)


def step_drawing(key: str, alt: str) -> Picture | None:
    """A step's drawing: the animated one with its still as the reduced-motion source when
    the step is a movement, else the still one."""
    still = drawing(f"{STEP_DRAWINGS_DIR}/{key}.svg", alt)
    moving = drawing_file(f"{STEP_DRAWINGS_DIR}/{key}{MOVING_SUFFIX}.svg")
    if still is None or moving is None:
        return still
    return replace(still, url=moving.url, still_url=still.url)


def lead_picture(guide) -> Picture | None:
    """The guide's lead drawing for cards: its first step, still (a page of cards that all
    moved would be hard to read). Found from the slug alone, and described from the guide's
    own fields, so a list of guides costs no queries."""
    alt = f"Drawing of the first step of {guide.title}: {guide.get_position_display().lower()}."
    return drawing(f"{STEP_DRAWINGS_DIR}/{guide.slug}-1.svg", alt)


def step_picture(step) -> Picture | None:
    if step.image:
        variants = responsive_image(step.image_variants)
        if variants is None:
            # Variants not made yet (`make_image_variants` makes them): the cleaned original.
            return Picture(step.image.url, step.image_alt, step.image_width or 0, step.image_height or 0, False)
        return Picture.of_upload(variants, step.image_alt, step.image_credit)
    if step.illustration:
        return step_drawing(step.illustration, step.image_alt)
    return None
