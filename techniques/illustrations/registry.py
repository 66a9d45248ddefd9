"""Which drawing goes with which key, and how a key becomes a Scene.

Step drawings are the 3D shots in shots.py; diagrams register a builder with
`@drawing(key, description)`. The description is the fallback <title>; when the guide
content has an alt text for that step, the alt text is used, so the picture and the words
a screen reader hears match. A step whose shot moves has two drawings: the still (end
pose over a ghost of the start) and the moving one (the same, animated).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from pathlib import Path

from .content import alt_texts
from .scene import Element, Scene, framed

# Modules whose import registers diagrams.
DRAWING_MODULES = ("techniques.illustrations.cavitation",)


@dataclass(frozen=True)
class Entry:
    description: str
    build: Callable[[], list[Element] | Scene]


_ENTRIES: dict[str, Entry] = {}


def drawing(key: str, description: str) -> Callable:
    def register(build: Callable) -> Callable:
        if key in _ENTRIES:
            raise ValueError(f"Two drawings registered for {key!r}")
        _ENTRIES[key] = Entry(description, build)
        return build

    return register


def _entries() -> dict[str, Entry]:
    for module in DRAWING_MODULES:
        import_module(module)
    return _ENTRIES


def _shots() -> dict:
    from .shots import SHOTS

    return SHOTS


def keys() -> list[str]:
    """All drawing keys: one per guide step, plus the diagrams."""
    return sorted({*_entries(), *_shots()})


@cache
def moving_keys() -> tuple[str, ...]:
    """Keys of the step drawings that are movements, and so have an animated version."""
    return tuple(sorted(key for key, build in _shots().items() if build().moves))


def _title(key: str, guides_dir: Path | None, fallback: str) -> str:
    return alt_texts(guides_dir).get(key) or fallback


def drawing_for(key: str, title: str | None = None, guides_dir: Path | None = None, moving: bool = False) -> Scene:
    """The Scene for `key` (its animated version when `moving`), titled with the step's
    alt text when the content in `guides_dir` has one."""
    from .stage import moving_scene, still_scene

    shots = _shots()
    if key in shots:
        shot = shots[key]()
        if moving and not shot.moves:
            raise KeyError(f"{key!r} is a position, not a movement: it has no animation")
        scene = moving_scene(shot) if moving else still_scene(shot)
        scene.title = title or _title(key, guides_dir, key.replace("-", " "))
        scene.key = f"{key}-moving" if moving else key
        return scene
    entries = _entries()
    if key not in entries or moving:
        raise KeyError(f"No drawing for {key!r}")
    entry = entries[key]
    built = entry.build()
    title = title or _title(key, guides_dir, entry.description)
    if isinstance(built, Scene):
        built.title, built.key = title, key
        return built
    return framed(Scene(title=title, key=key, elements=list(built)))
