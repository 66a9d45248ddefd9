"""Movement arrows: marks that explain rather than depict.

Arrows use the accent colour and the house stroke, with a filled head, so they stand
apart from the figure's ink outlines and the props' grey.
"""

from __future__ import annotations

from .geometry import Point, angle_of, arc, polar, quadratic
from .scene import Path

HEAD_LENGTH = 9
HEAD_SPREAD = 26  # degrees either side of the shaft


def _head(tip: Point, toward: float, size: float = 1.0) -> Path:
    """A filled triangle with its point at `tip`, pointing in direction `toward`."""
    back = toward + 180
    length = HEAD_LENGTH * size
    return Path(
        (tip, polar(tip, length, back - HEAD_SPREAD), polar(tip, length, back + HEAD_SPREAD)),
        stroke="accent",
        fill="accent",
        closed=True,
    )


def arrow(points: list[Point], both: bool = False, size: float = 1.0) -> list:
    """A shaft along `points` with a head at the end (and at the start when `both`).

    The shaft stops short of each head so the round cap doesn't poke through the point.
    `size` scales the head with the drawing's window (1 for a 400-unit-wide window).
    """
    points = list(points)
    end_dir = angle_of(points[-2], points[-1])
    shaft = points[:-1] + [polar(points[-1], HEAD_LENGTH * 0.7 * size, end_dir + 180)]
    heads = [_head(points[-1], end_dir, size)]
    if both:
        start_dir = angle_of(points[1], points[0])
        shaft[0] = polar(points[0], HEAD_LENGTH * 0.7 * size, start_dir + 180)
        heads.append(_head(points[0], start_dir, size))
    return [Path(tuple(shaft), stroke="accent"), *heads]


def curved_arrow(start: Point, control: Point, end: Point, both: bool = False) -> list:
    return arrow(quadratic(start, control, end, steps=10), both=both)


def arc_arrow(center: Point, radius: float, start: float, end: float, both: bool = False) -> list:
    """An arrow around `center` from angle `start` to `end` (degrees, y up)."""
    return arrow(arc(center, radius, start, end), both=both)


def straight_arrow(start: Point, end: Point, both: bool = False) -> list:
    return arrow([start, end], both=both)
