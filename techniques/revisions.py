"""Restoring a guide to an earlier version, with its steps, safety tips and citations.

django-simple-history reverts one row at a time. A guide is more than its row, so when an
editor reverts a guide (or brings back a deleted one), its children are put back as they
were at the moment of that version too.
"""

from django.db import transaction
from django.db.models import F

from techniques.models import GuideCitation, SafetyTip, Step

GUIDE_CHILDREN = (Step, SafetyTip, GuideCitation)
STEP_ORDER_PARKING = 10_000


def children_as_of(model, guide_id, moment):
    """The latest historical record of each child row at `moment`, live rows only."""
    latest = {}
    records = model.history.filter(technique_id=guide_id, history_date__lte=moment).order_by(
        "history_date", "history_id"
    )
    for record in records:
        latest[record.id] = record
    return {pk: record for pk, record in latest.items() if record.history_type != "-"}


@transaction.atomic
def restore_children(guide_id, moment):
    for model in GUIDE_CHILDREN:
        wanted = children_as_of(model, guide_id, moment)
        model.objects.filter(technique_id=guide_id).exclude(pk__in=wanted).delete()
        if model is Step:
            # Free every order number first: restored steps may swap places.
            Step.objects.filter(technique_id=guide_id).update(order=F("order") + STEP_ORDER_PARKING)
        for record in wanted.values():
            record.instance.save()
