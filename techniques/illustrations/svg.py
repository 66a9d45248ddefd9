"""SVG backend: Scene -> a small, self-contained, accessible SVG string.

Output is safe to serve as a static file and to show in an <img>: no scripts, no event
attributes, no external references; colours come from CSS custom properties with a dark
mode block; coordinates are rounded to one decimal to keep each file to a few KB.
"""

from __future__ import annotations

from collections import defaultdict
from xml.sax.saxutils import escape, quoteattr

from . import style
from .geometry import Point
from .scene import Blob, Capsule, Circle, Disc, Ellipse, Layer, Path, Rect, Scene, Silhouette, Solid, Text, Timing


def num(value: float) -> str:
    """Round to one decimal and drop a trailing .0 ("12", "3.5", "-0.4")."""
    text = f"{round(value, 1):.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _points(points: tuple[Point, ...] | list[Point]) -> str:
    return " ".join(f"{num(x)},{num(y)}" for x, y in points)


def _classes(stroke: str | None, fill: str | None) -> str:
    names = [f"s-{stroke}"] if stroke else []
    if fill:
        names.append(f"f-{fill}")
    return f' class="{" ".join(names)}"' if names else ""


def _opacity(value: float) -> str:
    return f' opacity="{num(value) if value >= 0.1 else round(value, 2)}"' if value < 1 else ""


def _silhouette_pass(parts, stroke_role: str, fill_role: str, grow: float) -> str:
    """One paint pass over every part; `grow` widens each part by that much per side."""
    out = [f'<g class="s-{stroke_role} f-{fill_role}">']
    # Capsules of equal width share one <path> of move/line pairs.
    by_width: dict[float, list[str]] = defaultdict(list)
    for part in parts:
        if isinstance(part, Capsule):
            by_width[part.width].append(f"M{num(part.a[0])} {num(part.a[1])}L{num(part.b[0])} {num(part.b[1])}")
    for width, segments in by_width.items():
        out.append(f'<path d="{"".join(segments)}" stroke-width="{num(width + 2 * grow)}"/>')
    edge = num(2 * grow) if grow else "0"
    for part in parts:
        if isinstance(part, Disc):
            cx, cy = part.center
            out.append(f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(part.radius)}" stroke-width="{edge}"/>')
        elif isinstance(part, Blob):
            out.append(f'<polygon points="{_points(part.points)}" stroke-width="{edge}"/>')
    out.append("</g>")
    return "".join(out)


def _pair(dx: int, dy: int) -> str:
    return f"{dx}{'' if dy < 0 else ' '}{dy}"


def _outline_path(outlines) -> str:
    """Closed outlines as compact path data in whole units: an absolute move to the first
    point, then relative line-tos ("M120 80l3-4 5 2...z"). Every frame of one outline has
    the same commands, so SMIL can morph between them."""
    parts = []
    for outline in outlines:
        pts = [(round(x), round(y)) for x, y in outline]
        steps = " ".join(_pair(b[0] - a[0], b[1] - a[1]) for a, b in zip(pts, pts[1:], strict=False))
        parts.append(f"M{_pair(*pts[0])}l{steps}z".replace(" -", "-"))
    return "".join(parts)


def _solid(element: Solid, stroke: float, timing: Timing | None) -> str:
    # The stroke is twice the house weight and painted under the fill (paint-order), so
    # the fill covers its inner half and every seam inside the silhouette: what shows is
    # one house-weight outline round the whole piece.
    head = (
        f'<path d="{_outline_path(element.outlines)}" class="s-{element.stroke} f-{element.fill}" '
        f'stroke-width="{num(2 * stroke)}" paint-order="stroke"'
    )
    if not element.frames or timing is None:
        return head + "/>"
    values = ";".join(_outline_path(frame) for frame in element.frames)
    key_times = ";".join(num_fine(t) for t in timing.key_times)
    return (
        f'{head}><animate attributeName="d" values="{values}" keyTimes="{key_times}" '
        f'dur="{num(timing.seconds)}s" repeatCount="indefinite"/></path>'
    )


def num_fine(value: float) -> str:
    """Key times need more than one decimal; two are plenty."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _element(element, stroke: float, timing: Timing | None = None) -> str:
    if isinstance(element, Solid):
        return _solid(element, stroke, timing)
    if isinstance(element, Layer):
        inner = "".join(_element(e, stroke, None) for e in element.elements)
        return f'<g opacity="{num(element.opacity)}">{inner}</g>'
    if isinstance(element, Silhouette):
        half = stroke / 2
        return _silhouette_pass(element.parts, element.stroke, element.stroke, half) + _silhouette_pass(
            element.parts, element.fill, element.fill, 0
        )
    if isinstance(element, Path):
        tag = "polygon" if element.closed else "polyline"
        dash = f' stroke-dasharray="{num(style.DASH[0])} {num(style.DASH[1])}"' if element.dashed else ""
        return (
            f'<{tag} points="{_points(element.points)}"'
            f"{_classes(element.stroke, element.fill)}{_opacity(element.opacity)}{dash}/>"
        )
    if isinstance(element, Circle):
        cx, cy = element.center
        return (
            f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(element.radius)}"'
            f"{_classes(element.stroke, element.fill)}{_opacity(element.opacity)}/>"
        )
    if isinstance(element, Ellipse):
        cx, cy = element.center
        turn = f' transform="rotate({num(-element.angle)} {num(cx)} {num(cy)})"' if element.angle else ""
        return (
            f'<ellipse cx="{num(cx)}" cy="{num(cy)}" rx="{num(element.rx)}" ry="{num(element.ry)}"{turn}'
            f"{_classes(element.stroke, element.fill)}{_opacity(element.opacity)}/>"
        )
    if isinstance(element, Rect):
        corner = f' rx="{num(element.radius)}"' if element.radius else ""
        return (
            f'<rect x="{num(element.x)}" y="{num(element.y)}" width="{num(element.width)}" '
            f'height="{num(element.height)}"{corner}{_classes(element.stroke, element.fill)}/>'
        )
    if isinstance(element, Text):
        weight = ' font-weight="700"' if element.bold else ""
        anchor = f' text-anchor="{element.anchor}"' if element.anchor != "start" else ""
        return (
            f'<text x="{num(element.at[0])}" y="{num(element.at[1])}" font-size="{num(element.size)}"'
            f'{anchor}{weight} class="f-{element.fill}">{escape(element.text)}</text>'
        )
    raise TypeError(f"No SVG form for {type(element).__name__}")


def to_svg(scene: Scene) -> str:
    title_id = f"title-{scene.key}"
    x, y, width, height = scene.window
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{num(x)} {num(y)} {num(width)} {num(height)}" '
        f'role="img" aria-labelledby="{title_id}" fill="none" stroke-width="{num(scene.stroke)}" '
        f'stroke-linecap="round" stroke-linejoin="round">'
        f"<title id={quoteattr(title_id)}>{escape(scene.title)}</title>"
        f"<style>{style.stylesheet()}</style>"
    )
    body = "".join(_element(element, scene.stroke, scene.timing) for element in scene.elements)
    return f"{head}{body}</svg>\n"
