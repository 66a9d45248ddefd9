"""Body volumes: the solved skeleton dressed in ellipsoids.

Each body part is the convex hull of a few ellipsoids, so it keeps its volume from every
angle: a limb is the hull of two spheres (tapered), a torso segment the hull of the
flattened ellipsoids at either end (so the torso follows the spine's curve), a hand a
mitten of palm, fingers and a thumb, a foot a heel, a ball and toes. Parts are grouped
into pieces that are painted as one silhouette (an arm, a leg, the torso, the head).
"""

from __future__ import annotations

from dataclasses import dataclass

from .skeleton import CHEST, LUMBAR, NECK, SHIN, THIGH, THORAX, UPPER_ARM, Joint, Pose, solve
from .space import Mat, Vec, add, apply, column, scale, sub


@dataclass(frozen=True)
class Ellipsoid:
    center: Vec
    axes: Mat  # columns are the three semi-axis vectors

    @property
    def lowest(self) -> float:
        """Height of its lowest point."""
        row = self.axes[1]
        return self.center[1] - (row[0] ** 2 + row[1] ** 2 + row[2] ** 2) ** 0.5


def ellipsoid(joint: Joint, local: Vec, radii: Vec) -> Ellipsoid:
    """An ellipsoid in `joint`'s frame, centred at `local`, with semi-axes `radii` along
    the frame's x, y and z."""
    f = joint.frame
    axes = tuple(tuple(f[row][col] * radii[col] for col in range(3)) for row in range(3))
    return Ellipsoid(joint.point(local), axes)  # type: ignore[arg-type]


def sphere(center: Vec, radius: float) -> Ellipsoid:
    return Ellipsoid(center, ((radius, 0.0, 0.0), (0.0, radius, 0.0), (0.0, 0.0, radius)))


@dataclass(frozen=True)
class Part:
    """One convex body part. `points` is how many outline points it is drawn with (fixed,
    so every frame of an animation has the same path structure); `axis` is a direction in
    the part's own frame that fixes where its outline starts, so outlines morph smoothly."""

    blobs: tuple[Ellipsoid, ...]
    points: int
    axis: Vec


@dataclass(frozen=True)
class Piece:
    """Parts painted as one silhouette, depth-sorted as a whole against other pieces."""

    name: str
    parts: tuple[Part, ...]
    side: int = 0  # +1 the figure's left limb, -1 its right, 0 on the midline
    lateral: Vec = (1.0, 0.0, 0.0)  # the body's left-pointing axis where the limb joins it

    @property
    def center(self) -> Vec:
        blobs = [blob.center for part in self.parts for blob in part.blobs]
        total = (0.0, 0.0, 0.0)
        for c in blobs:
            total = add(total, c)
        return scale(total, 1 / len(blobs))


def _limb(a: Vec, ra: float, b: Vec, rb: float, axis: Vec, points: int = 12) -> Part:
    return Part((sphere(a, ra), sphere(b, rb)), points, axis)


def dress(pose: Pose) -> list[Piece]:
    """The figure's pieces for `pose`."""
    j = solve(pose)
    pelvis, lumbar, thorax, chest = j["pelvis"], j["lumbar"], j["thorax"], j["chest"]
    hips = ellipsoid(pelvis, (0, -3, -0.5), (17.5, 10.5, 11.5))
    waist = ellipsoid(lumbar, (0, LUMBAR, -0.5), (15, 6, 10.5))
    ribs = ellipsoid(thorax, (0, THORAX * 0.6, 0.8), (16.5, 9, 12))
    upper_chest = ellipsoid(chest, (0, CHEST * 0.6, 0.3), (18.5, 9, 11))
    shoulders = ellipsoid(chest, (0, CHEST - 2.5, -1.5), (20, 4, 8.5))
    neck_base = ellipsoid(j["neck"], (0, 0, -0.5), (6, 2, 5.5))
    neck_top = ellipsoid(j["neck"], (0, NECK + 1, 0.5), (5, 2, 5))
    torso = Piece(
        "torso",
        (
            Part((hips, waist), 16, (0, -1, 0)),
            Part((waist, ribs), 14, (0, -1, 0)),
            Part((ribs, upper_chest, shoulders), 18, (0, 1, 0)),
            Part((neck_base, neck_top), 8, (0, 1, 0)),
        ),
    )
    head = j["head"]
    skull = ellipsoid(head, (0, 10, 0.5), (7.6, 11, 9.6))
    jaw = ellipsoid(head, (0, 3.5, 4.5), (5.6, 4.6, 5))
    nose = ellipsoid(head, (0, 8.6, 10), (1.4, 2.2, 1.6))
    hair = ellipsoid(head, (0, 13.2, -2.4), (8.3, 9.6, 9.4))
    pieces = [
        torso,
        Piece(
            "head",
            (
                Part((skull, jaw), 16, (0, 1, 0)),
                Part((nose, ellipsoid(head, (0, 9.2, 8.4), (1.4, 2.6, 1))), 5, (0, 1, 0)),
            ),
        ),
        Piece("hair", (Part((hair,), 12, (0, 1, 0)),)),
    ]
    # Eyes say which way the face points, even in a front view where the nose can't show.
    for side, name in ((1, "left_eye"), (-1, "right_eye")):
        eye = ellipsoid(head, (2.9 * side, 11.2, 8.9), (0.45, 0.6, 0.4))
        pieces.append(Piece(name, (Part((eye,), 6, (0, 1, 0)),)))
    for side, prefix in ((1, "left"), (-1, "right")):
        shoulder, elbow, hand = j[f"{prefix}_shoulder"], j[f"{prefix}_elbow"], j[f"{prefix}_hand"]
        wrist = hand.at
        # Palm and fingers: flat ellipsoids; the thumb sits on the body side of the palm
        # (towards the figure's midline when the palm faces the thigh).
        palm = ellipsoid(hand, (0, -5.5, 0.3), (4.6, 5.5, 2))
        fingers = ellipsoid(hand, (0, -12, 0.6), (4.2, 4.8, 1.5))
        thumb_base = hand.point((-2.2 * side, -3, 2))
        thumb_tip = hand.point((-2.8 * side, -9, 4.2))
        arm = Piece(
            f"{prefix}_arm",
            (
                Part(
                    (sphere(shoulder.at, 6.4), sphere(apply_point(shoulder, (0, -UPPER_ARM * 0.3, 0)), 5.8)),
                    8,
                    (0, -1, 0),
                ),
                _limb(shoulder.at, 5.8, elbow.at, 4.3, (0, -1, 0)),
                _limb(elbow.at, 4.4, wrist, 3.0, (0, -1, 0)),
                Part((palm, fingers), 10, (0, -1, 0)),
                _limb(thumb_base, 1.4, thumb_tip, 1.1, (0, -1, 0), points=6),
            ),
            side,
            column(chest.frame, 0),
        )
        hip, knee, foot = j[f"{prefix}_hip"], j[f"{prefix}_knee"], j[f"{prefix}_foot"]
        heel = ellipsoid(foot, (0, -4.2, -2.5), (3.2, 3, 3.4))
        ball = ellipsoid(foot, (0, -5.2, 13), (4.6, 2.2, 3.4))
        toes = ellipsoid(foot, (0.4 * side, -5.6, 18.5), (4.0, 1.5, 2.2))
        leg = Piece(
            f"{prefix}_leg",
            (
                _limb(hip.at, 9.6, knee.at, 6.0, (0, -1, 0)),
                _limb(knee.at, 6.0, foot.at, 3.8, (0, -1, 0)),
                Part((heel, ball, toes), 12, (0, 0, 1)),
            ),
            side,
            column(pelvis.frame, 0),
        )
        pieces += [arm, leg]
    return pieces


def apply_point(joint: Joint, local: Vec) -> Vec:
    return add(joint.at, apply(joint.frame, local))


def lowest(pieces: list[Piece]) -> float:
    return min(blob.lowest for piece in pieces for part in piece.parts for blob in part.blobs)


def settle(pose: Pose, floor: float = 0.0) -> Pose:
    """`pose` moved straight up or down so its lowest point rests on `floor`."""
    from dataclasses import replace

    drop = lowest(dress(pose)) - floor
    return replace(pose, at=sub(pose.at, (0.0, drop, 0.0)))


# Lengths re-exported for posing helpers.
__all__ = ["CHEST", "NECK", "SHIN", "THIGH", "UPPER_ARM", "Ellipsoid", "Part", "Piece", "dress", "settle"]
