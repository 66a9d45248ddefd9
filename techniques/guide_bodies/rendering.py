"""A guide's body rendered from its rows: what `templates/techniques/guide_body.html` shows,
and its structured data."""

from datetime import datetime
from typing import NamedTuple

from django.db.models import CharField, DateTimeField, Prefetch, Value, prefetch_related_objects
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.utils import timezone

from techniques.models import GuideCitation, SafetyTip, Status, TipKind, most_urgent_first
from techniques.structured_data import guide_json_ld, json_ld_script


class Body(NamedTuple):
    html: str
    json_ld: str


class Label(NamedTuple):
    name: str
    slug: str
    summary: str


def render_body(request, guide) -> tuple[Body, datetime | None]:
    """The guide's body rendered from its rows, and when it goes stale by itself (or None)."""
    prefetch_related_objects(
        [guide],
        "steps",
        Prefetch("tips", queryset=SafetyTip.objects.order_by("order", "pk")),
        Prefetch("citations", queryset=GuideCitation.objects.select_related("source")),
    )
    tips = list(guide.tips.all())
    labels, stale_after = guide_labels(guide)
    context = {
        "guide": guide,
        "labels": labels,
        "dos": [tip for tip in tips if tip.kind == TipKind.DO],
        "donts": [tip for tip in tips if tip.kind == TipKind.DONT],
        "red_flags": most_urgent_first(tip for tip in tips if tip.kind == TipKind.RED_FLAG),
    }
    html = render_to_string("techniques/guide_body.html", context, request)
    return Body(html, json_ld_script(guide_json_ld(guide, request))), stale_after


def guide_labels(guide) -> tuple[dict[str, list[Label]], datetime | None]:
    """The guide's equipment, body areas and published related guides, each list by name; and
    when the first related guide scheduled for later goes public (or None).

    All three are short named links, so one UNION query fetches them instead of three
    prefetches.
    """
    text, no_text = CharField(), Value("", output_field=CharField())
    # Typed, or PostgreSQL reads a bare NULL as text and refuses to unite it with a time.
    no_time = Cast(Value(None), DateTimeField())

    def part(kind, queryset, name, summary=no_text, published_at=no_time):
        return queryset.order_by().values_list(Value(kind, output_field=text), name, "slug", summary, published_at)

    related = guide.related.filter(status=Status.PUBLISHED)
    rows = part("equipment", guide.equipment.all(), "name").union(
        part("body_areas", guide.body_areas.all(), "name"),
        part("related", related, "title", "summary", "published_at"),
        all=True,
    )
    now = timezone.now()
    labels, scheduled = {"equipment": [], "body_areas": [], "related": []}, []
    for kind, name, slug, summary, published_at in rows.order_by("name"):
        # published(), but in Python: a related guide still to come is left out until then.
        if published_at is not None and published_at > now:
            scheduled.append(published_at)
        else:
            labels[kind].append(Label(name, slug, summary))
    return labels, min(scheduled, default=None)
