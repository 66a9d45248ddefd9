"""Original illustrations for the guides, drawn from a posed 3D figure in code.

    render_svg("cat-cow-2")                -> the still SVG (end pose over a ghost of the start)
    render_svg("cat-cow-2", moving=True)   -> the animated SVG (SMIL, no script)
    render_png("cat-cow-2", 800)           -> PIL image 800 px wide (share cards, print)
    keys(), moving_keys(), drawing_for(key) -> the registry and its backend-neutral Scene

Every function that reads the guide content takes `guides_dir`, the folder of guide TOML
files (the step alt texts become the SVG titles), so the package never assumes where the
project keeps its content. Only the
standard library and Pillow are used, so the generator runs without Django.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .registry import drawing_for, keys, moving_keys
from .svg import to_svg

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["drawing_for", "keys", "moving_keys", "render_png", "render_svg"]


def render_svg(key: str, moving: bool = False, guides_dir: Path | None = None) -> str:
    return to_svg(drawing_for(key, guides_dir=guides_dir, moving=moving))


def render_png(key: str, width: int, guides_dir: Path | None = None) -> Image:
    # Imported here so SVG generation never needs Pillow's imaging core.
    from .raster import to_image

    return to_image(drawing_for(key, guides_dir=guides_dir), width)
