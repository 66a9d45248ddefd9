"""The seed content as items that load_content can create, compare and correct.

An item is one thing an editor can change on its own in the admin: a source, a page, a row of
the safety table, a site-wide red flag, a guide's own fields (with its tags and cited sources),
one of its steps, one of its tips. Each has a key that names it for good and `values`: what the
seed files say, in the same shape as `read` gives for the row in the database, so that the two
can be compared by fingerprint (techniques.seeding says how that is used).
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist

from techniques.models import (
    BodyArea,
    Equipment,
    GuideCitation,
    Page,
    PageCitation,
    SafetyTip,
    Source,
    Status,
    Step,
    Technique,
    TipKind,
)

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
CHANGE_REASON = "Seed content correction (load_content)"


def canonical(value):
    """Text as an editor's save leaves it: a browser sends \\r\\n line ends and Django's form
    fields strip the ends, neither of which is an edit."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    if isinstance(value, dict):
        return {key: canonical(item) for key, item in value.items()}
    return value


def fingerprint(values: dict) -> str:
    text = json.dumps(canonical(values), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Item:
    key: str
    kind: "Kind"
    values: dict
    parent: str = ""  # the key of the guide a step or tip belongs to
    was: str = ""  # the key the first release loaded this item under, if it had another
    natural: dict = field(default_factory=dict)  # how to find its row without a recorded id

    def __post_init__(self):
        check_fits(self.kind.model, self.values, f"Content item {self.key}", self.kind.columns)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.values)


def check_fits(model, values: dict, what: str, columns: dict[str, str] | None = None) -> None:
    """Refuse a string longer than its column. SQLite stores a string of any length in a
    CharField and PostgreSQL refuses it: content would load on one database and not the
    other. `columns` names the column of a value stored under another name."""
    too_long = []
    for name, value in values.items():
        try:
            limit = model._meta.get_field((columns or {}).get(name, name)).max_length
        except FieldDoesNotExist:
            continue
        if isinstance(value, str) and limit and len(value) > limit:
            too_long.append(f"{name} has {len(value)} characters, at most {limit}")
    if too_long:
        raise ValueError(f"{what}: " + "; ".join(too_long))


def sources_by_key(keys):
    found = Source.objects.in_bulk(keys, field_name="key")
    return [found[key] for key in keys if key in found]


def cite(citation_model, owner_field, owner, keys):
    citation_model.objects.filter(**{owner_field: owner}).delete()
    for order, source in enumerate(sources_by_key(keys), start=1):
        citation_model.objects.create(**{owner_field: owner}, source=source, order=order)


def cited_keys(owner):
    return list(owner.citations.order_by("order", "pk").values_list("source__key", flat=True))


def save_as_correction(row):
    row._change_reason = CHANGE_REASON
    row.save()


class Kind:
    """How one kind of item is found, read, created, corrected and removed."""

    model = None
    columns: dict[str, str] = {}  # a value stored in a column of another name

    def find(self, item: Item, parent_row=None):
        """The row by its natural key (slug, order, ...), or None."""
        if not item.natural:
            return None
        lookup = dict(item.natural)
        if parent_row is not None:
            lookup["technique"] = parent_row
        return self.model.objects.filter(**lookup).order_by("pk").first()

    def candidates(self, item: Item, parent_row=None):
        """Rows that may be this item when no id was recorded and it has no natural key."""
        return []

    def read(self, row) -> dict:
        raise NotImplementedError

    def create(self, item: Item, parent_row=None):
        raise NotImplementedError

    def update(self, row, item: Item):
        for name, value in item.values.items():
            setattr(row, name, value)
        save_as_correction(row)

    def delete(self, row):
        row.delete()


class SourceKind(Kind):
    model = Source
    fields = ("key", "title", "authors", "publisher", "year", "url", "kind", "summary")

    def read(self, row):
        return {name: getattr(row, name) for name in self.fields}

    def create(self, item, parent_row=None):
        return Source.objects.create(**item.values)


class PageKind(Kind):
    model = Page

    def read(self, row):
        return {
            "slug": row.slug,
            "title": row.title,
            "summary": row.summary,
            "body": row.body,
            "sources": cited_keys(row),
        }

    def create(self, item, parent_row=None):
        values = dict(item.values)
        sources = values.pop("sources")
        page = Page.objects.create(**values)
        cite(PageCitation, "page", page, sources)
        return page

    def update(self, row, item):
        values = dict(item.values)
        cite(PageCitation, "page", row, values.pop("sources"))
        for name, value in values.items():
            setattr(row, name, value)
        save_as_correction(row)


class PairKind(Kind):
    """A row of the safety table: a do tip and a don't tip with the same order."""

    model = SafetyTip
    columns = {"do": "text", "dont": "text"}

    def find(self, item, parent_row=None):
        tips = SafetyTip.objects.filter(technique__isnull=True, order=item.values["order"])
        do = tips.filter(kind=TipKind.DO).order_by("pk").first()
        dont = tips.filter(kind=TipKind.DONT).order_by("pk").first()
        return (do, dont) if do and dont else None

    def read(self, row):
        do, dont = row
        return {"order": do.order, "do": do.text, "dont": dont.text}

    def create(self, item, parent_row=None):
        order = item.values["order"]
        return (
            SafetyTip.objects.create(kind=TipKind.DO, text=item.values["do"], order=order),
            SafetyTip.objects.create(kind=TipKind.DONT, text=item.values["dont"], order=order),
        )

    def update(self, row, item):
        for tip, text in zip(row, (item.values["do"], item.values["dont"]), strict=True):
            tip.text = text
            save_as_correction(tip)

    def delete(self, row):
        for tip in row:
            tip.delete()


class RedFlagKind(Kind):
    """A site-wide red flag. It has no natural key: the loader records its row."""

    model = SafetyTip

    def candidates(self, item, parent_row=None):
        return SafetyTip.objects.filter(technique__isnull=True, kind=TipKind.RED_FLAG).prefetch_related("sources")

    def read(self, row):
        sources = sorted(source.key for source in row.sources.all())
        return {"order": row.order, "text": row.text, "urgency": row.urgency, "sources": sources}

    def create(self, item, parent_row=None):
        values = dict(item.values)
        sources = values.pop("sources")
        tip = SafetyTip.objects.create(kind=TipKind.RED_FLAG, **values)
        tip.sources.set(sources_by_key(sources))
        return tip

    def update(self, row, item):
        values = dict(item.values)
        row.sources.set(sources_by_key(values.pop("sources")))
        for name, value in values.items():
            setattr(row, name, value)
        save_as_correction(row)


class GuideKind(Kind):
    """A guide's own fields, its equipment, body areas and cited sources. Its status is the
    editors' to set, and related guides are linked once, when guides are first loaded."""

    model = Technique
    fields = ("slug", "title", "summary", "intro", "feel", "mistakes", "position", "difficulty", "minutes")

    def read(self, row):
        return {
            **{name: getattr(row, name) for name in self.fields},
            "equipment": sorted(row.equipment.values_list("slug", flat=True)),
            "body_areas": sorted(row.body_areas.values_list("slug", flat=True)),
            "sources": cited_keys(row),
        }

    def create(self, item, parent_row=None):
        values = item.values
        guide = Technique.objects.create(**{name: values[name] for name in self.fields}, status=Status.PUBLISHED)
        self.set_relations(guide, values)
        return guide

    def update(self, row, item):
        for name in self.fields:
            setattr(row, name, item.values[name])
        save_as_correction(row)
        self.set_relations(row, item.values)

    def set_relations(self, guide, values):
        guide.equipment.set(
            Equipment.objects.get_or_create(slug=slug, defaults={"name": EQUIPMENT_NAMES.get(slug, slug)})[0]
            for slug in values["equipment"]
        )
        guide.body_areas.set(
            BodyArea.objects.get_or_create(slug=slug, defaults={"name": BODY_AREA_NAMES.get(slug, slug)})[0]
            for slug in values["body_areas"]
        )
        cite(GuideCitation, "technique", guide, values["sources"])


class StepKind(Kind):
    model = Step
    fields = (
        "order",
        "title",
        "instruction",
        "hold_seconds",
        "reps",
        "sides",
        "breathing",
        "illustration",
        "image_alt",
    )

    def read(self, row):
        return {name: getattr(row, name) for name in self.fields}

    def create(self, item, parent_row=None):
        return Step.objects.create(technique=parent_row, **item.values)


class GuideTipKind(Kind):
    model = SafetyTip
    fields = ("order", "kind", "text", "urgency")

    def read(self, row):
        return {name: getattr(row, name) for name in self.fields}

    def create(self, item, parent_row=None):
        return SafetyTip.objects.create(technique=parent_row, **item.values)


SOURCE, PAGE, PAIR, RED_FLAG, GUIDE, STEP, GUIDE_TIP = (
    SourceKind(),
    PageKind(),
    PairKind(),
    RedFlagKind(),
    GuideKind(),
    StepKind(),
    GuideTipKind(),
)


def source_items(entries):
    for entry in entries:
        values = {name: entry.get(name, "") for name in SourceKind.fields}
        values["year"] = entry.get("year")
        yield Item(f"source:{entry['key']}", SOURCE, values, natural={"key": entry["key"]})


def page_item(slug, entry):
    values = {
        "slug": slug,
        "title": entry["title"],
        "summary": entry["summary"],
        "body": entry["body"],
        "sources": entry.get("sources", []),
    }
    return Item(f"page:{slug}", PAGE, values, natural={"slug": slug})


def safety_items(safety):
    for order, pair in enumerate(safety.get("pair", []), start=1):
        yield Item(f"site-tip:pair:{order}", PAIR, {"order": order, "do": pair["do"], "dont": pair["dont"]})
    for order, flag in enumerate(safety.get("red_flag", []), start=1):
        values = {
            "order": order,
            "text": flag["text"],
            "urgency": flag["urgency"],
            "sources": sorted(flag.get("sources", [])),
        }
        # The first release named red flags by their place in the list; later ones by `key`.
        key = flag.get("key", str(order))
        was = f"site-tip:red-flag:{flag['was']}" if "was" in flag else ""
        yield Item(f"site-tip:red-flag:{key}", RED_FLAG, values, was=was)


def guide_items(entry):
    slug = entry["slug"]
    guide_key = f"guide:{slug}"
    values = {name: entry.get(name, "") for name in GuideKind.fields}
    values.update(
        equipment=sorted(entry.get("equipment", [])),
        body_areas=sorted(entry.get("body_areas", [])),
        sources=entry.get("sources", []),
    )
    yield Item(guide_key, GUIDE, values, natural={"slug": slug})
    for order, step in enumerate(entry["step"], start=1):
        values = {
            "order": order,
            "title": step["title"],
            "instruction": step["instruction"],
            "hold_seconds": step.get("hold_seconds") or None,
            "reps": step.get("reps") or None,
            "sides": step.get("sides", "once"),
            "breathing": step.get("breathing", ""),
            "illustration": f"{slug}-{order}",
            "image_alt": step["alt"],
        }
        yield Item(f"{guide_key}:step:{order}", STEP, values, parent=guide_key, natural={"order": order})
    for order, tip in enumerate(entry.get("tip", []), start=1):
        values = {"order": order, "kind": tip["kind"], "text": tip["text"], "urgency": tip.get("urgency", "")}
        yield Item(f"{guide_key}:tip:{order}", GUIDE_TIP, values, parent=guide_key, natural={"order": order})
