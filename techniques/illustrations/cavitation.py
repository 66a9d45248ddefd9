"""The cavitation diagram: what happens in a joint when it "pops".

Three stages in the house style: the joint at rest, the surfaces pulled apart (pressure
in the fluid drops), and a gas cavity forming. `cavitation` lays them side by side for
wide screens and print; `cavitation-narrow` stacks them with larger labels so the words
stay legible on a 320 px phone screen.
"""

from __future__ import annotations

from collections.abc import Callable

from . import arrows
from .geometry import Point, arc, polar
from .registry import drawing
from .scene import Circle, Path, Rect, Scene, Text

# Number, heading (two short lines) and explanation (three short lines): short lines keep
# the labels large enough to read on a phone without running into the next panel.
STAGES = (
    ("1", ("Joint", "at rest"), ("Two bone ends", "in a capsule of", "synovial fluid")),
    ("2", ("Surfaces", "pulled apart"), ("The gap widens;", "pressure in the", "fluid drops")),
    ("3", ("Gas cavity", "forms"), ("A gas bubble", "appears in the", "fluid: the pop")),
)
GAPS = (5, 22, 22)  # space between the bone ends at each stage, in local units


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
    if stage == 2:
        bubble = place((100, mid))
        elements.append(Circle(bubble, 11 * scale, stroke="ink", fill="paper"))
        # Short rays around the cavity mark the moment of the sound.
        for angle in (20, 160, 200, 340):
            elements.append(Path((polar(bubble, 17 * scale, angle), polar(bubble, 27 * scale, angle)), stroke="accent"))
    return elements


def _half_round() -> list[Point]:
    """Unit half-circle from (-1, 0) round through (0, 1) to (1, 0): y down, so it bulges
    downwards (the rounded end of the upper bone, the dip of the lower bone's cup)."""
    return arc((0, 0), 1, 180, 360, steps=10)


def _mapper(origin: Point, scale: float) -> Callable[[Point], Point]:
    return lambda p: (origin[0] + p[0] * scale, origin[1] + p[1] * scale)


@drawing("cavitation", "Three stages of a joint pop: at rest, surfaces pulled apart, gas cavity forms.")
def cavitation_wide() -> Scene:
    scene = Scene(title="", width=960, height=520)
    for index, (number, heading, lines) in enumerate(STAGES):
        center = index * 320 + 160
        scale = 1.2
        scene.add(_joint(index, _mapper((center - 100 * scale, 12), scale), scale))
        scene.add(
            Text((center, 300), f"{number}  {heading[0]}", 28, bold=True),
            Text((center, 334), heading[1], 28, bold=True),
            *[Text((center, 384 + 32 * row), line, 24) for row, line in enumerate(lines)],
        )
    return scene


@drawing("cavitation-narrow", "Three stages of a joint pop, stacked: at rest, surfaces pulled apart, gas cavity forms.")
def cavitation_narrow() -> Scene:
    scene = Scene(title="", width=400, height=600)
    for index, (number, heading, lines) in enumerate(STAGES):
        top = index * 200
        scale = 0.9
        scene.add(_joint(index, _mapper((0, top + 10), scale), scale))
        scene.add(
            Text((196, top + 44), number, 26, anchor="start", bold=True, fill="accent"),
            Text((196, top + 76), heading[0], 22, anchor="start", bold=True),
            Text((196, top + 102), heading[1], 22, anchor="start", bold=True),
            *[Text((196, top + 134 + 22 * row), line, 18, anchor="start") for row, line in enumerate(lines)],
        )
    return scene
