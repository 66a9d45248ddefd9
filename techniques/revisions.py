"""Restoring a guide (or a routine) to an earlier version, with its children: a guide's
steps, safety tips and citations, a routine's guides.

django-simple-history reverts one row at a time. A guide is more than its row, so when an
editor reverts a guide (or brings back a deleted one), its children are put back as they
were while that version was the current one: up to the guide's next recorded change.
"""

from django.db import transaction
from django.db.models import F
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from techniques.models import GuideCitation, SafetyTip, Step, Technique

# Each of a guide's children, and whether (guide, order) is unique for it.
GUIDE_CHILDREN = ((Step, True), (SafetyTip, False), (GuideCitation, False))
ORDER_PARKING = 10_000


@receiver(pre_delete, sender=Technique)
def date_deletion_before_its_cascade(sender, instance, **kwargs):
    # Django deletes a guide's steps and tips before the guide itself. Dating the guide's
    # deletion record at the start makes its children's records fall after it, so
    # "the children before the guide's next change" are the ones it had when deleted.
    instance._history_date = timezone.now()


def park_orders(rows):
    """Move ordered rows (a guide's steps, a routine's guides) onto free order numbers. The
    database checks (parent, order) is unique row by row, so renumbering in place (a swap, a
    restore) would collide half-way; callers run this in the same transaction as the
    renumbering, so readers never see parked numbers."""
    rows.update(order=F("order") + ORDER_PARKING)


def version_ends_at(version):
    """When `version` stopped being current: the date of the guide's next record, if any."""
    later = (
        type(version)
        .objects.filter(id=version.id, history_date__gt=version.history_date)
        .order_by("history_date", "history_id")
        .first()
    )
    return later.history_date if later else None


def children_as_of(model, before, **parent):
    """The latest historical record of each child row of `parent` (e.g. technique_id=3)
    before `before` (or now), live rows only."""
    records = model.history.filter(**parent)
    if before is not None:
        records = records.filter(history_date__lt=before)
    latest = {}
    for record in records.order_by("history_date", "history_id"):
        latest[record.id] = record
    return {pk: record for pk, record in latest.items() if record.history_type != "-"}


def rebuild_children(model, version, parent_field, *, unique_order=False, keep=None):
    """Put the `model` rows of `version`'s parent back as they were in that version: rows
    added since are deleted, changed ones changed back, deleted ones brought back. `keep`, if
    given, narrows the records to bring back ({pk: record} in, the same out)."""
    parent = {parent_field: version.id}
    wanted = children_as_of(model, version_ends_at(version), **parent)
    if keep is not None:
        wanted = keep(wanted)
    model.objects.filter(**parent).exclude(pk__in=wanted).delete()
    if unique_order:
        park_orders(model.objects.filter(**parent))
    for record in wanted.values():
        record.instance.save()


@transaction.atomic
def restore_children(version):
    """Put the guide's steps, tips and citations back as they were in `version`."""
    for model, unique_order in GUIDE_CHILDREN:
        rebuild_children(model, version, "technique_id", unique_order=unique_order)
