"""The figure's skeleton: joint angles (a `Pose`) and forward kinematics.

Body frame: x is the figure's LEFT, y is up along the spine, z is where the chest faces.
Every joint angle is in degrees and means what a physiotherapist would say:

- spine, neck and head joints (`Bend`): `flex` bends forward (negative arches back),
  `side` bends towards the figure's left, `twist` turns the front towards the left;
- an arm's `lift` raises it from hanging (90 = level, 180 = overhead) in the direction
  `toward` (0 = forwards, 90 = out to the side, -90 = across the body, 180 = backwards);
  `twist` rolls it about its own length (positive turns the elbow crease up/out),
  `elbow` and `wrist` bend those hinges, `shrug` lifts the shoulder girdle and `reach`
  draws it forwards (negative squeezes the shoulder blades together);
- a leg's `lift` is hip flexion towards `toward` (0 = forwards, 90 = out), `knee` bends
  the shin back, `ankle` points the foot (negative pulls the toes up).

Right limbs take the same numbers as left ones, mirrored, so a symmetric pose reads
symmetric. Proportions are an adult's, about 7.5 heads (172 cm) tall.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace

from .space import (
    IDENTITY,
    Mat,
    Vec,
    add,
    apply,
    axis_angle,
    chain,
    mirrored,
    rot_x,
    rot_y,
    rot_z,
)

HEAD_HEIGHT = 23.0  # cm; 7.5 heads make the standing height
LUMBAR, THORAX, CHEST, NECK = 14.0, 15.0, 18.0, 10.0
UPPER_ARM, FOREARM, HAND = 30.0, 26.0, 18.0
THIGH, SHIN = 44.0, 42.0
HIP_OFFSET: Vec = (9.0, -5.0, 0.5)  # pelvis origin -> hip joint (left side)
SHOULDER_OFFSET: Vec = (17.0, -3.0, -1.5)  # top of the chest -> shoulder joint (left side)
ANKLE_HEIGHT = 7.0


@dataclass(frozen=True)
class Bend:
    flex: float = 0.0
    side: float = 0.0
    twist: float = 0.0

    def rotation(self) -> Mat:
        return chain(rot_y(self.twist), rot_x(self.flex), rot_z(-self.side))


@dataclass(frozen=True)
class Arm:
    lift: float = 0.0
    toward: float = 0.0
    twist: float = 0.0
    elbow: float = 0.0
    wrist: float = 0.0
    shrug: float = 0.0
    reach: float = 0.0


@dataclass(frozen=True)
class Leg:
    lift: float = 0.0
    toward: float = 0.0
    twist: float = 0.0
    knee: float = 0.0
    ankle: float = 0.0


@dataclass(frozen=True)
class Pose:
    """Joint angles, plus where the pelvis is and how it is turned in the world.

    `facing` turns the whole body about the vertical (0 faces world +z, 90 faces +x);
    `pitch` tips it forward (-90 lies face up, head towards -z before `facing`); `roll`
    tips it sideways (-90 lies on the left side); `spin` turns it about its own length
    (rolling from the back onto a side)."""

    at: Vec = (0.0, 97.0, 0.0)
    facing: float = 0.0
    pitch: float = 0.0
    roll: float = 0.0
    spin: float = 0.0
    lumbar: Bend = field(default_factory=Bend)
    thorax: Bend = field(default_factory=Bend)
    chest: Bend = field(default_factory=Bend)
    neck: Bend = field(default_factory=Bend)
    head: Bend = field(default_factory=Bend)
    left_arm: Arm = field(default_factory=Arm)
    right_arm: Arm = field(default_factory=Arm)
    left_leg: Leg = field(default_factory=Leg)
    right_leg: Leg = field(default_factory=Leg)

    def arms(self, arm: Arm) -> Pose:
        return replace(self, left_arm=arm, right_arm=arm)

    def legs(self, leg: Leg) -> Pose:
        return replace(self, left_leg=leg, right_leg=leg)


def blend(a, b, t: float):
    """The pose (or joint) a fraction `t` of the way from `a` to `b`, angle by angle."""
    if isinstance(a, float | int):
        return a + (b - a) * t
    if isinstance(a, tuple):
        return tuple(blend(x, y, t) for x, y in zip(a, b, strict=True))
    return replace(a, **{f.name: blend(getattr(a, f.name), getattr(b, f.name), t) for f in fields(a)})


@dataclass(frozen=True)
class Joint:
    """A joint's position in the world and its frame (columns: its x, y and z axes)."""

    at: Vec
    frame: Mat

    def point(self, local: Vec) -> Vec:
        return add(self.at, apply(self.frame, local))


def _swing(lift: float, toward: float, twist: float) -> Mat:
    """A limb's rotation from hanging straight down: lift it in the direction `toward`,
    then roll it about its own length. The swing axis is horizontal, so no direction is
    a singularity."""
    rad = math.radians(toward)
    return chain(axis_angle((-math.cos(rad), 0.0, math.sin(rad)), lift), rot_y(twist))


def _side(rotation: Mat, side: int) -> Mat:
    return rotation if side > 0 else mirrored(rotation)


def _sided(vec: Vec, side: int) -> Vec:
    return (vec[0] * side, vec[1], vec[2])


def solve(pose: Pose) -> dict[str, Joint]:
    """Forward kinematics: every joint's world position and frame for `pose`."""
    joints: dict[str, Joint] = {}
    root = chain(rot_y(pose.facing), rot_x(pose.pitch), rot_z(pose.roll), rot_y(pose.spin))
    pelvis = Joint(pose.at, root)
    joints["pelvis"] = pelvis
    # Spine: each segment's frame turns at its lower end and runs up its own y axis.
    below = pelvis
    for name, bend, size in (
        ("lumbar", pose.lumbar, LUMBAR),
        ("thorax", pose.thorax, THORAX),
        ("chest", pose.chest, CHEST),
    ):
        frame = chain(below.frame, bend.rotation())
        joints[name] = Joint(below.at, frame)
        below = Joint(add(below.at, apply(frame, (0.0, size, 0.0))), frame)
    joints["chest_top"] = below
    neck_frame = chain(below.frame, pose.neck.rotation())
    joints["neck"] = Joint(below.at, neck_frame)
    skull = add(below.at, apply(neck_frame, (0.0, NECK, 0.0)))
    joints["head"] = Joint(skull, chain(neck_frame, pose.head.rotation()))
    chest = joints["chest"]
    for side, prefix, arm in ((1, "left", pose.left_arm), (-1, "right", pose.right_arm)):
        girdle = _side(chain(rot_y(-arm.reach), rot_z(arm.shrug)), side)
        shoulder_at = add(below.at, apply(chain(chest.frame, girdle), _sided(SHOULDER_OFFSET, side)))
        upper = chain(chest.frame, _side(_swing(arm.lift, arm.toward, arm.twist), side))
        joints[f"{prefix}_shoulder"] = Joint(shoulder_at, upper)
        elbow_at = add(shoulder_at, apply(upper, (0.0, -UPPER_ARM, 0.0)))
        fore = chain(upper, rot_x(-arm.elbow))
        joints[f"{prefix}_elbow"] = Joint(elbow_at, fore)
        wrist_at = add(elbow_at, apply(fore, (0.0, -FOREARM, 0.0)))
        joints[f"{prefix}_hand"] = Joint(wrist_at, chain(fore, rot_x(-arm.wrist)))
    for side, prefix, leg in ((1, "left", pose.left_leg), (-1, "right", pose.right_leg)):
        hip_at = pelvis.point(_sided(HIP_OFFSET, side))
        thigh = chain(pelvis.frame, _side(_swing(leg.lift, leg.toward, leg.twist), side))
        joints[f"{prefix}_hip"] = Joint(hip_at, thigh)
        knee_at = add(hip_at, apply(thigh, (0.0, -THIGH, 0.0)))
        shin = chain(thigh, rot_x(leg.knee))
        joints[f"{prefix}_knee"] = Joint(knee_at, shin)
        ankle_at = add(knee_at, apply(shin, (0.0, -SHIN, 0.0)))
        joints[f"{prefix}_foot"] = Joint(ankle_at, chain(shin, rot_x(leg.ankle)))
    return joints


STANDING = Pose()
__all__ = ["IDENTITY", "Arm", "Bend", "Joint", "Leg", "Pose", "STANDING", "blend", "solve"]
