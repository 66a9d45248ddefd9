"""Writing and checking the committed SVG files (used by the management command and tests).

Each step has `steps/<key>.svg`, a still drawing; a step that is a movement also has
`steps/<key>-moving.svg`, the same drawing animated. The page shows the moving one and
names the still one for readers who ask for reduced motion, and for print.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import render_svg
from .registry import keys, moving_keys

DIAGRAMS = ("cavitation", "cavitation-narrow")
MOVING_SUFFIX = "-moving"


def output_path(key: str, static_dir: Path, moving: bool = False) -> Path:
    """Diagrams sit at the top of static/illustrations, step drawings under steps/."""
    if key in DIAGRAMS:
        return static_dir / f"{key}.svg"
    return static_dir / "steps" / f"{key}{MOVING_SUFFIX if moving else ''}.svg"


@dataclass(frozen=True)
class Difference:
    path: Path
    reason: str  # "missing", "changed" or "stale"


@cache
def _rendered(guides_dir: Path) -> dict[tuple[str, bool], str]:
    """Every SVG the generator makes, by (key, moving). Cached: drawing them all takes a
    while, and the check, the writer and the tests all want the same set."""
    files = {(key, False): render_svg(key, guides_dir=guides_dir) for key in keys()}
    files |= {(key, True): render_svg(key, moving=True, guides_dir=guides_dir) for key in moving_keys()}
    return files


def expected_files(guides_dir: Path, static_dir: Path) -> dict[Path, str]:
    return {output_path(key, static_dir, moving): text for (key, moving), text in _rendered(guides_dir).items()}


def write_all(guides_dir: Path, static_dir: Path) -> list[Path]:
    """Write every SVG whose content changed; return the paths written."""
    written = []
    for path, text in expected_files(guides_dir, static_dir).items():
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _stale(expected: set[Path], static_dir: Path) -> list[Path]:
    return [path for path in sorted((static_dir / "steps").glob("*.svg")) if path not in expected]


def remove_stale(guides_dir: Path, static_dir: Path) -> list[Path]:
    """Delete step SVGs no drawing produces any more (a step was removed from a guide)."""
    stale = _stale(set(expected_files(guides_dir, static_dir)), static_dir)
    for path in stale:
        path.unlink()
    return stale


def differences(guides_dir: Path, static_dir: Path) -> list[Difference]:
    """Committed SVGs that don't match what the generator makes now."""
    expected = expected_files(guides_dir, static_dir)
    found = []
    for path, text in expected.items():
        if not path.exists():
            found.append(Difference(path, "missing"))
        elif path.read_text(encoding="utf-8") != text:
            found.append(Difference(path, "changed"))
    found += [Difference(path, "stale") for path in _stale(set(expected), static_dir)]
    return found
