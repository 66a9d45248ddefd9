"""What picture a step shows: an editor's uploaded image if there is one, otherwise the
site's own drawing for the step, otherwise none (never a placeholder).

An upload is shown through its responsive variants (techniques.images.variants); the site's own
drawings are SVG, sharp at every width, so they need none.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.templatetags.static import static

from techniques.images.variants import ResponsiveImage, responsive_image

STEP_DRAWINGS_DIR = "illustrations/steps"
CAVITATION_DIAGRAM = "illustrations/cavitation.svg"
CAVITATION_DIAGRAM_NARROW = "illustrations/cavitation-narrow.svg"
CAVITATION_DIAGRAM_ALT = (
    "Three-panel diagram of a joint. One: two bone ends inside a joint capsule filled with synovial "
    "fluid. Two: the joint surfaces are pulled apart and the pressure in the fluid drops. Three: a "
    "gas cavity forms in the fluid, which is when the pop is heard."
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


@lru_cache(maxsize=512)
def drawing_size(static_path: str) -> tuple[int, int] | None:
    """The intrinsic size of one of the site's SVG drawings, or None if it doesn't exist.
    Cached: the files only change with a deploy."""
    found = finders.find(static_path)
    if not found:
        return None
    match = VIEWBOX.search(Path(found).read_text(encoding="utf-8")[:2000])
    if not match:
        return None
    return round(float(match.group(1))), round(float(match.group(2)))


def drawing(static_path: str, alt: str) -> Picture | None:
    """One of the site's own SVG drawings, if it has been rendered."""
    size = drawing_size(static_path)
    if size is None:
        return None
    return Picture(static(static_path), alt, size[0], size[1], True)


def step_picture(step) -> Picture | None:
    if step.image:
        variants = responsive_image(step.image_variants)
        if variants is None:
            # Variants not made yet (`make_image_variants` makes them): the cleaned original.
            return Picture(step.image.url, step.image_alt, step.image_width or 0, step.image_height or 0, False)
        return Picture.of_upload(variants, step.image_alt, step.image_credit)
    if step.illustration:
        return drawing(f"{STEP_DRAWINGS_DIR}/{step.illustration}.svg", step.image_alt)
    return None
