"""Pillow backend: Scene -> PIL image, for share cards, print and contact sheets.

Pillow draws without anti-aliasing, so everything is drawn SUPERSAMPLE times larger and
scaled down with a Lanczos filter. Strokes are centred on the geometry as in SVG, and
lines get round caps and joins by stamping discs at every vertex.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise

from PIL import Image, ImageColor, ImageDraw, ImageFont

from . import style
from .geometry import dashes, ellipse_points
from .scene import Blob, Capsule, Circle, Disc, Ellipse, Layer, Path, Rect, Scene, Silhouette, Solid, Text

SUPERSAMPLE = 4
DASH = style.DASH
ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}


def _rgba(role: str, alpha: int = 255) -> tuple[int, int, int, int]:
    return (*ImageColor.getrgb(style.light(role))[:3], alpha)


@lru_cache(maxsize=32)
def font(pixel_size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in style.RASTER_BOLD_FONTS if bold else style.RASTER_FONTS:
        try:
            return ImageFont.truetype(name, pixel_size)
        except OSError:
            continue
    return ImageFont.load_default(pixel_size)


class _Painter:
    def __init__(self, image: Image.Image, scale: float, origin: tuple[float, float], stroke: float):
        self.draw = ImageDraw.Draw(image)
        self.k = scale
        self.origin = origin
        self.stroke = stroke

    def xy(self, point):
        return ((point[0] - self.origin[0]) * self.k, (point[1] - self.origin[1]) * self.k)

    def dot(self, point, radius: float, color) -> None:
        x, y = self.xy(point)
        r = radius * self.k
        self.draw.ellipse((x - r, y - r, x + r, y + r), fill=color)

    def stroke_line(self, points, width: float, color, closed: bool = False) -> None:
        """A polyline with round caps and joins, like SVG stroke-linecap/linejoin round."""
        pts = list(points) + ([points[0]] if closed else [])
        pixels = max(1, round(width * self.k))
        for a, b in pairwise(pts):
            self.draw.line((self.xy(a), self.xy(b)), fill=color, width=pixels)
        for p in pts:
            self.dot(p, width / 2, color)

    def polygon(self, points, color) -> None:
        self.draw.polygon([self.xy(p) for p in points], fill=color)

    def silhouette_pass(self, parts, color, grow: float) -> None:
        for part in parts:
            if isinstance(part, Capsule):
                self.stroke_line((part.a, part.b), part.width + 2 * grow, color)
            elif isinstance(part, Disc):
                self.dot(part.center, part.radius + grow, color)
            elif isinstance(part, Blob):
                self.polygon(part.points, color)
                if grow:
                    self.stroke_line(part.points, 2 * grow, color, closed=True)

    def paint(self, element) -> None:
        s = self.stroke
        if isinstance(element, Solid):
            # As in the SVG: every outline's stroke first, then every fill over it.
            for outline in element.outlines:
                self.polygon(outline, _rgba(element.stroke))
                self.stroke_line(outline, 2 * s, _rgba(element.stroke), closed=True)
            for outline in element.outlines:
                self.polygon(outline, _rgba(element.fill))
        elif isinstance(element, Silhouette):
            self.silhouette_pass(element.parts, _rgba(element.stroke), s / 2)
            self.silhouette_pass(element.parts, _rgba(element.fill), 0)
        elif isinstance(element, Path):
            if element.fill and element.closed:
                self.polygon(element.points, _rgba(element.fill))
            if element.stroke:
                points = element.points
                if element.dashed:
                    for a, b in dashes(points, *DASH):
                        self.stroke_line((a, b), s, _rgba(element.stroke))
                else:
                    self.stroke_line(points, s, _rgba(element.stroke), closed=element.closed)
        elif isinstance(element, Circle):
            if element.fill:
                self.dot(element.center, element.radius, _rgba(element.fill))
            if element.stroke:
                x, y = self.xy(element.center)
                r = (element.radius + s / 2) * self.k
                self.draw.ellipse(
                    (x - r, y - r, x + r, y + r), outline=_rgba(element.stroke), width=max(1, round(s * self.k))
                )
        elif isinstance(element, Ellipse):
            outline = ellipse_points(element.center, element.rx, element.ry, element.angle, steps=48)
            if element.fill:
                self.polygon(outline, _rgba(element.fill))
            if element.stroke:
                self.stroke_line(outline, s, _rgba(element.stroke), closed=True)
        elif isinstance(element, Rect):
            grow = s / 2 if element.stroke else 0
            x0, y0 = self.xy((element.x - grow, element.y - grow))
            x1, y1 = self.xy((element.x + element.width + grow, element.y + element.height + grow))
            box = (x0, y0, x1, y1)
            self.draw.rounded_rectangle(
                box,
                radius=(element.radius + grow) * self.k,
                fill=_rgba(element.fill) if element.fill else None,
                outline=_rgba(element.stroke) if element.stroke else None,
                width=max(1, round(s * self.k)) if element.stroke else 0,
            )
        elif isinstance(element, Text):
            self.draw.text(
                self.xy(element.at),
                element.text,
                font=font(round(element.size * self.k), element.bold),
                fill=_rgba(element.fill),
                anchor=ANCHORS[element.anchor],
            )
        else:
            raise TypeError(f"No raster form for {type(element).__name__}")


def _opacity(element) -> float:
    return getattr(element, "opacity", 1.0)


def _paint_all(canvas: Image.Image, elements, scale: float, origin, stroke: float) -> None:
    painter = _Painter(canvas, scale, origin, stroke)
    for element in elements:
        if isinstance(element, Layer):
            opacity, inner = element.opacity, element.elements
        else:
            opacity, inner = _opacity(element), (element,)
        if opacity >= 1:
            for item in inner:
                painter.paint(item)
            continue
        # Translucent elements are painted opaque on their own layer, then faded in as a
        # whole, so overlapping parts don't double up.
        layer = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
        _paint_all(layer, inner, scale, origin, stroke)
        alpha = layer.getchannel("A").point(lambda a, fade=opacity: round(a * fade))
        layer.putalpha(alpha)
        canvas.alpha_composite(layer)


def to_image(scene: Scene, width: int, background: str | None = "paper") -> Image.Image:
    """Rasterise `scene` to an image `width` pixels wide (height keeps the aspect ratio).

    `background` is a palette role, or None for a transparent RGBA image.
    """
    if width < 1:
        raise ValueError("width must be a positive number of pixels")
    view_x, view_y, view_width, view_height = scene.window
    height = max(1, round(width * view_height / view_width))
    scale = width * SUPERSAMPLE / view_width
    size = (width * SUPERSAMPLE, height * SUPERSAMPLE)
    canvas = Image.new("RGBA", size, _rgba(background) if background else (0, 0, 0, 0))
    _paint_all(canvas, scene.elements, scale, (view_x, view_y), scene.stroke)
    image = canvas.resize((width, height), Image.Resampling.LANCZOS)
    return image.convert("RGB") if background else image
