"""A guide page's own part (its header, steps, safety, sources and related guides, and its
structured data), rendered once and stored until something it shows changes, the way each
text's markdown is rendered once when it is saved.

The page cache files whole pages under one content version, so any edit anywhere makes
every page render again; and reader-built routines, searches and addresses with a tracking
parameter are never in it. Rendering a guide from its rows costs about six queries and
some thirty template nodes a step. With its body stored, a guide page is one query (the
guide joined to its body) and the site's frame around it.

Exact, with no timeout, because each body carries a generation:

- Every change to what a guide's page shows moves the generation of that guide's body on,
  in the same transaction as the change (`mark_stale`, from the signals connected below
  and from bulk writes). `guides_showing` says which guides show a given row.
- A request reads the generation with the guide, in the same query, before it reads
  anything else of the guide's; it renders the body and stores it only where the
  generation is still the one it read. An edit that commits in between has moved it on,
  so a body rendered from older rows is never stored as current.
- A body row is created empty (the first request for a guide, or the first after a
  restore, which doesn't keep them); the request that creates it doesn't store what it
  rendered, since it read no generation first.

A stored body is also tied to the release (code and templates, hashed static names), to
the scheme and host its absolute links were made for, and to the moment a related guide
scheduled for later goes public, which changes the list of related guides with no edit.
Anything else on the page (the draft banner, the signed-in editor's header) is rendered
around it on every request.
"""

from typing import NamedTuple

from django.db import DatabaseError, connection, transaction
from django.db.models import CharField, DateTimeField, F, Prefetch, Q, Value, prefetch_related_objects
from django.db.models.functions import Cast
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from techniques.models import (
    BodyArea,
    Equipment,
    GuideBody,
    GuideCitation,
    SafetyTip,
    Source,
    Status,
    Step,
    Technique,
    TipKind,
    most_urgent_first,
)
from techniques.page_cache import content_version
from techniques.page_cache.middleware import release
from techniques.structured_data import guide_json_ld, json_ld_script

# Content that no guide page shows: a change to it leaves every body as it is. A model of
# the content apps that is neither here nor in guides_showing is taken to show on every guide.
SHOWN_ON_NO_GUIDE = {"techniques.Page", "techniques.PageCitation", "routines.Routine", "routines.RoutineItem"}
M2M_CHANGES = {"post_add", "post_remove", "pre_clear"}


class Body(NamedTuple):
    html: str
    json_ld: str


class Label(NamedTuple):
    name: str
    slug: str
    summary: str


def guides_showing(row):
    """The guides whose page shows this row: a list or query of their ids, or None for all."""
    match row:
        case Technique():
            # Its own page, and the pages listing it among their related guides.
            return Technique.objects.filter(Q(pk=row.pk) | Q(related=row.pk)).values("pk")
        case Step() | GuideCitation() | SafetyTip():
            # A site-wide safety tip (no guide) is on the safety page only.
            return [row.technique_id] if row.technique_id else []
        case Source():
            return GuideCitation.objects.filter(source=row.pk).values("technique")
        case Equipment():
            return Technique.objects.filter(equipment=row.pk).values("pk")
        case BodyArea():
            return Technique.objects.filter(body_areas=row.pk).values("pk")
    if row._meta.label in SHOWN_ON_NO_GUIDE:
        return []
    return None


def mark_stale(guides):
    """Move on the generation of these guides' bodies (ids, a query of ids, or None for all),
    in the caller's transaction."""
    if guides == []:
        return
    bodies = GuideBody.objects.all() if guides is None else GuideBody.objects.filter(guide__in=guides)
    bodies.update(generation=F("generation") + 1)


def row_changed(sender, instance, **kwargs):
    mark_stale(guides_showing(instance))


def relations_changed(sender, instance, action, model, pk_set, **kwargs):
    # pre_clear, not post_clear: once cleared, the rows no longer say which guides showed them.
    if action not in M2M_CHANGES:
        return
    mark_stale(guides_showing(instance))
    if model is Technique and pk_set:
        # Changed from the other side (an equipment's guides, a guide's "related to" list).
        mark_stale(list(pk_set))


def every_guide_changed(sender, **kwargs):
    # A bulk write doesn't say which rows it changed.
    mark_stale(None)


def connect_signals():
    # pre_delete: a guide's related-guide links, and a tag's guides, are gone after the delete.
    for model in content_version.content_models():
        label = model._meta.label
        post_save.connect(row_changed, sender=model, dispatch_uid=f"guide-bodies-save-{label}")
        pre_delete.connect(row_changed, sender=model, dispatch_uid=f"guide-bodies-delete-{label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            uid = f"guide-bodies-m2m-{through._meta.label}"
            m2m_changed.connect(relations_changed, sender=through, dispatch_uid=uid)
    content_version.changed_in_bulk.connect(every_guide_changed, dispatch_uid="guide-bodies-bulk")


def origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def is_current(body: GuideBody, request) -> bool:
    return (
        body.rendered_generation == body.generation
        and body.release == release()
        and body.origin == origin(request)
        and (body.stale_after is None or timezone.now() < body.stale_after)
    )


def page_body(request, guide) -> Body:
    """The body of this guide's page: stored, or rendered now and stored. `guide` comes from a
    query with `select_related("body")`, so that its generation was read with it."""
    try:
        stored = guide.body
    except GuideBody.DoesNotExist:
        stored = None
    if stored is not None and is_current(stored, request):
        # Rendered by guide_body.html, with autoescaping, from the rows as they are now.
        return Body(mark_safe(stored.html), mark_safe(stored.json_ld))  # noqa: S308
    body, stale_after = render_body(request, guide)
    if stored is None:
        # Created empty: this render read no generation, so it may not be stored.
        store(lambda: GuideBody.objects.bulk_create([GuideBody(guide=guide)], ignore_conflicts=True))
    else:
        rendered = {"rendered_generation": stored.generation, "release": release(), "origin": origin(request)}
        store(
            lambda: GuideBody.objects.filter(guide=guide, generation=stored.generation).update(
                **rendered, stale_after=stale_after, html=body.html, json_ld=body.json_ld
            )
        )
    return body


def store(write):
    """Stores what a reader's request rendered, if the database takes it now. The page is
    rendered either way: a write that fails (SQLite busy with an editor's save) only means
    the next request renders it again. One statement, so outside a transaction (a request)
    it needs none; inside one, a savepoint keeps a failure from spoiling the rest of it."""
    try:
        if connection.in_atomic_block:
            with transaction.atomic():
                write()
        else:
            write()
    except DatabaseError:
        pass


def render_body(request, guide) -> tuple[Body, object]:
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


def guide_labels(guide) -> tuple[dict[str, list[Label]], object]:
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
