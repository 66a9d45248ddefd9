"""Share cards: the 1200×630 pictures that chat apps and social networks show with a link.

A card has the site's mark and name, the page's title and a line under it on the left, and
on the right the guide's lead picture on a white panel, in the site's colours.
"""

import math

from PIL import Image, ImageDraw, ImageFont, ImageOps

CARD_SIZE = (1200, 630)
BACKGROUND = "#e3f1f1"
PANEL = "#ffffff"
INK = "#1d2327"
ACCENT = "#0f5c63"
MUTED = "#4f5a61"
PANEL_BOX = (700, 90, 1150, 540)
PANEL_PADDING = 24
TEXT_LEFT = 80
SUBTITLE_LINE = 44
BOTTOM_MARGIN = 40


def font(size: int) -> ImageFont.FreeTypeFont:
    # Pillow's bundled font, so cards look the same on every machine without system fonts.
    return ImageFont.load_default(size=size)


def wrap_to_width(text: str, face: ImageFont.FreeTypeFont, max_width: int) -> list[str]:
    """Break text into lines no wider than max_width pixels in this font."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and face.getlength(candidate) <= max_width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


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


def draw_text_block(draw: ImageDraw.ImageDraw, title: str, subtitle: str, right: int) -> None:
    width = right - TEXT_LEFT
    # The largest title size that fits in three lines.
    for size in (76, 66, 58, 50):
        title_font = font(size)
        lines = wrap_to_width(title, title_font, width)
        if len(lines) <= 3:
            break
    y = 190
    for line in lines[:3]:
        draw.text((TEXT_LEFT, y), line, font=title_font, fill=INK)
        y += round(size * 1.2)
    subtitle_font = font(34)
    lines = wrap_to_width(subtitle, subtitle_font, width)
    # As many lines as fit above the bottom margin; a cut line ends in an ellipsis.
    room = max(0, (CARD_SIZE[1] - BOTTOM_MARGIN - (y + 24)) // SUBTITLE_LINE)
    if len(lines) > room:
        lines = lines[:room]
        if lines:
            lines[-1] = lines[-1].rsplit(" ", 1)[0] + "…"
    for line in lines:
        draw.text((TEXT_LEFT, y + 24), line, font=subtitle_font, fill=MUTED)
        y += SUBTITLE_LINE


def draw_panel(card: Image.Image, draw: ImageDraw.ImageDraw, picture: Image.Image) -> None:
    draw.rounded_rectangle(PANEL_BOX, radius=28, fill=PANEL, outline=ACCENT, width=3)
    left, top, right, bottom = PANEL_BOX
    room = (right - left - 2 * PANEL_PADDING, bottom - top - 2 * PANEL_PADDING)
    fitted = ImageOps.contain(picture.convert("RGB"), room, Image.LANCZOS)
    card.paste(
        fitted,
        (left + (right - left - fitted.width) // 2, top + (bottom - top - fitted.height) // 2),
    )


def draw_share_card(title: str, subtitle: str, picture: Image.Image | None = None) -> Image.Image:
    card = Image.new("RGB", CARD_SIZE, BACKGROUND)
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, 24, CARD_SIZE[1]), fill=ACCENT)
    draw_spine_mark(draw, 70, 60, 3)
    draw.text((150, 78), "Back Relief", font=font(44), fill=ACCENT)
    if picture is None:
        draw_text_block(draw, title, subtitle, right=CARD_SIZE[0] - TEXT_LEFT)
    else:
        draw_panel(card, draw, picture)
        draw_text_block(draw, title, subtitle, right=PANEL_BOX[0] - 40)
    return card
