"""The guide list as the illustrations need it, read straight from the content TOML.

Reading the seed files (not the database) lets the generator and its tests run in CI
and in `make illustrations` without migrations or a loaded database. The folder is always
passed in by the caller (the project decides where its content lives).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StepInfo:
    key: str  # "<guide-slug>-<step number>", the illustration key
    number: int
    title: str
    alt: str


@dataclass(frozen=True)
class GuideInfo:
    slug: str
    title: str
    steps: tuple[StepInfo, ...]


def load_guides(directory: Path) -> list[GuideInfo]:
    """Every guide file, sorted by slug, with its steps numbered from 1 in file order."""
    guides = []
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        slug = data.get("slug", path.stem)
        steps = tuple(
            StepInfo(key=f"{slug}-{number}", number=number, title=step.get("title", ""), alt=step.get("alt", ""))
            for number, step in enumerate(data.get("step", []), start=1)
        )
        guides.append(GuideInfo(slug=slug, title=data.get("title", slug), steps=steps))
    return guides


def alt_texts(directory: Path | None) -> dict[str, str]:
    """Illustration key -> the step's alt text, for the SVG <title> (none without a folder)."""
    if directory is None:
        return {}
    return {step.key: step.alt for guide in load_guides(directory) for step in guide.steps if step.alt}
