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
# Hands near the head are placed where they stay apart from the face in a drawing: folded
# hands lie flat on the opposite shoulders, fingers out along the collarbone, below the chin;
# hands behind the head cup the back of the skull, above the neck, so a side view shows
# them over the hair, not across the jaw. (Joint angles fitted to those hand positions.)
FOLDED = Arm(lift=41, toward=-16, twist=-78, elbow=128, wrist=-21)  # hands on the opposite shoulders
HANDS_BEHIND_HEAD = Arm(lift=138, toward=62, twist=67, elbow=132, wrist=-18)  # elbows forwards
ELBOWS_WIDE = Arm(lift=127, toward=98, twist=122, elbow=132, wrist=-10)  # elbows out to the sides
FORWARD = Arm(lift=90, toward=-4, twist=-90, elbow=4)  # straight out in front, palms together
ON_THIGHS = Arm(lift=14, toward=12, elbow=58, wrist=-20)

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


def _gap(pose: Pose) -> float:
    """How much higher the hands rest than the knees (negative: lower)."""
    pieces = dress(pose)
    arms = [p for p in pieces if p.name.endswith("_arm")]
    legs = [p for p in pieces if p.name.endswith("_leg")]
    return lowest(arms) - lowest(legs)


def on_hands_and_knees(pose: Pose) -> Pose:
    """Tip the body (its pitch, arms and thighs counter-turned so they stay vertical) until
    the hands and the knees both reach the floor: on all fours the spine's bend changes how
    far the shoulders are from the floor, and the body has to follow."""

    def tipped(delta: float) -> Pose:
        return replace(
            pose,
            pitch=pose.pitch + delta,
            left_arm=replace(pose.left_arm, lift=pose.left_arm.lift + delta),
            right_arm=replace(pose.right_arm, lift=pose.right_arm.lift + delta),
            left_leg=replace(pose.left_leg, lift=pose.left_leg.lift + delta),
            right_leg=replace(pose.right_leg, lift=pose.right_leg.lift + delta),
        )

    a, b = 0.0, 4.0
    fa, fb = _gap(tipped(a)), _gap(tipped(b))
    for _ in range(8):
        if abs(fb) < 0.05 or fb == fa:
            break
        a, b, fa = b, b - fb * (b - a) / (fb - fa), fb
        fb = _gap(tipped(b))
    return tipped(b)


def _secant(f, a: float, b: float, steps: int = 10) -> float:
    """A root of f near a and b (f is smooth and nearly linear here)."""
    fa, fb = f(a), f(b)
    for _ in range(steps):
        if abs(fb) < 0.05 or fb == fa:
            break
        a, b, fa = b, b - fb * (b - a) / (fb - fa), fb
        fb = f(b)
    return b


def _part_lowest(pose: Pose, piece: str, part: int) -> float:
    found = next(p for p in dress(pose) if p.name == piece)
    return min(blob.lowest for blob in found.parts[part].blobs)


def _part_x(pose: Pose, piece: str, part: int) -> float:
    found = next(p for p in dress(pose) if p.name == piece)
    blob = min(found.parts[part].blobs, key=lambda b: b.lowest)
    return blob.center[0]


def feet_on(pose: Pose, floor: float) -> Pose:
    """Bend the hips (thighs up or down, soles kept level) until the feet rest on `floor`."""

    def legs(lift: float) -> Pose:
        left = flat_foot(replace(pose.left_leg, lift=lift), pose.pitch)
        right = flat_foot(replace(pose.right_leg, lift=lift), pose.pitch)
        return replace(pose, left_leg=left, right_leg=right)

    def gap(lift: float) -> float:
        pieces = [p for p in dress(legs(lift)) if p.name.endswith("_leg")]
        return lowest(pieces) - floor

    start = pose.left_leg.lift
    return legs(_secant(gap, start, start + 5))


def lie_back_over(pose: Pose, support_x: float, support_top: float, hips: float, floor: float) -> Pose:
    """A face-up pose resting its upper back on a support (a roller, a rolled towel, the edge
    of a bed) whose top is at `support_top` and whose middle is at x = `support_x`, with the
    bottom of the hips at height `hips` (on the floor, or lifted) and the feet on `floor`.
    Solved by tipping the body (its pitch) until the chest and hips are at those heights."""

    def tipped(delta: float) -> Pose:
        return replace(pose, pitch=-90 + delta)

    def gap(delta: float) -> float:
        p = tipped(delta)
        return (_part_lowest(p, "torso", 2) - _part_lowest(p, "torso", 0)) - (support_top - hips)

    body = tipped(_secant(gap, 0.0, 4.0))
    x, y, z = body.at
    y += hips - _part_lowest(body, "torso", 0)
    x += support_x - _part_x(body, "torso", 2)
    return feet_on(replace(body, at=(x, y, z)), floor)
