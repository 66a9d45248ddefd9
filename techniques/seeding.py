"""Loading the seed content in techniques/content/ into the database.

Each seed item (a guide with its steps and tips, a source, a page, a site-wide tip) is
loaded at most once: the loader records it in LoadedSeed. Running it again adds only items
it has never loaded, so an editor's changes and deletions always stand.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from routines.models import Routine, RoutineItem
from techniques.models import (
    BodyArea,
    Equipment,
    GuideCitation,
    LoadedSeed,
    Page,
    PageCitation,
    SafetyTip,
    Source,
    Status,
    Step,
    Technique,
    TipKind,
)

CONTENT_DIR = Path(__file__).resolve().parent / "content"

EQUIPMENT_NAMES = {
    "none": "No equipment",
    "foam-roller": "Foam roller",
    "chair": "Chair",
    "door-frame-or-wall": "Door frame or wall",
    "bed": "Bed",
    "towel": "Towel",
    "pillow": "Pillow",
    "mat": "Mat or carpet",
}
BODY_AREA_NAMES = {
    "upper-back": "Upper back",
    "mid-back": "Mid back",
    "shoulders": "Shoulders",
    "chest": "Chest",
    "neck": "Neck",
}


def read_toml(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


@dataclass
class LoadReport:
    loaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def __str__(self):
        return f"{len(self.loaded)} item(s) loaded, {len(self.skipped)} already loaded or edited."


class ContentLoader:
    def __init__(self, content_dir: Path = CONTENT_DIR):
        self.content_dir = content_dir
        self.report = LoadReport()
        self.done = set(LoadedSeed.objects.values_list("key", flat=True))

    def once(self, key: str) -> bool:
        """True the first time a seed key is seen; records it so it never loads again."""
        if key in self.done:
            self.report.skipped.append(key)
            return False
        LoadedSeed.objects.create(key=key)
        self.done.add(key)
        self.report.loaded.append(key)
        return True

    @transaction.atomic
    def load(self) -> LoadReport:
        self.load_sources()
        self.load_pages()
        self.load_site_tips()
        self.load_guides()
        self.load_routines()
        return self.report

    def sources_by_key(self, keys):
        found = {source.key: source for source in Source.objects.filter(key__in=keys)}
        return [found[key] for key in keys if key in found]

    def load_sources(self):
        for entry in read_toml(self.content_dir / "sources.toml")["source"]:
            if self.once(f"source:{entry['key']}") and not Source.objects.filter(key=entry["key"]).exists():
                Source.objects.create(
                    key=entry["key"],
                    title=entry["title"],
                    authors=entry.get("authors", ""),
                    publisher=entry["publisher"],
                    year=entry.get("year"),
                    url=entry.get("url", ""),
                    kind=entry["kind"],
                    summary=entry.get("summary", ""),
                )

    def load_pages(self):
        for path in sorted((self.content_dir / "pages").glob("*.toml")):
            slug = path.stem
            if not self.once(f"page:{slug}") or Page.objects.filter(slug=slug).exists():
                continue
            entry = read_toml(path)
            page = Page.objects.create(slug=slug, title=entry["title"], summary=entry["summary"], body=entry["body"])
            for order, source in enumerate(self.sources_by_key(entry.get("sources", [])), start=1):
                PageCitation.objects.create(page=page, source=source, order=order)

    def load_site_tips(self):
        safety = read_toml(self.content_dir / "safety.toml")
        for order, pair in enumerate(safety.get("pair", []), start=1):
            if self.once(f"site-tip:pair:{order}"):
                SafetyTip.objects.create(kind=TipKind.DO, text=pair["do"], order=order)
                SafetyTip.objects.create(kind=TipKind.DONT, text=pair["dont"], order=order)
        for order, flag in enumerate(safety.get("red_flag", []), start=1):
            if self.once(f"site-tip:red-flag:{order}"):
                tip = SafetyTip.objects.create(
                    kind=TipKind.RED_FLAG, text=flag["text"], urgency=flag["urgency"], order=order
                )
                tip.sources.set(self.sources_by_key(flag.get("sources", [])))

    def load_guides(self):
        entries = [read_toml(path) for path in sorted((self.content_dir / "guides").glob("*.toml"))]
        new_guides = {}
        for entry in entries:
            if self.once(f"guide:{entry['slug']}") and not Technique.objects.filter(slug=entry["slug"]).exists():
                new_guides[entry["slug"]] = (self.create_guide(entry), entry)
        # Related guides are linked once every new guide exists, so order of files doesn't matter.
        for guide, entry in new_guides.values():
            guide.related.set(Technique.objects.filter(slug__in=entry.get("related", [])))

    def load_routines(self):
        """Curated routines, published, made of the guides that exist; a guide an editor
        deleted is left out, and a routine left with none is not loaded."""
        for path in sorted((self.content_dir / "routines").glob("*.toml")):
            entry = read_toml(path)
            if not self.once(f"routine:{entry['slug']}") or Routine.objects.filter(slug=entry["slug"]).exists():
                continue
            guides = Technique.objects.in_bulk([item["guide"] for item in entry["item"]], field_name="slug")
            items = [item for item in entry["item"] if item["guide"] in guides]
            if not items:
                continue
            routine = Routine.objects.create(
                slug=entry["slug"],
                title=entry["title"],
                summary=entry["summary"],
                intro=entry.get("intro", ""),
                status=Status.PUBLISHED,
            )
            for order, item in enumerate(items, start=1):
                RoutineItem.objects.create(
                    routine=routine,
                    technique=guides[item["guide"]],
                    order=order,
                    hold_seconds=item.get("hold_seconds"),
                    reps=item.get("reps"),
                )

    def create_guide(self, entry) -> Technique:
        guide = Technique.objects.create(
            slug=entry["slug"],
            title=entry["title"],
            summary=entry["summary"],
            intro=entry["intro"],
            feel=entry.get("feel", ""),
            mistakes=entry.get("mistakes", ""),
            position=entry["position"],
            difficulty=entry["difficulty"],
            minutes=entry["minutes"],
            status=Status.PUBLISHED,
        )
        guide.equipment.set(
            Equipment.objects.get_or_create(slug=slug, defaults={"name": EQUIPMENT_NAMES.get(slug, slug)})[0]
            for slug in entry.get("equipment", [])
        )
        guide.body_areas.set(
            BodyArea.objects.get_or_create(slug=slug, defaults={"name": BODY_AREA_NAMES.get(slug, slug)})[0]
            for slug in entry.get("body_areas", [])
        )
        for order, step in enumerate(entry["step"], start=1):
            Step.objects.create(
                technique=guide,
                order=order,
                title=step["title"],
                instruction=step["instruction"],
                hold_seconds=step.get("hold_seconds") or None,
                reps=step.get("reps") or None,
                sides=step.get("sides", "once"),
                breathing=step.get("breathing", ""),
                illustration=f"{entry['slug']}-{order}",
                image_alt=step["alt"],
            )
        for order, tip in enumerate(entry.get("tip", []), start=1):
            SafetyTip.objects.create(
                technique=guide, kind=tip["kind"], text=tip["text"], urgency=tip.get("urgency", ""), order=order
            )
        for order, source in enumerate(self.sources_by_key(entry.get("sources", [])), start=1):
            GuideCitation.objects.create(technique=guide, source=source, order=order)
        return guide
