"""Which guides' pages show a row, and moving those guides' stored bodies on, in the
transaction of the change that made them stale."""

from django.db import transaction
from django.db.models import F, Q
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

from techniques.models import BodyArea, Equipment, GuideBody, GuideCitation, SafetyTip, Source, Step, Technique
from techniques.page_cache import content_version

# Rows that belong to one guide (or, for a site-wide safety tip, to none).
GUIDE_PARTS = (Step, GuideCitation, SafetyTip)
# Content that no guide page shows: a change to it leaves every body as it is. A model of
# the content apps that is neither here nor in guides_showing is taken to show on every guide.
SHOWN_ON_NO_GUIDE = {"techniques.Page", "techniques.PageCitation", "routines.Routine", "routines.RoutineItem"}
# A guide's fields that its body doesn't show: the link-preview picture is in the page's
# head, outside the body, and the search document is never shown.
NOT_IN_BODY = {"share_card", "search_document"}
RELATION_CHANGES = {"post_add", "post_remove", "pre_clear"}


def guides_showing(model, rows):
    """The guides whose page shows any of `rows`, a query of `model`'s rows: a query of the
    guides' ids, [] for none, or None for every guide."""
    ids = rows.values("pk")
    if model is Technique:
        # Its own page, and the pages listing it among their related guides.
        return Technique.objects.filter(Q(pk__in=ids) | Q(related__in=ids)).values("pk")
    if model in GUIDE_PARTS:
        return rows.values("technique")
    if model is Source:
        return GuideCitation.objects.filter(source__in=ids).values("technique")
    if model is Equipment:
        return Technique.objects.filter(equipment__in=ids).values("pk")
    if model is BodyArea:
        return Technique.objects.filter(body_areas__in=ids).values("pk")
    if model._meta.label in SHOWN_ON_NO_GUIDE:
        return []
    return None


def mark_stale(guides):
    """Move on the generation of these guides' bodies (a query of ids, a list, or None for
    all), in the caller's transaction."""
    if guides == []:
        return
    bodies = GuideBody.objects.all() if guides is None else GuideBody.objects.filter(guide__in=guides)
    # Locked in one order (PostgreSQL), so that two edits marking overlapping guides (through
    # their related guides) wait for each other instead of deadlocking.
    locked = bodies.order_by("pk").select_for_update().values("pk")
    with transaction.atomic(savepoint=False):
        GuideBody.objects.filter(pk__in=locked).update(generation=F("generation") + 1)


def row_changed(sender, instance, **kwargs):
    """Before a save (the row as stored: a step moved to another guide leaves its old page),
    after it (the row as saved), and before a delete (while its links still say where it was)."""
    if instance.pk is not None:
        mark_stale(guides_showing(sender, sender._base_manager.filter(pk=instance.pk)))


def guide_created(sender, instance, created, **kwargs):
    # In the guide's own transaction, so no edit can come between the guide and its body row.
    if created:
        GuideBody.objects.get_or_create(guide=instance)


def relations_changed(sender, instance, action, model, pk_set, **kwargs):
    # pre_clear, not post_clear: once cleared, the rows no longer say which guides showed them.
    if action not in RELATION_CHANGES:
        return
    changed = type(instance)
    mark_stale(guides_showing(changed, changed._base_manager.filter(pk=instance.pk)))
    if model is Technique and pk_set:
        # Changed from the other side (an equipment's guides, a guide's "related to" list).
        mark_stale(list(pk_set))


def rows_written_in_bulk(sender, rows, fields, created=False, **kwargs):
    """A bulk write's rows, before and after it (content_version.ContentQuerySet)."""
    if sender._meta.label in SHOWN_ON_NO_GUIDE or (fields and set(fields) <= NOT_IN_BODY):
        return
    if created and sender is Technique and rows is not None:
        # Guides just made, in their own transaction; an existing guide without a row keeps
        # none (an edit already under way on it could not have marked one).
        GuideBody.objects.bulk_create(
            [GuideBody(guide_id=pk) for pk in rows.filter(body__isnull=True).values_list("pk", flat=True)],
            ignore_conflicts=True,
        )
    if rows is None or (fields and {"technique", "technique_id"} & set(fields)):
        # Rows not known, or moved to guides the rows no longer say they were on.
        mark_stale(None)
    else:
        mark_stale(guides_showing(sender, rows))


def connect_signals():
    for model in content_version.content_models():
        label = model._meta.label
        for name, signal in (("pre-save", pre_save), ("post-save", post_save), ("pre-delete", pre_delete)):
            signal.connect(row_changed, sender=model, dispatch_uid=f"guide-bodies-{name}-{label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            uid = f"guide-bodies-m2m-{through._meta.label}"
            m2m_changed.connect(relations_changed, sender=through, dispatch_uid=uid)
    post_save.connect(guide_created, sender=Technique, dispatch_uid="guide-bodies-created")
    content_version.rows_written_in_bulk.connect(rows_written_in_bulk, dispatch_uid="guide-bodies-bulk")
