"""One shot per guide step, keyed "<guide-slug>-<step number>".

Each shot poses the figure in 3D (key poses: start and end of the movement, or one pose
for a position or a rest), places the props, picks the view that shows the movement
(rotations from three-quarter, bends from the side, arm shapes from the front, lying
figures from the side and a little above, never from overhead) and draws arrows in 3D.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

from . import props
from .body import dress
from .camera import Camera
from .postures import (
    ELBOWS_WIDE,
    FOLDED,
    FORWARD,
    HANDS_BEHIND_HEAD,
    HANGING,
    ON_THIGHS,
    SOFT_KNEES,
    flat_foot,
    lie_back_over,
    moved,
    on_hands_and_knees,
    place,
    spine,
    standing,
    twist,
)
from .skeleton import Arm, Bend, Leg, Pose, solve
from .stage import Arrow, Shot, arc, line, through

SHOTS: dict[str, Callable[[], Shot]] = {}


def shot(key: str) -> Callable:
    def register(build: Callable[[], Shot]) -> Callable[[], Shot]:
        if key in SHOTS:
            raise ValueError(f"Two shots for {key!r}")
        SHOTS[key] = build
        return build

    return register


SIDE = Camera(0, 8)
SIDE_HIGH = Camera(-6, 12)


def _joint(pose: Pose, name: str):
    return solve(pose)[name].at


def _up(v, dy):
    return (v[0], v[1] + dy, v[2])


# --- warm-up ---------------------------------------------------------------------------


@shot("warm-up-1")
def warm_up_march() -> Shot:
    def step(lifted: str) -> Pose:
        high = flat_foot(Leg(lift=62, toward=2, knee=78), 0)
        low = flat_foot(Leg(lift=0, toward=3, knee=3), 0)
        swing_fwd, swing_back = Arm(lift=28, toward=-4, elbow=28), Arm(lift=18, toward=170, elbow=10)
        pose = standing()
        if lifted == "left":
            pose = replace(pose, left_leg=high, right_leg=low, right_arm=swing_fwd, left_arm=swing_back)
        else:
            pose = replace(pose, right_leg=high, left_leg=low, left_arm=swing_fwd, right_arm=swing_back)
        return place(pose, joint="pelvis", at=(0, 0, 0))

    right, left = step("right"), step("left")
    knee = _joint(right, "right_knee")
    return Shot(
        Camera(22, 8),
        (right, left),
        arrows=(
            line(
                _up(knee, -2 + 0) if False else (knee[0] + 22, knee[1] - 30, knee[2] + 14),
                (knee[0] + 22, knee[1] + 8, knee[2] + 14),
                both=True,
            ),
        ),
        cycle=True,
        seconds=1.6,
        between=3,
        still_pose=0,
        ghost_pose=1,
    )


@shot("warm-up-2")
def warm_up_shoulder_roll() -> Shot:
    def roll(shrug: float, reach: float) -> Pose:
        arm = replace(HANGING, shrug=shrug, reach=reach)
        return place(standing(arm))

    poses = (roll(0, 0), roll(24, 6), roll(12, -16), roll(-2, -8))
    shoulder = _joint(poses[0], "right_shoulder")
    center = (shoulder[0], shoulder[1] + 4, shoulder[2] + 14)
    return Shot(
        Camera(0, 6),
        poses,
        arrows=(arc(center, (0, 0, 1), (center[0] + 9, center[1], center[2]), 300, both=False),),
        cycle=True,
        seconds=3.2,
        between=2,
        still_pose=1,
    )


@shot("warm-up-3")
def warm_up_arm_circles() -> Shot:
    def circle(dl: float, dt: float) -> Pose:
        arm = Arm(lift=88 + dl, toward=92 + dt, twist=0, elbow=6, wrist=-6)
        return place(standing(arm))

    # Round the loop: up, forwards, down, back (forward circles).
    poses = (circle(12, 0), circle(0, -12), circle(-12, 0), circle(0, 12))
    hands = [_joint(circle(0, 0), f"{side}_hand") for side in ("left", "right")]
    arrows_ = tuple(
        arc((h[0], h[1], h[2] + side * 8), (0, 0, 1), (h[0], h[1] + 14, h[2] + side * 8), -300)
        for h, side in zip(hands, (-1, 1), strict=True)
    )
    return Shot(Camera(62, 10), poses, arrows=arrows_, cycle=True, seconds=2.4, between=2, still_pose=0, ghost_pose=2)


def _turn_shot(total: float, head: float, arms: Arm, camera: Camera, radius: float = 38) -> Shot:
    start = place(standing(arms))
    end = place(replace(standing(arms), **twist(total, head)))
    chest = _joint(start, "chest_top")
    center = (chest[0], chest[1] - 14, chest[2])
    begin = (center[0] + radius, center[1], center[2])
    return Shot(
        camera,
        (start, end),
        # The arc is drawn longer than the turn, so a small turn still reads as a turn.
        arrows=(arc(center, (0, 1, 0), begin, total * 1.6),),
        seconds=4.5,
    )


@shot("warm-up-4")
def warm_up_turn() -> Shot:
    return _turn_shot(34, 6, FOLDED, Camera(72, 18))


# --- standing thoracic rotation ------------------------------------------------------------


@shot("standing-thoracic-rotation-1")
def standing_ready() -> Shot:
    pose = place(standing(FOLDED, Leg(lift=4, toward=12, knee=10)))
    return Shot(Camera(40, 8), (pose,))


@shot("standing-thoracic-rotation-2")
def standing_turn_crossed() -> Shot:
    return _turn_shot(55, 10, FOLDED, Camera(70, 18))


@shot("standing-thoracic-rotation-3")
def standing_turn_arms_out() -> Shot:
    turn = 55
    start = place(standing(FORWARD))
    end = place(replace(standing(FORWARD), **twist(turn)))
    # The camera stands midway between where the arms point at the start and at the end
    # (the figure faces +x, azimuth 90; the turn takes the arms `turn` degrees on), so ghost
    # and solid arms are foreshortened alike and point symmetrically left and right of
    # the body at the same height on the page; a moderate elevation shows the level plane
    # they sweep in. From well above, the ghost's arms, pointing towards the viewer, read
    # as lowered and the turn as a lift; from the side, the sweep read as a lift too. The
    # arrow runs round the spine at the hands' height, a little outside them, from just
    # before the ghost's hands to past the solid ones.
    spine_top = _joint(start, "chest_top")
    hands = _joint(start, "right_hand")
    center = (spine_top[0], hands[1] + 4, spine_top[2])
    radius, lead = hands[0] + 16 - spine_top[0], math.radians(10)
    begin = (center[0] + radius * math.cos(lead), center[1], center[2] + radius * math.sin(lead))
    return Shot(
        Camera(90 + turn / 2, 30),
        (start, end),
        arrows=(arc(center, (0, 1, 0), begin, turn + 10 + 10, steps=24),),
        seconds=4.5,
    )


# --- shoulder roll routine ---------------------------------------------------------------


@shot("shoulder-roll-routine-1")
def routine_stand_tall() -> Shot:
    pose = place(standing(HANGING, Leg(lift=2, toward=10, knee=3), neck=Bend(flex=6), head=Bend(flex=-4)))
    return Shot(Camera(22, 6), (pose,))


@shot("shoulder-roll-routine-2")
def routine_reach_overhead() -> Shot:
    start = place(standing(HANGING))
    end = place(standing(Arm(lift=172, toward=12, twist=0, elbow=4)))
    hand = _joint(start, "right_hand")
    top = _joint(end, "right_hand")
    mid = (hand[0] + 62, (hand[1] + top[1]) / 2 + 10, hand[2] + 16)
    return Shot(
        Camera(34, 8),
        (start, end),
        arrows=(through((hand[0] + 20, hand[1], hand[2] + 16), mid, (top[0] + 18, top[1] - 8, top[2] + 16)),),
    )


@shot("shoulder-roll-routine-3")
def routine_hinge() -> Shot:
    start = place(standing(ON_THIGHS, SOFT_KNEES), joint="right_foot", at=(0, 0, 8))
    lean = 32
    hinged = replace(
        standing(Arm(lift=38, toward=4, elbow=26, wrist=-10), Leg(lift=lean + 4, toward=5, knee=22)),
        pitch=lean,
    )
    hinged = replace(hinged, left_leg=flat_foot(hinged.left_leg, lean), right_leg=flat_foot(hinged.right_leg, lean))
    end = place(hinged, joint="right_foot", at=(0, 0, 8))
    head0, head1 = _joint(start, "head"), _joint(end, "head")
    return Shot(
        SIDE,
        (start, end),
        arrows=(
            through(
                (head0[0] + 8, head0[1] + 30, 30), (head1[0] - 4, head1[1] + 36, 30), (head1[0] + 22, head1[1] + 14, 30)
            ),
        ),
    )


@shot("shoulder-roll-routine-4")
def routine_shoulder_roll() -> Shot:
    def roll(shrug: float, reach: float) -> Pose:
        arm = replace(HANGING, lift=4, elbow=6, shrug=shrug, reach=reach)
        return place(standing(arm, Leg(lift=2, toward=10, knee=3)))

    poses = (roll(0, 0), roll(24, 6), roll(12, -16), roll(-2, -8))
    shoulder = _joint(poses[0], "right_shoulder")
    center = (shoulder[0], shoulder[1] + 4, shoulder[2] + 12)
    return Shot(
        Camera(32, 8),
        poses,
        arrows=(arc(center, (0.5, 0, 0.87), (center[0] + 11 * 0.87, center[1], center[2] - 11 * 0.5), 300),),
        cycle=True,
        seconds=3.2,
        still_pose=1,
    )


@shot("shoulder-roll-routine-5")
def routine_self_hug() -> Shot:
    start = place(standing(HANGING))
    hug_l = Arm(lift=84, toward=-35, twist=-90, elbow=112, wrist=10, reach=14)
    hug_r = Arm(lift=76, toward=-30, twist=-90, elbow=118, wrist=10, reach=14)
    end = place(replace(standing(HANGING), left_arm=hug_l, right_arm=hug_r, **spine(2, 10, 12), neck=Bend(flex=10)))
    back = _joint(end, "chest_top")
    return Shot(
        Camera(30, 10),
        (start, end),
        arrows=(arc((back[0] - 4, back[1] - 20, back[2]), (0, 0, 1), (back[0] - 30, back[1] - 34, back[2]), -60),),
    )


KNEES_UP = Leg(lift=48, knee=100)


def _lying(arms: Arm, legs: Leg = KNEES_UP, **changes) -> Pose:
    """Face up, head to -x, knees bent with the feet flat."""
    legs = flat_foot(legs, -90)
    pose = Pose(facing=90, pitch=-90).arms(arms).legs(legs)
    return replace(pose, **changes)


ARMS_BY_SIDES = Arm(lift=12, toward=150, twist=0, elbow=8, wrist=-8)  # lying: along the body, on the floor


@shot("shoulder-roll-routine-6")
def routine_cool_down() -> Shot:
    pose = place(_lying(ARMS_BY_SIDES), floor=props.MAT_THICKNESS, joint="pelvis", at=(0, 0, 0))
    return Shot(SIDE_HIGH, (pose,), props=(props.mat(-110, 80),), floor_patch=False)


# --- cat-cow ------------------------------------------------------------------------------

HAND_DOWN = Arm(lift=84, toward=2, elbow=0, wrist=88)
KNEEL = Leg(lift=84, toward=3, knee=90, ankle=88)


def _all_fours(lumbar: float = 0, thorax: float = 0, chest: float = 0, neck: float = 0, head: float = 0) -> Pose:
    pose = Pose(facing=90, pitch=84, **spine(lumbar, thorax, chest), neck=Bend(flex=neck), head=Bend(flex=head))
    pose = pose.arms(replace(HAND_DOWN, lift=84 + lumbar + thorax + chest)).legs(KNEEL)
    return place(on_hands_and_knees(pose), floor=props.MAT_THICKNESS, joint="left_knee", at=(0, 0, -10))


def _cat_cow_mat() -> tuple:
    return (props.mat(-60, 120),)


@shot("cat-cow-1")
def cat_cow_setup() -> Shot:
    return Shot(SIDE, (_all_fours(neck=-4),), props=_cat_cow_mat(), floor_patch=False)


@shot("cat-cow-2")
def cat_cow_cow() -> Shot:
    start = _all_fours(neck=-4)
    end = _all_fours(lumbar=-18, thorax=-16, chest=-10, neck=-24, head=-8)
    back = _joint(start, "thorax")
    return Shot(
        SIDE,
        (start, end),
        props=_cat_cow_mat(),
        arrows=(line((back[0], back[1] + 6, 36), (back[0], back[1] - 18, 36)),),
        floor_patch=False,
    )


@shot("cat-cow-3")
def cat_cow_cat() -> Shot:
    start = _all_fours(lumbar=-18, thorax=-16, chest=-10, neck=-24, head=-8)
    end = _all_fours(lumbar=18, thorax=22, chest=16, neck=30, head=18)
    back = _joint(end, "thorax")
    return Shot(
        SIDE,
        (start, end),
        props=_cat_cow_mat(),
        arrows=(line((back[0], back[1] + 18, 36), (back[0], back[1] + 42, 36)),),
        floor_patch=False,
    )


@shot("cat-cow-4")
def cat_cow_rest() -> Shot:
    start = _all_fours(neck=-4)
    child = Pose(facing=90, pitch=116, **spine(4, 6, 4), neck=Bend(flex=8))
    child = child.arms(Arm(lift=196, toward=4, elbow=0, wrist=-30)).legs(Leg(lift=160, toward=6, knee=136, ankle=80))
    end = place(on_hands_and_knees(child), floor=props.MAT_THICKNESS, joint="left_knee", at=(0, 0, -10))
    hip0, hip1 = _joint(start, "pelvis"), _joint(end, "pelvis")
    return Shot(
        SIDE,
        (start, end),
        props=_cat_cow_mat(),
        arrows=(
            through(
                (hip0[0] - 4, hip0[1] + 24, 36), (hip0[0] - 22, hip0[1] + 14, 36), (hip1[0] - 14, hip1[1] + 18, 36)
            ),
        ),
        floor_patch=False,
    )


# --- chair backrest extension ---------------------------------------------------------------

SEATED_LEGS = Leg(lift=88, toward=6, knee=88, ankle=0)


def _seated(arms: Arm, lean: float = 0.0, **changes) -> Pose:
    pose = Pose(facing=90).arms(arms).legs(SEATED_LEGS)
    pose = replace(pose, **changes)
    return place(pose, floor=props.SEAT_HEIGHT, joint="pelvis", at=(0, 0, 0), on="torso")


def _chair() -> tuple:
    return (props.chair(2, 0, facing_x=1, back_height=props.SEAT_HEIGHT + 44),)


@shot("chair-backrest-extension-1")
def chair_sit() -> Shot:
    return Shot(Camera(12, 8), (_seated(ON_THIGHS),), props=_chair())


def _leaned_back(arms: Arm, head_back: bool = True) -> Pose:
    """Leaning back over the backrest (the end of step 2, the start of step 3)."""
    neck = Bend(flex=-16) if head_back else Bend(flex=-2)
    head = Bend(flex=-18) if head_back else Bend(flex=0)
    return _seated(arms, **spine(0, -16, -26), neck=neck, head=head)


def _chair_lean(arms: Arm, open_arms: Arm) -> Shot:
    start = _seated(arms)
    end = _leaned_back(open_arms)
    top = _joint(start, "chest_top")
    # Turned a little towards the front, so the open elbows stand out either side of the
    # head instead of lying across the face, as they did side on.
    return Shot(
        Camera(36, 8),
        (start, end),
        props=_chair(),
        arrows=(
            through((top[0] + 14, top[1] + 34, 30), (top[0] - 4, top[1] + 42, 30), (top[0] - 26, top[1] + 30, 30)),
        ),
    )


@shot("chair-backrest-extension-2")
def chair_lean_head_supported() -> Shot:
    # Hands behind the head, elbows opening out as the upper back leans back.
    return _chair_lean(HANDS_BEHIND_HEAD, ELBOWS_WIDE)


# Seated, arms relaxed by the sides: the hands hang just outside the seat, not through it.
ARMS_BESIDE_SEAT = Arm(lift=18, toward=95, elbow=10, wrist=4)


@shot("chair-backrest-extension-3")
def chair_sit_tall_and_rest() -> Shot:
    # After the last repetition: up from leaning back to sitting tall, and the hands come
    # down from behind the head to hang by the sides.
    start = _leaned_back(ELBOWS_WIDE)
    end = _seated(ARMS_BESIDE_SEAT)
    top = _joint(end, "chest_top")
    return Shot(
        Camera(24, 8),
        (start, end),
        props=_chair(),
        arrows=(
            through((top[0] - 30, top[1] + 28, 30), (top[0] - 8, top[1] + 44, 30), (top[0] + 14, top[1] + 36, 30)),
        ),
    )


# --- door-frame lean -----------------------------------------------------------------------


def _against_edge(arms: Arm, **changes) -> Pose:
    legs = Leg(lift=14, toward=14, knee=22)
    pose = replace(Pose(facing=90, pitch=-6).arms(arms).legs(flat_foot(legs, -6)), **changes)
    # Placed by the chest, so the back of the chest rests on the post in every pose.
    return place(pose, joint="chest", at=(-15, 0, 0))


def _door_prop():
    # The door post: the end of the wall (the plane x = -27 behind the figure), its edge
    # at z = 0 down the middle of the spine, the doorway open on the near side. Only the
    # post is drawn, a vertical bar behind the back: a wall panel beside the figure read
    # as "standing beside a doorway", and the head of the frame as a beam in mid air.
    x = -27.0
    shapes = (props.Box((x - 12, 0.0, -14), (x, 205, 0)),)
    return props.Prop("door frame", shapes)


# From the doorway side, a little in front: the post is a vertical bar behind the spine and
# the near elbow draws back past the body's line (a true side view hid the arms' shapes).
DOOR_SIDE = Camera(20, 8)


@shot("door-frame-wall-lean-1")
def door_setup() -> Shot:
    return Shot(DOOR_SIDE, (_against_edge(HANGING),), props=(_door_prop(),))


OPEN_CHEST = spine(0, -3, -7)  # the squeeze lifts and opens the chest a little


def _squeeze(shape: Arm, squeezed: Arm, path: Callable[[Pose, Pose], tuple]) -> Shot:
    """An arm shape held against the door edge, then the squeeze, seen from the side as
    step 1 (a little in front): "back" is to the left, towards the post, so the start elbows sit in line with
    the body and the squeezed ones behind its line (from in front or three-quarter the
    backward draw read as the arm moving out to the side onto the post). `path` gives the
    arrow at the near elbow or shoulder."""
    start = _against_edge(shape)
    end = _against_edge(squeezed, **OPEN_CHEST)
    return Shot(DOOR_SIDE, (start, end), props=(_door_prop(),), arrows=(path(start, end),))


def _elbow_path(start: Pose, end: Pose) -> Arrow:
    """A short curve from the near elbow's start to its end, in front of the arm."""
    a, b = _joint(start, "right_elbow"), _joint(end, "right_elbow")
    a, b = (a[0] + 2, a[1] + 8, a[2] + 24), (b[0] - 8, b[1] + 4, b[2] + 24)
    mid = ((a[0] + b[0]) / 2, max(a[1], b[1]) + 5, (a[2] + b[2]) / 2)
    return through(a, mid, b)


@shot("door-frame-wall-lean-2")
def door_goalpost() -> Shot:
    # Elbows level with the shoulders, in line with the body, draw straight back.
    goal = Arm(lift=90, toward=88, twist=90, elbow=90)
    return _squeeze(goal, replace(goal, toward=128, reach=-22), _elbow_path)


def _elbow_down_path(start: Pose, end: Pose) -> Arrow:
    """From the near elbow's start, curving back and down to past its end."""
    a, b = _joint(start, "right_elbow"), _joint(end, "right_elbow")
    a, b = (a[0] + 4, a[1] + 4, a[2] + 24), (b[0] - 6, b[1] - 6, b[2] + 24)
    mid = ((a[0] + b[0]) / 2 - 2, (a[1] + b[1]) / 2 + 6, (a[2] + b[2]) / 2)
    return through(a, mid, b)


@shot("door-frame-wall-lean-3")
def door_w() -> Shot:
    # The W is made first: elbows low by the ribs, forearms up and out, in line with the
    # body. Then the same W draws back and a little down: the upper arms swing back and
    # the forearm's twist follows, so the forearms keep pointing up and out. With a
    # different shape in the ghost (elbows high, as a goalpost) the step read as
    # "change the arm shape".
    w = Arm(lift=30, toward=85, twist=80, elbow=110)
    return _squeeze(w, replace(w, toward=135, lift=26, twist=108, reach=-22), _elbow_down_path)


@shot("door-frame-wall-lean-4")
def door_y() -> Shot:
    # The same Y (arms overhead and wide) in both poses, drawn back behind the body's line
    # and a little down (shoulder blades down): with the ghost's arms straight up and the
    # end's out, the step read as lowering one arm.
    y = Arm(lift=138, toward=80, twist=80, elbow=14)
    return _squeeze(y, replace(y, toward=108, lift=134, reach=-16, shrug=-12), _elbow_path)


# --- lying face up: shared ------------------------------------------------------------------


def _on_floor(pose: Pose, pelvis_x: float = 0.0, floor: float = props.MAT_THICKNESS) -> Pose:
    return place(pose, floor=floor, joint="pelvis", at=(pelvis_x, 0, 0))


def _over_support(pose: Pose, support_top: float, support_x: float, hips_up: float = 0.0) -> Pose:
    """Face up with the upper back resting on a support (roller, towel) at `support_x`."""
    floor = props.MAT_THICKNESS
    return lie_back_over(pose, support_x, support_top, floor + hips_up, floor)


# --- foam roller ---------------------------------------------------------------------------

ROLLER_X = -52.0


def _roller(x: float = ROLLER_X) -> tuple:
    return (
        props.mat(-150, 70),
        props.foam_roller((x, props.MAT_THICKNESS + props.ROLLER_RADIUS, 0), length=56, along=(0, 0, 1)),
    )


def _roller_pose(arms: Arm, hips_up: float = 0.0, chest: float = 0.0, x: float = ROLLER_X, spin: float = 0.0) -> Pose:
    pose = _lying(arms, **spine(0, chest * 0.5, chest), spin=spin)
    return _over_support(pose, props.MAT_THICKNESS + 2 * props.ROLLER_RADIUS, x, hips_up)


@shot("foam-roller-upper-back-1")
def roller_lie_back() -> Shot:
    return Shot(SIDE_HIGH, (_roller_pose(HANDS_BEHIND_HEAD),), props=_roller(), floor_patch=False)


@shot("foam-roller-upper-back-2")
def roller_roll() -> Shot:
    a = _roller_pose(HANDS_BEHIND_HEAD, hips_up=12, x=ROLLER_X)
    b = moved(_roller_pose(HANDS_BEHIND_HEAD, hips_up=12, x=ROLLER_X + 8), dx=-16)
    hip = _joint(a, "pelvis")
    return Shot(
        SIDE_HIGH,
        (a, b),
        props=_roller(),
        arrows=(line((hip[0] - 30, hip[1] + 34, 30), (hip[0] - 2, hip[1] + 34, 30), both=True),),
        floor_patch=False,
    )


@shot("foam-roller-upper-back-3")
def roller_relax_back() -> Shot:
    start = _roller_pose(HANDS_BEHIND_HEAD)
    end = _roller_pose(ELBOWS_WIDE, chest=-18)
    head = _joint(start, "head")
    return Shot(
        Camera(-16, 20),
        (start, end),
        props=_roller(),
        arrows=(
            through(
                (head[0] + 4, head[1] + 28, 20), (head[0] - 14, head[1] + 26, 20), (head[0] - 26, head[1] + 10, 20)
            ),
        ),
        floor_patch=False,
    )


@shot("foam-roller-upper-back-4")
def roller_tilt() -> Shot:
    # A small tilt (25 degrees) with the hips still lifted, seen from the head end and
    # above (as the lying rotation is): the roll about the body's long axis shows as the
    # chest turning on the page, the ghost square beside it. From the side, the tilt went
    # towards the viewer and read as the chest sinking over the roller; at 45 degrees it
    # read as lying on the side with the roller under the armpit.
    start = _roller_pose(HANDS_BEHIND_HEAD, hips_up=12)
    end = _roller_pose(HANDS_BEHIND_HEAD, hips_up=12, spin=-25)
    chest = _joint(start, "chest")
    return Shot(
        Camera(-66, 20),
        (start, end),
        props=_roller(),
        arrows=(arc(chest, (-1, 0, 0), (chest[0], chest[1] + 34, chest[2] - 26), -90),),
        floor_patch=False,
    )


@shot("foam-roller-upper-back-5")
def roller_come_off() -> Shot:
    # The roller stays where it was; the body slides down the mat, towards the feet, until
    # the head is clear of it, and lies flat. So the ghost lies over the roller and the
    # body ends beyond it, in every frame the same roller.
    # The arms come down by way of the floor (elbows wide, then out to the sides, then down
    # by the sides): straight from behind the head to the sides they swung up in the air.
    start = _roller_pose(HANDS_BEHIND_HEAD)
    end = _on_floor(_lying(ARMS_BY_SIDES), pelvis_x=54)
    wide = replace(start, **{side: ELBOWS_WIDE for side in ("left_arm", "right_arm")})
    out = Arm(lift=90, toward=110, twist=122, elbow=30)  # the twist of ELBOWS_WIDE: no turn in the air
    sides = replace(end, **{side: out for side in ("left_arm", "right_arm")})
    hip0, hip1 = _joint(start, "pelvis"), _joint(end, "pelvis")
    return Shot(
        Camera(-24, 16),
        (start, wide, sides, end),
        props=(props.mat(-100, 160), _roller()[1]),
        arrows=(line((hip0[0] - 10, hip1[1] + 40, 30), (hip1[0] - 4, hip1[1] + 40, 30)),),
        floor_patch=False,
    )


# --- half sit-up ---------------------------------------------------------------------------


@shot("half-sit-up-1")
def sit_up_ready() -> Shot:
    pose = _on_floor(_lying(ELBOWS_WIDE))
    return Shot(Camera(-34, 22), (pose,), props=(props.mat(-120, 70),), floor_patch=False)


@shot("half-sit-up-2")
def sit_up_curl() -> Shot:
    start = _on_floor(_lying(ELBOWS_WIDE))
    curled = replace(_lying(ELBOWS_WIDE), **spine(6, 14, 16), neck=Bend(flex=10))
    end = place(curled, floor=props.MAT_THICKNESS, joint="pelvis", at=(0, 0, 0))
    head = _joint(end, "head")
    return Shot(
        SIDE,
        (start, end),
        props=(props.mat(-120, 70),),
        arrows=(
            through((head[0] - 6, head[1] + 8, 30), (head[0] + 2, head[1] + 26, 30), (head[0] + 18, head[1] + 32, 30)),
        ),
        floor_patch=False,
    )


@shot("half-sit-up-3")
def sit_up_rest() -> Shot:
    # A rest, drawn still: a ghost of the hands behind the head, with no arrow, differed
    # too little from it to read as a movement (round 6 saw a halo).
    rest = _on_floor(_lying(ARMS_BY_SIDES))
    return Shot(Camera(-20, 20), (rest,), props=(props.mat(-120, 70),), floor_patch=False)


# --- edge-of-bed extension -------------------------------------------------------------------

BED_EDGE = -100.0  # the head end of the bed, with the towel over it
BED_TOP = props.BED_HEIGHT + 1.6


def _bed(pillow: bool = False) -> tuple:
    items = [props.bed(BED_EDGE, BED_EDGE + 200, towel_at=BED_EDGE)]
    if pillow:
        items.append(props.pillow((BED_EDGE + 30, BED_TOP + 5, 0), along_x=False))
    return tuple(items)


def _on_bed(arms: Arm, pelvis_x: float, chest: float = 0.0, head_up: float = 0.0) -> Pose:
    pose = _lying(arms, **spine(0, chest * 0.5, chest), neck=Bend(flex=-chest * 0.9 + head_up))
    return place(pose, floor=BED_TOP, joint="pelvis", at=(pelvis_x, 0, 0), on="torso")


@shot("edge-of-bed-extension-1")
def bed_lie_near_edge() -> Shot:
    # From the side, a little towards the head end: the towel hangs down the bed's end in
    # sight, and the head lies on the bed a hand's width short of the edge.
    return Shot(Camera(-26, 16), (_on_bed(ARMS_BY_SIDES, BED_EDGE + 100),), props=_bed(), floor_patch=False)


@shot("edge-of-bed-extension-2")
def bed_shuffle_up() -> Shot:
    start = _on_bed(HANDS_BEHIND_HEAD, BED_EDGE + 90)
    end = _on_bed(HANDS_BEHIND_HEAD, BED_EDGE + 62)
    hip = _joint(end, "pelvis")
    return Shot(
        SIDE_HIGH,
        (start, end),
        props=_bed(),
        arrows=(line((hip[0] + 10, hip[1] + 36, 34), (hip[0] - 22, hip[1] + 36, 34)),),
        floor_patch=False,
    )


@shot("edge-of-bed-extension-3")
def bed_open_elbows() -> Shot:
    start = _on_bed(HANDS_BEHIND_HEAD, BED_EDGE + 62)
    end = _on_bed(ELBOWS_WIDE, BED_EDGE + 62, chest=-24)
    elbow = _joint(end, "right_elbow")
    return Shot(
        Camera(0, 10),
        (start, end),
        props=_bed(),
        arrows=(
            through(
                (elbow[0] + 8, elbow[1] + 30, elbow[2] + 16),
                (elbow[0] + 10, elbow[1] + 6, elbow[2] + 26),
                (elbow[0] + 6, elbow[1] - 14, elbow[2] + 24),
            ),
        ),
        floor_patch=False,
    )


@shot("edge-of-bed-extension-4")
def bed_back_onto_pillow() -> Shot:
    start = _on_bed(HANDS_BEHIND_HEAD, BED_EDGE + 62)
    end = _on_bed(ARMS_BY_SIDES, BED_EDGE + 96)
    hip = _joint(end, "pelvis")
    return Shot(
        SIDE_HIGH,
        (start, end),
        props=_bed(pillow=True),
        arrows=(line((hip[0] - 36, hip[1] + 38, 34), (hip[0] + 2, hip[1] + 38, 34)),),
        floor_patch=False,
    )


# --- lying rotation (open book) ----------------------------------------------------------------

SIDE_LYING_LEGS = Leg(lift=88, toward=0, knee=92, ankle=0)


def _side_lying(top_arm: Arm, turn: float = 0.0, head: float = 0.0) -> Pose:
    """On the left side, head towards +x, facing +z (the camera's side)."""
    # The lower arm stays on the mat in front while the chest turns: it turns against the
    # chest's turn (the other way, it rose off the mat and crossed the top arm).
    bottom = replace(FORWARD, toward=FORWARD.toward + turn)
    pose = Pose(roll=-90, left_arm=bottom, right_arm=top_arm).legs(SIDE_LYING_LEGS)
    # Placed as the closed position is: the hips and legs stay put while the chest turns.
    rest = place(
        replace(pose, left_arm=FORWARD, right_arm=FORWARD), floor=props.MAT_THICKNESS, joint="pelvis", at=(0, 0, 0)
    )
    return replace(pose, at=rest.at, **twist(-turn, -head))


def _mat_and_pillow() -> tuple:
    return (props.mat(-110, 90, -40, 40), props.pillow((72, props.MAT_THICKNESS + 5.5, -2), width=44, depth=30))


# From the head end, a little to the front and above: the top arm's sweep (up, over and
# down to the floor behind) lies across the page, the arms in front point at the lower
# left and the head rests on the pillow in sight. From the front the arm pointed at the
# viewer, and "up" and "behind on the floor" both went up the page.
BOOK_VIEW = Camera(50, 40)


OPEN_KEYS = (
    Arm(lift=90, toward=-4, twist=-90, elbow=4),
    Arm(lift=90, toward=70, twist=-90, elbow=6),
    Arm(lift=90, toward=150, twist=-90, elbow=8),
)


@shot("lying-rotation-1")
def open_book_setup() -> Shot:
    return Shot(BOOK_VIEW, (_side_lying(OPEN_KEYS[0]),), props=_mat_and_pillow(), floor_patch=False)


def _open_arc(start: Pose, end: Pose) -> Arrow:
    """Round the body's long axis, just outside the top hand, from where it starts (in
    front) up and over to where it ends (behind): the arc stops at the end pose's hand."""
    shoulder = _joint(start, "right_shoulder")
    center = (shoulder[0] + 14, shoulder[1], shoulder[2])
    a, b = _joint(start, "right_hand"), _joint(end, "right_hand")
    # Angles in the (y, z) plane, measured from up (+y) towards the front (+z).
    a_angle = math.degrees(math.atan2(a[2] - center[2], a[1] - center[1]))
    b_angle = math.degrees(math.atan2(b[2] - center[2], b[1] - center[1]))
    sweep = (b_angle - a_angle) % 360 - 360
    radius = math.hypot(a[1] - center[1], a[2] - center[2]) + 8
    rad = math.radians(a_angle)
    begin = (center[0], center[1] + radius * math.cos(rad), center[2] + radius * math.sin(rad))
    return arc(center, (1, 0, 0), begin, sweep)


OPEN_ARM = OPEN_KEYS[2]
OPEN_TURN = 70


@shot("lying-rotation-2")
def open_book_open() -> Shot:
    poses = (
        _side_lying(OPEN_KEYS[0]),
        _side_lying(OPEN_KEYS[1], turn=OPEN_TURN / 2, head=15),
        _side_lying(OPEN_ARM, turn=OPEN_TURN, head=30),
    )
    return Shot(
        BOOK_VIEW,
        poses,
        props=_mat_and_pillow(),
        arrows=(_open_arc(poses[0], poses[-1]),),
        between=1,
        seconds=5,
        floor_patch=False,
    )


@shot("lying-rotation-3")
def open_book_rest() -> Shot:
    start = _side_lying(OPEN_KEYS[0])
    end = _side_lying(replace(OPEN_ARM, elbow=14), turn=OPEN_TURN + 5, head=30)
    # The second pillow lies on the floor behind, under the open hand.
    hand = _joint(end, "right_hand")
    rest = props.pillow((hand[0] - 6, props.MAT_THICKNESS + 5.5, hand[2] + 4), width=40, depth=28)
    return Shot(
        BOOK_VIEW,
        (start, end),
        props=(*_mat_and_pillow(), rest),
        arrows=(_open_arc(start, end),),
        seconds=5,
        floor_patch=False,
    )


# --- seated spinal twist -----------------------------------------------------------------------

LONG_LEG = Leg(lift=86, toward=2, knee=0, ankle=0)
# The bent right leg crosses over the straight left one: its foot is planted on the far
# side of the left knee, just short of it (with the thigh only a little across, the foot
# stood on the straight leg's line and the crossing didn't show).
CROSSED_LEG = Leg(lift=128, toward=-28, twist=-10, knee=108, ankle=0)


def _floor_sit(left_arm: Arm, right_arm: Arm, crossed: bool = True, turn: float = 0.0, head: float = 0.0) -> Pose:
    right_leg = flat_foot(CROSSED_LEG, 0) if crossed else LONG_LEG
    pose = Pose(facing=90, left_arm=left_arm, right_arm=right_arm, left_leg=LONG_LEG, right_leg=right_leg)
    pose = replace(pose, **twist(turn, head))
    return place(pose, floor=props.MAT_THICKNESS, joint="pelvis", at=(0, 0, 0), on="torso")


HAND_BESIDE_HIP = Arm(lift=12, toward=70, elbow=4, wrist=70)


@shot("seated-spinal-twist-1")
def twist_sit_tall() -> Shot:
    pose = _floor_sit(HAND_BESIDE_HIP, HAND_BESIDE_HIP)
    # From higher up than the turn (step 2), so the mat shows where the foot stands: on
    # the far side of the straight leg, the shin crossing over it.
    return Shot(Camera(42, 32), (pose,), props=(props.mat(-50, 120),), floor_patch=False)


@shot("seated-spinal-twist-2")
def twist_brace_and_turn() -> Shot:
    start = _floor_sit(HAND_BESIDE_HIP, HAND_BESIDE_HIP)
    brace = Arm(lift=60, toward=-40, twist=-60, elbow=70)
    behind = Arm(lift=30, toward=150, elbow=4, wrist=70)
    end = _floor_sit(brace, behind, turn=-60, head=-25)
    top = _joint(start, "chest_top")
    center = (top[0], top[1] - 8, top[2])
    return Shot(
        Camera(40, 22),
        (start, end),
        props=(props.mat(-50, 120),),
        arrows=(arc(center, (0, 1, 0), (center[0] + 32, center[1], center[2]), -70),),
        seconds=5,
        floor_patch=False,
    )


@shot("seated-spinal-twist-3")
def twist_rest() -> Shot:
    hands_on_thighs = Arm(lift=30, toward=6, elbow=30, wrist=-6)
    pose = _floor_sit(hands_on_thighs, hands_on_thighs, crossed=False)
    return Shot(Camera(20, 14), (pose,), props=(props.mat(-50, 120),), floor_patch=False)


# --- towel roll ----------------------------------------------------------------------------------

TOWEL_X = -56.0


def _towel() -> tuple:
    return (
        props.mat(-150, 70),
        # Longer than the back is wide, so its ends show on both sides: it runs across the back.
        props.towel_roll((TOWEL_X, props.MAT_THICKNESS + props.TOWEL_RADIUS, 0), length=66, along=(0, 0, 1)),
    )


def _towel_pose(arms: Arm, chest: float = 0.0) -> Pose:
    pose = _lying(arms, **spine(0, chest * 0.5, chest))
    return _over_support(pose, props.MAT_THICKNESS + 2 * props.TOWEL_RADIUS, TOWEL_X)


TOWEL_VIEW = Camera(-24, 22)


@shot("towel-roll-extension-1")
def towel_lie_back() -> Shot:
    # From a little towards the head and above, as step 2: from exactly side on the mat
    # was a thick slab and the towel's near end seemed to sit inside it, under the pelvis.
    return Shot(TOWEL_VIEW, (_towel_pose(HANDS_BEHIND_HEAD),), props=_towel(), floor_patch=False)


@shot("towel-roll-extension-2")
def towel_open_elbows() -> Shot:
    start = _towel_pose(HANDS_BEHIND_HEAD)
    end = _towel_pose(ELBOWS_WIDE, chest=-12)
    elbow = _joint(end, "right_elbow")
    return Shot(
        TOWEL_VIEW,
        (start, end),
        props=_towel(),
        arrows=(
            through(
                (elbow[0] + 6, elbow[1] + 34, elbow[2] + 4),
                (elbow[0] + 8, elbow[1] + 16, elbow[2] + 18),
                (elbow[0] + 4, elbow[1] + 4, elbow[2] + 20),
            ),
        ),
        floor_patch=False,
    )


@shot("towel-roll-extension-3")
def towel_arms_out() -> Shot:
    arms = Arm(lift=90, toward=96, twist=-90, elbow=8, wrist=0)
    # The head rests back on a thin pillow, the neck long.
    pose = replace(_towel_pose(arms), neck=Bend(flex=-26), head=Bend(flex=-8))
    head = next(piece for piece in dress(pose) if piece.name == "head")
    rest = min(blob.lowest for part in head.parts for blob in part.blobs)
    skull = head.parts[0].blobs[0].center
    thickness = rest - props.MAT_THICKNESS
    thin_pillow = props.pillow(
        (skull[0], props.MAT_THICKNESS + thickness / 2, 0), width=40, depth=30, thickness=thickness, along_x=False
    )
    # From the side, towards the head: the rolled end shows beside the near shoulder, so
    # the towel runs across the back (from the head end it hid and read as lengthwise).
    return Shot(Camera(-20, 34), (pose,), props=(*_towel(), thin_pillow), floor_patch=False)


@shot("towel-roll-extension-4")
def towel_roll_off() -> Shot:
    start = _towel_pose(ARMS_BY_SIDES)
    # On the right side, off the towel, facing the viewer, knees bent, top hand in front.
    # The roll is a spin about the body's own length from the face-up pose, so the frames in
    # between turn the body over on the mat (blending to a pose built upright and tipped onto
    # its side swung the legs through the mat).
    top_hand = Arm(lift=80, toward=-10, elbow=60)
    side = replace(_lying(ARMS_BY_SIDES, SIDE_LYING_LEGS), spin=-90, left_arm=top_hand, right_arm=FORWARD)
    end = place(side, floor=props.MAT_THICKNESS, joint="pelvis", at=(_joint(start, "pelvis")[0], 0, 14))
    chest = _joint(start, "chest")
    return Shot(
        Camera(-12, 22),
        (start, end),
        props=_towel(),
        arrows=(
            arc(
                (chest[0] + 30, chest[1] - 4, chest[2]), (-1, 0, 0), (chest[0] + 30, chest[1] + 26, chest[2] - 10), -80
            ),
        ),
        floor_patch=False,
    )
