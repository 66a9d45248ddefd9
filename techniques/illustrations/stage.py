"""From a 3D shot to a drawing: project, depth-sort, ghost, arrows and animation.

A `Shot` is one step's picture: a camera, the key poses of the movement (one pose for a
position or a rest), the props and the movement's arrows in 3D. `still_scene` draws the
end pose over a faint ghost of the start pose; `moving_scene` adds a looping animation
of every piece that moves, sampled from the poses in between (forward kinematics at each
frame), as SMIL inside the SVG.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from . import arrows, style
from .body import Part, dress
from .camera import Camera, hull, resample
from .geometry import Point
from .props import Prop
from .props import draw as draw_prop
from .scene import Layer, Scene, Solid, Timing, content_box
from .skeleton import Pose, blend
from .space import Vec, add, column, cross, normalize, sub

GHOST_OPACITY = 0.3
FRAME_MARGIN = 34
STILL_DETAIL = 1.6  # outline points of still pieces, relative to animated ones
MIN_WIDTH = 560  # units: a standing figure (about 400 units tall) fills a 4:3 window


@dataclass(frozen=True)
class Arrow:
    """A movement arrow as a path in 3D, projected with the scene."""

    points: tuple[Vec, ...]
    both: bool = False


def arc(center: Vec, axis: Vec, start: Vec, degrees: float, steps: int = 18, both: bool = False) -> Arrow:
    """An arrow round `axis` through `center`, starting at the point `start` (a 3D point
    at the arc's radius) and turning `degrees` counter-clockwise seen from the axis tip."""
    k = normalize(axis)
    r = sub(start, center)
    points = []
    for i in range(steps + 1):
        a = math.radians(degrees * i / steps)
        c, s = math.cos(a), math.sin(a)
        # Rodrigues' formula for a vector perpendicular-ish to the axis.
        kxr = cross(k, r)
        kdr = sum(k[n] * r[n] for n in range(3))
        rotated = tuple(r[n] * c + kxr[n] * s + k[n] * kdr * (1 - c) for n in range(3))
        points.append(add(center, rotated))  # type: ignore[arg-type]
    return Arrow(tuple(points), both)


def line(a: Vec, b: Vec, both: bool = False) -> Arrow:
    return Arrow((a, b), both)


def through(*points: Vec, both: bool = False) -> Arrow:
    """A smooth arrow through the points (a quadratic curve for three)."""
    if len(points) == 3:
        p0, c, p1 = points
        control = tuple(2 * c[n] - (p0[n] + p1[n]) / 2 for n in range(3))
        sampled = []
        for i in range(13):
            t = i / 12
            u = 1 - t
            sampled.append(tuple(u * u * p0[n] + 2 * u * t * control[n] + t * t * p1[n] for n in range(3)))
        return Arrow(tuple(sampled), both)  # type: ignore[arg-type]
    return Arrow(tuple(points), both)


@dataclass(frozen=True)
class Shot:
    camera: Camera
    poses: tuple[Pose, ...]
    props: tuple[Prop, ...] = ()
    arrows: tuple[Arrow, ...] = ()
    cycle: bool = False  # the key poses go round in a loop (circles, marching)
    seconds: float = 4.0
    between: int = 2  # frames sampled between two key poses
    ghost: bool = True
    still_pose: int = -1  # which key pose the still drawing shows
    ghost_pose: int = 0  # which key pose its ghost shows (for a loop: the opposite point)
    floor_patch: bool = True
    front_props: tuple[str, ...] = field(default_factory=tuple)

    @property
    def moves(self) -> bool:
        return len(self.poses) > 1


def _start_direction(part: Part, camera: Camera) -> Point:
    if len(part.blobs) >= 2:
        a, b = camera.project(part.blobs[0].center), camera.project(part.blobs[1].center)
        if math.dist(a, b) > 1:
            return (b[0] - a[0], b[1] - a[1])
    axis = camera.vector(column(part.blobs[0].axes, 1))
    return axis if math.hypot(*axis) > 1e-6 else (0.0, -1.0)


def _outline(part: Part, camera: Camera, detail: float = 1.0) -> tuple[Point, ...]:
    points = [p for blob in part.blobs for p in camera.outline(blob.center, blob.axes)]
    return tuple(resample(hull(points), round(part.points * detail), _start_direction(part, camera)))


@dataclass(frozen=True)
class Flat:
    """A piece projected: its name, depth and outlines."""

    name: str
    depth: float
    outlines: tuple[tuple[Point, ...], ...]
    fill: str


def flatten(pose: Pose, camera: Camera, detail: float = 1.0) -> list[Flat]:
    """The figure's pieces seen by `camera`; `detail` scales how many points each outline
    has (still drawings afford smoother outlines than every frame of an animation)."""
    pieces = dress(pose)
    head = next(p for p in pieces if p.name == "head")
    # Where the face points: hair is painted behind the head unless it is seen from behind.
    head_front = normalize(sub(head.parts[0].blobs[1].center, head.parts[0].blobs[0].center))
    from_behind = sum(head_front[n] * camera.toward_viewer[n] for n in range(3)) < -0.25
    # Far limbs are set back in shade, but not on a lying figure: there a shaded limb above
    # the body reads as a prop (viewers took a far elbow for a roller, a far thigh for a slab).
    spine_axis = normalize(sub(pieces[0].parts[2].blobs[0].center, pieces[0].parts[0].blobs[0].center))
    standing_up = abs(spine_axis[1]) > 0.6
    skull = head.parts[0].blobs[0].center
    head_depth = camera.depth(head.center)
    flats = []
    for piece in pieces:
        depth = camera.depth(piece.center)
        fill = "fill"
        if piece.name == "hair":
            fill = "ink"
            depth = camera.depth(head.center) + (0.5 if from_behind else -0.5)
        elif piece.name.endswith("_eye"):
            # An eye shows when it is on the side of the head facing the viewer.
            fill = "ink"
            out = normalize(sub(piece.center, head.center))
            facing = sum(out[n] * camera.toward_viewer[n] for n in range(3))
            depth = camera.depth(head.center) + (0.05 if facing > 0.25 else -1.0)
        elif (
            standing_up
            and piece.side
            and piece.side * sum(piece.lateral[n] * camera.toward_viewer[n] for n in range(3)) < -0.3
        ):
            fill = "shade"  # the far arm or leg, set back as in the house style
        if piece.name.endswith("_arm") and not from_behind and _hand_behind_head(piece, skull, head_front):
            # A hand cupping the back of the head goes behind the head, whatever the arm's
            # middle says: painted over it, the hand and forearm hid the face and the two
            # merged into one shape. The elbow still stands out beside the head.
            depth = min(depth, head_depth - 0.01)
        flats.append(Flat(piece.name, depth, tuple(_outline(part, camera, detail) for part in piece.parts), fill))
    return _far_leg_behind(flats)


def _far_leg_behind(flats: list[Flat]) -> list[Flat]:
    """A far leg, set back in shade, is painted behind the near leg. Sorted by their
    middles, a long straight far leg reaching towards the viewer came in front of a bent
    near leg crossing over it (the seated twist), and the crossing read backwards."""
    legs = {flat.name: flat for flat in flats if flat.name.endswith("_leg")}
    far = [flat for flat in legs.values() if flat.fill == "shade"]
    near = [flat for flat in legs.values() if flat.fill != "shade"]
    if len(far) != 1 or len(near) != 1 or far[0].depth < near[0].depth:
        return flats
    behind = replace(far[0], depth=near[0].depth - 0.01)
    return [behind if flat is far[0] else flat for flat in flats]


def _hand_behind_head(arm, skull: Vec, head_front: Vec) -> bool:
    """Whether the arm's hand rests on the back half of the head."""
    hand = arm.parts[3].blobs[0].center
    offset = sub(hand, skull)
    near = sum(v * v for v in offset) ** 0.5 < 18
    return near and sum(offset[n] * head_front[n] for n in range(3)) < 0


def _key(outlines) -> str:
    return ";".join(",".join(f"{round(x)} {round(y)}" for x, y in o) for o in outlines)


def _ease(t: float) -> float:
    return t * t * (3 - 2 * t)


def frames(shot: Shot) -> tuple[list[Pose], tuple[float, ...]]:
    """The poses of every animation frame, and each frame's key time (0 to 1)."""
    keys = list(shot.poses)
    if shot.cycle:
        loop = [*keys, keys[0]]
        poses: list[Pose] = []
        for a, b in zip(loop, loop[1:], strict=False):
            poses += [blend(a, b, j / (shot.between + 1)) for j in range(shot.between + 1)]
        poses.append(keys[0])
        count = len(poses) - 1
        return poses, tuple(i / count for i in range(count + 1))
    forward = [keys[0]]
    for a, b in zip(keys, keys[1:], strict=False):
        forward += [blend(a, b, _ease((j + 1) / (shot.between + 1))) for j in range(shot.between + 1)]
    m = len(forward) - 1
    # Move out (0 to 0.4), hold the end pose (to 0.55), come back (to 0.9), rest at the start.
    times = [0.4 * i / m for i in range(m + 1)] + [0.55] + [0.55 + 0.35 * i / m for i in range(1, m + 1)] + [1.0]
    poses = forward + [forward[-1]] + forward[-2::-1] + [forward[0]]
    return poses, tuple(times)


def _paint_props(shot: Shot, camera: Camera) -> tuple[list, list[tuple[float, list]]]:
    under: list[tuple[float, list]] = []
    sorted_: list[tuple[float, list]] = []
    for prop in shot.props:
        (under if prop.under else sorted_).extend(draw_prop(prop, camera))
    under.sort(key=lambda item: item[0])
    return [e for _, elements in under for e in elements], sorted_


def _floor_patch(pose: Pose, camera: Camera) -> list:
    from .body import Ellipsoid

    c = (pose.at[0], 0.0, pose.at[2])
    patch = Ellipsoid(c, ((48.0, 0.0, 0.0), (0.0, 0.0, 0.0), (0.0, 0.0, 34.0)))
    outline = tuple(resample(camera.outline(patch.center, patch.axes, 32), 24, (1, 0)))
    return [Solid((outline,), fill="shade", stroke="shade", backdrop=True)]


def _arrow_elements(shot: Shot, camera: Camera, size: float) -> list:
    out = []
    for item in shot.arrows:
        out += arrows.arrow([camera.project(p) for p in item.points], both=item.both, size=size)
    return out


def _scene(shot: Shot, animate: bool) -> Scene:
    camera = shot.camera
    end = shot.poses[shot.still_pose]
    flats_end = flatten(end, camera, STILL_DETAIL)
    order = {flat.name: i for i, flat in enumerate(sorted(flats_end, key=lambda f: f.depth))}
    under, sorted_props = _paint_props(shot, camera)
    elements: list = []
    if shot.floor_patch:
        elements += _floor_patch(shot.poses[0], camera)
    elements += under
    if shot.moves and shot.ghost:
        start = {flat.name: flat for flat in flatten(shot.poses[shot.ghost_pose], camera, STILL_DETAIL)}
        moved = [
            Solid(start[f.name].outlines, fill="fill")
            for f in sorted(flats_end, key=lambda f: order[f.name])
            if _key(start[f.name].outlines) != _key(f.outlines)
        ]
        if moved:
            elements.append(Layer(tuple(moved), GHOST_OPACITY))
    # Frames are computed for the still drawing too, so both drawings of a step frame the
    # whole movement in the same window and the page can swap one for the other.
    timing = None
    frame_flats: dict[str, list[tuple]] = {}
    if shot.moves:
        poses, times = frames(shot)
        timing = Timing(times, shot.seconds) if animate else None
        for pose in poses:
            for flat in flatten(pose, camera):
                frame_flats.setdefault(flat.name, []).append(flat.outlines)
    body: list[tuple[float, list]] = []
    for flat in flats_end:
        moving = frame_flats.get(flat.name, [])
        if moving and len({_key(o) for o in moving}) == 1:
            moving = []
        body.append((flat.depth, [Solid(flat.outlines, fill=flat.fill, frames=tuple(moving))]))
    for depth, elements_ in sorted_props:
        body.append((depth, elements_))
    body.sort(key=lambda item: item[0])
    for _, items in body:
        elements += items
    scene = _framed(Scene(title="", elements=elements))
    size = scene.window[2] / style.REFERENCE_WIDTH
    scene.elements += _arrow_elements(shot, camera, size)
    # Framed with the end pose and every frame, so the still and the animated drawing of a
    # step share one window. Then the still drops the frames, and the animated drawing
    # starts from its first frame.
    scene = _framed(scene)
    scene.timing = timing
    scene.elements = [
        Solid(e.frames[0] if animate else e.outlines, e.fill, e.stroke, e.frames if animate else (), e.backdrop)
        if isinstance(e, Solid) and e.frames
        else e
        for e in scene.elements
    ]
    return scene


def _framed(scene: Scene, aspect: float = 4 / 3) -> Scene:
    """Fit the window round the content at 4:3, never narrower than MIN_WIDTH; spare
    height goes above, so the floor stays near the bottom edge."""
    x0, y0, x1, y1 = content_box(scene.elements)
    width = max(x1 - x0 + 2 * FRAME_MARGIN, (y1 - y0 + 2 * FRAME_MARGIN) * aspect, MIN_WIDTH)
    height = width / aspect
    bottom = y1 + FRAME_MARGIN + max(0.0, (height - (y1 - y0 + 2 * FRAME_MARGIN)) * 0.1)
    scene.view = (round((x0 + x1) / 2 - width / 2), round(bottom - height), round(width), round(height))
    return scene


def still_scene(shot: Shot) -> Scene:
    return _scene(shot, animate=False)


def moving_scene(shot: Shot) -> Scene:
    return _scene(shot, animate=True)


__all__ = ["Arrow", "Shot", "arc", "line", "moving_scene", "still_scene", "through"]
