"""One drawing per guide step, keyed "<guide-slug>-<step number>".

Each builder composes a position (positions.py), the props it uses (props.py) and, where
the step is a movement, an arrow (annotations.py). Side views face right; lying face up
puts the head on the left. The descriptions here are fallbacks: the <title> normally
comes from the step's alt text in the content files.
"""

from __future__ import annotations

import math
from dataclasses import replace

from . import arrows, props
from .geometry import angle_of, distance, lerp, offset, polar
from .pose import BODY, Arm, FrontPose, Leg, SidePose
from .positions import (
    ARMS_AT_SIDES,
    CLEAR,
    ELBOWS_OPEN,
    FAR_ARM_AT_SIDES,
    HANDS_BEHIND_HEAD,
    arms_by_sides_lying,
    folded_arms,
    front_standing,
    hands_and_knees,
    lying_face_up,
    lying_over_support,
    rest_on,
    seated,
    shin_to_floor,
    standing,
    surface,
    tilted,
)
from .registry import drawing
from .scene import Path, Rect

FLOOR = props.FLOOR_Y
MAT_TOP = FLOOR - 4  # the mat's upper surface: what people on a mat rest on
FAR_LEG_STANDING = Leg(-87, -93, 0)


def floor_and_mat(x0: float = 30, x1: float = 370) -> list:
    return props.floor() + props.mat(x0, x1)


# --- shared positions --------------------------------------------------------------


def _hands_behind_head_pose(elbows_open: bool = False) -> SidePose:
    # Opened elbows fall out to the sides: in profile the upper arm shortens and the
    # elbow drops back towards the floor.
    arm = ELBOWS_OPEN if elbows_open else HANDS_BEHIND_HEAD
    return SidePose(near_arm=arm, far_leg=Leg(0, 0))


def _supine_arm(arm: Arm, figure_upper_back: float) -> Arm:
    """An arm defined for an upright torso, carried round to a lying one."""
    return tilted(arm, figure_upper_back - 90)


def _on_roller(hips_lifted: bool, bend: float, elbows_open: bool = False, far_elbow_up: bool = False):
    """Face up with the roller across the back at the bottom of the shoulder blades.

    `far_elbow_up` shows the far elbow lifted clear of the near one: the body tilted
    onto the near side. Returns the figure and the roller's centre."""
    roller_r = props.ROLLER_RADIUS
    support_top = MAT_TOP - 2 * roller_r - 2 * CLEAR
    upper_back = 180 + bend
    pose = _hands_behind_head_pose(elbows_open)
    far_arm = Arm(40, 175, reach=0.7, fore_reach=0.7, hidden_hand=True) if far_elbow_up else None
    pose = replace(
        pose,
        near_arm=_supine_arm(pose.near_arm, upper_back),
        far_arm=_supine_arm(far_arm, upper_back) if far_arm else None,
    )
    hip_rest = MAT_TOP - 20 if hips_lifted else MAT_TOP
    figure, contact = lying_over_support(
        250, hip_rest, support_top, pose, bend=bend, feet_y=MAT_TOP, thigh=58 if hips_lifted else 52
    )
    return figure, (contact[0], MAT_TOP - roller_r - CLEAR)


def _lying_flat_arms_by_sides(x: float = 230, floor_y: float = MAT_TOP):
    """Face up, knees bent, the near arm on the floor beside the body."""
    pose = SidePose(far_leg=Leg(0, 0), lower_back=180, upper_back=180, neck=180)
    figure = lying_face_up(x, floor_y, pose)
    return lying_face_up(x, floor_y, replace(pose, near_arm=arms_by_sides_lying(figure, floor_y)))


# --- warm-up -----------------------------------------------------------------------


@drawing("warm-up-1", "Standing, marching on the spot with one knee lifted.")
def warm_up_march():
    pose = SidePose(
        near_arm=Arm(-118, -105),
        far_arm=Arm(-62, -40),
        near_leg=Leg(-38, -105, -15),
        far_leg=Leg(-90, -90, 0),
    )
    figure = pose.figure().placed("far_heel", (196, surface(FLOOR, BODY.foot_width / 2)))
    knee = figure["near_knee"]
    return [
        *props.floor(),
        *figure.elements(),
        *arrows.straight_arrow(offset(knee, 22, 20), offset(knee, 22, -14), both=True),
    ]


def _shoulder_roll(shrug: float, start: float, end: float):
    figure = standing(
        190, FLOOR, SidePose(near_arm=ARMS_AT_SIDES, far_arm=FAR_ARM_AT_SIDES, far_leg=FAR_LEG_STANDING, shrug=shrug)
    )
    return figure, arrows.arc_arrow(figure["shoulder"], 15, start, end)


@drawing("warm-up-2", "Standing, shoulders lifted towards the ears.")
def warm_up_shoulder_lift():
    figure, arrow = _shoulder_roll(7, -40, 150)
    return [*props.floor(), *figure.elements(), *arrow]


@drawing("warm-up-3", "Front view, arms out to the sides at shoulder height, hands circling.")
def warm_up_arm_circles():
    figure = front_standing(200, FLOOR, FrontPose(left_arm=Arm(180, 180, 180), right_arm=Arm(0, 0, 0)))
    marks = []
    for side, hand in ((-1, figure["left_hand"]), (1, figure["right_hand"])):
        marks += arrows.arc_arrow(offset(hand, side * 4, 0), 13, 100, 400)
    return [*props.floor(), *figure.elements(), *marks]


def _turn_arrow(figure, to_right: bool, width: float = 46) -> list:
    """A flattened arc around the chest: the body turning about its long axis."""
    center = offset(figure["neck_base"], 0, 26)
    points = [(center[0] + width * c, center[1] + 9 * s) for c, s in _ellipse_arc(to_right)]
    return arrows.arrow(points)


def _ellipse_arc(to_right: bool) -> list[tuple[float, float]]:
    angles = range(200, 341, 14) if to_right else range(340, 199, -14)
    return [(math.cos(math.radians(a)), -math.sin(math.radians(a))) for a in angles]


@drawing("warm-up-4", "Front view, arms folded, chest turning slightly to the left.")
def warm_up_turn():
    pose = folded_arms(FrontPose(turn=18))
    figure = front_standing(200, FLOOR, pose)
    return [*props.floor(), *figure.elements(), *_turn_arrow(figure, to_right=True, width=40)]


# --- cat-cow -----------------------------------------------------------------------


@drawing("cat-cow-1", "On hands and knees, back flat like a table top.")
def cat_cow_table():
    figure = hands_and_knees(160, MAT_TOP, hump=0, neck=-12, face=-80)
    return [*floor_and_mat(), *figure.elements()]


@drawing("cat-cow-2", "On hands and knees, back arched down (cow), head lifted.")
def cat_cow_cow():
    figure = hands_and_knees(160, MAT_TOP, hump=-11, neck=22, face=-10)
    waist = figure["waist"]
    return [*floor_and_mat(), *figure.elements(), *arrows.straight_arrow(offset(waist, 0, -40), offset(waist, 0, -22))]


@drawing("cat-cow-3", "On hands and knees, back rounded up (cat), head dropped.")
def cat_cow_cat():
    figure = hands_and_knees(160, MAT_TOP, hump=14, neck=-55, face=-125)
    waist = figure["waist"]
    return [*floor_and_mat(), *figure.elements(), *arrows.straight_arrow(offset(waist, 6, -30), offset(waist, 6, -52))]


@drawing("cat-cow-4", "Kneeling, sitting back towards the heels, arms stretched forward.")
def cat_cow_rest():
    knee = (190, surface(MAT_TOP, BODY.shin_width / 2))
    ankle = (knee[0] - BODY.shin, knee[1])
    hip = (ankle[0] + 12, ankle[1] - 24)
    leg = Leg(thigh=angle_of(hip, knee), shin=180, foot=180, reach=distance(hip, knee) / BODY.thigh)
    pose = SidePose(near_leg=leg, near_arm=Arm(-12, -6, -2), lower_back=32, upper_back=4, neck=-18, face=-100)
    figure = pose.figure().placed("hip", hip)
    # Reach the arms along the floor: aim the hand at the mat ahead of the head.
    shoulder = figure["shoulder"]
    hand_y = surface(MAT_TOP, BODY.hand_width / 2)
    elbow = (shoulder[0] + 32, shoulder[1] + (hand_y - shoulder[1]) * 0.6)
    wrist = (shoulder[0] + 62, hand_y)
    figure = replace(pose, near_arm=Arm.through(shoulder, elbow, wrist, hand=0)).figure().placed("hip", hip)
    return [
        *floor_and_mat(),
        *figure.elements(),
        *arrows.curved_arrow(offset(hip, 8, -34), offset(hip, -14, -40), offset(hip, -26, -24)),
    ]


# --- chair backrest extension -------------------------------------------------------


def _on_chair(upper_back: float, arm: Arm, neck: float, face: float | None = None, arm_frame: str = "upright"):
    """Seated at the back of a high-backed chair; the backrest meets the shoulder blades.

    `arm` is given for an upright torso and leans back with it, unless arm_frame says
    its angles are already absolute."""
    seat_y = props.seat_top()
    hip_x = 170
    pose = SidePose(
        near_arm=tilted(arm, upper_back - 90) if arm_frame == "upright" else arm,
        far_leg=Leg(0, 0),
        lower_back=96,
        upper_back=upper_back,
        neck=neck,
        face=face,
    )
    figure = seated(hip_x, seat_y, FLOOR, pose)
    # The backrest touches the back about halfway up the upper back.
    contact = polar(
        lerp(figure["waist"], figure["neck_base"], 0.4), BODY.upper_back_width / 2 + CLEAR + 3.5, upper_back + 90
    )
    seat_front = hip_x - BODY.lower_back_width / 2 - 3 + 46
    chair = props.chair(seat_front, (contact[0] + 1, contact[1]), FLOOR, seat_height=FLOOR - seat_y - 2)
    return figure, chair


@drawing("chair-backrest-extension-1", "Sitting upright at the back of a high-backed chair, hands on the thighs.")
def chair_sit():
    figure, _ = _on_chair(92, ARMS_AT_SIDES, 94)
    # Hands rest on the thighs: put the wrist on top of the thigh, near the knee.
    shoulder = figure["shoulder"]
    wrist = polar(lerp(figure["hip"], figure["near_knee"], 0.62), BODY.thigh_width / 2 + 4, 84)
    elbow = (shoulder[0] + 6, shoulder[1] + 33)
    figure, chair = _on_chair(92, Arm.through(shoulder, elbow, wrist, hand=-20), 94, arm_frame="absolute")
    return [*props.floor(), *chair, *figure.elements()]


@drawing("chair-backrest-extension-2", "Seated, hands behind the head, upper back arching back over the backrest.")
def chair_lean_back():
    figure, chair = _on_chair(128, HANDS_BEHIND_HEAD, 140, 60)
    head = figure["head"]
    return [
        *props.floor(),
        *chair,
        *figure.elements(),
        *arrows.curved_arrow(offset(head, 24, -20), offset(head, 6, -42), offset(head, -22, -36)),
    ]


@drawing("chair-backrest-extension-3", "Sitting upright at the back of the chair again, arms relaxed by the sides.")
def chair_rest():
    figure, chair = _on_chair(92, ARMS_AT_SIDES, 94)
    return [*props.floor(), *chair, *figure.elements()]


# --- door-frame lean ---------------------------------------------------------------


@drawing("door-frame-wall-lean-1", "Standing with the back against a door-frame edge, feet a step forward.")
def door_setup():
    pose = SidePose(
        near_arm=Arm(-92, -88),
        far_arm=Arm(-96, -92),
        near_leg=Leg(-70, -92, 0),
        far_leg=Leg(-73, -95, 0),
        lower_back=100,
        upper_back=100,
        neck=96,
    )
    figure = pose.figure().placed("near_heel", (222, surface(FLOOR, BODY.foot_width / 2)))
    back = polar(lerp(figure["waist"], figure["neck_base"], 0.5), BODY.upper_back_width / 2 + CLEAR, 190)
    return [*props.door_frame(back[0], side="left"), *props.floor(), *figure.elements()]


def _door_front(left_arm: Arm, right_arm: Arm, marks) -> list:
    pose = FrontPose(left_arm=left_arm, right_arm=right_arm, left_leg=Leg(-95, -89, 180), right_leg=Leg(-85, -91, 0))
    figure = front_standing(200, FLOOR, pose)
    # Seen from the front, the door frame's edge runs down behind the middle of the back.
    frame = [
        Rect(118, 14, 82, FLOOR - 14, stroke="prop", fill="propfill"),
        Rect(196, 14, 10, FLOOR - 14, stroke="prop", fill="propfill"),
    ]
    return [*frame, *props.floor(), *figure.elements(), *marks(figure)]


def _squeeze_marks(figure) -> list:
    """Arrows at the armpits pointing in: draw the elbows back, shoulder blades together."""
    left, right = figure["left_shoulder"], figure["right_shoulder"]
    y = left[1] + 22
    return [
        *arrows.straight_arrow((left[0] - 30, y), (left[0] - 8, y)),
        *arrows.straight_arrow((right[0] + 30, y), (right[0] + 8, y)),
    ]


@drawing("door-frame-wall-lean-2", "Front view against the door frame, goalpost arms.")
def door_goalpost():
    return _door_front(Arm(180, 90, 90), Arm(0, 90, 90), _squeeze_marks)


@drawing("door-frame-wall-lean-3", "Front view against the door frame, W arms.")
def door_w_arms():
    return _door_front(Arm(-128, 125, 120, reach=0.9), Arm(-52, 55, 60, reach=0.9), _squeeze_marks)


@drawing("door-frame-wall-lean-4", "Front view against the door frame, Y arms.")
def door_y_arms():
    def down_marks(figure):
        marks = []
        for name in ("left_shoulder", "right_shoulder"):
            sx, sy = figure[name]
            marks += arrows.straight_arrow(
                (sx * 0.6 + figure["hip"][0] * 0.4, sy - 14), (sx * 0.6 + figure["hip"][0] * 0.4, sy + 10)
            )
        return marks

    return _door_front(Arm(122, 116, 114), Arm(58, 64, 66), down_marks)


# --- edge of bed ---------------------------------------------------------------------

BED_TOP = FLOOR - 72
BED_EDGE = 150  # x of the mattress edge the head goes over


def _bed(towel: bool = True) -> list:
    elements = [*props.floor(), *props.bed(BED_EDGE, 392, BED_TOP)]
    if towel:
        # A folded towel draped over the mattress edge.
        elements.append(
            Path(
                (
                    (BED_EDGE + 28, BED_TOP - 1),
                    (BED_EDGE + 2, BED_TOP - 1),
                    (BED_EDGE - 1, BED_TOP + 3),
                    (BED_EDGE - 1, BED_TOP + 14),
                ),
                stroke="prop",
            )
        )
    return elements


def _on_bed(hip_x: float, bend: float, arm: Arm, neck: float = 0, frame: str = "upright") -> object:
    """Face up on the bed; `arm` is given for an upright torso unless frame="lying"."""
    upper_back = 180 + bend
    pose = SidePose(
        near_arm=_supine_arm(arm, upper_back) if frame == "upright" else arm,
        far_leg=Leg(0, 0),
        lower_back=180,
        upper_back=upper_back,
        neck=upper_back + neck,
    )
    return lying_face_up(hip_x, BED_TOP - 1, pose, thigh=55)


@drawing("edge-of-bed-extension-1", "Lying face up on a bed near its edge, knees bent, towel over the edge.")
def bed_lie_near_edge():
    figure = _on_bed(282, 0, HANDS_BEHIND_HEAD)
    figure = _on_bed(282, 0, arms_by_sides_lying(figure, BED_TOP - 1), frame="lying")
    return [*_bed(), *figure.elements()]


@drawing(
    "edge-of-bed-extension-2",
    "Lying on the bed with the edge under the shoulder blades, head past it, hands behind the head.",
)
def bed_shuffle_up():
    figure = _on_bed(222, 0, HANDS_BEHIND_HEAD)
    return [
        *_bed(),
        *figure.elements(),
        *arrows.straight_arrow(offset(figure["hip"], 20, -30), offset(figure["hip"], -10, -30)),
    ]


@drawing("edge-of-bed-extension-3", "Upper back bending back over the bed edge, elbows opening towards the floor.")
def bed_open_elbows():
    figure = _on_bed(222, 22, ELBOWS_OPEN, neck=-18)
    elbow = figure["near_elbow"]
    return [
        *_bed(),
        *figure.elements(),
        *arrows.curved_arrow(offset(elbow, 6, -16), offset(elbow, 8, 6), offset(elbow, -4, 22)),
    ]


def _side_lying(x: float, surface_y: float):
    """Lying on one side, seen from the front of the body, head to the left.

    Built as a front view and laid down (the viewer's-left side goes underneath): the
    shoulders stack one above the other, the bent knees come towards the viewer so the
    thighs show short, and the top hand presses into the surface in front of the chest.
    """
    base = FrontPose().figure().joints
    right = base["right_shoulder"]
    pose = FrontPose(
        right_arm=Arm.through(
            right, (right[0] - 20, right[1] + 10), (-BODY.shoulder_half - 2, right[1] + 22), hand=-100
        ),
        # The underneath arm bends forward, its forearm along the surface under the head.
        left_arm=Arm(102, 90, 90, reach=0.5, fore_reach=0.8),
        # Screen angle = these + 90: thighs come down and forward, shins lie back.
        left_leg=Leg(-132, -92, -92, reach=0.8, shin_reach=0.85),
        right_leg=Leg(-125, -86, -88, reach=0.8, shin_reach=0.85),
    )
    figure = pose.figure().rotated(90)
    figure = figure.moved(x - figure["hip"][0], 0)
    return rest_on(figure, surface_y)


@drawing("edge-of-bed-extension-4", "Lying on the side on the bed, head on a pillow, ready to push up.")
def bed_roll_to_side():
    figure = _side_lying(290, BED_TOP)
    head = figure["head"]
    return [*_bed(towel=False), *props.pillow(head[0] - 24, BED_TOP, 46, 10), *figure.elements()]


# --- foam roller ---------------------------------------------------------------------


@drawing("foam-roller-upper-back-1", "Lying face up, foam roller under the bottom of the shoulder blades, hips down.")
def roller_lie_back():
    figure, roller = _on_roller(hips_lifted=False, bend=10)
    return [*floor_and_mat(), *props.foam_roller(roller), *figure.elements()]


@drawing("foam-roller-upper-back-2", "On the foam roller with hips lifted, rolling up and down.")
def roller_roll():
    figure, roller = _on_roller(hips_lifted=True, bend=0)
    y = roller[1] + 24
    return [
        *floor_and_mat(),
        *props.foam_roller(roller),
        *figure.elements(),
        *arrows.straight_arrow((roller[0] - 26, y), (roller[0] + 26, y), both=True),
    ]


@drawing("foam-roller-upper-back-3", "Hips down, upper back relaxing back over the roller, elbows open.")
def roller_relax_back():
    figure, roller = _on_roller(hips_lifted=False, bend=26, elbows_open=True)
    head = figure["head"]
    return [
        *floor_and_mat(),
        *props.foam_roller(roller),
        *figure.elements(),
        *arrows.curved_arrow(offset(head, 16, -30), offset(head, -8, -34), offset(head, -20, -14)),
    ]


@drawing("foam-roller-upper-back-4", "On the roller with hips lifted, body tilted to one side.")
def roller_tilt():
    figure, roller = _on_roller(hips_lifted=True, bend=0, far_elbow_up=True)
    shoulder = figure["shoulder"]
    return [
        *floor_and_mat(),
        *props.foam_roller(roller),
        *figure.elements(),
        *arrows.arc_arrow(offset(shoulder, 6, 4), 34, 120, 60),
    ]


@drawing("foam-roller-upper-back-5", "Lying flat on the mat, knees bent, roller set aside.")
def roller_off():
    figure = _lying_flat_arms_by_sides(250)
    return [*floor_and_mat(20, 340), *props.foam_roller((360, FLOOR - props.ROLLER_RADIUS - CLEAR)), *figure.elements()]


# --- half sit-up -------------------------------------------------------------------


def _supine_hands_behind_head(lift: float):
    upper_back = 180 - lift
    pose = SidePose(
        near_arm=_supine_arm(HANDS_BEHIND_HEAD, upper_back),
        far_leg=Leg(0, 0),
        lower_back=180,
        upper_back=upper_back,
        neck=upper_back - lift * 0.6,
    )
    return lying_face_up(250, MAT_TOP, pose)


@drawing("half-sit-up-1", "Lying face up, knees bent, fingers laced behind the head.")
def sit_up_lie_back():
    return [*floor_and_mat(), *_supine_hands_behind_head(0).elements()]


@drawing("half-sit-up-2", "Curling head and shoulders a little off the mat.")
def sit_up_curl():
    figure = _supine_hands_behind_head(24)
    head = figure["head"]
    return [
        *floor_and_mat(),
        *figure.elements(),
        *arrows.curved_arrow(offset(head, -8, -24), offset(head, 14, -40), offset(head, 34, -30)),
    ]


@drawing("half-sit-up-3", "Resting face up, knees bent, arms by the sides.")
def sit_up_rest():
    return [*floor_and_mat(), *_lying_flat_arms_by_sides(250).elements()]


# --- side-lying open book (seen from above) -------------------------------------------


def _open_book(top_arm: Arm, face: float) -> object:
    """Seen from above: lying on the left side, knees bent and stacked, on a mat.

    Built as a standing profile with hips and knees bent, then laid down: the head goes
    to the right, the front of the body faces the bottom of the picture.
    """
    standing_frame = SidePose(
        near_arm=top_arm,
        far_arm=Arm(0, 0, 0),
        near_leg=Leg(-5, -95, -5),
        lower_back=90,
        upper_back=90,
        neck=90,
        face=face,
    )
    figure = standing_frame.turned(-90).figure()
    return figure.placed("hip", (150, 150))


def _mat_from_above() -> list:
    return [Rect(40, 84, 300, 150, radius=6)]


@drawing("lying-rotation-1", "From above: lying on the side, knees bent and stacked, both arms straight out in front.")
def open_book_start():
    figure = _open_book(Arm(2, 2, 2), 0)
    head = figure["head"]
    return [*_mat_from_above(), *props.pillow(head[0] - 16, head[1] + 22, 34, 40), *figure.elements()]


@drawing("lying-rotation-2", "From above: top arm sweeping up and over, chest turning to the ceiling.")
def open_book_open():
    figure = _open_book(Arm(178, 178, 178), 170)
    head = figure["head"]
    shoulder = figure["shoulder"]
    return [
        *_mat_from_above(),
        *props.pillow(head[0] - 16, head[1] + 22, 34, 40),
        *figure.elements(),
        *arrows.arc_arrow(shoulder, 78, -60, 60),
    ]


@drawing("lying-rotation-3", "From above: top arm resting open on a pillow behind, chest facing the ceiling.")
def open_book_rest():
    figure = _open_book(Arm(168, 176, 176), 160)
    head = figure["head"]
    hand = figure["near_hand"]
    return [
        *_mat_from_above(),
        *props.pillow(head[0] - 16, head[1] + 22, 34, 40),
        *props.pillow(hand[0] - 22, hand[1] + 14, 40, 28),
        *figure.elements(),
    ]


# --- seated spinal twist -------------------------------------------------------------


def _floor_sitting(near_leg: Leg | None, arm: Arm, far_arm: Arm | None = None):
    hip = (150, surface(MAT_TOP, BODY.lower_back_width / 2))
    straight = Leg(-2, -2, 80)
    pose = SidePose(
        near_arm=arm,
        far_arm=far_arm,
        near_leg=near_leg or straight,
        far_leg=straight,
        lower_back=92,
        upper_back=90,
        neck=92,
    )
    return pose.figure().placed("hip", hip)


@drawing("seated-spinal-twist-1", "Sitting on a mat, one leg straight, the other knee bent with the foot flat.")
def twist_setup():
    hip = (150, surface(MAT_TOP, BODY.lower_back_width / 2))
    knee = polar(hip, BODY.thigh, 52)
    bent = Leg(52, shin_to_floor(knee, MAT_TOP), 0)
    figure = _floor_sitting(bent, Arm(-105, -95, -40))
    # Re-aim the near hand to the floor beside the hip.
    shoulder = figure["shoulder"]
    hand_y = surface(MAT_TOP, BODY.hand_width / 2)
    arm = Arm.through(shoulder, (shoulder[0] - 6, shoulder[1] + 32), (shoulder[0] - 10, hand_y - 4), hand=-20)
    figure = _floor_sitting(bent, arm)
    return [*floor_and_mat(), *figure.elements()]


@drawing(
    "seated-spinal-twist-2", "Front view, seated twist: elbow against the raised knee, other hand behind, chest turned."
)
def twist_turn():
    # Seen from the front and a little above: the mat is a floor area running towards the
    # viewer, the straight leg points at the viewer (so it shows short), the bent knee
    # rises in front of the body and the chest turns to the viewer's left.
    hip_l, hip_r = (-BODY.hip_joint_half, 0.0), (BODY.hip_joint_half, 0.0)
    bent = Leg.through(hip_l, (4, -34), (30, 26), foot=-90)
    straight = Leg.through(hip_r, (18, 26), (22, 52), foot=90)
    pose = FrontPose(left_leg=bent, right_leg=straight, turn=-34, legs_in_front=True)
    joints = pose.figure().joints
    right, left = joints["right_shoulder"], joints["left_shoulder"]
    pose = replace(
        pose,
        right_arm=Arm.through(right, (-14, -30), (-16, -58), hand=92),
        left_arm=Arm.through(left, (left[0] - 16, left[1] + 28), (left[0] - 22, -14), hand=-95),
    )
    figure = pose.figure().moved(200, 190)
    mat = Rect(92, 170, 216, 96, radius=4, backdrop=True)
    return [mat, *figure.elements(), *_turn_arrow(figure, to_right=False, width=44)]


@drawing("seated-spinal-twist-3", "Sitting tall on a mat, both legs straight, hands on the thighs.")
def twist_rest():
    figure = _floor_sitting(None, Arm(-70, -30, -10))
    return [*floor_and_mat(), *figure.elements()]


# --- standing shoulder-roll routine -------------------------------------------------


@drawing("shoulder-roll-routine-1", "Front view, standing tall, arms relaxed at the sides.")
def routine_stand_tall():
    figure = front_standing(200, FLOOR, FrontPose(left_leg=Leg(-96, -90, 180), right_leg=Leg(-84, -90, 0)))
    return [*props.floor(), *figure.elements()]


@drawing("shoulder-roll-routine-2", "Standing, both arms raised straight overhead beside the ears.")
def routine_reach_up():
    figure = standing(190, FLOOR, SidePose(near_arm=Arm(92, 91, 90), far_arm=Arm(88, 89, 90), far_leg=FAR_LEG_STANDING))
    hand = figure["near_hand"]
    return [*props.floor(), *figure.elements(), *arrows.straight_arrow(offset(hand, 18, 30), offset(hand, 18, 2))]


@drawing("shoulder-roll-routine-3", "Hinging forward from the hips, back long, hands on the thighs.")
def routine_hinge():
    pose = SidePose(near_leg=Leg(-70, -104, 0), far_leg=Leg(-72, -106, 0), lower_back=60, upper_back=60, neck=55)
    figure = pose.figure().placed("near_heel", (190, surface(FLOOR, BODY.foot_width / 2)))
    thigh_front = polar(lerp(figure["hip"], figure["near_knee"], 0.72), BODY.thigh_width / 2 + 3, -70 + 90)
    shoulder = figure["shoulder"]
    elbow = lerp(shoulder, thigh_front, 0.5)
    elbow = offset(elbow, 4, 0)
    arm = Arm.through(shoulder, elbow, thigh_front, hand=-75)
    figure = replace(pose, near_arm=arm).figure().placed("near_heel", (190, surface(FLOOR, BODY.foot_width / 2)))
    hip = figure["hip"]
    return [
        *props.floor(),
        *figure.elements(),
        *arrows.curved_arrow(offset(hip, -10, -20), offset(hip, -26, -12), offset(hip, -28, 6)),
    ]


@drawing("shoulder-roll-routine-4", "Standing, shoulders rolling up, back and down in a circle.")
def routine_roll():
    figure, arrow = _shoulder_roll(4, -20, 250)
    return [*props.floor(), *figure.elements(), *arrow]


@drawing("shoulder-roll-routine-5", "Front view, self-hug: arms wrapped across the chest, chin lowered.")
def routine_self_hug():
    pose = folded_arms(FrontPose(head_drop=4), low=14)
    figure = front_standing(200, FLOOR, pose)
    left, right = figure["left_shoulder"], figure["right_shoulder"]
    y = left[1] + 10
    spread = [
        *arrows.straight_arrow((left[0] - 6, y), (left[0] - 28, y)),
        *arrows.straight_arrow((right[0] + 6, y), (right[0] + 28, y)),
    ]
    return [*props.floor(), *figure.elements(), *spread]


@drawing("shoulder-roll-routine-6", "Cooling down lying face up, knees bent, arms by the sides.")
def routine_cool_down():
    figure = _lying_flat_arms_by_sides(240)
    chest = polar(figure["waist"], 14, 90)
    # Slow breathing: the belly rising and falling.
    return [
        *floor_and_mat(),
        *figure.elements(),
        *arrows.straight_arrow(offset(chest, 0, -14), offset(chest, 0, -34), both=True),
    ]


# --- standing thoracic rotation -----------------------------------------------------

SOFT_KNEES = (Leg(-98, -86, 180), Leg(-82, -94, 0))


@drawing("standing-thoracic-rotation-1", "Front view, standing with arms folded, hands on the opposite shoulders.")
def rotation_ready():
    pose = folded_arms(FrontPose(left_leg=SOFT_KNEES[0], right_leg=SOFT_KNEES[1]))
    return [*props.floor(), *front_standing(200, FLOOR, pose).elements()]


@drawing("standing-thoracic-rotation-2", "Front view, arms folded, chest and head turned to the right.")
def rotation_turn_folded():
    pose = folded_arms(FrontPose(left_leg=SOFT_KNEES[0], right_leg=SOFT_KNEES[1], turn=-38))
    figure = front_standing(200, FLOOR, pose)
    return [*props.floor(), *figure.elements(), *_turn_arrow(figure, to_right=False)]


@drawing("standing-thoracic-rotation-3", "Front view, arms straight out in front, turned to the left.")
def rotation_turn_arms_out():
    pose = FrontPose(left_leg=SOFT_KNEES[0], right_leg=SOFT_KNEES[1], turn=38)
    # Arms reach forward, so seen from the front they are short, and point into the turn.
    arm = Arm(-8, 2, 4, reach=0.75, fore_reach=0.8)
    pose = replace(pose, left_arm=replace(arm, upper=-2), right_arm=arm)
    figure = front_standing(200, FLOOR, pose)
    return [*props.floor(), *figure.elements(), *_turn_arrow(figure, to_right=True)]


# --- towel roll ---------------------------------------------------------------------


def _on_towel(bend: float, elbows_open: bool):
    towel_r = props.TOWEL_RADIUS
    support_top = MAT_TOP - 2 * towel_r - 2 * CLEAR
    pose = _hands_behind_head_pose(elbows_open)
    upper_back = 180 + bend
    pose = replace(pose, near_arm=_supine_arm(pose.near_arm, upper_back))
    figure, contact = lying_over_support(250, MAT_TOP, support_top, pose, bend=bend, t=0.35, neck=-4)
    return figure, (contact[0], MAT_TOP - towel_r - CLEAR)


@drawing(
    "towel-roll-extension-1", "Lying face up over a rolled towel under the shoulder blades, hands behind the head."
)
def towel_lie_back():
    figure, towel = _on_towel(4, elbows_open=False)
    return [*floor_and_mat(), *props.towel_roll(towel), *figure.elements()]


@drawing("towel-roll-extension-2", "Over the towel roll, elbows opened wide towards the floor, chest lifted.")
def towel_open_elbows():
    figure, towel = _on_towel(16, elbows_open=True)
    elbow = figure["near_elbow"]
    return [
        *floor_and_mat(),
        *props.towel_roll(towel),
        *figure.elements(),
        *arrows.curved_arrow(offset(elbow, 10, -22), offset(elbow, 14, -2), offset(elbow, 4, 14)),
    ]


@drawing("towel-roll-extension-3", "From above: face up over the towel, arms out to the sides, palms up.")
def towel_arms_out():
    pose = FrontPose(
        left_arm=Arm(180, 180, 180),
        right_arm=Arm(0, 0, 0),
        left_leg=Leg(-70, -108, -95, reach=0.6),
        right_leg=Leg(-110, -72, -85, reach=0.6),
    )
    figure = pose.figure().rotated(90).placed("hip", (230, 150))
    shoulder_line = lerp(figure["left_shoulder"], figure["right_shoulder"], 0.5)
    towel_x = shoulder_line[0] + 22
    towel = Rect(towel_x - 7, 150 - 44, 14, 88, radius=7)
    head = figure["head"]
    return [*_mat_from_above(), towel, *props.pillow(head[0] - 18, head[1] + 20, 30, 40), *figure.elements()]


@drawing("towel-roll-extension-4", "Lying on the side next to the towel, top hand pushing into the floor.")
def towel_roll_off():
    figure = _side_lying(220, MAT_TOP)
    head = figure["head"]
    return [
        *floor_and_mat(),
        *props.pillow(head[0] - 24, MAT_TOP, 46, 9),
        *props.towel_roll((340, MAT_TOP - props.TOWEL_RADIUS - CLEAR)),
        *figure.elements(),
    ]
