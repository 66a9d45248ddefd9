"""Writing and checking the committed SVG files (used by the management command and tests)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import render_svg
from .registry import keys

REPO_ROOT = Path(__file__).resolve().parents[2]
STATIC_DIR = REPO_ROOT / "static" / "illustrations"
DIAGRAMS = ("cavitation", "cavitation-narrow")


def output_path(key: str, static_dir: Path = STATIC_DIR) -> Path:
    """Diagrams sit at the top of static/illustrations, step drawings under steps/."""
    return static_dir / f"{key}.svg" if key in DIAGRAMS else static_dir / "steps" / f"{key}.svg"


@dataclass(frozen=True)
class Difference:
    path: Path
    reason: str  # "missing", "changed" or "stale"


def expected_files(static_dir: Path = STATIC_DIR) -> dict[Path, str]:
    return {output_path(key, static_dir): render_svg(key) for key in keys()}


def write_all(static_dir: Path = STATIC_DIR) -> list[Path]:
    """Write every SVG whose content changed; return the paths written."""
    written = []
    for path, text in expected_files(static_dir).items():
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def remove_stale(static_dir: Path = STATIC_DIR) -> list[Path]:
    """Delete step SVGs no drawing produces any more (a step was removed from a guide)."""
    expected = set(expected_files(static_dir))
    stale = [path for path in sorted((static_dir / "steps").glob("*.svg")) if path not in expected]
    for path in stale:
        path.unlink()
    return stale


def differences(static_dir: Path = STATIC_DIR) -> list[Difference]:
    """Committed SVGs that don't match what the generator makes now."""
    expected = expected_files(static_dir)
    found = []
    for path, text in expected.items():
        if not path.exists():
            found.append(Difference(path, "missing"))
        elif path.read_text(encoding="utf-8") != text:
            found.append(Difference(path, "changed"))
    for path in sorted((static_dir / "steps").glob("*.svg")):
        if path not in expected:
            found.append(Difference(path, "stale"))
    return found
