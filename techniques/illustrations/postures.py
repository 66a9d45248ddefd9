"""Reusable postures and the helpers that put a posed figure in the scene.

World layout shared by the shots: the floor is y = 0. A standing or sitting figure faces
+x, so the side camera (azimuth 0, on the figure's right) shows it facing right. Lying
face up, the head is towards -x (on the left of a side view) and the face looks up.
"""

from __future__ import annotations

from dataclasses import replace

from .body import dress, lowest
from .skeleton import Arm, Bend, Leg, Pose, solve
from .space import Vec

# Arms
HANGING = Arm(lift=7, toward=75, elbow=12, wrist=4)
FOLDED = Arm(lift=40, toward=-55, twist=-80, elbow=128, wrist=10)  # hands on the opposite shoulders
HANDS_BEHIND_HEAD = Arm(lift=122, toward=62, twist=90, elbow=150, wrist=10)  # elbows forwards
ELBOWS_WIDE = Arm(lift=120, toward=100, twist=90, elbow=140, wrist=10)  # elbows out to the sides
FORWARD = Arm(lift=90, toward=-4, twist=-90, elbow=4)  # straight out in front, palms together
ON_THIGHS = Arm(lift=28, toward=8, elbow=62, wrist=-15)

# Legs
STRAIGHT = Leg(lift=0, toward=4, knee=4)
SOFT_KNEES = Leg(lift=6, toward=5, knee=12, ankle=6)


def flat_foot(leg: Leg, pitch: float = 0.0) -> Leg:
    """The leg with its ankle set so the sole lies level, for a body pitched by `pitch`."""
    return replace(leg, ankle=leg.lift - leg.knee - pitch)


def standing(arms: Arm = HANGING, legs: Leg = SOFT_KNEES, **changes) -> Pose:
    pose = Pose(facing=90).arms(arms).legs(flat_foot(legs))
    return replace(pose, **changes)


def place(pose: Pose, floor: float = 0.0, joint: str | None = None, at: Vec | None = None, on: str = "") -> Pose:
    """Rest the figure's lowest point (or the lowest point of the piece named `on`, such
    as the torso on a seat) on `floor`, and slide it so `joint` is over `at` (x and z)."""
    pieces = [p for p in dress(pose) if not on or p.name == on]
    drop = lowest(pieces) - floor
    x, y, z = pose.at
    y -= drop
    if joint is not None and at is not None:
        here = solve(pose)[joint].at
        x += at[0] - here[0]
        z += at[2] - here[2]
    return replace(pose, at=(x, y, z))


def moved(pose: Pose, dx: float = 0.0, dy: float = 0.0, dz: float = 0.0) -> Pose:
    x, y, z = pose.at
    return replace(pose, at=(x + dx, y + dy, z + dz))


def spine(lumbar: float = 0.0, thorax: float = 0.0, chest: float = 0.0) -> dict:
    """Forward bends (negative arches back) of the three spine segments, as pose fields."""
    return {"lumbar": Bend(flex=lumbar), "thorax": Bend(flex=thorax), "chest": Bend(flex=chest)}


def twist(total: float, head: float = 0.0, lean: float = 0.0) -> dict:
    """A turn of the upper body spread up the spine (more in the chest than the lumbar
    spine, as in life), with the head turning `head` degrees further. Positive turns
    to the figure's left."""
    return {
        "lumbar": Bend(twist=total * 0.1, flex=lean),
        "thorax": Bend(twist=total * 0.4),
        "chest": Bend(twist=total * 0.5),
        "neck": Bend(twist=head * 0.6),
        "head": Bend(twist=head * 0.4),
    }
