"""Loading the seed content in techniques/content/ into the database, and carrying later
corrections of it to databases that loaded an earlier version.

Every seed item (techniques.seed_items) is recorded in LoadedSeed when it is loaded, with
the row it became and a fingerprint of the values written. On each run, for each item:

- never loaded: it is created;
- loaded, and its row still holds what the loader wrote: it gets the seed's current text
  if that has changed (an item no editor touched follows the seed files);
- loaded, and an editor changed its row: it is left alone and listed for review;
- loaded, and an editor deleted it: it stays deleted;
- gone from the seed files: its row is deleted if no editor changed it, listed otherwise.

Databases loaded before fingerprints were recorded have only the keys of sources, pages,
site-wide tips and whole guides. For those, `LOADED_BEFORE` (content/loaded_before.json)
holds the fingerprints of every item as the first release loaded it, so an item still
exactly as the first release wrote it is known to be untouched.
"""

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from routines.models import Routine, RoutineItem
from techniques.models import LoadedSeed, Status, Technique
from techniques.seed_items import (
    GUIDE,
    GUIDE_TIP,
    PAIR,
    RED_FLAG,
    STEP,
    Item,
    check_fits,
    fingerprint,
    guide_items,
    page_item,
    safety_items,
    source_items,
)

CONTENT_DIR = Path(__file__).resolve().parent / "content"
LOADED_BEFORE_FILE = CONTENT_DIR / "loaded_before.json"


def read_toml(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def seed_items(content_dir: Path = CONTENT_DIR) -> list[Item]:
    """Every syncable item in the seed files, each guide before its steps and tips."""
    items = list(source_items(read_toml(content_dir / "sources.toml")["source"]))
    items += [page_item(path.stem, read_toml(path)) for path in sorted((content_dir / "pages").glob("*.toml"))]
    items += safety_items(read_toml(content_dir / "safety.toml"))
    for path in sorted((content_dir / "guides").glob("*.toml")):
        items += guide_items(read_toml(path))
    return items


def fingerprints(content_dir: Path) -> dict[str, str]:
    """Item key -> fingerprint for a version of the seed files, as LOADED_BEFORE keeps them."""
    return {item.key: item.fingerprint for item in seed_items(content_dir)}


def loaded_before() -> dict[str, list[str]]:
    with LOADED_BEFORE_FILE.open() as handle:
        return json.load(handle)


@dataclass
class Review:
    key: str
    reason: str

    def __str__(self):
        return f"{self.key}: {self.reason}"


@dataclass
class LoadReport:
    loaded: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    review: list[Review] = field(default_factory=list)

    def __str__(self):
        return (
            f"{len(self.loaded)} item(s) loaded, {len(self.updated)} updated to the corrected text, "
            f"{len(self.removed)} removed, {len(self.review)} changed by an editor and left for review."
        )


# A record whose row could not be told apart from the rest (a site-wide red flag that an
# editor changed or deleted, from a database that kept no row ids): listed once, then left be.
LEFT_TO_EDITORS = "left-to-editors"
# What an editor has reviewed when the seed files dropped the item they changed.
DROPPED = "dropped"
# What can be removed when the seed files drop it; guides, sources and pages never are.
RETIRABLE = {"site-tip:pair:": PAIR, "site-tip:red-flag:": RED_FLAG, ":step:": STEP, ":tip:": GUIDE_TIP}


class ContentLoader:
    def __init__(self, content_dir: Path = CONTENT_DIR, earlier: dict[str, list[str]] | None = None):
        self.content_dir = content_dir
        self.earlier = loaded_before() if earlier is None else earlier
        self.report = LoadReport()
        self.records = {record.key: record for record in LoadedSeed.objects.all()}
        # Guides loaded before their steps and tips had keys of their own.
        self.legacy_guides = {
            key for key, record in self.records.items() if key.startswith("guide:") and not record.fingerprint
        }
        self.first_keys = {}  # item key -> the key the first release loaded it under
        self.rows = {}  # item key -> its row: a guide's, for its steps and tips

    @transaction.atomic
    def load(self) -> LoadReport:
        items = seed_items(self.content_dir)
        for item in items:
            self.apply(item)
        self.retire({item.key for item in items})
        self.link_new_guides(items)
        self.load_routines()
        return self.report

    # --- one item -------------------------------------------------------------------

    def apply(self, item: Item):
        record = self.record_for(item)
        if record is not None and record.fingerprint == LEFT_TO_EDITORS:
            return
        parent_row = None
        if item.parent:
            parent_row = self.rows.get(item.parent)
            if parent_row is None:  # its guide was deleted by an editor
                return
        if record is None and not (item.parent in self.legacy_guides and item.key in self.earlier):
            self.create(item, parent_row)
            return
        baseline = self.baseline(item.key, record)
        row = self.find(item, record, baseline, parent_row)
        if row is None:
            self.not_found(item.key, item.kind, record)
            return
        self.rows[item.key] = row
        current = fingerprint(item.kind.read(row))
        if current == item.fingerprint:
            self.remember(item.key, row, item.fingerprint)
        elif item.fingerprint in baseline:  # the seed files have not changed it: the editor's text stands
            self.remember(item.key, row, item.fingerprint)
        elif current in baseline:
            item.kind.update(row, item)
            self.remember(item.key, row, item.fingerprint)
            self.report.updated.append(item.key)
        else:
            self.remember(item.key, row, min(baseline))
            if self.records[item.key].reviewed_seed != item.fingerprint:
                self.ask_review(item.key, "changed by an editor; the seed files now say something else")

    def create(self, item, parent_row):
        if item.kind.find(item, parent_row) is not None:
            if item.parent:
                self.ask_review(item.key, "new in the seed files, but an editor's item has its place")
            return  # otherwise made by an editor before the loader ever ran: theirs
        row = item.kind.create(item, parent_row)
        self.rows[item.key] = row
        self.remember(item.key, row, item.fingerprint)
        self.report.loaded.append(item.key)

    def record_for(self, item):
        """The item's record; one the first release made under another key takes the new key."""
        record = self.records.get(item.key)
        if record is None and item.was in self.records:
            record = self.records.pop(item.was)
            record.key = item.key
            record.save(update_fields=["key"])
            self.records[item.key] = record
            self.first_keys[item.key] = item.was
        return record

    def baseline(self, key, record) -> set[str]:
        """The fingerprints of what the loader wrote for this item."""
        if record is not None and record.fingerprint:
            return {record.fingerprint}
        return set(self.earlier.get(self.first_keys.get(key, key), []))

    def find(self, item, record, baseline, parent_row):
        kind = item.kind
        if record is not None and record.object_id is not None:
            return kind.model.objects.filter(pk=record.object_id).first()
        if kind is not RED_FLAG:
            return kind.find(item, parent_row)
        # A site-wide red flag has no natural key: the row still exactly as loaded, else the
        # one in its place in the first release's list (which an editor changed), never a
        # row that another red flag has already claimed in this run.
        rows = kind.candidates(item).exclude(pk__in=self.claimed_red_flags(item.key))
        exact = next((row for row in rows if fingerprint(kind.read(row)) in baseline), None)
        place = self.first_keys.get(item.key, item.key).rsplit(":", 1)[1]
        if exact is None and place.isdigit():
            return rows.filter(order=int(place)).order_by("pk").first()
        return exact

    def claimed_red_flags(self, key):
        prefix = "site-tip:red-flag:"
        return {
            record.object_id
            for other, record in self.records.items()
            if other != key and other.startswith(prefix) and record.object_id is not None
        }

    def not_found(self, key, kind, record):
        """Deleted by an editor, so it stays deleted; unless, with no row id recorded and no
        natural key, a changed row can't be told from a deleted one: then it is listed once."""
        if kind is RED_FLAG and record is not None and record.object_id is None:
            record.fingerprint = LEFT_TO_EDITORS
            record.save()
            self.ask_review(key, "not found as it was loaded: an editor changed or deleted it")

    def remember(self, key, row, value):
        record = self.records.get(key) or LoadedSeed(key=key)
        record.fingerprint, record.object_id, record.review = value, getattr(row, "pk", None), ""
        record.save()
        self.records[key] = record

    def ask_review(self, key, reason):
        """List the item, in this run's report and on the admin home page until it is settled."""
        self.report.review.append(Review(key, reason))
        record = self.records.get(key) or LoadedSeed(key=key)
        record.review = reason
        record.save()
        self.records[key] = record

    def forget(self, key):
        record = self.records.pop(key, None)
        if record is not None:
            record.delete()

    def mark_reviewed(self, keys) -> list[str]:
        """An editor has compared these items with the seed files and keeps their own text:
        they are not listed again until the seed files change them once more. Returns the
        keys that are not waiting for review."""
        current = {item.key: item.fingerprint for item in seed_items(self.content_dir)}
        unknown = []
        for key in keys:
            record = self.records.get(key)
            if record is None or not record.review:
                unknown.append(key)
                continue
            record.reviewed_seed, record.review = current.get(key, DROPPED), ""
            record.save()
        return unknown

    # --- items the seed files no longer have ------------------------------------------

    def retire(self, current_keys):
        gone = {key for key in self.records if key not in current_keys}
        gone |= {key for key in self.earlier if key.rsplit(":", 2)[0] in self.legacy_guides}
        for key in sorted(gone - current_keys):
            kind = next((kind for marker, kind in RETIRABLE.items() if marker in key), None)
            if kind is not None and self.records.get(key, LoadedSeed()).fingerprint != LEFT_TO_EDITORS:
                self.retire_one(key, kind)

    def retire_one(self, key, kind):
        record = self.records.get(key)
        parent_key = key.rsplit(":", 2)[0] if kind in (STEP, GUIDE_TIP) else ""
        parent_row = self.rows.get(parent_key)
        if parent_key and parent_row is None:
            self.forget(key)  # its guide is gone
            return
        order = key.rsplit(":", 1)[1]
        natural = {"order": int(order)} if kind is not RED_FLAG else {}
        ghost = Item(key, kind, natural, parent=parent_key, natural=natural)
        baseline = self.baseline(key, record)
        row = self.find(ghost, record, baseline, parent_row)
        if row is None:
            self.not_found(key, kind, record)
        elif fingerprint(kind.read(row)) in baseline:
            kind.delete(row)
            self.forget(key)
            self.report.removed.append(key)
        else:
            self.remember(key, row, min(baseline))
            if self.records[key].reviewed_seed != DROPPED:
                self.ask_review(key, "no longer in the seed files, but an editor changed it, so it was kept")

    # --- loaded once ------------------------------------------------------------------

    def link_new_guides(self, items):
        """Related guides are linked when guides are first loaded, once every one exists."""
        for item in items:
            if item.kind is GUIDE and item.key in self.report.loaded:
                entry = read_toml(self.content_dir / "guides" / f"{item.values['slug']}.toml")
                self.rows[item.key].related.set(Technique.objects.filter(slug__in=entry.get("related", [])))

    def once(self, key: str) -> bool:
        if key in self.records:
            return False
        self.records[key] = LoadedSeed.objects.create(key=key)
        self.report.loaded.append(key)
        return True

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
            values = {
                "slug": entry["slug"],
                "title": entry["title"],
                "summary": entry["summary"],
                "intro": entry.get("intro", ""),
            }
            check_fits(Routine, values, f"Routine {entry['slug']}")
            routine = Routine.objects.create(**values, status=Status.PUBLISHED)
            for order, item in enumerate(items, start=1):
                RoutineItem.objects.create(
                    routine=routine,
                    technique=guides[item["guide"]],
                    order=order,
                    hold_seconds=item.get("hold_seconds"),
                    reps=item.get("reps"),
                )
