"""Share cards: the 1200×630 pictures that chat apps and social networks show with a link."""

import math
import textwrap

from PIL import Image, ImageDraw, ImageFont

CARD_SIZE = (1200, 630)
BACKGROUND = "#e3f1f1"
INK = "#1d2327"
ACCENT = "#0f5c63"
MUTED = "#4f5a61"


def font(size: int) -> ImageFont.FreeTypeFont:
    # Pillow's bundled font, so cards look the same on every machine without system fonts.
    return ImageFont.load_default(size=size)


def draw_spine_mark(draw: ImageDraw.ImageDraw, left: int, top: int, scale: float) -> None:
    """The site's mark: a gently curved spine with three vertebrae."""
    points = [
        (left + 16 * scale + 3 * scale * math.sin(i / 20 * 2 * math.pi), top + i * 1.3 * scale) for i in range(21)
    ]
    draw.line(points, fill=ACCENT, width=int(3 * scale), joint="curve")
    for offset in (7, 14, 21):
        y = top + offset * scale
        r = 2.6 * scale
        draw.ellipse((left + 16 * scale - r, y - r, left + 16 * scale + r, y + r), fill=ACCENT)


def draw_share_card(title: str, subtitle: str) -> Image.Image:
    card = Image.new("RGB", CARD_SIZE, BACKGROUND)
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, 24, CARD_SIZE[1]), fill=ACCENT)
    draw_spine_mark(draw, 70, 60, 3)
    draw.text((150, 78), "Back Relief", font=font(44), fill=ACCENT)
    y = 200
    for line in textwrap.wrap(title, width=26)[:3]:
        draw.text((80, y), line, font=font(76), fill=INK)
        y += 92
    for line in textwrap.wrap(subtitle, width=52)[:2]:
        draw.text((80, y + 20), line, font=font(36), fill=MUTED)
        y += 46
    return card
