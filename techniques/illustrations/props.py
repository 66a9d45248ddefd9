"""The props, built in the same 3D space as the figure (centimetres, y up, floor at 0).

Each prop is made of simple solids (boxes, cylinders, soft ellipsoid shapes) that the
camera projects; `under` props (what the person lies, sits or kneels on) are painted
before the figure, the rest are depth-sorted with the body.
"""

from __future__ import annotations

from dataclasses import dataclass

from .body import Ellipsoid, sphere
from .camera import Camera, hull, resample
from .scene import Path, Solid
from .space import Vec, add, cross, dot, mix, normalize, scale, sub

MAT_THICKNESS = 1.2
ROLLER_RADIUS = 7.5
TOWEL_RADIUS = 5.0
SEAT_HEIGHT = 46.0
BED_HEIGHT = 52.0


@dataclass(frozen=True)
class Box:
    low: Vec  # the corner with the smallest x, y and z
    high: Vec

    def faces(self) -> list[tuple[Vec, tuple[Vec, ...]]]:
        """(outward normal, corners) of each face."""
        (x0, y0, z0), (x1, y1, z1) = self.low, self.high
        return [
            ((0, 1, 0), ((x0, y1, z0), (x1, y1, z0), (x1, y1, z1), (x0, y1, z1))),
            ((0, -1, 0), ((x0, y0, z0), (x1, y0, z0), (x1, y0, z1), (x0, y0, z1))),
            ((1, 0, 0), ((x1, y0, z0), (x1, y1, z0), (x1, y1, z1), (x1, y0, z1))),
            ((-1, 0, 0), ((x0, y0, z0), (x0, y1, z0), (x0, y1, z1), (x0, y0, z1))),
            ((0, 0, 1), ((x0, y0, z1), (x1, y0, z1), (x1, y1, z1), (x0, y1, z1))),
            ((0, 0, -1), ((x0, y0, z0), (x1, y0, z0), (x1, y1, z0), (x0, y1, z0))),
        ]

    @property
    def center(self) -> Vec:
        return mix(self.low, self.high, 0.5)

    def draw(self, camera: Camera) -> list[Solid]:
        toward = camera.toward_viewer
        out = []
        for normal, corners in self.faces():
            if dot(normal, toward) > 1e-6:
                out.append(Solid((tuple(camera.project(c) for c in corners),), fill="propfill", stroke="prop"))
        return out


@dataclass(frozen=True)
class Cylinder:
    a: Vec  # centre of one end
    b: Vec  # centre of the other
    radius: float
    rolled: bool = False  # a rolled towel: a spiral on the visible end

    @property
    def center(self) -> Vec:
        return mix(self.a, self.b, 0.5)

    def _end(self, at: Vec) -> tuple[Vec, tuple]:
        axis = normalize(sub(self.b, self.a))
        helper = (0.0, 1.0, 0.0) if abs(axis[1]) < 0.9 else (1.0, 0.0, 0.0)
        u = scale(normalize(cross(axis, helper)), self.radius)
        v = scale(normalize(cross(axis, u)), self.radius)
        axes = ((u[0], v[0], 0.0), (u[1], v[1], 0.0), (u[2], v[2], 0.0))
        return at, axes

    def draw(self, camera: Camera) -> list:
        ends = [self._end(self.a), self._end(self.b)]
        body = hull([p for center, axes in ends for p in camera.outline(center, axes)])
        axis = normalize(sub(self.b, self.a))
        near = self.b if dot(axis, camera.toward_viewer) > 0 else self.a
        facing = abs(dot(axis, camera.toward_viewer))
        out: list = [
            Solid(
                (
                    tuple(
                        resample(body, 28, (0, -1)),
                    ),
                ),
                fill="propfill",
                stroke="prop",
            )
        ]
        if facing > 0.08:
            center, axes = self._end(near)
            cap = camera.outline(center, axes, samples=24)
            out.append(Solid((tuple(cap),), fill="propfill", stroke="prop"))
            if self.rolled:
                # A spiral on the end reads as a rolled-up towel: two turns from near
                # the middle out to the rim, open enough to show at the page's size
                # (tighter, they read as a roller's hub).
                c2 = camera.project(center)
                loop = camera.outline(center, axes, samples=20) * 2
                turns = [
                    (
                        c2[0] + (p[0] - c2[0]) * (0.08 + 0.92 * i / len(loop)),
                        c2[1] + (p[1] - c2[1]) * (0.08 + 0.92 * i / len(loop)),
                    )
                    for i, p in enumerate(loop)
                ]
                out.append(Path(tuple(turns), stroke="prop"))
        return out


@dataclass(frozen=True)
class Soft:
    """A soft, rounded prop (a pillow): the hull of a few ellipsoids."""

    blobs: tuple[Ellipsoid, ...]

    @property
    def center(self) -> Vec:
        total = (0.0, 0.0, 0.0)
        for blob in self.blobs:
            total = add(total, blob.center)
        return scale(total, 1 / len(self.blobs))

    def draw(self, camera: Camera) -> list[Solid]:
        points = [p for blob in self.blobs for p in camera.outline(blob.center, blob.axes)]
        return [Solid((tuple(resample(hull(points), 24, (0, -1))),), fill="propfill", stroke="prop")]


@dataclass(frozen=True)
class Prop:
    name: str
    shapes: tuple
    under: bool = True  # painted before the figure (it is under or behind the person)


def _flat(center: Vec, rx: float, rz: float, ry: float = 0.01) -> Ellipsoid:
    return Ellipsoid(center, ((rx, 0.0, 0.0), (0.0, ry, 0.0), (0.0, 0.0, rz)))


def mat(x0: float, x1: float, z0: float = -36, z1: float = 36) -> Prop:
    """An exercise mat on the floor from x0 to x1 (along the body) and z0 to z1 (across)."""
    return Prop("mat", (Box((x0, 0.0, z0), (x1, MAT_THICKNESS, z1)),))


def mat_z(z0: float, z1: float, x0: float = -32, x1: float = 32) -> Prop:
    return Prop("mat", (Box((x0, 0.0, z0), (x1, MAT_THICKNESS, z1)),))


def foam_roller(center: Vec, length: float = 90.0, along: Vec = (1.0, 0.0, 0.0)) -> Prop:
    half = scale(normalize(along), length / 2)
    return Prop("foam roller", (Cylinder(sub(center, half), add(center, half), ROLLER_RADIUS),))


@dataclass(frozen=True)
class Fringe:
    """A flat piece of towel: a thin slab with a fringe along one edge (the edge runs
    across the towel, along z), which tells a towel from a foam roller or a pillow."""

    slab: Box
    edge: tuple[float, float]  # x and y of the fringed edge
    tassel: Vec = (4.5, -0.4, 0.0)  # each tassel, from the edge outwards

    @property
    def center(self) -> Vec:
        return self.slab.center

    def draw(self, camera: Camera) -> list:
        out: list = self.slab.draw(camera)
        z0, z1 = self.slab.low[2], self.slab.high[2]
        x, y = self.edge
        step = 5.0
        z = z0 + step / 2
        while z < z1:
            a = camera.project((x, y, z))
            b = camera.project(add((x, y, z), self.tassel))
            out.append(Path((a, b), stroke="prop"))
            z += step
        return out


def towel_roll(center: Vec, length: float = 60.0, along: Vec = (1.0, 0.0, 0.0)) -> Prop:
    """A bath towel rolled into a tube, its free end lying flat on the floor beside it."""
    half = scale(normalize(along), length / 2)
    x, y, z = center
    floor = y - TOWEL_RADIUS
    # The tail runs well out from the roll, so it reads as cloth unrolled on the mat (a
    # short tail and its fringe read as a hatched patch beside a foam roller).
    tail = x + TOWEL_RADIUS + 24
    end = Fringe(Box((x, floor, z - length / 2), (tail, floor + 0.8, z + length / 2)), (tail, floor + 0.8))
    return Prop("towel roll", (end, Cylinder(sub(center, half), add(center, half), TOWEL_RADIUS, rolled=True)))


def pillow(
    center: Vec, width: float = 50.0, depth: float = 32.0, thickness: float = 11.0, along_x: bool = True
) -> Prop:
    """A pillow lying flat; `along_x` puts its long side along x."""
    rx, rz = (width / 2, depth / 2) if along_x else (depth / 2, width / 2)
    core = Ellipsoid(center, ((rx, 0.0, 0.0), (0.0, thickness / 2, 0.0), (0.0, 0.0, rz * 0.92)))
    corners = tuple(
        sphere(add(center, (sx * (rx - 5), 0.0, sz * (rz - 5))), thickness * 0.3) for sx in (-1, 1) for sz in (-1, 1)
    )
    return Prop("pillow", (Soft((core, *corners)),))


def chair(x: float, z: float, facing_x: int = 1, back_height: float = 92.0) -> Prop:
    """A sturdy high-backed chair: the seat's front faces +x (facing_x=1) or -x. `x` is
    the middle of the seat, `back_height` the top of the backrest above the floor."""
    depth, width, seat = 44.0, 44.0, SEAT_HEIGHT
    front, back = x + facing_x * depth / 2, x - facing_x * depth / 2
    lo_x, hi_x = min(front, back), max(front, back)
    shapes: list = []
    leg = 2.5
    for lx in (lo_x + leg, hi_x - leg):
        for lz in (z - width / 2 + leg, z + width / 2 - leg):
            shapes.append(Box((lx - leg, 0.0, lz - leg), (lx + leg, seat - 4, lz + leg)))
    shapes.append(Box((lo_x, seat - 4, z - width / 2), (hi_x, seat, z + width / 2)))
    rail = 4.0
    bx0, bx1 = (back - rail, back) if facing_x > 0 else (back, back + rail)
    for pz in (z - width / 2, z + width / 2 - 4):
        shapes.append(Box((bx0, seat, pz), (bx1, back_height, pz + 4)))
    shapes.append(Box((bx0, back_height - 20, z - width / 2), (bx1, back_height, z + width / 2)))
    return Prop("chair", tuple(shapes))


def door_frame(z: float, opening_x: tuple[float, float], height: float = 205.0, wall: float = 90.0) -> Prop:
    """A wall in the plane z (its front face), with a doorway from opening_x[0] to
    opening_x[1]: the wall on either side, the two jambs and the head above."""
    x0, x1 = opening_x
    thick = 12.0
    shapes = (
        Box((x0 - wall, 0.0, z - thick), (x0, height + 40, z)),
        Box((x1, 0.0, z - thick), (x1 + wall, height + 40, z)),
        Box((x0, height, z - thick), (x1, height + 40, z)),
        Box((x0 - 4, 0.0, z - thick - 1), (x0, height, z + 2)),  # jamb (the edge)
        Box((x1, 0.0, z - thick - 1), (x1 + 4, height, z + 2)),
    )
    return Prop("door frame", shapes)


def wall(x: float, z0: float, z1: float, height: float = 200.0) -> Prop:
    return Prop("wall", (Box((x - 10, 0.0, z0), (x, height, z1)),))


def bed(x0: float, x1: float, z0: float = -45, z1: float = 45, towel_at: float | None = None) -> Prop:
    """A bed from x0 to x1; `towel_at` folds a towel over the mattress edge at that x: a
    flap on the mattress and one hanging well down its end, so it reads as draped over
    the edge (a short flap read as a flat pillow)."""
    base_top = BED_HEIGHT - 20
    shapes: list = [
        Box((x0, 8.0, z0), (x1, base_top, z1)),
        Box((x0 + 1, base_top, z0 + 1), (x1 - 1, BED_HEIGHT, z1 - 1)),
    ]
    for lx in (x0 + 4, x1 - 8):
        for lz in (z0 + 4, z1 - 8):
            shapes.append(Box((lx, 0.0, lz), (lx + 4, 8.0, lz + 4)))
    if towel_at is not None:
        side = 1 if abs(towel_at - x1) < abs(towel_at - x0) else -1
        edge = x1 if side > 0 else x0
        shapes.append(
            Box((min(edge, edge - side * 26), BED_HEIGHT, -22), (max(edge, edge - side * 26), BED_HEIGHT + 1.6, 22))
        )
        # The hanging flap ends in a fringe, so the fold reads as a towel, not a pillow.
        hang = Box(
            (min(edge, edge + side * 1.6), BED_HEIGHT - 28, -22), (max(edge, edge + side * 1.6), BED_HEIGHT + 1.6, 22)
        )
        shapes.append(Fringe(hang, (edge + side * 1.6, BED_HEIGHT - 28), (0.0, -4.5, 0.0)))
    return Prop("bed", tuple(shapes))


def draw(prop: Prop, camera: Camera) -> list[tuple[float, list]]:
    """(depth, elements) for each shape of the prop, nearest last when sorted."""
    out = []
    for shape in prop.shapes:
        out.append((camera.depth(shape.center), shape.draw(camera)))
    return out
