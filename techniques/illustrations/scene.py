"""The scene description: a backend-neutral list of drawing primitives.

A drawing is built once as a `Scene` and handed to either backend (svg.py, raster.py).
Primitives are deliberately few so both backends can render every one of them the same
way; curves are sampled to polylines before they get here (see geometry.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import style
from .geometry import Point


@dataclass(frozen=True)
class Capsule:
    """A straight limb segment with round ends: a thick line of `width`."""

    a: Point
    b: Point
    width: float


@dataclass(frozen=True)
class Disc:
    center: Point
    radius: float


@dataclass(frozen=True)
class Blob:
    """A filled polygon part of a silhouette (e.g. a torso seen from the front)."""

    points: tuple[Point, ...]


@dataclass(frozen=True)
class Silhouette:
    """Parts drawn as ONE outlined shape: all outlines first, then all fills.

    Painting every part's outline before any fill hides the seams where parts overlap,
    so a torso, neck and head read as one body. Parts that must stay visibly separate
    (the near arm in front of the chest) go in their own Silhouette, drawn later.
    """

    parts: tuple[Capsule | Disc | Blob, ...]
    fill: str = "fill"
    stroke: str = "ink"


@dataclass(frozen=True)
class Path:
    """An open or closed polyline, stroked and/or filled."""

    points: tuple[Point, ...]
    stroke: str | None = "ink"
    fill: str | None = None
    closed: bool = False
    opacity: float = 1.0
    dashed: bool = False
    backdrop: bool = False  # floor lines and the like: left out when framing the drawing


@dataclass(frozen=True)
class Circle:
    center: Point
    radius: float
    stroke: str | None = "ink"
    fill: str | None = None
    opacity: float = 1.0


@dataclass(frozen=True)
class Ellipse:
    """An ellipse whose x radius lies along `angle` (degrees, y up)."""

    center: Point
    rx: float
    ry: float
    angle: float = 0.0
    stroke: str | None = None
    fill: str | None = "accent"
    opacity: float = 1.0


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    radius: float = 0.0
    stroke: str | None = "prop"
    fill: str | None = "propfill"
    backdrop: bool = False


@dataclass(frozen=True)
class Text:
    """A label; `at` is the baseline point, `anchor` is start, middle or end."""

    at: Point
    text: str
    size: float
    anchor: str = "middle"
    bold: bool = False
    fill: str = "ink"


@dataclass(frozen=True)
class Solid:
    """Closed outlines painted as ONE silhouette: outlines first, then fills, so the seams
    between overlapping parts (an upper arm and its forearm) vanish. A body piece or a
    prop face. `frames` holds the outlines once per key frame of the scene's animation
    (same number of points each time, so they morph); empty when the solid is still."""

    outlines: tuple[tuple[Point, ...], ...]
    fill: str = "fill"
    stroke: str = "ink"
    frames: tuple[tuple[tuple[Point, ...], ...], ...] = ()
    backdrop: bool = False  # the floor and the like: left out when framing the drawing


@dataclass(frozen=True)
class Layer:
    """Elements faded as a whole (the "ghost" of a start position)."""

    elements: tuple
    opacity: float


@dataclass(frozen=True)
class Timing:
    """A looping animation: `key_times` (0 to 1) of the frames, over `seconds`."""

    key_times: tuple[float, ...]
    seconds: float


Element = Silhouette | Path | Circle | Ellipse | Rect | Text | Solid | Layer


@dataclass
class Scene:
    """A drawing: alt text, elements back to front, and the part of the plane it shows.

    Figures are always built at the same size (a standing person about 200 units tall).
    `view` (x, y, width, height) is the window onto them, so a lying figure can be shown
    closer than a standing one; the stroke is scaled with the window so every drawing
    has the same line weight once it is displayed at a given width.
    """

    title: str
    key: str = "drawing"
    width: float = 400
    height: float = 300
    elements: list[Element] = field(default_factory=list)
    view: tuple[float, float, float, float] | None = None
    timing: Timing | None = None

    @property
    def window(self) -> tuple[float, float, float, float]:
        return self.view or (0.0, 0.0, self.width, self.height)

    @property
    def stroke(self) -> float:
        return style.STROKE * self.window[2] / style.REFERENCE_WIDTH

    def add(self, *elements: Element | list[Element]) -> Scene:
        for element in elements:
            if isinstance(element, list):
                self.elements.extend(element)
            else:
                self.elements.append(element)
        return self


def content_box(elements: list[Element]) -> tuple[float, float, float, float]:
    """Bounding box (x0, y0, x1, y1) of the elements that matter for framing."""
    xs: list[float] = []
    ys: list[float] = []

    def cover(point: Point, pad: float = 0.0) -> None:
        xs.extend((point[0] - pad, point[0] + pad))
        ys.extend((point[1] - pad, point[1] + pad))

    def visit(element) -> None:
        if isinstance(element, Layer):
            for inner in element.elements:
                visit(inner)
            return
        if isinstance(element, Solid):
            if element.backdrop:
                return
            for outlines in (element.outlines, *element.frames):
                for outline in outlines:
                    for point in outline:
                        cover(point)
            return
        if isinstance(element, Silhouette):
            for part in element.parts:
                if isinstance(part, Capsule):
                    cover(part.a, part.width / 2)
                    cover(part.b, part.width / 2)
                elif isinstance(part, Disc):
                    cover(part.center, part.radius)
                else:
                    for point in part.points:
                        cover(point)
        elif isinstance(element, Path) and not element.backdrop:
            for point in element.points:
                cover(point)
        elif isinstance(element, Circle):
            cover(element.center, element.radius)
        elif isinstance(element, Ellipse):
            cover(element.center, max(element.rx, element.ry))
        elif isinstance(element, Rect) and not element.backdrop:
            cover((element.x, element.y))
            cover((element.x + element.width, element.y + element.height))

    for element in elements:
        visit(element)
    return min(xs), min(ys), max(xs), max(ys)


def framed(scene: Scene, margin: float = 18, aspect: float = 4 / 3, min_width: float = 270) -> Scene:
    """Set the scene's window to fit its content, at a fixed aspect ratio.

    The window never gets narrower than `min_width` (so a small pose isn't blown up and
    heavy) nor wider than the reference canvas. Extra height goes above the content:
    the floor stays near the bottom edge, where a reader expects it.
    """
    x0, y0, x1, y1 = content_box(scene.elements)
    width = max(x1 - x0 + 2 * margin, (y1 - y0 + 2 * margin) * aspect, min_width)
    width = min(width, max(style.REFERENCE_WIDTH, x1 - x0 + 2 * margin))
    height = width / aspect
    center_x = (x0 + x1) / 2
    bottom = y1 + margin
    scene.view = (round(center_x - width / 2, 1), round(bottom - height, 1), round(width, 1), round(height, 1))
    return scene
