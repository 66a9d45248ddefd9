"""The body of a guide's page for a request: the stored one while it is current, else one
rendered now and stored for the requests after it."""

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.safestring import mark_safe

from techniques.addresses import origin
from techniques.guide_bodies.rendering import Body, render_body
from techniques.models import GuideBody
from techniques.page_cache.middleware import release


def is_current(body: GuideBody, request) -> bool:
    return (
        body.rendered_generation == body.generation
        and body.release == release()
        and body.origin == origin(request)
        and (body.stale_after is None or timezone.now() < body.stale_after)
    )


def page_body(request, guide) -> Body:
    """The body of this guide's page. `guide` comes from a query with `select_related("body")`,
    so that its body's generation was read with it, before anything else of the guide's."""
    try:
        stored = guide.body
    except GuideBody.DoesNotExist:
        # A guide made without its body row (by raw SQL): rendered every time, never stored.
        stored = None
    if stored is not None and is_current(stored, request):
        # Rendered by guide_body.html, with autoescaping, from the rows as they are now.
        return Body(mark_safe(stored.html), mark_safe(stored.json_ld))  # noqa: S308
    body, stale_after = render_body(request, guide)
    if stored is not None:
        rendered = {"release": release(), "origin": origin(request), "stale_after": stale_after}
        store(stored, html=body.html, json_ld=body.json_ld, **rendered)
    return body


def store(stored: GuideBody, **rendered):
    """Stores a body rendered at the generation read with the guide, unless that generation has
    moved on since. A row an edit holds locked is skipped rather than waited for (PostgreSQL;
    SQLite ignores it, and waits at most its busy timeout): a reader never queues behind an
    editor's save. A write the database refuses only means a later request stores it."""
    try:
        unchanged = GuideBody.objects.filter(pk=stored.pk, generation=stored.generation)
        with transaction.atomic():
            GuideBody.objects.filter(pk__in=unchanged.select_for_update(skip_locked=True).values("pk")).update(
                rendered_generation=stored.generation, **rendered
            )
    except DatabaseError:
        pass
