"""Restoring a guide to an earlier version, with its steps, safety tips and citations.

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

GUIDE_CHILDREN = (Step, SafetyTip, GuideCitation)
STEP_ORDER_PARKING = 10_000


@receiver(pre_delete, sender=Technique)
def date_deletion_before_its_cascade(sender, instance, **kwargs):
    # Django deletes a guide's steps and tips before the guide itself. Dating the guide's
    # deletion record at the start makes its children's records fall after it, so
    # "the children before the guide's next change" are the ones it had when deleted.
    instance._history_date = timezone.now()


def park_step_orders(steps):
    """Move steps onto free order numbers. The database checks (guide, order) is unique row
    by row, so renumbering steps in place (a swap, a restore) would collide half-way; callers
    run this in the same transaction as the renumbering, so readers never see parked numbers."""
    steps.update(order=F("order") + STEP_ORDER_PARKING)


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


@transaction.atomic
def restore_children(version):
    """Put the guide's steps, tips and citations back as they were in `version`."""
    guide_id, before = version.id, version_ends_at(version)
    for model in GUIDE_CHILDREN:
        wanted = children_as_of(model, before, technique_id=guide_id)
        model.objects.filter(technique_id=guide_id).exclude(pk__in=wanted).delete()
        if model is Step:
            park_step_orders(Step.objects.filter(technique_id=guide_id))
        for record in wanted.values():
            record.instance.save()
