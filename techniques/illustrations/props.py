"""Furniture and equipment, drawn in the prop colour with the house stroke.

Each function takes the few measurements that tie the prop to the figure (where the floor
is, where the roller touches the back) and returns scene elements. Side-view props face
the same way as the figures: a chair's seat front is on the right, its backrest on the left.
"""

from __future__ import annotations

from .geometry import Point, arc, polar
from .scene import Circle, Path, Rect

FLOOR_Y = 272  # default floor line of a 400 x 300 side-view scene

# Real sizes scaled to the figure (about 1.2 units per cm).
ROLLER_RADIUS = 11
SEAT_HEIGHT = 54
TOWEL_RADIUS = 6


def floor(y: float = FLOOR_Y, x0: float = -200, x1: float = 600) -> list:
    """The floor line, drawn well past the edges: the drawing's window crops it."""
    return [Path(((x0, y), (x1, y)), stroke="prop", backdrop=True)]


def mat(x0: float, x1: float, floor_y: float = FLOOR_Y, thickness: float = 4) -> list:
    """An exercise mat lying on the floor; its top surface is floor_y - thickness."""
    return [Rect(x0, floor_y - thickness, x1 - x0, thickness, radius=2, backdrop=True)]


def foam_roller(center: Point, radius: float = ROLLER_RADIUS) -> list:
    """A roller seen end-on: a circle with its core, so it reads as a cylinder."""
    return [
        Circle(center, radius, stroke="prop", fill="propfill"),
        Circle(center, radius * 0.35, stroke="prop"),
    ]


def towel_roll(center: Point, radius: float = TOWEL_RADIUS) -> list:
    """A rolled towel end-on: a circle with a spiral of the towel's layers."""
    spiral = arc(center, radius * 0.55, 90, 360, steps=9) + [polar(center, radius * 0.15, 200)]
    return [Circle(center, radius, stroke="prop", fill="propfill"), Path(tuple(spiral), stroke="prop")]


def pillow(x: float, y_bottom: float, width: float = 42, height: float = 11) -> list:
    return [Rect(x, y_bottom - height, width, height, radius=height / 2)]


def chair(
    seat_front: float,
    backrest_top: Point,
    floor_y: float = FLOOR_Y,
    seat_height: float = SEAT_HEIGHT,
    depth: float = 46,
) -> list:
    """A plain high-backed chair in profile facing right.

    `seat_front` is the x of the seat's front edge; `backrest_top` the top of the
    backrest, which the drawing puts at the sitter's shoulder blades. The back post runs
    from the seat's back edge up to it, so a backrest set further back simply reclines.
    """
    seat_y = floor_y - seat_height
    back_x = seat_front - depth
    top_x, top_y = backrest_top
    return [
        Path(((back_x, floor_y), (back_x, seat_y), (top_x - 2, top_y + 6)), stroke="prop"),
        Path(((seat_front - 4, seat_y), (seat_front - 4, floor_y)), stroke="prop"),
        Rect(top_x - 7, top_y, 9, 26, radius=3),
        Rect(back_x - 2, seat_y - 2, depth + 4, 6, radius=2),
    ]


def seat_top(floor_y: float = FLOOR_Y, seat_height: float = SEAT_HEIGHT) -> float:
    return floor_y - seat_height - 2


def wall(x: float, top: float = 14, floor_y: float = FLOOR_Y, side: str = "left") -> list:
    """A wall face at x, its thickness on `side`, with light hatching on the cut face."""
    thickness = 14
    x0 = x - thickness if side == "left" else x
    hatching = [
        Path(((x0 + 2, y + thickness - 2), (x0 + thickness - 2, y + 2)), stroke="prop")
        for y in range(int(top) + 8, int(floor_y) - 16, 22)
    ]
    return [Rect(x0, top, thickness, floor_y - top, stroke="prop", fill="propfill"), *hatching]


def door_frame(x: float, top: float = 14, floor_y: float = FLOOR_Y, side: str = "left") -> list:
    """The edge of a door frame in profile: a jamb with its moulding."""
    thickness = 10
    x0 = x - thickness if side == "left" else x
    trim_x = x0 - 4 if side == "left" else x0 + thickness
    return [
        Rect(x0, top, thickness, floor_y - top, stroke="prop", fill="propfill"),
        Rect(trim_x, top, 4, floor_y - top, stroke="prop", fill="propfill"),
    ]


def bed(x0: float, x1: float, top_y: float, floor_y: float = FLOOR_Y) -> list:
    """A bed in profile: mattress on a frame, with the mattress edge at x1."""
    mattress = 20
    frame_y = top_y + mattress
    return [
        Path(((x0 + 10, frame_y), (x0 + 10, floor_y)), stroke="prop"),
        Path(((x1 - 10, frame_y), (x1 - 10, floor_y)), stroke="prop"),
        Rect(x0, frame_y, x1 - x0, 8, radius=2),
        Rect(x0, top_y, x1 - x0, mattress, radius=7),
    ]
