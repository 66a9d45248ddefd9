"""The figure: a pose described by segment angles, turned into body-width shapes.

A `SidePose` is the profile view used for most steps: the figure faces right, every
segment angle is absolute (degrees counter-clockwise from "pointing right", 90 = up), and
the torso has a lower-back and an upper-back segment so arching and rounding show.
A `FrontPose` is the view from in front of (or behind) the body, for arm shapes such as
W and Y against a wall.

`pose.figure()` lays the pose out with the hip at the origin; `Figure.placed()` then
moves it so that a named joint lands on a point of the scene (a heel on the floor, the
hip on a chair seat), which keeps "nobody floats" a matter of one call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from . import style
from .geometry import Point, angle_of, distance, lerp, polar, quadratic, rotate
from .scene import Blob, Capsule, Disc, Ellipse, Path, Silhouette


@dataclass(frozen=True)
class Proportions:
    """Segment lengths and widths in user units (a standing figure is about 200 tall)."""

    head_radius: float = 13
    neck: float = 23  # neck base (top of the torso line) to the centre of the head
    upper_back: float = 33
    lower_back: float = 30
    upper_back_width: float = 32
    lower_back_width: float = 29
    neck_width: float = 11
    upper_arm: float = 35
    forearm: float = 31
    hand: float = 12
    upper_arm_width: float = 12
    forearm_width: float = 10
    hand_width: float = 8
    thigh: float = 50
    shin: float = 52
    foot: float = 21
    heel: float = 4  # how far the heel sits behind the ankle
    thigh_width: float = 19
    shin_width: float = 13
    foot_width: float = 8
    # Front view only.
    shoulder_half: float = 26
    waist_half: float = 17
    hip_half: float = 19
    hip_joint_half: float = 10


BODY = Proportions()


@dataclass(frozen=True)
class Arm:
    """Absolute angles of upper arm, forearm and hand.

    `reach` < 1 foreshortens the upper arm when it points towards or away from the
    viewer (`fore_reach` likewise the forearm; it defaults to `reach`). `hand=None`
    continues the forearm's line; `hidden_hand` leaves the hand out, for a hand that
    is behind the head.
    """

    upper: float
    fore: float
    hand: float | None = None
    reach: float = 1.0
    fore_reach: float | None = None
    hidden_hand: bool = False

    @classmethod
    def through(
        cls, shoulder: Point, elbow: Point, wrist: Point, hand: float | None = None, hidden_hand: bool = False
    ) -> Arm:
        """The arm that puts the elbow and wrist on these points (e.g. hands on the thighs)."""
        return cls(
            upper=angle_of(shoulder, elbow),
            fore=angle_of(elbow, wrist),
            hand=hand,
            reach=distance(shoulder, elbow) / BODY.upper_arm,
            fore_reach=distance(elbow, wrist) / BODY.forearm,
            hidden_hand=hidden_hand,
        )


@dataclass(frozen=True)
class Leg:
    thigh: float
    shin: float
    foot: float | None = None  # default: at right angles to the shin, toes forward
    reach: float = 1.0
    shin_reach: float | None = None  # defaults to `reach`

    @classmethod
    def through(cls, hip: Point, knee: Point, ankle: Point, foot: float | None = None) -> Leg:
        """The leg that puts the knee and ankle on these points (foreshortening as needed)."""
        return cls(
            thigh=angle_of(hip, knee),
            shin=angle_of(knee, ankle),
            foot=foot,
            reach=distance(hip, knee) / BODY.thigh,
            shin_reach=distance(knee, ankle) / BODY.shin,
        )


@dataclass
class Figure:
    """A laid-out pose: named joints plus the shapes that draw it.

    `under` is drawn first, then the target-area highlight, then `over` (the near arm),
    so the highlight tints the back without dulling the arm in front of it.
    """

    joints: dict[str, Point]
    under: list
    over: list
    target: Ellipse | None = None

    def placed(self, joint: str, at: Point) -> Figure:
        """A copy moved so that `joint` sits at `at`."""
        jx, jy = self.joints[joint]
        return self.moved(at[0] - jx, at[1] - jy)

    def moved(self, dx: float, dy: float) -> Figure:
        return Figure(
            joints={name: (x + dx, y + dy) for name, (x, y) in self.joints.items()},
            under=[_move(element, dx, dy) for element in self.under],
            over=[_move(element, dx, dy) for element in self.over],
            target=_move(self.target, dx, dy) if self.target else None,
        )

    def rotated(self, degrees: float, about: Point = (0.0, 0.0)) -> Figure:
        """A copy turned as a whole about `about` (e.g. to lay a front view on a mat)."""
        return Figure(
            joints={name: rotate(p, degrees, about) for name, p in self.joints.items()},
            under=[_transform(e, lambda p: rotate(p, degrees, about), degrees) for e in self.under],
            over=[_transform(e, lambda p: rotate(p, degrees, about), degrees) for e in self.over],
            target=_transform(self.target, lambda p: rotate(p, degrees, about), degrees) if self.target else None,
        )

    def __getitem__(self, joint: str) -> Point:
        return self.joints[joint]

    def elements(self, highlight: bool = True) -> list:
        glow = []
        if highlight and self.target:
            # A faint wide ellipse under a stronger small one reads as a soft glow.
            core = replace(self.target, rx=self.target.rx * 0.6, ry=self.target.ry * 0.6)
            glow = [self.target, core]
        return [*self.under, *glow, *self.over]


def _transform(element, fn, turn: float = 0.0):
    """Apply a point mapping `fn` to every point of an element; `turn` updates angles."""
    if isinstance(element, Silhouette):
        return replace(element, parts=tuple(_transform(part, fn, turn) for part in element.parts))
    if isinstance(element, Capsule):
        return replace(element, a=fn(element.a), b=fn(element.b))
    if isinstance(element, Disc):
        return replace(element, center=fn(element.center))
    if isinstance(element, Ellipse):
        return replace(element, center=fn(element.center), angle=element.angle + turn)
    if isinstance(element, (Blob, Path)):
        return replace(element, points=tuple(fn(p) for p in element.points))
    raise TypeError(f"Cannot move {type(element).__name__}")


def _move(element, dx: float, dy: float):
    return _transform(element, lambda p: (p[0] + dx, p[1] + dy))


def _target_highlight(center: Point, along: float) -> Ellipse:
    return Ellipse(center, rx=19, ry=11, angle=along, fill="accent", opacity=style.HIGHLIGHT_OPACITY)


def _arm_chain(prefix: str, shoulder: Point, arm: Arm, body: Proportions, joints: dict) -> list[Capsule]:
    elbow = polar(shoulder, body.upper_arm * arm.reach, arm.upper)
    fore_reach = arm.reach if arm.fore_reach is None else arm.fore_reach
    wrist = polar(elbow, body.forearm * fore_reach, arm.fore)
    fingertips = polar(wrist, body.hand, arm.fore if arm.hand is None else arm.hand)
    joints.update({f"{prefix}_elbow": elbow, f"{prefix}_wrist": wrist, f"{prefix}_hand": fingertips})
    parts = [Capsule(shoulder, elbow, body.upper_arm_width), Capsule(elbow, wrist, body.forearm_width)]
    if not arm.hidden_hand:
        parts.append(Capsule(wrist, fingertips, body.hand_width))
    return parts


def _leg_chain(prefix: str, hip: Point, leg: Leg, body: Proportions, joints: dict, facing: float = 0) -> list[Capsule]:
    knee = polar(hip, body.thigh * leg.reach, leg.thigh)
    ankle = polar(knee, body.shin * (leg.reach if leg.shin_reach is None else leg.shin_reach), leg.shin)
    foot_angle = leg.shin + 90 if leg.foot is None else leg.foot
    heel = polar(ankle, -body.heel, foot_angle)
    toe = polar(ankle, body.foot, foot_angle)
    joints.update({f"{prefix}_knee": knee, f"{prefix}_ankle": ankle, f"{prefix}_heel": heel, f"{prefix}_toe": toe})
    return [
        Capsule(hip, knee, body.thigh_width),
        Capsule(knee, ankle, body.shin_width),
        Capsule(heel, toe, body.foot_width),
    ]


@dataclass(frozen=True)
class SidePose:
    """Profile pose, facing right. All angles absolute; see the module docstring."""

    near_arm: Arm = Arm(-90, -90)
    near_leg: Leg = Leg(-90, -90, 0)
    far_arm: Arm | None = None  # None: hidden exactly behind the near arm
    far_leg: Leg | None = None
    lower_back: float = 90
    upper_back: float = 90
    neck: float = 90
    face: float | None = None  # direction the face looks; default: square to the neck
    shrug: float = 0  # how far the shoulders are lifted towards the ears
    body: Proportions = field(default=BODY)

    def turned(self, degrees: float) -> SidePose:
        """The same pose rotated as a whole, e.g. -90 lays a standing pose on its side."""

        def arm(a: Arm | None) -> Arm | None:
            if a is None:
                return None
            return replace(
                a, upper=a.upper + degrees, fore=a.fore + degrees, hand=None if a.hand is None else a.hand + degrees
            )

        def leg(g: Leg | None) -> Leg | None:
            if g is None:
                return None
            return replace(
                g, thigh=g.thigh + degrees, shin=g.shin + degrees, foot=None if g.foot is None else g.foot + degrees
            )

        return replace(
            self,
            near_arm=arm(self.near_arm),
            far_arm=arm(self.far_arm),
            near_leg=leg(self.near_leg),
            far_leg=leg(self.far_leg),
            lower_back=self.lower_back + degrees,
            upper_back=self.upper_back + degrees,
            neck=self.neck + degrees,
            face=None if self.face is None else self.face + degrees,
        )

    def figure(self) -> Figure:
        b = self.body
        hip = (0.0, 0.0)
        waist = polar(hip, b.lower_back, self.lower_back)
        neck_base = polar(waist, b.upper_back, self.upper_back)
        head = polar(neck_base, b.neck, self.neck)
        # The arm hangs from just below the top of the torso line, mid-depth in profile.
        shoulder = polar(neck_base, self.shrug - 7, self.upper_back)
        face = self.neck - 90 if self.face is None else self.face
        joints = {"hip": hip, "waist": waist, "neck_base": neck_base, "head": head, "shoulder": shoulder}
        near_arm = _arm_chain("near", shoulder, self.near_arm, b, joints)
        near_leg = _leg_chain("near", hip, self.near_leg, b, joints)
        layers = []
        if self.far_arm:
            far_arm = _arm_chain("far", shoulder, self.far_arm, b, joints)
            layers.append(Silhouette(tuple(far_arm), fill="shade"))
        if self.far_leg:
            far_leg = _leg_chain("far", hip, self.far_leg, b, joints)
            layers.append(Silhouette(tuple(far_leg), fill="shade"))
        nose = Capsule(polar(head, b.head_radius - 3, face), polar(head, b.head_radius + 2.5, face - 12), 5)
        joints["nose"] = polar(head, b.head_radius + 3, face)
        body_parts = [
            *near_leg,
            Capsule(hip, waist, b.lower_back_width),
            Capsule(waist, neck_base, b.upper_back_width),
            Capsule(neck_base, polar(head, -b.head_radius * 0.5, self.neck), b.neck_width),
            Disc(head, b.head_radius),
            nose,
        ]
        layers.append(Silhouette(tuple(body_parts)))
        # Between the shoulder blades: upper part of the upper-back segment, on its back side.
        back_side = self.upper_back + 90
        target_center = polar(lerp(waist, neck_base, 0.62), b.upper_back_width * 0.3, back_side)
        return Figure(joints, layers, [Silhouette(tuple(near_arm))], _target_highlight(target_center, self.upper_back))


@dataclass(frozen=True)
class FrontPose:
    """View from in front (`back_view=False`) or behind.

    Arms and legs are given for the figure's two sides as they appear on screen: `left_*`
    is the one on the viewer's left. Angles are absolute, so a mirrored pair is e.g. left
    Arm(200, 95) and right Arm(-20, 85). `turn` rotates the chest and shoulders
    (positive: towards the viewer's right) while the hips stay square; `head_turn` does
    the same for the head, shown by the nose coming round into profile.
    """

    left_arm: Arm = Arm(-96, -92)
    right_arm: Arm = Arm(-84, -88)
    left_leg: Leg = Leg(-93, -90, 180)
    right_leg: Leg = Leg(-87, -90, 0)
    turn: float = 0
    head_turn: float | None = None  # default: follows the chest
    head_drop: float = 0  # chin lowered: the head sits this much lower
    back_view: bool = False
    legs_in_front: bool = False  # seated with a knee raised in front of the body
    body: Proportions = field(default=BODY)

    def figure(self) -> Figure:
        b = self.body
        hip = (0.0, 0.0)
        torso_top = b.lower_back + b.upper_back
        shoulder_y = -torso_top + 2
        waist_y = -b.lower_back + 2
        # A turned chest shows its shoulders closer together, shifted into the turn.
        squeeze = math.cos(math.radians(self.turn))
        shift = 6 * math.sin(math.radians(self.turn))
        half = b.shoulder_half * (0.35 + 0.65 * squeeze)
        left_shoulder, right_shoulder = (shift - half, shoulder_y), (shift + half, shoulder_y)
        neck_base = (shift * 0.5, -torso_top - 4)
        head = (shift * 0.5, neck_base[1] - b.neck + self.head_drop)
        joints = {
            "hip": hip,
            "waist": (0.0, waist_y),
            "neck_base": neck_base,
            "head": head,
            "left_shoulder": left_shoulder,
            "right_shoulder": right_shoulder,
        }
        left_arm = _arm_chain("left", left_shoulder, self.left_arm, b, joints)
        right_arm = _arm_chain("right", right_shoulder, self.right_arm, b, joints)
        # Feet point at the viewer, so they show short.
        feet = replace(b, foot=11, heel=3)
        left_leg = _leg_chain("left", (-b.hip_joint_half, 0), self.left_leg, feet, joints)
        right_leg = _leg_chain("right", (b.hip_joint_half, 0), self.right_leg, feet, joints)
        torso = Blob(
            (
                (left_shoulder[0] - 4, shoulder_y + 2),
                (-b.waist_half + shift * 0.4, waist_y),
                (-b.hip_half, 6),
                (b.hip_half, 6),
                (b.waist_half + shift * 0.4, waist_y),
                (right_shoulder[0] + 4, shoulder_y + 2),
            )
        )
        head_turn = self.turn * 1.3 if self.head_turn is None else self.head_turn
        legs = [] if self.legs_in_front else [*left_leg, *right_leg]
        body_parts = [
            *legs,
            torso,
            # Rounded shoulder line over the polygon's corners.
            Capsule((left_shoulder[0], shoulder_y + 4), (right_shoulder[0], shoulder_y + 4), 16),
            Capsule(neck_base, (head[0], head[1] + 4), b.neck_width + 2),
            Disc(head, b.head_radius),
        ]
        if abs(head_turn) > 8 and not self.back_view:
            # The nose comes round to the side the head turns to.
            side = 1 if head_turn > 0 else -1
            edge = b.head_radius * min(1.0, abs(math.sin(math.radians(head_turn))) + 0.15)
            body_parts.append(
                Capsule((head[0] + side * (edge - 4), head[1] + 1), (head[0] + side * (edge + 2.5), head[1] + 3), 5)
            )
        layers = [Silhouette(tuple(body_parts))]
        if self.legs_in_front:
            layers += [Silhouette(tuple(left_leg)), Silhouette(tuple(right_leg))]
        if self.turn and not self.back_view:
            # The breastbone line moves into the turn: the cue that the chest has rotated.
            mid = shift * 2.2
            layers.append(Path(((mid, shoulder_y + 12), (mid * 0.8, shoulder_y + 30)), stroke="ink"))
        if self.back_view:
            # Spine and the inner edges of the shoulder blades: the marks that say
            # "seen from behind" and frame the target area.
            spine = Path(((0.0, shoulder_y + 10), (0.0, waist_y - 2)), stroke="ink")
            blades = [
                Path(tuple(quadratic((s * 9, shoulder_y + 9), (s * 6, shoulder_y + 22), (s * 15, shoulder_y + 31), 6)))
                for s in (-1, 1)
            ]
            layers.extend([spine, *blades])
        arms = [Silhouette(tuple(left_arm)), Silhouette(tuple(right_arm))]
        # The upper back is only in sight from behind; from the front a tint would sit on
        # the chest and point at the wrong place.
        target = replace(_target_highlight((shift, shoulder_y + 18), 90), rx=17, ry=13) if self.back_view else None
        return Figure(joints, layers, arms, target)
