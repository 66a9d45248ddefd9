"""Original line-art illustrations for the guides, drawn from code.

    render_svg("cat-cow-2")          -> SVG text for static/illustrations/steps/cat-cow-2.svg
    render_png("cat-cow-2", 800)     -> PIL image 800 px wide (share cards, print)
    keys(), drawing_for(key)         -> the registry and its backend-neutral Scene

Only the standard library and Pillow are used, so the generator runs without Django.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .registry import drawing_for, keys
from .svg import to_svg

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["drawing_for", "keys", "render_png", "render_svg"]


def render_svg(key: str) -> str:
    return to_svg(drawing_for(key))


def render_png(key: str, width: int) -> Image:
    # Imported here so SVG generation never needs Pillow's imaging core.
    from .raster import to_image

    return to_image(drawing_for(key), width)
