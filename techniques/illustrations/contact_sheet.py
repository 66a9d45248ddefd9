"""Contact sheets: every step of a guide on one PNG, for reviewing the artwork.

Sheets are a review aid (build/contact-sheets/, not committed). Each step gets a row: its
start pose, its end pose (the still drawing, with ghost and arrow) and, for a movement, a
strip of frames of its animation, with "<guide title> — step N" above it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PIL import Image, ImageDraw

from . import style
from .content import load_guides
from .raster import font, to_image
from .registry import drawing_for, keys
from .shots import SHOTS
from .stage import frames, still_scene

POSE_WIDTH = 420
FRAME_WIDTH = 240
STRIP_FRAMES = 4
CAPTION_HEIGHT = 34
GAP = 14
BACKGROUND = "#e4e9ec"


def _pose_image(shot, pose, width: int) -> Image.Image:
    """One pose of a shot, alone: no ghost and no arrow."""
    scene = still_scene(replace(shot, poses=(pose,), arrows=(), ghost=False, still_pose=0))
    scene.title = scene.key = "frame"
    return to_image(scene, width)


def step_row(key: str, caption: str) -> Image.Image:
    """Start pose, end pose (as drawn on the page) and the animation's frames."""
    shot = SHOTS[key]()
    images = [to_image(drawing_for(key), POSE_WIDTH)]
    if shot.moves:
        images.insert(0, _pose_image(shot, shot.poses[0], POSE_WIDTH))
        poses, _ = frames(shot)
        # The outward half of the loop (or the whole loop for a cycle), evenly sampled.
        half = poses if shot.cycle else poses[: len(poses) // 2]
        picks = [half[round(i * (len(half) - 1) / (STRIP_FRAMES - 1))] for i in range(STRIP_FRAMES)]
        images += [_pose_image(shot, pose, FRAME_WIDTH) for pose in picks]
    height = max(image.height for image in images) + CAPTION_HEIGHT
    caption_width = round(font(18).getlength(caption)) + 2 * GAP
    width = max(sum(image.width for image in images) + GAP * (len(images) + 1), caption_width)
    row = Image.new("RGB", (width, height + GAP), BACKGROUND)
    draw = ImageDraw.Draw(row)
    draw.text((GAP, 8), caption, font=font(18), fill=style.light("ink"))
    x = GAP
    for image in images:
        row.paste(image, (x, CAPTION_HEIGHT))
        x += image.width + GAP
    return row


def sheet(rows: list[Image.Image], heading: str) -> Image.Image:
    top = 56
    width = max(row.width for row in rows)
    canvas = Image.new("RGB", (width, top + sum(row.height for row in rows)), BACKGROUND)
    ImageDraw.Draw(canvas).text((GAP, 18), heading, font=font(26, bold=True), fill=style.light("ink"))
    y = top
    for row in rows:
        canvas.paste(row, (0, y))
        y += row.height
    return canvas


def write_sheets(directory: Path, guides_dir: Path) -> list[Path]:
    """One sheet per guide plus one for the diagrams; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    known = set(SHOTS)
    for guide in load_guides(guides_dir):
        rows = [
            step_row(step.key, f"{guide.title} — step {step.number}: {step.title}")
            for step in guide.steps
            if step.key in known
        ]
        if not rows:
            continue
        path = directory / f"{guide.slug}.png"
        sheet(rows, guide.title).save(path)
        written.append(path)
    diagrams = [key for key in ("cavitation", "cavitation-narrow") if key in keys()]
    images = [to_image(drawing_for(key), 900) for key in diagrams]
    canvas = Image.new(
        "RGB", (max(i.width for i in images) + 2 * GAP, sum(i.height + GAP for i in images) + GAP), BACKGROUND
    )
    y = GAP
    for image in images:
        canvas.paste(image, (GAP, y))
        y += image.height + GAP
    path = directory / "diagrams.png"
    canvas.save(path)
    written.append(path)
    return written
