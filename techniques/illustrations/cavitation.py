"""The cavitation diagram: what happens in a joint when it "pops".

Four panels in the house style: the joint at rest, the surfaces pulled apart (pressure in
the fluid drops), then the two competing explanations of the sound, labelled as such, as
the page's text has them: A, a gas cavity forming as the surfaces separate (Kawchuk 2015),
and B, a bubble collapsing, partly (Unsworth 1971; Chandran Suja and Barakat 2018).
`cavitation` lays them side by side for wide screens and print; `cavitation-narrow` stacks
them with larger labels so the words stay legible on a 320 px phone screen.
"""

from __future__ import annotations

from collections.abc import Callable

from . import arrows
from .geometry import Point, arc, polar
from .registry import drawing
from .scene import Circle, Path, Rect, Scene, Text

# Number, heading (two short lines) and explanation (short lines): short lines keep
# the labels large enough to read on a phone without running into the next panel. The last
# two panels are the two competing explanations of the sound, as the page's text has them.
STAGES = (
    ("1", ("Joint", "at rest"), ("Two bone ends", "in a capsule of", "synovial fluid")),
    ("2", ("Surfaces", "pulled apart"), ("The gap widens;", "pressure in the", "fluid drops")),
    ("A", ("Cavity", "forms"), ("The pop is a gas", "cavity forming", "(Kawchuk 2015)")),
    (
        "B",
        ("Bubble", "collapses"),
        ("The pop is a bubble", "collapsing (Unsworth", "1971; Chandran Suja", "& Barakat 2018)"),
    ),
)
COMPETING = "Two competing explanations of the pop"
GAPS = (5, 22, 22, 22)  # space between the bone ends at each stage, in local units


def _joint(stage: int, place: Callable[[Point], Point], scale: float) -> list:
    """One joint, drawn in a 200 x 200 local box and mapped into the scene by `place`."""

    def pts(points) -> tuple[Point, ...]:
        return tuple(place(p) for p in points)

    gap = GAPS[stage]
    mid = 100
    upper_end = mid - gap / 2  # lowest point of the upper bone
    lower_end = mid + gap / 2  # top of the lower bone
    # The upper bone ends in a rounded head; the lower in a shallow cup that fits it.
    upper = (
        [(62, 0), (62, upper_end - 34)]
        + [(100 + 38 * x, upper_end - 34 + 34 * y) for x, y in _half_round()]
        + [(138, upper_end - 34), (138, 0)]
    )
    lower = (
        [(54, 200), (54, lower_end + 10), (76, lower_end + 2)]
        + [(100 + 24 * x, lower_end + 2 + 5 * y) for x, y in _half_round()]
        + [(124, lower_end + 2), (146, lower_end + 10), (146, 200)]
    )
    capsule_top, capsule_bottom = upper_end - 44, lower_end + 34
    capsule = Rect(
        *place((36, capsule_top)),
        128 * scale,
        (capsule_bottom - capsule_top) * scale,
        radius=30 * scale,
        stroke="prop",
        fill="fluid",
    )
    elements: list = [
        capsule,
        Path(pts(upper), stroke="ink", fill="fill", closed=True),
        Path(pts(lower), stroke="ink", fill="fill", closed=True),
    ]
    if stage >= 1:
        # The bones are drawn apart...
        elements += arrows.straight_arrow(place((100, 30)), place((100, 4)))
        elements += arrows.straight_arrow(place((100, 170)), place((100, 196)))
    if stage == 1:
        # ...and the pressure in the widening gap falls: fluid is drawn inwards.
        elements += arrows.straight_arrow(place((44, mid)), place((72, mid)))
        elements += arrows.straight_arrow(place((156, mid)), place((128, mid)))
    bubble = place((100, mid))
    if stage == 2:
        # Explanation A: the cavity appearing as the surfaces separate is the sound.
        elements.append(Circle(bubble, 11 * scale, stroke="ink", fill="paper"))
        for angle in (20, 160, 200, 340):
            elements.append(Path((polar(bubble, 17 * scale, angle), polar(bubble, 27 * scale, angle)), stroke="accent"))
    if stage == 3:
        # Explanation B: the bubble collapsing (partly: a little gas stays) is the sound.
        elements.append(Circle(bubble, 11 * scale, stroke="ink", fill=None))
        elements.append(Circle(bubble, 4 * scale, stroke="ink", fill="paper"))
        for angle in (45, 135, 225, 315):
            elements += arrows.straight_arrow(polar(bubble, 24 * scale, angle), polar(bubble, 10 * scale, angle))
    return elements


def _half_round() -> list[Point]:
    """Unit half-circle from (-1, 0) round through (0, 1) to (1, 0): y down, so it bulges
    downwards (the rounded end of the upper bone, the dip of the lower bone's cup)."""
    return arc((0, 0), 1, 180, 360, steps=10)


def _mapper(origin: Point, scale: float) -> Callable[[Point], Point]:
    return lambda p: (origin[0] + p[0] * scale, origin[1] + p[1] * scale)


@drawing("cavitation", "How a joint pops: at rest, surfaces pulled apart, then two competing explanations.")
def cavitation_wide() -> Scene:
    scene = Scene(title="", width=1040, height=560)
    for index, (number, heading, lines) in enumerate(STAGES):
        center = index * 260 + 130
        scale = 1.05
        scene.add(_joint(index, _mapper((center - 100 * scale, 52), scale), scale))
        scene.add(
            Text((center, 320), f"{number}  {heading[0]}", 26, bold=True, fill="accent" if index >= 2 else "ink"),
            Text((center, 352), heading[1], 26, bold=True),
            *[Text((center, 398 + 30 * row), line, 21) for row, line in enumerate(lines)],
        )
    # A bracket over panels A and B: the two readings of the same moment.
    scene.add(
        Path(((530, 44), (530, 30), (1030, 30), (1030, 44)), stroke="accent"),
        Text((780, 20), COMPETING, 21, bold=True, fill="accent"),
    )
    return scene


@drawing("cavitation-narrow", "How a joint pops, stacked: at rest, pulled apart, then two competing explanations.")
def cavitation_narrow() -> Scene:
    scene = Scene(title="", width=400, height=860)
    for index, (number, heading, lines) in enumerate(STAGES):
        top = index * 200 + (60 if index >= 2 else 0)
        scale = 0.9
        scene.add(_joint(index, _mapper((0, top + 10), scale), scale))
        scene.add(
            Text((196, top + 44), number, 26, anchor="start", bold=True, fill="accent"),
            Text((196, top + 76), heading[0], 22, anchor="start", bold=True),
            Text((196, top + 102), heading[1], 22, anchor="start", bold=True),
            *[Text((196, top + 132 + 20 * row), line, 16, anchor="start") for row, line in enumerate(lines)],
        )
    scene.add(
        Path(((6, 406), (394, 406)), stroke="accent"),
        Text((200, 434), "Two competing explanations", 20, bold=True, fill="accent"),
        Text((200, 458), "of the pop", 20, bold=True, fill="accent"),
    )
    return scene
