"""Contact sheets: every drawing of a guide on one PNG, for reviewing the artwork.

Sheets are a review aid (build/contact-sheets/, not committed): each cell is the
rasterised drawing with "<guide title> — step N" under it, four cells to a row.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from . import style
from .content import GuideInfo, load_guides
from .raster import font, to_image
from .registry import drawing_for, keys

COLUMNS = 4
CELL_WIDTH = 440
CAPTION_HEIGHT = 40
GAP = 16


def sheet(cells: list[tuple[str, str]], heading: str) -> Image.Image:
    """A grid of (key, caption) cells under a heading."""
    images = [to_image(drawing_for(key), CELL_WIDTH) for key, _ in cells]
    cell_height = max(image.height for image in images) + CAPTION_HEIGHT
    rows = (len(cells) + COLUMNS - 1) // COLUMNS
    top = 56
    width = COLUMNS * CELL_WIDTH + (COLUMNS + 1) * GAP
    canvas = Image.new("RGB", (width, top + rows * (cell_height + GAP)), "#e4e9ec")
    draw = ImageDraw.Draw(canvas)
    draw.text((GAP, 18), heading, font=font(26, bold=True), fill=style.light("ink"))
    for index, (image, (_, caption)) in enumerate(zip(images, cells, strict=True)):
        x = GAP + (index % COLUMNS) * (CELL_WIDTH + GAP)
        y = top + (index // COLUMNS) * (cell_height + GAP)
        canvas.paste(image, (x, y))
        draw.rectangle((x, y + image.height, x + CELL_WIDTH - 1, y + cell_height - 1), fill="white")
        draw.text((x + 10, y + image.height + 10), caption, font=font(17), fill=style.light("ink"))
    return canvas


def guide_cells(guide: GuideInfo) -> list[tuple[str, str]]:
    return [(step.key, f"{guide.title} — step {step.number}") for step in guide.steps]


def write_sheets(directory: Path) -> list[Path]:
    """One sheet per guide plus one for the diagrams; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    known = set(keys())
    for guide in load_guides():
        cells = [cell for cell in guide_cells(guide) if cell[0] in known]
        if not cells:
            continue
        path = directory / f"{guide.slug}.png"
        sheet(cells, guide.title).save(path)
        written.append(path)
    path = directory / "diagrams.png"
    diagrams = [(key, key) for key in ("cavitation", "cavitation-narrow") if key in known]
    sheet(diagrams, "Diagrams").save(path)
    written.append(path)
    return written
