"""The camera: an orthographic projection of the 3D scene onto the drawing's plane.

Orthographic, as in technical and physiotherapy line drawings: sizes don't shrink with
distance, so a limb's length is read the same near and far. `azimuth` is where the camera
stands around the scene's vertical axis (0 = looking at the world's +z face, -90 = at
the +x side... see `Camera.side`), `elevation` how far above the horizon it looks down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .geometry import Point
from .space import Vec, cross, dot, normalize, sub

SCREEN_SCALE = 2.3  # drawing units per centimetre: a standing adult is about 400 units tall
ELLIPSE_SAMPLES = 28


@dataclass(frozen=True)
class Camera:
    azimuth: float = 0.0
    elevation: float = 10.0

    @property
    def toward_viewer(self) -> Vec:
        """Unit vector from the scene towards the camera."""
        az, el = math.radians(self.azimuth), math.radians(self.elevation)
        return (math.sin(az) * math.cos(el), math.sin(el), math.cos(az) * math.cos(el))

    @property
    def right(self) -> Vec:
        return normalize(cross(sub((0.0, 0.0, 0.0), self.toward_viewer), (0.0, 1.0, 0.0)))

    @property
    def up(self) -> Vec:
        return cross(self.right, sub((0.0, 0.0, 0.0), self.toward_viewer))

    def project(self, p: Vec) -> Point:
        return (dot(p, self.right) * SCREEN_SCALE, -dot(p, self.up) * SCREEN_SCALE)

    def depth(self, p: Vec) -> float:
        """Larger is nearer the viewer."""
        return dot(p, self.toward_viewer)

    def vector(self, v: Vec) -> Point:
        """A direction in space as a direction on the page."""
        return (dot(v, self.right), -dot(v, self.up))

    def outline(self, center: Vec, axes, samples: int = ELLIPSE_SAMPLES) -> list[Point]:
        """The projected outline of an ellipsoid (or of a flat ellipse in 3D, whose third
        axis is zero): always an ellipse, found from the 2x2 matrix M M^T."""
        cols = [(axes[0][k], axes[1][k], axes[2][k]) for k in range(3)]
        m = [[dot(self.right, c) * SCREEN_SCALE for c in cols], [-dot(self.up, c) * SCREEN_SCALE for c in cols]]
        a = sum(v * v for v in m[0])
        b = sum(m[0][k] * m[1][k] for k in range(3))
        c = sum(v * v for v in m[1])
        det = max(a * c - b * b, 0.0)
        root_det = math.sqrt(det)
        denom = math.sqrt(max(a + c + 2 * root_det, 1e-12))
        # The symmetric square root of [[a, b], [b, c]] maps the unit circle onto the outline.
        s00, s01, s11 = (a + root_det) / denom, b / denom, (c + root_det) / denom
        cx, cy = self.project(center)
        points = []
        for i in range(samples):
            t = 2 * math.pi * i / samples
            x, y = math.cos(t), math.sin(t)
            points.append((cx + s00 * x + s01 * y, cy + s01 * x + s11 * y))
        return points


def hull(points: list[Point]) -> list[Point]:
    """Convex hull (Andrew's monotone chain), counter-clockwise on the page."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def turn(o: Point, a: Point, b: Point) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point] = []
    for p in pts:
        while len(lower) >= 2 and turn(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[Point] = []
    for p in reversed(pts):
        while len(upper) >= 2 and turn(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def resample(loop: list[Point], count: int, start_toward: Point) -> list[Point]:
    """`count` points evenly spaced round a closed outline, starting from the point
    furthest in the page direction `start_toward`, so each frame's outline of the same
    part starts at the same place on it and the frames morph into one another."""
    if len(loop) < 2:
        return [loop[0]] * count if loop else [(0.0, 0.0)] * count
    first = max(range(len(loop)), key=lambda i: loop[i][0] * start_toward[0] + loop[i][1] * start_toward[1])
    loop = loop[first:] + loop[:first]
    closed = [*loop, loop[0]]
    lengths = [math.dist(closed[i], closed[i + 1]) for i in range(len(loop))]
    total = sum(lengths) or 1.0
    out: list[Point] = []
    edge, walked = 0, 0.0
    for k in range(count):
        target = total * k / count
        while edge < len(lengths) - 1 and walked + lengths[edge] < target:
            walked += lengths[edge]
            edge += 1
        t = (target - walked) / lengths[edge] if lengths[edge] else 0.0
        a, b = closed[edge], closed[edge + 1]
        out.append((a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t))
    return out
