"""Starting positions: poses that are solved to meet the floor or a prop.

Each builder returns a placed `Figure` whose contact points really touch what they rest
on (heels on the floor, buttocks on the seat, the upper back on the roller), so a drawing
only has to choose the arms, the head and the amount of bend.
"""

from __future__ import annotations

import math
from dataclasses import replace

from . import style
from .geometry import Point, angle_of, distance, lerp, polar
from .pose import BODY, Arm, Figure, FrontPose, Leg, SidePose
from .scene import content_box

CLEAR = style.STROKE / 2  # half the outline: the gap between a shape's centre line and its edge

# Arms that recur across guides.
ARMS_AT_SIDES = Arm(-88, -84, -80)
FAR_ARM_AT_SIDES = Arm(-93, -88, -84)
# Hands laced behind the head, in the frame of an upright torso (shoulder at the origin,
# y down). Elbows forward: the elbow sits in front of the face and the forearm runs back
# past the ear to the hidden hand. Elbows open: the elbow swings back beside the head.
HANDS_BEHIND_HEAD = Arm.through((0, 0), (21, -29), (-9, -28), hidden_hand=True)
ELBOWS_OPEN = Arm.through((0, 0), (-9, -25), (-14, -31), hidden_hand=True)


def surface(y: float, radius: float) -> float:
    """The y at which a joint of this half-width rests on a surface at y."""
    return y - radius - CLEAR


def shin_to_floor(knee: Point, floor_y: float, forward: bool = True) -> float:
    """Shin angle that puts the ankle (and a flat foot) on the floor."""
    drop = surface(floor_y, BODY.foot_width / 2) - knee[1]
    ratio = max(-1.0, min(1.0, drop / BODY.shin))
    angle = -math.degrees(math.asin(ratio))
    return angle if forward else -180 - angle


def standing(heel_x: float, floor_y: float, pose: SidePose | None = None) -> Figure:
    """Upright, feet flat, arms relaxed unless `pose` says otherwise."""
    pose = pose or SidePose(near_arm=ARMS_AT_SIDES, far_arm=FAR_ARM_AT_SIDES, far_leg=Leg(-87, -93, 0))
    return pose.figure().placed("near_heel", (heel_x, surface(floor_y, BODY.foot_width / 2)))


def seated(hip_x: float, seat_y: float, floor_y: float, pose: SidePose, thigh: float = -6) -> Figure:
    """Sitting on a seat whose top is at seat_y, thighs near level, feet flat on the floor."""
    hip = (hip_x, surface(seat_y, BODY.lower_back_width / 2))
    knee = polar(hip, BODY.thigh, thigh)
    shin = shin_to_floor(knee, floor_y)
    legs = {"near_leg": Leg(thigh, shin, 0)}
    if pose.far_leg is not None:
        legs["far_leg"] = Leg(thigh + 3, shin - 3, 0)
    return replace(pose, **legs).figure().placed("hip", hip)


def lying_face_up(hip_x: float, floor_y: float, pose: SidePose, thigh: float = 52) -> Figure:
    """On the back, head to the left, knees bent and feet flat on the floor."""
    hip = (hip_x, surface(floor_y, BODY.lower_back_width / 2))
    knee = polar(hip, BODY.thigh, thigh)
    legs = {"near_leg": Leg(thigh, shin_to_floor(knee, floor_y), 0)}
    if pose.far_leg is not None:
        far_knee = polar(hip, BODY.thigh, thigh - 4)
        legs["far_leg"] = Leg(thigh - 4, shin_to_floor(far_knee, floor_y), 0)
    return replace(pose, **legs).figure().placed("hip", hip)


def _back_point(figure: Figure, t: float, upper_back: float) -> Point:
    """A point on the surface of the back, fraction t from the waist to the shoulders."""
    along = lerp(figure["waist"], figure["neck_base"], t)
    return polar(along, BODY.upper_back_width / 2 + CLEAR, upper_back + 90)


def lying_over_support(
    hip_x: float,
    hip_rest_y: float,
    support_top: float,
    pose: SidePose,
    bend: float,
    neck: float = 0,
    t: float = 0.4,
    thigh: float = 52,
    feet_y: float | None = None,
) -> tuple[Figure, Point]:
    """Face up with the hips resting at hip_rest_y and the upper back over a support.

    `bend` is how far the upper back drops back over the support relative to the lower
    back (extension). The lower-back angle is solved so that the back touches the
    support's top at fraction `t` up the upper back. Returns the figure and the contact
    point, where the drawing puts the roller, towel or bed edge. `neck` is relative to
    the upper back; the face looks square to the neck unless `pose.face` is set.
    """
    hip = (hip_x, surface(hip_rest_y, BODY.lower_back_width / 2))
    low, high = 90.0, 180.0  # lower-back angle: straight up ... flat towards the head

    def contact(angle: float) -> tuple[Figure, Point]:
        trial = replace(pose, lower_back=angle, upper_back=angle + bend, neck=angle + bend + neck)
        figure = trial.figure().placed("hip", hip)
        return figure, _back_point(figure, t, angle + bend)

    for _ in range(40):
        mid = (low + high) / 2
        _, point = contact(mid)
        # A flatter torso (larger angle) brings the back lower.
        if point[1] < support_top:
            low = mid
        else:
            high = mid
    figure, point = contact((low + high) / 2)
    feet_y = hip_rest_y if feet_y is None else feet_y
    knee = polar(hip, BODY.thigh, thigh)
    legs = {"near_leg": Leg(thigh, shin_to_floor(knee, feet_y), 0)}
    if pose.far_leg is not None:
        far_knee = polar(hip, BODY.thigh, thigh - 4)
        legs["far_leg"] = Leg(thigh - 4, shin_to_floor(far_knee, feet_y), 0)
    angle = (low + high) / 2
    final = replace(pose, lower_back=angle, upper_back=angle + bend, neck=angle + bend + neck, **legs)
    return final.figure().placed("hip", hip), point


def hands_and_knees(knee_x: float, floor_y: float, hump: float = 0, neck: float = -10, face: float = -80) -> Figure:
    """On all fours facing right: knees under hips, hands under shoulders.

    Hips and shoulders stay where they are while the spine between them bends: `hump`
    lifts the middle of the back (positive: rounded, as in cat) or lets it sag (negative:
    arched, as in cow). `neck` is relative to the upper back; `face` is absolute.
    """
    knee_y = surface(floor_y, BODY.shin_width / 2)
    hip = (knee_x, knee_y - BODY.thigh)
    hand_y = surface(floor_y, BODY.hand_width / 2)
    torso = BODY.lower_back + BODY.upper_back
    # Shoulders one arm's length above the hands; the back slopes up to them a little.
    shoulder_y = hand_y - BODY.upper_arm - BODY.forearm
    neck_base = (hip[0] + math.sqrt(torso**2 - (hip[1] - shoulder_y) ** 2), shoulder_y)
    share = BODY.lower_back / torso
    along = angle_of(hip, neck_base)
    waist = polar(lerp(hip, neck_base, share), hump, along + 90)
    body = replace(BODY, lower_back=distance(hip, waist), upper_back=distance(waist, neck_base))
    upper_back = angle_of(waist, neck_base)
    pose = SidePose(
        near_arm=Arm(-90, -90, 0),
        near_leg=Leg(-90, 180, 180),
        lower_back=angle_of(hip, waist),
        upper_back=upper_back,
        neck=upper_back + neck,
        face=face,
        body=body,
    )
    return pose.figure().placed("hip", hip)


def tilted(arm: Arm, degrees: float) -> Arm:
    """An arm pose carried round with the torso, e.g. hands behind the head while the
    upper back leans back."""
    return replace(
        arm, upper=arm.upper + degrees, fore=arm.fore + degrees, hand=None if arm.hand is None else arm.hand + degrees
    )


def rest_on(figure: Figure, surface_y: float) -> Figure:
    """Move a figure straight down or up until its lowest outline touches surface_y."""
    bottom = content_box(figure.under + figure.over)[3]
    return figure.moved(0, surface_y - CLEAR - bottom)


def arms_by_sides_lying(figure: Figure, floor_y: float) -> Arm:
    """Lying face up: the near arm lies on the floor beside the body, hand by the hip."""
    shoulder = figure["shoulder"]
    elbow = (shoulder[0] + 30, surface(floor_y, BODY.upper_arm_width / 2))
    wrist = (shoulder[0] + 60, surface(floor_y, BODY.forearm_width / 2))
    return Arm.through(shoulder, elbow, wrist, hand=0)


def front_standing(center_x: float, floor_y: float, pose: FrontPose) -> Figure:
    """Front or back view, standing with both feet flat on the floor."""
    figure = pose.figure()
    lowest = max(figure["left_ankle"][1], figure["right_ankle"][1])
    return figure.moved(center_x - figure["hip"][0], surface(floor_y, BODY.foot_width / 2) - lowest)


def folded_arms(pose: FrontPose, low: float = 0) -> FrontPose:
    """Arms crossed over the chest, each hand on the opposite shoulder (`low` moves the
    hands down and round towards the shoulder blades, as in a self-hug)."""
    joints = pose.figure().joints
    left, right = joints["left_shoulder"], joints["right_shoulder"]
    drop = 30 + low * 0.4
    left_arm = Arm.through(
        left, (left[0] + 3, left[1] + drop), (right[0] - 2 + low * 0.3, right[1] + 7 + low), hand=40 - low
    )
    right_arm = Arm.through(
        right, (right[0] - 3, right[1] + drop - 5), (left[0] + 2 - low * 0.3, left[1] + 4 + low), hand=140 + low
    )
    return replace(pose, left_arm=left_arm, right_arm=right_arm)
