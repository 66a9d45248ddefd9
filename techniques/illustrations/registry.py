"""Which drawing goes with which key, and how a key becomes a Scene.

Drawing modules register a builder per key with `@drawing(key, description)`. The
description is the fallback <title>; when the guide content has an alt text for that step,
the alt text is used, so the picture and the words a screen reader hears match.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from .content import alt_texts
from .scene import Element, Scene, framed

# Modules whose import registers drawings.
DRAWING_MODULES = ("techniques.illustrations.drawings", "techniques.illustrations.cavitation")


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


def keys() -> list[str]:
    """All drawing keys: one per guide step, plus the diagrams."""
    return sorted(_entries())


def drawing_for(key: str, title: str | None = None) -> Scene:
    """The Scene for `key`, titled with the step's alt text when the content has one."""
    entries = _entries()
    if key not in entries:
        raise KeyError(f"No drawing for {key!r}")
    entry = entries[key]
    title = title or alt_texts().get(key) or entry.description
    built = entry.build()
    if isinstance(built, Scene):
        built.title, built.key = title, key
        return built
    return framed(Scene(title=title, key=key, elements=list(built)))
