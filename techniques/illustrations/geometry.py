"""Plane geometry helpers shared by the pose model, props and annotations.

Drawings use SVG user units with y pointing down, but every angle in this package is
given the way people think about a body: degrees counter-clockwise from "pointing
right", so 90 is straight up and -90 straight down. Keeping that one convention lets a
pose read like a description ("upper arm at -90: hanging down").
"""

from __future__ import annotations

import math
from itertools import pairwise

Point = tuple[float, float]


def polar(origin: Point, length: float, angle: float) -> Point:
    """The point `length` units from `origin` in direction `angle` (degrees, y up)."""
    rad = math.radians(angle)
    return (origin[0] + length * math.cos(rad), origin[1] - length * math.sin(rad))


def angle_of(a: Point, b: Point) -> float:
    """Direction from a to b in degrees, same convention as `polar`."""
    return math.degrees(math.atan2(a[1] - b[1], b[0] - a[0]))


def distance(a: Point, b: Point) -> float:
    return math.hypot(b[0] - a[0], b[1] - a[1])


def lerp(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def offset(p: Point, dx: float, dy: float) -> Point:
    return (p[0] + dx, p[1] + dy)


def quadratic(p0: Point, control: Point, p1: Point, steps: int = 12) -> list[Point]:
    """Sample a quadratic Bezier curve as a polyline.

    Curves are sampled rather than emitted as SVG path commands so the SVG and the
    Pillow backend draw exactly the same geometry.
    """
    points = []
    for i in range(steps + 1):
        t = i / steps
        u = 1 - t
        points.append(
            (
                u * u * p0[0] + 2 * u * t * control[0] + t * t * p1[0],
                u * u * p0[1] + 2 * u * t * control[1] + t * t * p1[1],
            )
        )
    return points


def arc(center: Point, radius: float, start: float, end: float, steps: int = 0) -> list[Point]:
    """Sample a circular arc from angle `start` to `end` (degrees, y up)."""
    steps = steps or max(4, int(abs(end - start) / 12))
    return [polar(center, radius, start + (end - start) * i / steps) for i in range(steps + 1)]


def ellipse_points(center: Point, rx: float, ry: float, angle: float = 0, steps: int = 28) -> list[Point]:
    """Outline of an ellipse whose x radius lies along `angle`."""
    rad = math.radians(angle)
    cos_a, sin_a = math.cos(rad), math.sin(rad)
    points = []
    for i in range(steps):
        t = 2 * math.pi * i / steps
        x, y = rx * math.cos(t), ry * math.sin(t)
        # Rotate in the y-up convention, then flip y for screen space.
        points.append((center[0] + x * cos_a - y * sin_a, center[1] - (x * sin_a + y * cos_a)))
    return points


def dashes(points: list[Point] | tuple[Point, ...], on: float, off: float) -> list[tuple[Point, Point]]:
    """Split a polyline into the visible pieces of a dash pattern (SVG stroke-dasharray)."""
    pieces: list[tuple[Point, Point]] = []
    drawing, left = True, on
    for a, b in pairwise(points):
        length = distance(a, b)
        pos = 0.0
        while pos < length - 1e-9:
            step = min(left, length - pos)
            if drawing:
                pieces.append((lerp(a, b, pos / length), lerp(a, b, (pos + step) / length)))
            pos += step
            left -= step
            if left <= 1e-9:
                drawing = not drawing
                left = on if drawing else off
    return pieces


def rotate(p: Point, degrees: float, about: Point = (0.0, 0.0)) -> Point:
    """Rotate p counter-clockwise (as seen on screen) by `degrees` about a point."""
    rad = math.radians(degrees)
    dx, dy = p[0] - about[0], about[1] - p[1]  # to y-up
    x = dx * math.cos(rad) - dy * math.sin(rad)
    y = dx * math.sin(rad) + dy * math.cos(rad)
    return (about[0] + x, about[1] - y)
