"""Adds published guides to the bench's database, for `make bench` to measure the guide list
and a guide page with far more content than the seed's twelve guides.

    python bench/make_guides.py 500

Each new guide copies a seed guide (in turn): its text, steps with their drawings, safety
tips, cited sources, equipment, body areas and related guides, under a new title and slug. It
writes only to a database whose name says it is the bench's, never to a real one.
"""

import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backrelief.settings.production")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402

from techniques.models import GuideCitation, SafetyTip, Step, Technique  # noqa: E402


def copy_fields(row, **changes):
    """A new, unsaved row with the same field values as `row`, apart from `changes`."""
    model = type(row)
    values = {field.attname: getattr(row, field.attname) for field in model._meta.concrete_fields}
    values.pop(model._meta.pk.attname)
    return model(**{**values, **changes})


@transaction.atomic
def make_guides(count: int) -> None:
    seeds = list(
        Technique.objects.published()
        .order_by("slug")
        .prefetch_related("steps", "tips", "citations", "equipment", "body_areas", "related")
    )
    if not seeds:
        sys.exit("No published guides to copy: load the seed content first.")
    plan = [(seeds[n % len(seeds)], n // len(seeds) + 1) for n in range(count)]
    # Saved in bulk: copies of already-rendered rows, so nothing in save() needs to run.
    guides = Technique.objects.bulk_create(
        copy_fields(seed, title=f"{seed.title}, variation {number}", slug=f"{seed.slug}-variation-{number}")
        for seed, number in plan
    )
    steps, tips, citations = [], [], []
    links = {name: [] for name in ("equipment", "body_areas", "related")}
    for guide, (seed, _) in zip(guides, plan, strict=True):
        steps += [copy_fields(step, technique_id=guide.pk) for step in seed.steps.all()]
        tips += [copy_fields(tip, technique_id=guide.pk) for tip in seed.tips.all()]
        citations += [copy_fields(citation, technique_id=guide.pk) for citation in seed.citations.all()]
        for name, rows in links.items():
            field = Technique._meta.get_field(name)
            ends = {f"{field.m2m_field_name()}_id": guide.pk}
            rows += [
                field.remote_field.through(**ends, **{f"{field.m2m_reverse_field_name()}_id": other.pk})
                for other in getattr(seed, name).all()
            ]
    Step.objects.bulk_create(steps)
    SafetyTip.objects.bulk_create(tips)
    GuideCitation.objects.bulk_create(citations)
    for name, rows in links.items():
        Technique._meta.get_field(name).remote_field.through.objects.bulk_create(rows)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    if "bench" not in str(settings.DATABASES["default"]["NAME"]):
        sys.exit(f"Refusing to add {count} guides to {settings.DATABASES['default']['NAME']}: not a bench database.")
    make_guides(count)
    print(f"{count} guides added; {Technique.objects.published().count()} published in all.")


if __name__ == "__main__":
    main()
