"""What picture a step shows: an editor's uploaded image if there is one, otherwise the
site's own drawing for the step, otherwise none (never a placeholder)."""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.templatetags.static import static

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
class Picture:
    url: str
    alt: str
    width: int
    height: int
    is_drawing: bool


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
        return Picture(step.image.url, step.image_alt, step.image_width or 0, step.image_height or 0, False)
    if step.illustration:
        return drawing(f"{STEP_DRAWINGS_DIR}/{step.illustration}.svg", step.image_alt)
    return None
